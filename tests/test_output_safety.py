"""Output names and run folders that are always safe: every name inside DIR and unique, an
earlier run replaced as a set whatever its files are called, the user's own files kept, and
nothing left beside DIR, even after a SIGKILL."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from test_hostile_inputs import run_cli

from viewer.core.errors import InputError
from viewer.core.inputs.added_result import add_results, method_id
from viewer.core.inputs.charts import load_chart
from viewer.core.output import files
from viewer.core.output.files import MANIFEST, run_files, staged_directory
from viewer.core.output.names import (
    image_folder_names,
    run_names,
    safe_component,
    unique_names,
)
from viewer.model.comparison_file import read_comparison


def write_run(target: Path, names: list[str], text: str = "run") -> None:
    with staged_directory(target) as stage:
        for name in names:
            (stage / name).write_text(text)


def siblings(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir())


@pytest.mark.parametrize(
    ("stem", "name"),
    [
        ("..", "_."),
        (".", "_"),
        ("", "_"),
        (MANIFEST, "_upsample-viewer-run"),
        ("a\nb", "a_b"),
        ("a/b\\c", "a_b_c"),
        ("with space", "with space"),
        ("фото", "фото"),
    ],
)
def test_a_name_is_one_visible_component(stem, name):
    assert safe_component(stem) == name


def test_a_long_name_is_cut_to_whole_characters_within_the_limit():
    name = safe_component("ж" * 300)
    assert len(os.fsencode(name)) <= 200 and set(name) == {"ж"}


def test_clashing_folder_names_are_renamed_in_order_never_shared():
    images = [Path(n) for n in ("a.jpg", "a.png", "a_png.png", "A_PNG.tif", "summary.json.png")]
    assert image_folder_names(images) == ["a_jpg", "a_png", "a_png_2", "A_PNG_3", "summary.json_2"]


def test_unique_names_avoid_the_taken_ones_ignoring_case_and_normal_form():
    assert unique_names(["Sheet", "x", "x"], taken=["sheet"]) == ["Sheet_2", "x", "x_2"]
    assert unique_names(["caf\u00e9", "cafe\u0301"]) == ["caf\u00e9", "cafe\u0301_2"]


def test_run_names_are_what_a_run_writes():
    assert run_names(["nearest"], label_run=False) == {
        "original.png",
        "lowres.png",
        "sheet.png",
        "metrics.json",
        "metrics.csv",
        "nearest.png",
        "diff_nearest.png",
        "spectrum_nearest.png",
        "spectrum_original.png",
    }
    labels = run_names(["nearest"], label_run=True)
    assert {"labels.png", "overlay_nearest.png", "errors_nearest.png"} <= labels
    assert "diff_nearest.png" not in labels


def test_the_manifest_survives_any_file_name(tmp_path):
    """Spaces and newlines in the earlier run's names: the next run still replaces it whole."""
    target = tmp_path / "out"
    odd = ["a b.png", "line\nbreak.png", "tab\t.png", "ü.png"]
    write_run(target, odd)
    assert run_files(target) == {*odd, MANIFEST}
    (target / "mine.txt").write_text("keep")
    write_run(target, ["new.png"])
    assert sorted(p.name for p in target.iterdir()) == [MANIFEST, "mine.txt", "new.png"]
    assert siblings(target) == ["out"]


def test_an_older_manifest_one_name_a_line_is_still_read(tmp_path):
    (tmp_path / MANIFEST).write_text("a b.png\nc.png\n")
    assert run_files(tmp_path) == {"a b.png", "c.png", MANIFEST}


def test_the_manifest_names_only_plain_files_of_the_folder(tmp_path):
    (tmp_path / MANIFEST).write_text(json.dumps({"files": ["../x", "..", "", "a/b", 3, "ok"]}))
    assert run_files(tmp_path) == {"ok", MANIFEST}


def test_a_users_own_file_is_refused_up_front_and_kept(tmp_path):
    target = tmp_path / "out"
    target.mkdir()
    (target / "nearest.png").write_text("mine")
    refused = pytest.raises(OSError, match=r"nearest\.png of your own")
    with refused, staged_directory(target, ["nearest.png", "metrics.json"]):
        pytest.fail("the block must not run: nothing is computed for a refused DIR")
    assert (target / "nearest.png").read_text() == "mine"
    assert siblings(target) == ["out"]


