"""The run session: one set of rules from what the user opened to a prepared run, for the
command line, folder runs and the window alike; and one way to tell a run's progress."""

import argparse
import threading

import numpy as np
import pytest
from PIL import Image

from viewer.cli import load_companions
from viewer.core.errors import InputError
from viewer.core.inputs.added_result import add_result
from viewer.core.inputs.image_io import LoadedImage
from viewer.core.inputs.label_maps import LabelMap
from viewer.core.method import GUIDE_MISSING
from viewer.core.run import progress as told
from viewer.core.run.folder_session import FolderSession
from viewer.core.run.results import Progress
from viewer.core.run.rules import Companions, RunRequest, choose_methods
from viewer.core.run.session import TrainingPairs, TrainingSetError, prepare
from viewer.core.settings import Settings

GUIDED = ("jbu", "jbu_learned", "sapa")
WHY = GUIDE_MISSING


@pytest.fixture
def image(photo) -> LoadedImage:
    return LoadedImage(name="photo.png", pixels=photo[:64, :72])


@pytest.fixture
def labels() -> LabelMap:
    ids = np.kron(np.arange(12, dtype=np.uint8).reshape(3, 4) % 3, np.ones((8, 8), np.uint8))
    return LabelMap("labels.png", np.pad(ids, ((0, 40), (0, 40))), "L", None)


def request(*methods: str, **options) -> RunRequest:
    return RunRequest(Settings(scale=2, steps=1), methods, **options)


def test_methods_that_cannot_run_are_left_out_with_why_or_refused_when_named():
    choice = choose_methods(["nearest", "jbu", "bilinear", "sapa"], has_guide=False)
    assert choice.run == ("nearest", "bilinear")
    assert choice.left_out == {"jbu": WHY, "sapa": WHY}
    assert choice.notes == (f"jbu, sapa left out: each {WHY}",)
    with pytest.raises(InputError) as refused:
        choice.refuse_left_out()
    assert (refused.value.what, refused.value.why) == ("--methods", f"jbu, sapa: {WHY}")
    with_guide = choose_methods(["nearest", "jbu"], has_guide=True)
    assert with_guide.run == ("nearest", "jbu") and with_guide.notes == ()
    with_guide.refuse_left_out()  # nothing left out: nothing to refuse


def test_a_photo_runs_without_the_guided_methods_and_says_why(image):
    prepared = prepare(image, Companions(), request("nearest", *GUIDED, "bicubic"))
    assert prepared.methods == ("nearest", "bicubic")
    assert prepared.notes == (f"{', '.join(GUIDED)} left out: each {WHY}",)
    assert prepared.inputs.original.shape == (64, 72, 3) and prepared.train_pairs == []
    assert prepared.training["images"] == 1
    with pytest.raises(InputError, match="--methods: jbu: needs a full-resolution guide"):
        prepare(image, Companions(), request("nearest", "jbu", named=True))


def test_a_label_map_is_its_images_labels_and_the_image_guides(image, labels):
    prepared = prepare(image, Companions(labels=labels), request("nearest", "jbu"))
    assert prepared.methods == ("nearest", "jbu") and prepared.notes == ()
    assert prepared.inputs.classes is not None and prepared.inputs.guide is not None
    assert prepared.companions.labels is labels


def test_labels_and_a_guide_together_are_one_message_on_the_command_line_and_in_the_window(
    image, labels
):
    args = argparse.Namespace(labels="labels.png", guide="guide.png", max_pixels=10**6)
    with pytest.raises(InputError) as command_line:
        load_companions(args)  # refused before either file is read
    with pytest.raises(InputError) as window:
        prepare(image, Companions(labels=labels, guide=image), request("nearest"))
    assert str(command_line.value) == str(window.value)
    assert (
        str(window.value) == "--guide: a label run's guide is its image: give --labels or --guide"
    )


def test_an_added_result_runs_last_and_one_that_does_not_fit_is_refused_up_front(
    image, tmp_path, photo
):
    Image.fromarray(photo[:64, :72]).save(tmp_path / "mine.png")
    Image.fromarray(photo[:30, :72]).save(tmp_path / "half.png")
    mine = add_result("Session mine", tmp_path / "mine.png")
    prepared = prepare(image, Companions(), request("nearest", added=(mine,)))
    assert prepared.methods == ("nearest", mine)
    half = add_result("Session half", tmp_path / "half.png")
    with pytest.raises(InputError, match=r"half\.png: is 72x30; the original is 72x64"):
        prepare(image, Companions(), request("nearest", added=(half,)))


