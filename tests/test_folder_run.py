"""Folder runs: every image, the means, a bad file skipped, DIR written whole or not at all."""

import json
import signal

import numpy as np
import pytest
from PIL import Image
from test_cli import headless
from test_hostile_inputs import run_cli

from viewer.core.run.interrupts import Interrupted


@pytest.fixture
def folder(tmp_path, photo, coffee):
    images = tmp_path / "images"
    images.mkdir()
    Image.fromarray(photo).save(images / "b_photo.png")
    Image.fromarray(coffee).save(images / "a_coffee.png")
    (images / "c_broken.png").write_bytes(b"\x89PNG truncated")
    (images / "notes.txt").write_text("not an image")
    return images


def test_every_image_then_the_means(folder, tmp_path):
    out = tmp_path / "out"
    done = headless(folder, "--out", out, "--methods", "nearest,bicubic")
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        ".upsample-viewer-run",
        "a_coffee",
        "b_photo",
        "summary.csv",
        "summary.json",
    ]
    assert (out / "b_photo" / "bicubic.png").exists() and (out / "b_photo" / "sheet.png").exists()
    summary = json.loads((out / "summary.json").read_text())
    assert summary["images"] == 2 and summary["scale"] == 2 and summary["protocol"] == "article"
    assert summary["failed"] == [
        {
            "file": str(folder / "c_broken.png"),
            "reason": "not a readable image (unknown format or corrupt)",
        }
    ]
    rows = [
        json.loads((out / name / "metrics.json").read_text())["methods"]
        for name in ("a_coffee", "b_photo")
    ]
    for entry in summary["methods"]:
        values = [
            row["psnr"] for image in rows for row in image if row["method"] == entry["method"]
        ]
        assert entry["n"] == 2
        assert entry["psnr"] == pytest.approx(np.mean(values))
        assert entry["psnr_std"] == pytest.approx(np.std(values))
        assert "ssim_y" in entry and "checkerboard_std" in entry
    assert "c_broken.png" in done.stderr and "skipped" in done.stderr


def test_no_images_writes_only_metrics(folder, tmp_path):
    out = tmp_path / "out"
    done = headless(folder, "--out", out, "--methods", "nearest", "--no-images")
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (out / "b_photo").iterdir()) == ["metrics.csv", "metrics.json"]


def test_a_folder_with_no_usable_image_is_refused_and_writes_nothing(tmp_path, capfd, own_signals):
    images = tmp_path / "images"
    images.mkdir()
    (images / "x.png").write_bytes(b"junk")
    out = tmp_path / "out"
    code, err = run_cli(capfd, images, "--out", out, "--methods", "nearest")
    assert (
        code == 2
        and err.strip().splitlines()[-1] == f"error: {images}: no image in the folder could be run"
    )
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["images"]
    empty = tmp_path / "empty"
    empty.mkdir()
    code, err = run_cli(capfd, empty, "--out", out)
    assert code == 2 and "the folder holds no images" in err and not out.exists()


def test_an_interrupted_folder_run_leaves_dir_as_it_was_and_keeps_its_finished_images(
    folder, tmp_path, capfd, own_signals, monkeypatch
):
    from viewer.headless import folder as folder_run

    calls = []
    real = folder_run.write_run

    def write_then_stop(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise Interrupted(signal.SIGINT)
        return real(*args, **kwargs)

    monkeypatch.setattr(folder_run, "write_run", write_then_stop)
    out = tmp_path / "out"
    out.mkdir()
    (out / "mine.txt").write_text("keep")
    code, err = run_cli(capfd, folder, "--out", out, "--methods", "nearest")
    assert code == 130 and err.strip().splitlines()[-1] == "interrupted: nothing written"
    assert "note: images finished: 1, kept beside --out: --resume continues" in err
    assert [p.name for p in out.iterdir()] == ["mine.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.resume", "images", "out"]
    assert sorted(p.name for p in (tmp_path / ".out.resume").iterdir()) == [
        ".writing",
        "a_coffee",
        "run.json",
    ]
    monkeypatch.setattr(folder_run, "write_run", real)
    code, err = run_cli(capfd, folder, "--out", out, "--methods", "nearest", "--resume")
    assert code == 0 and "note: resuming: 1 of 3 images were done" in err, err
    assert sorted(p.name for p in out.iterdir()) == [
        ".upsample-viewer-run",
        "a_coffee",
        "b_photo",
        "mine.txt",
        "summary.csv",
        "summary.json",
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["images", "out"]


def test_with_a_training_set_learned_methods_train_once_and_the_summary_says_so(
    folder, tmp_path, coffee
):
    train = tmp_path / "train.png"
    Image.fromarray(coffee[::-1]).save(train)
    out = tmp_path / "out"
    done = headless(
        folder, "--out", out, "--methods", "resize_conv", "--steps", 3, "--train-on", train
    )
    assert done.returncode == 0, done.stderr
    summary = json.loads((out / "summary.json").read_text())
    assert summary["training"] == {"on": str(train), "images": 1, "once": True}
    plain = headless(folder, "--out", tmp_path / "plain", "--methods", "nearest")
    assert plain.returncode == 0, plain.stderr
    assert (
        json.loads((tmp_path / "plain" / "summary.json").read_text())["training"]["once"] is False
    )


def test_a_training_set_that_cannot_be_read_ends_the_run_up_front(
    folder, tmp_path, capfd, own_signals
):
    out = tmp_path / "out"
    code, err = run_cli(
        capfd, folder, "--out", out, "--methods", "resize_conv", "--train-on", tmp_path / "gone"
    )
    assert (
        code == 2
        and err.strip().splitlines()[-1]
        == f"error: {tmp_path / 'gone'}: no such file: nothing to train on"
    )
    assert not out.exists()


def test_a_folder_run_needs_out_like_any_headless_run(folder, capfd, own_signals):
    code, err = run_cli(capfd, folder, "--methods", "nearest")
    assert (
        code == 2 and err == "error: --out: a folder for the results is required with --headless\n"
    )
