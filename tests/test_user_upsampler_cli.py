"""`--upsampler FILE.py` and `--new-upsampler FILE.py` on the command line (issue 23)."""

import hashlib
import json

import numpy as np
import pytest
from PIL import Image

from tests.main_py import ROOT, run_main

EXAMPLES = ROOT / "resources" / "upsamplers"


@pytest.fixture(scope="module")
def image_file(tmp_path_factory, photo):
    path = tmp_path_factory.mktemp("in") / "photo.png"
    Image.fromarray(photo[:48, :64]).save(path)
    return path


def rows(folder, name="metrics.json"):
    return {row["method"]: row for row in json.loads((folder / name).read_text())["methods"]}


def test_a_user_upsampler_has_every_column_of_a_builtin_and_its_source(tmp_path, image_file):
    broken = tmp_path / "broken.py"
    broken.write_text(
        "import paddle\nclass Upsampler(paddle.nn.Layer):\n"
        "    def __init__(self, channels, scale):\n        super().__init__()\n"
        "    def forward(self, x):\n        return x\n"
    )
    out = tmp_path / "out"
    done = run_main(
        "--headless", image_file, "--out", out, "--methods", "bilinear", "--steps", "5",
        "--upsampler", EXAMPLES / "starting_point.py", "--upsampler", broken,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    found = rows(out)
    builtin, mine = found["bilinear"], found["starting_point"]
    assert set(mine) == set(builtin) | {"source"}
    assert mine["error"] is None and mine["phase_cv"] is not None and mine["params"] == 84
    digest = hashlib.sha256((EXAMPLES / "starting_point.py").read_bytes()).hexdigest()
    assert mine["source"] == {"file": str(EXAMPLES / "starting_point.py"), "sha256": digest}
    assert (
        str(broken) in found["broken"]["error"]
        and "expected [1, 3, 48, 64]" in (found["broken"]["error"])
    )  # what fails while running is its row; the run exits 0
    assert (out / "starting_point.png").exists()


def test_methods_may_name_a_user_upsampler(tmp_path, image_file):
    out = tmp_path / "out"
    done = run_main(
        "--headless", image_file, "--out", out, "--methods", "bilinear_user",
        "--upsampler", EXAMPLES / "bilinear_user.py",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert list(rows(out)) == ["bilinear_user"]  # once, and nothing else


def test_a_folder_run_takes_user_upsamplers_into_the_summary(tmp_path, photo):
    folder = tmp_path / "images"
    folder.mkdir()
    for index in range(2):
        Image.fromarray(np.roll(photo, 7 * index, axis=1)[:32, :32]).save(folder / f"{index}.png")
    upsampler = EXAMPLES / "bilinear_user.py"
    done = run_main(
        "--headless", folder, "--out", tmp_path / "out", "--methods", "bilinear",
        "--upsampler", upsampler, "--no-images",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    summary = rows(tmp_path / "out", "summary.json")
    assert summary["bilinear_user"]["n"] == 2
    assert summary["bilinear_user"]["psnr"] == pytest.approx(summary["bilinear"]["psnr"], 1e-3)
    assert summary["bilinear_user"]["source"]["file"] == str(upsampler)


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("syntax.py", "class Upsampler(:\n", "syntax.py, line 1: syntax error"),
        ("nothing.py", "x = 1\n", "defines no class Upsampler"),
        ("bilinear.py", "class Upsampler: pass\n", "a built-in method's id"),
        ("missing.py", None, "cannot be read"),
    ],
)
def test_a_bad_file_is_exit_2_and_one_line_before_anything_runs(
    tmp_path, image_file, name, content, says
):
    path = tmp_path / name
    if content is not None:
        path.write_text(content)
    out = tmp_path / "out"
    done = run_main("--headless", image_file, "--out", out, "--upsampler", path)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("error: ")
    assert str(path) in done.stderr and says in done.stderr
    assert not out.exists()


def test_new_upsampler_writes_a_starting_file_that_runs(tmp_path, image_file):
    path = tmp_path / "mine.py"
    done = run_main("--new-upsampler", path)
    assert done.returncode == 0 and path.read_text().count("#") >= 3
    again = run_main("--new-upsampler", path)
    assert again.returncode == 2 and "exists already" in again.stderr
    ran = run_main(
        "--headless", image_file, "--out", tmp_path / "out", "--methods", "nearest",
        "--steps", "3", "--upsampler", path,
    )  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    assert rows(tmp_path / "out")["mine"]["error"] is None
