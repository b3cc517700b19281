"""Output names and run folders that are always safe: every name inside DIR and unique, an
earlier run replaced as a set whatever its files are called, the user's own files kept, and
nothing left beside DIR, even after a SIGKILL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

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


def test_unique_names_avoid_the_taken_ones_ignoring_case():
    assert unique_names(["Sheet", "x", "x"], taken=["sheet"]) == ["Sheet_2", "x", "x_2"]


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
