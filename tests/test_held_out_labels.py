"""Held-out training for label maps (--train-on IMAGES --train-labels LABELS): learned methods,
guided ones too, train once on the training pairs and are judged on every test image
unchanged, with one set of class channels for the whole data set."""

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.test_cli import headless
from viewer.core.errors import InputError
from viewer.core.inputs.image_io import LoadedImage
from viewer.core.inputs.label_maps import LabelMap
from viewer.core.run.folder_session import FolderSession
from viewer.core.run.rules import Companions, RunRequest
from viewer.core.run.session import prepare
from viewer.core.settings import Settings

IGNORE = 11  # CamVid's
SCALE = 4
STEPS = 3
LEARNED = ("resize_conv", "jbu_learned")  # one plain, one guided


def scene(seed: int, classes: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
    """A 48 x 64 photo whose colour follows its labels (blocks of `classes`, an ignore band)."""
    rng = np.random.default_rng(seed)
    small = rng.choice(classes, size=(6, 8)).astype(np.uint8)
    ids = np.kron(small, np.ones((8, 8), np.uint8))
    ids[20:24] = IGNORE
    wide = ids.astype(np.int32)
    photo = np.stack([wide * 20, 255 - wide * 15, wide * 7], axis=-1).astype(np.uint8)
    return photo, ids


def data_set(folder: Path, count: int, classes: tuple[int, ...], seed: int) -> Path:
    (folder / "images").mkdir(parents=True)
    (folder / "labels").mkdir()
    for index in range(count):
        photo, ids = scene(seed + index, classes)
        Image.fromarray(photo).save(folder / "images" / f"f{index}.png")
        Image.fromarray(ids).save(folder / "labels" / f"f{index}.png")  # grey, as CamVid
    return folder


@pytest.fixture(scope="module")
def folders(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("held_out")
    return data_set(root / "train", 3, (0, 1, 2), 0), data_set(root / "val", 2, (0, 1, 3), 10)


def held_out(train: Path, **options) -> Settings:
    return Settings(
        scale=SCALE,
        steps=STEPS,
        ignore_index=IGNORE,
        train_on=str(train / "images"),
        train_labels=str(train / "labels"),
        **options,
    )


def test_learned_methods_train_once_and_judge_every_test_image_unchanged(folders):
    train, val = folders
    request = RunRequest(held_out(train), ("bilinear", *LEARNED))
    session = FolderSession(val / "images", val / "labels", request)
    runs = [done for _, done in session.images()]
    assert [run.reason for run in runs] == [None, None]
    first, second = ({r.method: r for r in run.report.results} for run in runs)
    for method in LEARNED:
        assert first[method].error is None and second[method].error is None
        assert len(first[method].losses) == STEPS  # trained on the first image's run ...
        assert second[method].losses == ()  # ... and the same operator judged on the next
    assert set(session.trained) == set(LEARNED)
    # the channels: training classes 0-2 and test classes 0, 1, 3 together, 11 not a class
    for run in runs:
        assert run.prepared.inputs.classes.classes.tolist() == [0, 1, 2, 3]
        assert len(run.prepared.train_pairs) == 3
        low, target, guide = run.prepared.train_pairs[0]
        assert low.shape == (12, 16, 4) and target.dtype == np.uint8 and guide.shape[2] == 3
    assert runs[0].prepared.training == {
        "on": str(train / "images"),
        "images": 3,
        "labels": str(train / "labels"),
    }


def test_classes_n_fixes_the_channels_and_refuses_a_class_over_it(folders):
    train, _ = folders
    photo, ids = scene(10, (0, 1, 3))
    image, labels = LoadedImage("f.png", photo), LabelMap("f.png", ids.astype(np.int32), "L")
    request = RunRequest(held_out(train, classes=5), ("nearest",))
    prepared = prepare(image, Companions(labels=labels), request)
    assert prepared.inputs.classes.classes.tolist() == [0, 1, 2, 3, 4]
    with pytest.raises(InputError) as refused:
        prepare(image, Companions(labels=labels), RunRequest(held_out(train, classes=3), ()))
    assert refused.value.what == "--classes"


def test_train_on_and_train_labels_go_together_for_label_runs(folders):
    train, _ = folders
    photo, ids = scene(10, (0, 1, 3))
    image, labels = LoadedImage("f.png", photo), LabelMap("f.png", ids.astype(np.int32), "L")
    alone = Settings(scale=SCALE, train_on=str(train / "images"))
    with pytest.raises(InputError, match="--train-labels"):
        prepare(image, Companions(labels=labels), RunRequest(alone, ("nearest",)))
    without_images = Settings(scale=SCALE, train_labels=str(train / "labels"))
    with pytest.raises(InputError) as refused:
        prepare(image, Companions(labels=labels), RunRequest(without_images, ("nearest",)))
    assert refused.value.what == "--train-labels"
    with pytest.raises(InputError) as photo_run:
        prepare(image, Companions(), RunRequest(held_out(train), ("nearest",)))
    assert photo_run.value.what == "--train-labels"


def test_a_held_out_folder_run_reports_training_once_with_its_labels(folders, tmp_path):
    train, val = folders
    out = tmp_path / "out"
    done = headless(
        val / "images",
        "--labels",
        val / "labels",
        "--train-on",
        train / "images",
        "--train-labels",
        train / "labels",
        "--ignore-index",
        IGNORE,
        "--scale",
        SCALE,
        "--steps",
        STEPS,
        "--methods",
        "nearest,resize_conv",
        "--no-images",
        "--out",
        out,
    )
    assert done.returncode == 0, done.stderr
    summary = json.loads((out / "summary.json").read_text())
    assert summary["images"] == 2 and summary["failed"] == []
    training = summary["training"]
    assert training["once"] is True and training["labels"] == str(train / "labels")
    assert training["images"] == 3
    means = {row["method"]: row for row in summary["methods"]}
    assert 0 < means["resize_conv"]["miou"] <= 1
    document = json.loads((out / "f0" / "metrics.json").read_text())
    assert document["labels"]["ignore"] == IGNORE and document["labels"]["classes"] == [0, 1, 2, 3]