def test_a_users_own_file_is_never_overwritten_even_if_not_foreseen(tmp_path):
    target = tmp_path / "out"
    target.mkdir()
    (target / "metrics.json").write_text("mine")
    with pytest.raises(OSError, match=r"metrics\.json of your own"):
        write_run(target, ["metrics.json"])
    assert [p.name for p in target.iterdir()] == ["metrics.json"]
    assert (target / "metrics.json").read_text() == "mine"
    assert siblings(target) == ["out"]


def test_a_users_own_sub_folder_is_kept_beside_the_run(tmp_path):
    target = tmp_path / "out"
    write_run(target, ["a.png"])
    (target / "mine").mkdir()
    (target / "mine" / "notes.txt").write_text("keep")
    write_run(target, ["b.png"])
    assert sorted(p.name for p in target.iterdir()) == [MANIFEST, "b.png", "mine"]
    assert (target / "mine" / "notes.txt").read_text() == "keep"


def test_a_folder_run_sub_folder_of_an_earlier_run_is_replaced(tmp_path):
    target = tmp_path / "out"
    with staged_directory(target) as stage:
        (stage / "img").mkdir()
        (stage / "img" / "old.png").write_text("old")
    (target / "mine.txt").write_text("keep")
    with staged_directory(target) as stage:
        (stage / "img").mkdir()
        (stage / "img" / "new.png").write_text("new")
    assert [p.name for p in (target / "img").iterdir()] == ["new.png"]
    assert (target / "mine.txt").read_text() == "keep"


def test_a_failed_move_puts_the_earlier_run_back(tmp_path, monkeypatch):
    target = tmp_path / "out"
    write_run(target, ["a.png", "b.png"], "old")
    (target / "mine.txt").write_text("keep")
    real, moves = os.replace, []

    def fail_on_the_second_new_file(source, destination):
        if Path(destination).parent == target:
            moves.append(destination)
            if len(moves) == 2:
                raise OSError(28, "No space left on device")
        real(source, destination)

    monkeypatch.setattr(files.os, "replace", fail_on_the_second_new_file)
    with pytest.raises(OSError, match="No space"):
        write_run(target, ["a.png", "b.png"], "new")
    monkeypatch.undo()
    assert sorted(p.name for p in target.iterdir()) == [MANIFEST, "a.png", "b.png", "mine.txt"]
    assert {p.read_text() for p in target.iterdir() if p.suffix == ".png"} == {"old"}
    assert siblings(target) == ["out"]


def test_a_stale_staging_folder_from_a_killed_run_is_cleaned_by_the_next(tmp_path):
    """A process killed with SIGKILL inside the block leaves its staging folder; the next run
    into that DIR removes it (its lock died with the process)."""
    target = tmp_path / "out"
    code = (
        "import os, sys\n"
        "from viewer.core.output.files import staged_directory\n"
        "with staged_directory(sys.argv[1]) as stage:\n"
        "    (stage / 'half.png').write_text('x')\n"
        "    os.kill(os.getpid(), 9)\n"
    )
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run([sys.executable, "-c", code, str(target)], cwd=root, check=False)
    assert done.returncode == -9
    left = [name for name in siblings(target) if name.endswith(".part")]
    assert len(left) == 1 and left[0].startswith(".out.")
    write_run(target, ["a.png"])
    assert siblings(target) == ["out"]


def test_a_live_runs_staging_folder_is_left_alone(tmp_path):
    """Two runs into one DIR at once: the second does not take the first's folder for stale."""
    target = tmp_path / "out"
    with staged_directory(target) as first:
        (first / "a.png").write_text("first")
        write_run(target, ["b.png"], "second")
        assert first.is_dir() and (first / "a.png").exists()
    assert sorted(p.name for p in target.iterdir()) == [MANIFEST, "a.png"]
    assert siblings(target) == ["out"]


def test_an_out_link_is_followed_and_stays_a_link(tmp_path):
    real = tmp_path / "real"
    write_run(real, ["old.png"])
    link = tmp_path / "link"
    link.symlink_to(real)
    write_run(link, ["new.png"])
    assert link.is_symlink() and link.resolve() == real
    assert sorted(p.name for p in real.iterdir()) == [MANIFEST, "new.png"]
    assert siblings(real) == ["link", "real"]


def test_an_out_link_loop_is_refused(tmp_path):
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    with pytest.raises(OSError, match="loop of symbolic links"):
        write_run(loop, ["a.png"])
    assert siblings(loop) == ["loop"]