def test_a_training_set_is_read_once_for_every_run_that_shares_it(image, tmp_path, coffee):
    Image.fromarray(coffee).save(tmp_path / "train.png")
    settings = Settings(scale=2, train_on=str(tmp_path / "train.png"))
    pairs = TrainingPairs(settings)
    asked = RunRequest(settings, ("nearest",))
    first = prepare(image, Companions(), asked, pairs)
    second = prepare(image, Companions(), asked, pairs)
    assert len(first.train_pairs) == 1 and first.train_pairs is second.train_pairs
    assert first.training == {"on": str(tmp_path / "train.png"), "images": 1}
    gone = RunRequest(Settings(scale=2, train_on=str(tmp_path / "gone")), ("nearest",))
    with pytest.raises(TrainingSetError, match="no such file: nothing to train on"):
        prepare(image, Companions(), gone)


def test_a_folder_session_refuses_up_front_what_every_image_would_fail(tmp_path, photo):
    Image.fromarray(photo).save(tmp_path / "a.png")
    with pytest.raises(InputError) as not_a_folder:
        FolderSession(tmp_path, tmp_path / "a.png", request("nearest"))
    assert str(not_a_folder.value) == (
        f"--labels {tmp_path / 'a.png'}: a folder run needs a folder of labels"
    )
    with pytest.raises(InputError, match="--methods: jbu: needs a full-resolution guide"):
        FolderSession(tmp_path, None, request("nearest", "jbu", named=True))
    (tmp_path / "labels").mkdir()
    trained = RunRequest(Settings(train_on=str(tmp_path / "a.png")), ("nearest",))
    with pytest.raises(InputError, match="--train-on: a label run trains on label maps"):
        FolderSession(tmp_path, tmp_path / "labels", trained)  # every image would refuse it
    session = FolderSession(tmp_path, None, request("nearest", "jbu"))
    assert session.methods == ("nearest",) and session.notes == (f"jbu left out: each {WHY}",)
    assert session.files == [tmp_path / "a.png"]
    labelled = FolderSession(tmp_path, tmp_path / "labels", request("nearest", "jbu"))
    assert labelled.methods == ("nearest", "jbu")  # the label runs' images are their guides


def test_a_folder_session_runs_each_image_and_skips_what_cannot_run(tmp_path, photo):
    Image.fromarray(photo).save(tmp_path / "a.png")
    (tmp_path / "b.png").write_bytes(b"\x89PNG truncated")
    Image.fromarray(photo[:1, :1]).save(tmp_path / "c.png")
    session = FolderSession(tmp_path, None, request("nearest"))
    seen = []
    done = list(session.images(on_progress=lambda i, p: seen.append((i, p.method))))
    assert [index for index, _ in done] == [0, 1, 2]
    (_, a), (_, b), (_, c) = done
    assert a.image.name.endswith("a.png") and [r.method for r in a.report.results] == ["nearest"]
    assert a.report.results[0].output is None  # a folder keeps only what it shows
    assert b.report is None and b.reason == "not a readable image (unknown format or corrupt)"
    assert c.report is None and "smaller than" in c.reason
    assert seen == [(0, "nearest")]
    cancel = threading.Event()
    cancel.set()
    assert list(session.images(cancel=cancel)) == []


def test_progress_is_told_in_one_place():
    training = Progress("conv_transpose", 2, 4, step=25, steps=100)
    plain = Progress("bilinear", 1, 4)
    assert told.run_status(training) == "Running Conv2DTranspose (article) (step 25/100)"
    assert told.run_status(plain) == "Running Bilinear"
    assert told.folder_status(1, 3, "b.png", training) == (
        "Image 2/3 b.png: Conv2DTranspose (article) (step 25/100)"
    )
    assert told.bar_postfix(training) == "conv_transpose step 25/100"
    assert told.bar_postfix(plain) == "bilinear"
    assert told.run_bar(training) == (2250, 4000) and told.run_bar(plain) == (1000, 4000)
    assert told.folder_bar(1, 2, training) == (1562, 2000)  # 1 + 2.25 / 4 images of 2
