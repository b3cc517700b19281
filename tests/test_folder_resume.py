"""A folder run resumed after `kill -9`, and split into shards then merged: both give the
summary of one uninterrupted run (wall-clock `ms` aside: it is measured, never equal)."""

import csv
import fcntl
import io
import json
import os
import signal
import subprocess
import sys
from dataclasses import replace

import numpy as np
import pytest
from PIL import Image

from tests.main_py import ROOT, run_main
from viewer.core.run.shards import Shard

METHODS = ("--methods", "nearest,bilinear,bicubic")


@pytest.fixture(scope="module")
def images(tmp_path_factory):
    """Six small generated images, each different."""
    folder = tmp_path_factory.mktemp("in") / "images"
    folder.mkdir()
    y, x = np.mgrid[0:40, 0:56]
    for i in range(6):
        rgb = np.stack([np.sin(x / (2 + i)), np.cos(y / (3 + i)), np.sin((x + y) / 5)], -1)
        Image.fromarray((rgb * 100 + 128).astype(np.uint8)).save(folder / f"im{i}.png")
    return folder


@pytest.fixture(scope="module")
def whole(images, tmp_path_factory):
    """The uninterrupted, unsharded run."""
    out = tmp_path_factory.mktemp("whole") / "out"
    done = run_main("--headless", images, "--out", out, *METHODS)
    assert done.returncode == 0, done.stderr
    return out


def without_timings(summary: dict) -> dict:
    """The summary with each method's wall-clock time left out."""
    for entry in summary["methods"]:
        del entry["ms"], entry["ms_std"]
    return summary


def summary_of(out):
    return without_timings(json.loads((out / "summary.json").read_text()))


def csv_without_timings(out) -> list[dict]:
    rows = list(csv.DictReader(io.StringIO((out / "summary.csv").read_text())))
    return [{k: v for k, v in row.items() if k not in ("ms", "ms_std")} for row in rows]


KILLED_AT_THIRD_IMAGE = """
import os, signal, sys
from viewer.headless import folder
real = folder.write_run
calls = []
def write_then_die(*args, **kwargs):
    document = real(*args, **kwargs)
    calls.append(1)
    if len(calls) == 3:  # its files written, not yet finished: must be redone
        folder.PngWriter.wait(args[2].writer)
        os.kill(os.getpid(), signal.SIGKILL)
    return document
folder.write_run = write_then_die
from viewer.app import main
sys.exit(main(sys.argv[1:]))
"""


def test_a_run_killed_with_sigkill_resumes_to_the_uninterrupted_summary(images, whole, tmp_path):
    out = tmp_path / "out"
    args = ["--headless", str(images), "--out", str(out), *METHODS]
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_AT_THIRD_IMAGE, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert not out.exists()
    stage = tmp_path / ".out.resume"
    assert sorted(p.name for p in stage.iterdir()) == [".writing", "im0", "im1", "run.json"]
    assert (stage / ".writing" / "im2" / "metrics.json").exists()  # written, never finished
    # What a power loss can leave: a finished folder whose metrics never reached the disk.
    (stage / "im1" / "metrics.json").write_text('{"methods": [')
    kept = (stage / "im0" / "metrics.json").read_bytes()

    resumed = run_main(*args, "--resume")
    assert resumed.returncode == 0, resumed.stderr
    assert "note: resuming: 1 of 6 images were done" in resumed.stderr
    assert (out / "im0" / "metrics.json").read_bytes() == kept  # not computed again
    assert not stage.exists()
    assert summary_of(out) == summary_of(whole)
    assert csv_without_timings(out) == csv_without_timings(whole)
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in whole.iterdir())