def test_a_mount_point_is_refused_before_the_block(tmp_path, monkeypatch):
    """An (empty) mount point cannot be swapped nor filled from beside it: refused on entry,
    nothing left beside it (a real mount needs root: its test is `os.path.ismount`)."""
    target = tmp_path / "mnt"
    target.mkdir()
    monkeypatch.setattr(files.os.path, "ismount", lambda path: Path(path) == target)
    with pytest.raises(OSError, match="mount point"), staged_directory(target):
        pytest.fail("the block must not run")
    assert siblings(target) == ["mnt"]
    assert list(target.iterdir()) == []


def test_a_long_folder_name_gets_a_short_staging_name(tmp_path):
    target = tmp_path / ("d" * 250)
    write_run(target, ["a.png"])
    write_run(target, ["b.png"])  # swapped whole: the set-aside name is short too
    assert sorted(p.name for p in target.iterdir()) == [MANIFEST, "b.png"]
    assert siblings(target) == [target.name]


def test_an_added_results_id_keeps_any_script_and_is_a_safe_file_name():
    assert method_id("My  net (v2)!") == "added_my_net_v2"
    assert method_id("Моя сеть") == "added_моя_сеть"
    assert method_id("★") == method_id("☆") == "added_result"
    long = method_id("x" * 300)
    assert long == "added_" + "x" * 64 and safe_component(long) == long


@pytest.mark.parametrize(
    ("first", "second"), [("m", "m"), ("My Net", "my-net"), ("★", "☆"), ("Ünï", "ÜNÏ")]
)
def test_two_added_results_that_share_an_id_are_refused_before_reading(first, second):
    with pytest.raises(InputError) as refused:
        add_results([(first, "/nonexistent/a.png"), (second, "/nonexistent/b.png")])
    assert refused.value.what == "--add"
    assert f"{first!r} and {second!r} name the same result" in refused.value.why


def comparison_with(tmp_path: Path, **changes) -> Path:
    document = {
        "format": "upsample-viewer-comparison",
        "version": 1,
        "input": "chart:star:64",
        "settings": {},
        "methods": ["nearest"],
        **changes,
    }
    path = tmp_path / "c.upsample.json"
    path.write_text(json.dumps(document))
    return path


def test_a_comparisons_added_list_with_a_shared_id_is_one_reason(tmp_path):
    added = [{"name": "My Net", "path": "/a.png"}, {"name": "my-net", "path": "/b.png"}]
    with pytest.raises(InputError) as refused:
        read_comparison(comparison_with(tmp_path, added=added))
    assert refused.value.why == (
        "added: 'My Net' and 'my-net' name the same result (added_my_net): "
        "give each a name of its own"
    )


@pytest.mark.parametrize(
    ("version", "reason"),
    [
        ("1", 'comparison file version "1" is not 1 (a number, not text)'),
        (True, "comparison file version true is not 1"),
        (None, "comparison file version null is not 1"),
    ],
)
def test_a_comparisons_version_says_what_it_is(tmp_path, version, reason):
    with pytest.raises(InputError) as refused:
        read_comparison(comparison_with(tmp_path, version=version))
    assert refused.value.why == reason


def test_a_chart_obeys_the_pixel_limit():
    with pytest.raises(InputError) as refused:
        load_chart("star", 64, max_pixels=2000)
    assert refused.value.what == "chart:star"
    assert refused.value.why == "64x64 is 4,096 pixels, over the limit of 2,000 pixels"
    assert load_chart("star", 40, max_pixels=2000).pixels.shape == (40, 40, 3)


# The command line: the second hostile corpus's cases about output names and run folders.
# Each runs in-process through main(), as tests/test_hostile_inputs.py does.


def small_png(path: Path, seed: int = 0, kind: str = "PNG") -> Path:
    pixels = np.random.default_rng(seed).integers(0, 256, (16, 16, 3), dtype=np.uint8)
    Image.fromarray(pixels).save(path, kind)
    return path


def one_line_error(code: int, err: str, start: str, reason: str) -> None:
    """Exit 2 and one line on stderr as a terminal shows it (a cleared progress bar is not a
    line)."""
    shown = (line.rsplit("\r", 1)[-1] for line in err.split("\n"))
    lines = [line for line in shown if line.strip()]
    assert code == 2 and "Traceback" not in err, err
    assert len(lines) == 1 and lines[0].startswith(f"error: {start}"), err
    assert reason in lines[0], err


