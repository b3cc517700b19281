"""`main.py --headless`: the files it writes, and one clean line for every bad input."""

import csv
import json
import sys
import threading
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.main_py import ROOT, run_main
from viewer.core.inputs.image_io import load_image
from viewer.core.output.files import staged_directory, write_bytes_atomic
from viewer.core.settings import Settings

ROW_KEYS = {"method", "psnr", "ssim", "mae", "max_abs", "clipped", "ms", "params", "error"}
ROW_KEYS |= {"checkerboard", "phase_cv", "overshoot", "overshoot_max", "hf_energy"}


def headless(*args, cwd=ROOT):
    return run_main("--headless", *args, cwd=cwd)


@pytest.fixture(scope="module")
def odd_photo(tmp_path_factory, photo):
    path = tmp_path_factory.mktemp("in") / "李化元.png"
    Image.fromarray(photo).save(path)
    return path


@pytest.fixture(scope="module")
def written(tmp_path_factory, odd_photo):
    out = tmp_path_factory.mktemp("run") / "out"
    done = headless(odd_photo, "--out", out, "--scale", 3, "--steps", 2)
    assert done.returncode == 0, done.stderr
    return out


def test_writes_every_file_at_the_cropped_size(written):
    original = load_image(written / "original.png").pixels
    assert original.shape == (99, 75, 3)
    assert load_image(written / "lowres.png").pixels.shape == (33, 25, 3)
    document = json.loads((written / "metrics.json").read_text())
    for row in document["methods"]:
        method = row["method"]
        assert load_image(written / f"{method}.png").pixels.shape == original.shape
        assert load_image(written / f"diff_{method}.png").pixels.shape == original.shape
    assert (written / "sheet.png").stat().st_size > 10_000
    for name in ["original", *(row["method"] for row in document["methods"])]:
        spectrum = load_image(written / f"spectrum_{name}.png").pixels
        assert spectrum.shape == original.shape
        # magma from one shared range: the DC peak at the centre is the brightest place
        centre = spectrum[spectrum.shape[0] // 2, spectrum.shape[1] // 2].astype(int).sum()
        assert centre >= spectrum.astype(int).sum(axis=2).max() - 3
    assert not [p for p in written.parent.iterdir() if p.name.endswith(".part")]


def test_metrics_json_and_csv_follow_the_schema(written):
    document = json.loads((written / "metrics.json").read_text())
    assert document["image"].endswith("李化元.png")
    assert document["scale"] == 3
    assert document["crop"] == {"original": [75, 101], "kept": [75, 99], "changed": True}
    assert document["settings"] == Settings(scale=3, steps=2).as_dict()  # from the schema
    assert [row["method"] for row in document["methods"]][:3] == ["nearest", "bilinear", "bicubic"]
    for row in document["methods"]:
        assert set(row) >= ROW_KEYS
        assert row["error"] is None and 0 < row["ssim"] <= 1 and row["psnr"] > 5
    with open(written / "metrics.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["method"] for r in rows] == [r["method"] for r in document["methods"]]
    assert float(rows[0]["psnr"]) == pytest.approx(document["methods"][0]["psnr"])
    assert set(rows[0]) >= ROW_KEYS
    assert float(rows[0]["checkerboard"]) == pytest.approx(0, abs=1e-6)  # nearest


def test_heatmaps_are_the_windows_difference_view_on_one_scale(written):
    """diff_<method>.png is the window's |difference| view (luma, its colours) on the shared
    scale recorded as diff_scale: the median of the methods' 99th-percentile errors. Heatmaps
    are palette PNGs of their colour bar's colours (a third of RGB's bytes)."""
    from PIL import Image

    from viewer.core.views.derived import colorize, derive

    document = json.loads((written / "metrics.json").read_text())
    original = load_image(written / "original.png").pixels
    scale = document["diff_scale"]
    typical = []
    for row in document["methods"]:
        image = load_image(written / f"{row['method']}.png").pixels
        view = derive("abs:luma", image, original)
        typical.append(view.typical)
        expected = colorize(view.values, "abs", 0.0, scale)
        np.testing.assert_array_equal(
            load_image(written / f"diff_{row['method']}.png").pixels, expected
        )
        for heatmap in (f"diff_{row['method']}.png", f"spectrum_{row['method']}.png"):
            with Image.open(written / heatmap) as png:
                assert png.mode == "P"
    assert scale == pytest.approx(np.median(typical))
    brightness = {
        row["method"]: load_image(written / f"diff_{row['method']}.png").pixels.mean()
        for row in document["methods"]
    }
    assert brightness["bicubic"] < brightness["max_unpool"]


def test_result_matches_the_engine_output(written):
    original = load_image(written / "original.png").pixels
    nearest = load_image(written / "nearest.png").pixels
    lowres = load_image(written / "lowres.png").pixels
    np.testing.assert_array_equal(nearest, lowres.repeat(3, axis=0).repeat(3, axis=1))
    assert original.shape == nearest.shape


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.png"], "missing.png: no such file"),
        (["--scale", "5"], "--scale: must be one of 2, 3, 4"),
        (["--methods", "nearest,warp"], "--methods: unknown method warp"),
        (["--steps", "-1"], "--steps: must be a whole number from 0 to 100000, not -1"),
        (["--scale", "two"], "--scale: must be one of 2, 3, 4, 8, 16, not two"),
        (["notes.txt"], "notes.txt: not a readable image"),
        (
            ["big.png", "--max-pixels", "100"],
            "big.png: 20x20 is 400 pixels, over the limit of 100 pixels",
        ),
        (["--chart", "rainbow"], "--chart: unknown chart rainbow; known: zoneplate"),
        (
            ["--chart", "star", "--chart-size", "4"],
            "--chart-size: must be a whole number from 8 to 8192",
        ),
        (["big.png", "--chart", "star"], "--chart: give an IMAGE or a --chart, not both"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_nothing_written(tmp_path, args, message):
    (tmp_path / "notes.txt").write_text("hello")
    Image.fromarray(np.zeros((20, 20, 3), np.uint8)).save(tmp_path / "big.png")
    out = tmp_path / "out"
    done = headless(*args, "--out", out, cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith("error: ") and message in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert not out.exists()


def test_out_is_required(tmp_path):
    done = headless(cwd=tmp_path)
    assert done.returncode == 2 and done.stderr.strip() == (
        "error: --out: a folder for the results is required with --headless"
    )


def test_staged_directory_leaves_target_untouched_on_failure(tmp_path):
    target = tmp_path / "results"
    target.mkdir()
    (target / "old.txt").write_text("keep me")
    with pytest.raises(RuntimeError), staged_directory(target) as stage:
        (stage / "half.png").write_bytes(b"123")
        raise RuntimeError("failed midway")
    assert [p.name for p in target.iterdir()] == ["old.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["results"]


def test_staged_directory_moves_files_into_an_existing_folder(tmp_path):
    target = tmp_path / "results"
    target.mkdir()
    with staged_directory(target) as stage:
        (stage / "a.txt").write_text("new")
    assert (target / "a.txt").read_text() == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["results"]


def test_atomic_write_keeps_the_old_file_when_writing_fails(tmp_path, monkeypatch):
    path = tmp_path / "metrics.json"
    path.write_text("old")

    def broken_fsync(fd):
        raise OSError("disk full")

    monkeypatch.setattr("os.fsync", broken_fsync)
    with pytest.raises(OSError):
        write_bytes_atomic(path, b"new")
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["metrics.json"]


def test_chart_runs_headless(tmp_path):
    out = tmp_path / "star"
    done = headless("--chart", "star", "--chart-size", 96, "--methods", "nearest", "--out", out)
    assert done.returncode == 0, done.stderr
    assert json.loads((out / "metrics.json").read_text())["image"] == "chart:star"
    assert load_image(out / "original.png").pixels.shape == (96, 96, 3)


def test_an_unwritable_out_folder_is_one_line(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("a file where a folder is expected")
    done = headless("--methods", "nearest", "--out", blocker / "out", cwd=tmp_path)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.strip() == (
        f"error: --out {blocker / 'out'}: cannot write there ({blocker} is a file)"
    )
    assert blocker.read_text() == "a file where a folder is expected"


def test_a_second_run_replaces_the_first_as_a_set(tmp_path):
    """Methods of an earlier run never stay beside a later run's: the run files are replaced
    as a set, and files the user put there are kept."""
    out = tmp_path / "out"
    first = headless(
        "--chart", "step", "--chart-size", "16", "--methods", "nearest,bicubic", "--out", out
    )
    assert first.returncode == 0, first.stderr
    (out / "my-notes.txt").write_text("mine")
    second = headless(
        "--chart", "step", "--chart-size", "16", "--methods", "bilinear", "--out", out
    )
    assert second.returncode == 0, second.stderr
    names = {p.name for p in out.iterdir()}
    assert "nearest.png" not in names and "diff_bicubic.png" not in names
    assert {"bilinear.png", "diff_bilinear.png", "metrics.json", "my-notes.txt"} <= names
    rows = json.loads((out / "metrics.json").read_text())["methods"]
    assert [row["method"] for row in rows] == ["bilinear"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_folder_holding_only_a_run_is_swapped_whole(tmp_path, monkeypatch):
    """No moment shows a mix: the old folder is renamed away and the new one renamed in."""
    import os

    from viewer.core.output import files

    target = tmp_path / "results"
    with staged_directory(target) as stage:
        (stage / "a.png").write_text("old")
        (stage / "b.png").write_text("old")
    renames = []
    real = os.replace
    monkeypatch.setattr(files.os, "replace", lambda a, b: (renames.append(Path(b)), real(a, b)))
    with staged_directory(target) as stage:
        (stage / "a.png").write_text("new")
    assert sorted(p.name for p in target.iterdir()) == [".upsample-viewer-run", "a.png"]
    assert (target / "a.png").read_text() == "new"
    assert renames[-1] == target and len(renames) == 2  # old folder away, new folder in
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results"]


def test_each_result_is_written_as_it_arrives_and_a_failure_writes_nothing(
    small_image, tmp_path, capfd, monkeypatch
):
    """A headless run hands the inputs' and each result's PNG to the writer while the run
    goes on (the result's from the engine's measuring thread, before the next method is
    measured); the heatmaps wait for the shared scale. A failure after that still leaves
    --out as it was."""
    from test_hostile_inputs import run_cli

    from viewer.core.output import export

    handed = []
    write = export.PngWriter.write

    def record(self, path, pixels, encode=None):
        handed.append((path.name, threading.current_thread().name))
        return write(self, path, pixels, encode)

    monkeypatch.setattr(export.PngWriter, "write", record)
    out = tmp_path / "out"
    code, err = run_cli(capfd, small_image, "--out", out, "--methods", "nearest,bilinear")
    assert code == 0, err
    names = [name for name, _ in handed]
    assert names.index("original.png") < names.index("nearest.png") < names.index("bilinear.png")
    assert names.index("bilinear.png") < names.index("diff_nearest.png")
    threads = dict(handed)
    assert threads["nearest.png"].startswith("upsample-measure")
    assert threads["diff_nearest.png"] == threading.main_thread().name
    assert {"nearest.png", "bilinear.png", "diff_bilinear.png"} <= {p.name for p in out.iterdir()}

    def fail_at_the_end(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("viewer.headless.single.write_run", fail_at_the_end)
    again = tmp_path / "again"
    code, err = run_cli(capfd, small_image, "--out", again, "--methods", "nearest")
    assert code == 2 and "No space left on device" in err, err
    assert not again.exists() and not list(tmp_path.glob(".again.*"))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread priority: Linux")
def test_png_writer_threads_run_below_the_callers_priority(tmp_path):
    """Encoding takes the cores a run's methods leave idle instead of slowing them down."""
    import os

    from viewer.core.output.export import PngWriter

    def own_priority(_rgb: np.ndarray) -> bytes:
        return str(os.getpriority(os.PRIO_PROCESS, threading.get_native_id())).encode()

    mine = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    with PngWriter() as writer:
        writer.write(tmp_path / "priority", np.zeros((1, 1, 3), np.uint8), own_priority)
        writer.wait()
    assert int((tmp_path / "priority").read_text()) == min(19, mine + 10)
