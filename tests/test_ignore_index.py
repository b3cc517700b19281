"""--ignore-index: the label value that means "no ground truth" (CamVid's 11, not 255) is left
out of every metric, of the class channels, of the views and is what written PNGs hold."""

import numpy as np
import pytest

from viewer.core.errors import InputError
from viewer.core.inputs.image_io import LoadedImage
from viewer.core.inputs.label_maps import LabelMap
from viewer.core.measure.label_metrics import score_labels
from viewer.core.run.rules import Companions, RunRequest
from viewer.core.run.session import prepare
from viewer.core.settings import Settings, option
from viewer.core.views.label_views import IGNORED, WRONG, error_map, truth_band

CAMVID_IGNORE = 11


def camvid_like() -> np.ndarray:
    """Three classes in blocks of 8, with a band of 11 (unlabelled) across the middle."""
    ids = np.kron(np.arange(12).reshape(3, 4) % 3, np.ones((8, 8), np.int32))
    ids[10:14] = CAMVID_IGNORE
    return ids


def wrong_where_ignored(truth: np.ndarray) -> np.ndarray:
    """A prediction right everywhere but on the ignore pixels, where it is a real class."""
    predicted = truth.copy()
    predicted[truth == CAMVID_IGNORE] = 2
    return predicted


def test_the_ignore_index_is_a_schema_option_default_255():
    assert option("ignore_index").default == 255 and Settings().ignore_index == 255
    assert option("ignore_index").parse("11") == CAMVID_IGNORE
    with pytest.raises(InputError):
        option("ignore_index").parse("-1")


def test_ignore_index_11_leaves_those_pixels_out_of_every_metric():
    truth = camvid_like()
    predicted = wrong_where_ignored(truth)
    scores = score_labels(truth, predicted, ignore=CAMVID_IGNORE)
    assert scores.pixel_acc == scores.miou == scores.boundary_iou == scores.boundary_f == 1.0
    # read with the default 255, 11 is a class the prediction misses entirely
    default = score_labels(truth, predicted)
    assert default.pixel_acc < 1 and default.miou < 1 and default.boundary_iou < 1
    assert default.boundary_f < 1


def test_the_views_treat_the_ignore_index_as_unscored():
    truth = camvid_like()
    predicted = wrong_where_ignored(truth)
    image = np.full((*truth.shape, 3), 128, np.uint8)
    picture = error_map(image, truth, predicted, ignore=CAMVID_IGNORE)
    assert (picture[truth == CAMVID_IGNORE] == IGNORED.astype(np.uint8)).all()
    assert not (picture == WRONG.astype(np.uint8)).all(axis=2).any()
    assert not truth_band(truth, CAMVID_IGNORE)[12].any()  # no band inside the ignore rows


def test_a_run_with_ignore_index_11_has_no_channel_for_it_and_writes_11_back():
    truth = camvid_like()
    labels = LabelMap("labels.png", truth, "L")
    image = LoadedImage("photo.png", np.zeros((*truth.shape, 3), np.uint8))
    settings = Settings(scale=2, ignore_index=CAMVID_IGNORE)
    prepared = prepare(image, Companions(labels=labels), RunRequest(settings, ("nearest",)))
    classes = prepared.inputs.classes
    assert classes.classes.tolist() == [0, 1, 2] and classes.truth.ignore == CAMVID_IGNORE
    no_evidence = np.zeros((*truth.shape, 3), np.float32)
    assert (classes.ids(no_evidence) == CAMVID_IGNORE).all()
    assert (classes.truth.colours()[CAMVID_IGNORE] == (224, 224, 192)).all()


def test_an_ignore_index_an_8_bit_map_cannot_hold_is_refused():
    labels = LabelMap("labels.png", camvid_like(), "L")
    with pytest.raises(InputError) as refused:
        labels.with_ignore(300)
    assert refused.value.what == "--ignore-index"
    assert labels.with_ignore(CAMVID_IGNORE).classes().tolist() == [0, 1, 2]