FOLDER_RUN = ("--methods", "nearest", "--no-images")

HOSTILE_NAMES = {
    "...png": "_.",  # stem "..": it wrote into DIR's parent
    "..png": "_",  # stem ".": it wrote flat into DIR
    "a.jpg": "a_jpg",
    "a.png": "a_png",
    "a_png.png": "a_png_2",  # three images reported and two kept
    ".upsample-viewer-run.png": "_upsample-viewer-run",  # IsADirectoryError
    "summary.json.png": "summary.json_2",
    "with space.png": "with space",
    "line\nbreak.png": "line_break",
    "фото.png": "фото",
}


def test_every_image_of_a_folder_gets_a_folder_of_its_own_inside_dir(tmp_path, capfd, own_signals):
    images = tmp_path / "images"
    images.mkdir()
    for seed, name in enumerate(HOSTILE_NAMES):
        small_png(images / name, seed, "JPEG" if name.endswith(".jpg") else "PNG")
    results = tmp_path / "results"
    results.mkdir()
    (results / "metrics.json").write_text("the user's own")
    out = results / "out"
    for _ in range(2):  # the second run replaces the first, newline names and all
        code, err = run_cli(capfd, images, "--out", out, *FOLDER_RUN)
        assert code == 0 and "Traceback" not in err, err
    assert sorted(p.name for p in results.iterdir()) == ["metrics.json", "out"]
    assert (results / "metrics.json").read_text() == "the user's own"
    expected = {MANIFEST, "summary.json", "summary.csv", *HOSTILE_NAMES.values()}
    assert {p.name for p in out.iterdir()} == expected
    summary = json.loads((out / "summary.json").read_text())
    assert summary["images"] == len(HOSTILE_NAMES) and summary["failed"] == []
    for file, folder in HOSTILE_NAMES.items():
        document = json.loads((out / folder / "metrics.json").read_text())
        assert document["image"] == str(images / file)


@pytest.mark.parametrize("names", [("m", "m"), ("My Net", "my-net"), ("Мой", "МОЙ")])
def test_two_add_names_for_one_result_are_one_error(tmp_path, capfd, own_signals, names):
    image = small_png(tmp_path / "image.png")
    mine = small_png(tmp_path / "mine.png", 1)
    adds = [arg for name in names for arg in ("--add", f"{name}={mine}")]
    out = tmp_path / "out"
    code, err = run_cli(capfd, image, "--out", out, "--methods", "nearest", *adds)
    one_line_error(code, err, "--add: ", "name the same result")
    assert not out.exists()


def test_special_files_in_a_folder_are_listed_as_failed(tmp_path, capfd, own_signals):
    """Never silently left out, never blocking (a FIFO is refused from stat, unopened)."""
    images = tmp_path / "images"
    images.mkdir()
    small_png(images / "good.png")
    (images / "dangling.png").symlink_to(tmp_path / "missing.png")
    (images / "loop.png").symlink_to(images / "loop.png")
    os.mkfifo(images / "fifo.png")
    (images / "zero.png").symlink_to("/dev/zero")
    out = tmp_path / "out"
    code, err = run_cli(capfd, images, "--out", out, *FOLDER_RUN)
    assert code == 0 and "Traceback" not in err, err
    failed = json.loads((out / "summary.json").read_text())["failed"]
    reasons = {Path(entry["file"]).name: entry["reason"] for entry in failed}
    assert reasons == {
        "dangling.png": "a symbolic link to a missing file",
        "fifo.png": "is a named pipe (FIFO), not an image",
        "loop.png": "a loop of symbolic links",
        "zero.png": "is a character device, not an image",
    }
    assert sorted(p.name for p in out.iterdir()) == [
        MANIFEST,
        "good",
        "summary.csv",
        "summary.json",
    ]


def test_labels_with_a_training_set_are_refused_up_front_in_a_folder_run(
    tmp_path, capfd, own_signals
):
    images, labels = tmp_path / "images", tmp_path / "labels"
    images.mkdir()
    labels.mkdir()
    small_png(images / "a.png")
    Image.fromarray(np.zeros((16, 16), np.uint8)).save(labels / "a.png")
    out = tmp_path / "out"
    args = ["--labels", labels, "--train-on", images, "--out", out, *FOLDER_RUN]
    code, err = run_cli(capfd, images, *args)
    one_line_error(code, err, "--train-on: ", "give the training images' label folder")
    assert not out.exists()


