"""Label runs from the command line: the files, their conventions, and clear refusals."""

import json

import numpy as np
import pytest
from PIL import Image

from tests.test_cli import headless
from tests.test_label_maps import save
from viewer.core.inputs.label_maps import load_label_map

SCALE = 4


def blocks_chart(height=64, width=96):
    """Labels constant on every r x r block: what nearest upsampling restores exactly."""
    ys, xs = np.mgrid[: height // SCALE, : width // SCALE]
    small = ((ys // 3 + xs // 4) % 3).astype(np.uint8)
    small[:2, :2] = 255  # some ignore
    return np.kron(small, np.ones((SCALE, SCALE), np.uint8))


@pytest.fixture(scope="module")
def label_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("labels")
    ids = blocks_chart().astype(np.int32)
    image = np.stack([ids * 70 % 256, ids * 30 % 256, 255 - ids], axis=-1).astype(np.uint8)
    Image.fromarray(image).save(folder / "scene.bmp")
    save(folder / "scene.png", ids, "P")
    return folder


@pytest.fixture(scope="module")
def label_run(label_files, tmp_path_factory):
    out = tmp_path_factory.mktemp("run") / "out"
    done = headless(
        label_files / "scene.bmp",
        "--labels",
        label_files / "scene.png",
        "--label-degrade",
        "hard",
        "--scale",
        SCALE,
        "--methods",
        "nearest,bilinear,jbu",
        "--out",
        out,
    )
    assert done.returncode == 0, done.stderr
    return out


def test_label_run_writes_labels_in_the_inputs_convention(label_run, label_files):
    source = Image.open(label_files / "scene.png")
    for name in ("labels", "nearest", "bilinear", "jbu"):
        written = Image.open(label_run / f"{name}.png")
        assert written.mode == "P" and written.size == (96, 64)
        assert written.getpalette() == source.getpalette()
    for name in ("overlay_jbu", "errors_jbu", "original", "sheet"):
        assert Image.open(label_run / f"{name}.png").mode == "RGB"
    truth = load_label_map(label_run / "labels.png").ids
    np.testing.assert_array_equal(truth, blocks_chart())


def test_label_metrics_rows_and_a_block_exact_nearest(label_run):
    document = json.loads((label_run / "metrics.json").read_text())
    assert document["kind"] == "labels" and document["degradation"] == "hard"
    assert document["labels"]["classes"] == [0, 1, 2] and document["labels"]["mode"] == "P"
    rows = {row["method"]: row for row in document["methods"]}
    nearest = rows["nearest"]
    assert nearest["pixel_acc"] == nearest["miou"] == nearest["boundary_iou"] == 1.0
    assert nearest["boundary_f"] == 1.0
    assert rows["bilinear"]["miou"] < 1.0
    predicted = load_label_map(label_run / "nearest.png").ids
    truth = blocks_chart()
    np.testing.assert_array_equal(predicted[truth != 255], truth[truth != 255])


def one_error(done, *words):
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2 and len(lines) == 1 and lines[0].startswith("error: "), lines
    for word in words:
        assert word in lines[0]


def test_bad_label_inputs_are_one_line_each(label_files, tmp_path, small_image):
    image = label_files / "scene.bmp"
    Image.new("RGB", (96, 64)).save(tmp_path / "rgb.png")
    Image.new("L", (95, 64)).save(tmp_path / "small.png")
    out = tmp_path / "out"
    one_error(headless(image, "--labels", tmp_path / "rgb.png", "--out", out), "rgb.png", "colours")
    one_error(headless(image, "--labels", tmp_path / "small.png", "--out", out), "95x64")
    one_error(headless(small_image, "--methods", "jbu", "--out", out), "--methods", "guide")
    one_error(
        headless(image, "--labels", label_files / "scene.png", "--protocol", "sr", "--out", out),
        "--protocol",
    )
    assert not out.exists()


def test_guided_methods_are_left_out_of_a_photo_run_with_a_note(small_image, tmp_path):
    done = headless(small_image, "--methods", "nearest", "--out", tmp_path / "o")
    assert done.returncode == 0
    done = headless(small_image, "--steps", 0, "--out", tmp_path / "all")
    assert done.returncode == 0, done.stderr
    assert "jbu, jbu_learned, sapa left out" in done.stderr
    methods = [
        r["method"] for r in json.loads((tmp_path / "all/metrics.json").read_text())["methods"]
    ]
    assert "jbu" not in methods and "bilinear" in methods


def test_a_feature_map_with_a_guide_runs_the_guided_methods(tmp_path, photo):
    features = np.random.default_rng(0).normal(size=(6, 40, 60)).astype(np.float32)
    np.save(tmp_path / "map.npy", features)
    Image.fromarray(photo[:40, :60]).save(tmp_path / "guide.png")
    out = tmp_path / "out"
    done = headless(
        tmp_path / "map.npy",
        "--guide",
        tmp_path / "guide.png",
        "--methods",
        "bilinear,jbu",
        "--scale",
        2,
        "--out",
        out,
    )
    assert done.returncode == 0, done.stderr
    rows = json.loads((out / "metrics.json").read_text())["methods"]
    assert [r["error"] for r in rows] == [None, None]
    one_error(
        headless(tmp_path / "map.npy", "--guide", tmp_path / "map.npy", "--out", out), "map.npy"
    )


def test_folder_run_pairs_each_image_with_its_label_map(label_files, tmp_path):
    out = tmp_path / "out"
    done = headless(
        label_files,
        "--labels",
        label_files,
        "--scale",
        SCALE,
        "--methods",
        "nearest,jbu",
        "--no-images",
        "--out",
        out,
    )
    assert done.returncode == 0, done.stderr
    summary = json.loads((out / "summary.json").read_text())
    assert summary["images"] == 1 and summary["failed"] == []  # scene.png is a label map
    means = {row["method"]: row for row in summary["methods"]}
    assert means["nearest"]["miou"] == 1.0 and "boundary_iou" in means["jbu"]
