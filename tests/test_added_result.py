"""Your own result beside the built-in operators: measured and scored like every method."""

import json

import cv2
import numpy as np
import pytest
from PIL import Image
from skimage.metrics import peak_signal_noise_ratio
from test_cli import headless

from viewer.core.errors import InputError
from viewer.core.inputs.added_result import method_id, parse_addition


@pytest.fixture
def files(tmp_path, photo):
    original = photo[:100, :74]  # a multiple of 2: no crop
    mine = cv2.resize(cv2.resize(original, (37, 50)), (74, 100), interpolation=cv2.INTER_CUBIC)
    Image.fromarray(original).save(tmp_path / "original.png")
    Image.fromarray(mine).save(tmp_path / "mine.png")
    Image.fromarray(original[:50]).save(tmp_path / "half.png")
    return tmp_path, original, mine


def run_with(folder, addition: str):
    """A headless run of nearest on original.png with one --add; (process, out folder)."""
    out = folder / "out"
    args = ["--out", out, "--methods", "nearest", "--add", addition]
    return headless(folder / "original.png", *args), out


def test_an_added_result_is_measured_like_a_method(files):
    folder, original, mine = files
    done, out = run_with(folder, f"My net={folder / 'mine.png'}")
    assert done.returncode == 0, done.stderr
    rows = {row["method"]: row for row in json.loads((out / "metrics.json").read_text())["methods"]}
    row = rows["added_my_net"]
    assert row["psnr"] == pytest.approx(peak_signal_noise_ratio(original, mine, data_range=255))
    assert row["phase_cv"] is None and row["checkerboard"] is not None and row["error"] is None
    np.testing.assert_array_equal(np.asarray(Image.open(out / "added_my_net.png")), mine)
    assert (out / "diff_added_my_net.png").exists()


@pytest.mark.parametrize(
    ("addition", "message"),
    [
        ("x={folder}/half.png", "half.png: is 74x50; the original is 74x100"),
        ("x={folder}/missing.png", "missing.png: no such file"),
        ("=a.png", "--add: must be NAME=FILE"),
        ("nearest={folder}/mine.png", ""),  # "added_nearest": not a built-in id, accepted
    ],
)
def test_a_bad_addition_is_refused_before_anything_runs(files, addition, message):
    folder = files[0]
    done, out = run_with(folder, addition.format(folder=folder))
    if not message:
        assert done.returncode == 0, done.stderr
        return
    assert done.returncode == 2 and message in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and not out.exists()


def test_names_and_ids():
    assert parse_addition("My net=a.png") == ("My net", "a.png")
    assert parse_addition("dir/out_v2.png") == ("out_v2", "dir/out_v2.png")
    assert method_id("My  net (v2)!") == "added_my_net_v2"
    with pytest.raises(InputError):
        parse_addition("name=")