@pytest.mark.parametrize("where", ["encode", "mkdir"])
def test_a_full_disk_in_a_folder_run_is_one_line_and_writes_nothing(
    tmp_path, capfd, own_signals, monkeypatch, where
):
    """No space (or no inodes) while a folder run writes: the single-image run's message and
    exit code, DIR as it was, no staging folder left."""
    from viewer.core.output import export

    def full(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    if where == "encode":
        monkeypatch.setattr(export, "encode_png", full)
    else:
        monkeypatch.setattr(export.RunFolder, "__init__", full)
    images = tmp_path / "images"
    images.mkdir()
    small_png(images / "a.png")
    out = tmp_path / "out"
    out.mkdir()
    (out / "mine.txt").write_text("keep")
    code, err = run_cli(capfd, images, "--out", out, "--methods", "nearest")
    one_line_error(code, err, f"--out {out}: ", "cannot write there (No space left on device)")
    assert [p.name for p in out.iterdir()] == ["mine.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["images", "out"]


def test_a_chart_over_the_pixel_limit_is_one_line(tmp_path, capfd, own_signals):
    out = tmp_path / "out"
    args = ["--chart", "star", "--chart-size", "64", "--max-pixels", "2000", "--out", out]
    code, err = run_cli(capfd, *args)
    one_line_error(code, err, "chart:star: ", "64x64 is 4,096 pixels, over the limit of 2,000")
    assert not out.exists()


CHART_RUN = ("--chart", "step", "--chart-size", "16", "--methods", "nearest")


def test_a_users_own_result_name_in_dir_is_refused_before_computing(
    tmp_path, capfd, own_signals, monkeypatch
):
    from viewer.core.run import engine

    monkeypatch.setattr(engine, "run_methods", lambda *a, **k: pytest.fail("computed"))
    out = tmp_path / "out"
    out.mkdir()
    (out / "nearest.png").write_text("mine")
    code, err = run_cli(capfd, *CHART_RUN, "--out", out)
    one_line_error(code, err, f"--out {out}: ", "nearest.png of your own")
    assert [p.name for p in out.iterdir()] == ["nearest.png"]
    assert (out / "nearest.png").read_text() == "mine"


def test_an_out_link_gets_the_run_in_the_folder_it_points_to(tmp_path, capfd, own_signals):
    real = tmp_path / "real"
    link = tmp_path / "link"
    link.symlink_to(real, target_is_directory=True)
    real.mkdir()
    for methods in ("nearest", "bilinear"):
        code, err = run_cli(capfd, *CHART_RUN[:4], "--methods", methods, "--out", link)
        assert code == 0, err
    assert link.is_symlink() and (real / "bilinear.png").exists()
    assert not (real / "nearest.png").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link", "real"]


def test_a_mount_point_is_refused_before_computing(tmp_path, capfd, own_signals, monkeypatch):
    from viewer.core.run import engine

    out = tmp_path / "mnt"
    out.mkdir()
    monkeypatch.setattr(files.os.path, "ismount", lambda path: Path(path) == out)
    monkeypatch.setattr(engine, "run_methods", lambda *a, **k: pytest.fail("computed"))
    code, err = run_cli(capfd, *CHART_RUN, "--out", out)
    one_line_error(code, err, f"--out {out}: ", "is a mount point")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mnt"]


def test_a_250_character_dir_name_runs_and_is_replaced(tmp_path, capfd, own_signals):
    out = tmp_path / ("o" * 250)
    for _ in range(2):
        code, err = run_cli(capfd, *CHART_RUN, "--out", out)
        assert code == 0, err
    assert sorted(p.name for p in tmp_path.iterdir()) == [out.name]


def test_a_region_exports_tiles_under_safe_unique_names(tmp_path):
    from viewer.core.output.export import export_region

    pixels = np.zeros((8, 8, 3), np.uint8)
    stems = ["sheet", "..", "a", "A", "x/y"]
    export_region([(stem, stem, "", pixels) for stem in stems], tmp_path / "region")
    names = {p.name for p in (tmp_path / "region").iterdir()}
    assert names == {MANIFEST, "sheet.png", "sheet_2.png", "_..png", "a.png", "A_2.png", "x_y.png"}
    assert siblings(tmp_path / "region") == ["region"]