def test_resume_refuses_other_settings_in_one_line_and_keeps_the_unfinished_run(images, tmp_path):
    out = tmp_path / "out"
    args = ["--headless", str(images), "--out", str(out), *METHODS]
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_AT_THIRD_IMAGE, *args], capture_output=True, cwd=ROOT
    )
    assert killed.returncode == -signal.SIGKILL
    refused = run_main(*args, "--resume", "--scale", 3)
    assert refused.returncode == 2
    assert refused.stderr.strip().splitlines()[-1] == (
        "error: --resume: the unfinished run has scale 2, not 3: give the same settings, "
        "or run without --resume to start over"
    )
    other = run_main(*args[:-1], "nearest", "--resume")
    assert other.returncode == 2 and "has methods" in other.stderr
    stage = tmp_path / ".out.resume"
    assert {"im0", "im1", "run.json"} <= {p.name for p in stage.iterdir()}
    # Without --resume a run starts over, and its DIR has only its own images' files.
    fresh = run_main(*args)
    assert fresh.returncode == 0 and "resuming" not in fresh.stderr, fresh.stderr
    assert not stage.exists() and len(json.loads((out / "summary.json").read_text())["methods"])


def test_resume_with_nothing_to_resume_runs_everything(images, whole, tmp_path):
    out = tmp_path / "out"
    done = run_main("--headless", images, "--out", out, *METHODS, "--resume")
    assert done.returncode == 0, done.stderr
    assert "note: resuming: 0 of 6 images were done" in done.stderr
    assert summary_of(out) == summary_of(whole)


def test_shards_merged_equal_the_whole_run(images, whole, tmp_path):
    shards = []
    for k in (1, 2, 3):
        shard = tmp_path / f"shard_{k}"
        done = run_main("--headless", images, "--out", shard, *METHODS, "--shard", f"{k}/3")
        assert done.returncode == 0, done.stderr
        shards.append(shard)
    # Every third image, starting at the K-th, by the sorted file names.
    assert sorted(p.name for p in shards[1].iterdir() if p.is_dir()) == ["im1", "im4"]
    assert json.loads((shards[1] / "summary.json").read_text())["images"] == 2
    out = tmp_path / "merged"
    merged = run_main("--merge", *reversed(shards), "--out", out)
    assert merged.returncode == 0, merged.stderr
    assert summary_of(out) == summary_of(whole)
    assert csv_without_timings(out) == csv_without_timings(whole)
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in whole.iterdir())
    assert (out / "im4" / "bicubic.png").read_bytes() == (
        whole / "im4" / "bicubic.png"
    ).read_bytes()


@pytest.mark.parametrize(
    ("given", "why"),
    [
        ((1, 3), "error: --merge: shard 2 of 3 is missing"),
        ((1, 1, 2, 3), "shard 1/3 is given twice"),
    ],
)
def test_merge_refuses_missing_or_overlapping_shards(images, tmp_path_factory, given, why):
    base = tmp_path_factory.mktemp("shards")
    for k in sorted(set(given)):
        done = run_main(
            "--headless",
            images,
            "--out",
            base / str(k),
            "--methods",
            "nearest",
            "--shard",
            f"{k}/3",
        )
        assert done.returncode == 0, done.stderr
    out = base / "merged"
    refused = run_main("--merge", *(base / str(k) for k in given), "--out", out)
    lines = refused.stderr.strip().splitlines()
    assert refused.returncode == 2 and len(lines) == 1 and why in lines[0], refused.stderr
    assert not out.exists()


def test_merge_refuses_shards_of_other_settings(images, tmp_path):
    one = run_main("--headless", images, "--out", tmp_path / "a", *METHODS, "--shard", "1/2")
    two = run_main(
        "--headless", images, "--out", tmp_path / "b", *METHODS, "--shard", "2/2", "--scale", 3
    )
    assert one.returncode == 0 and two.returncode == 0, two.stderr
    refused = run_main("--merge", tmp_path / "a", tmp_path / "b", "--out", tmp_path / "m")
    assert refused.returncode == 2
    assert "shard 2/2 is of another run" in refused.stderr and not (tmp_path / "m").exists()


def test_shard_and_resume_go_with_folder_runs_only(images, tmp_path):
    single = run_main("--headless", images / "im0.png", "--out", tmp_path / "o", "--shard", "1/2")
    assert single.returncode == 2
    assert single.stderr.strip() == "error: --shard: goes with a folder run (--headless FOLDER)"
    bad = run_main("--headless", images, "--out", tmp_path / "o", "--shard", "3/2")
    assert bad.stderr.strip() == "error: --shard: must be K/N with 1 <= K <= N, not 3/2"
    empty = run_main("--headless", images, "--out", tmp_path / "o", "--shard", "7/7")
    assert empty.stderr.strip() == "error: --shard: shard 7/7 of a folder of 6 images is empty"
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_shards_trained_once_evaluate_the_same_operator(images, tmp_path, coffee):
    """Each shard trains the learned method on the training set with the same seed: the
    merged results equal the unsharded run's, pixel for pixel."""
    train = tmp_path / "train.png"
    Image.fromarray(coffee).save(train)
    learned = ("--methods", "resize_conv", "--steps", 3, "--train-on", train)
    whole = run_main("--headless", images, "--out", tmp_path / "whole", *learned)
    assert whole.returncode == 0, whole.stderr
    for k in (1, 2):
        shard = tmp_path / f"s{k}"
        done = run_main("--headless", images, "--out", shard, *learned, "--shard", f"{k}/2")
        assert done.returncode == 0, done.stderr
    merged = run_main("--merge", tmp_path / "s1", tmp_path / "s2", "--out", tmp_path / "m")
    assert merged.returncode == 0, merged.stderr
    summary = summary_of(tmp_path / "m")
    assert summary["training"]["once"] is True
    assert summary == summary_of(tmp_path / "whole")
    for name in ("im0", "im1"):  # one image of each shard
        result = (tmp_path / "m" / name / "resize_conv.png").read_bytes()
        assert result == (tmp_path / "whole" / name / "resize_conv.png").read_bytes()


def test_a_second_run_into_the_same_dir_while_one_writes_is_refused(images, tmp_path):
    stage = tmp_path / ".out.resume"
    stage.mkdir()
    fd = os.open(stage, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as a live run holds it
        refused = run_main("--headless", images, "--out", tmp_path / "out", *METHODS)
    finally:
        os.close(fd)
    assert refused.returncode == 2
    assert refused.stderr.strip().splitlines()[-1] == (
        f"error: --out {tmp_path / 'out'}: cannot write there (another run is writing it now)"
    )
    assert stage.is_dir() and not (tmp_path / "out").exists()


def test_the_split_is_every_nth_file_and_covers_the_folder_once():
    parts = [Shard.parse(f"{k}/3").indices(7) for k in (1, 2, 3)]
    assert parts == [[0, 3, 6], [1, 4], [2, 5]]
    assert Shard.parse(" 2 / 3 ") == Shard(2, 3) and str(Shard(2, 3)) == "2/3"


def test_resume_refuses_a_user_upsampler_whose_file_changed(images):
    from viewer.core import methods
    from viewer.core.errors import InputError
    from viewer.core.output.resumable import refuse_other
    from viewer.core.run.folder_session import FolderSession
    from viewer.core.run.rules import RunRequest
    from viewer.core.settings import Settings

    nearest = methods.get_method("nearest")
    methods.add_method(replace(nearest, id="edited_upsampler", version="sha-2"))
    request = RunRequest(Settings(), ("nearest", "edited_upsampler"))
    key = FolderSession(images, None, request).identity()
    assert key["code"] == {"edited_upsampler": "sha-2"}  # fixed methods have no code entry
    earlier = {**key, "code": {"edited_upsampler": "sha-1"}}
    with pytest.raises(InputError, match="other code for edited_upsampler"):
        refuse_other(earlier, key)
    refuse_other(key, key)  # the same file: the run resumes
