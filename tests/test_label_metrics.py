"""Segmentation metrics against independent computations (a confusion matrix, scipy
morphology); boundary F has its own file, test_boundary_f.py."""

import math

import numpy as np
import pytest
from scipy import ndimage

from tests.test_label_maps import label_chart
from viewer.core.inputs.label_maps import IGNORE
from viewer.core.measure.label_metrics import (
    band_width,
    boundary_band,
    boundary_iou,
    mean_iou,
    pixel_accuracy,
    score_labels,
)


def shifted(ids, dy, dx):
    out = np.roll(ids, (dy, dx), axis=(0, 1))
    out[ids == IGNORE] = ids[ids == IGNORE]
    return out


@pytest.fixture(scope="module")
def pair():
    truth = label_chart(60, 80).astype(np.int32)
    predicted = shifted(truth, 2, -1)
    predicted[5:9, 5:9] = 3  # a class only the prediction has
    return truth, predicted


def confusion(truth, predicted, classes):
    valid = truth != IGNORE
    return np.array(
        [[np.sum((truth == a) & (predicted == b) & valid) for b in classes] for a in classes]
    )


def test_accuracy_and_miou_match_a_confusion_matrix(pair):
    truth, predicted = pair
    assert (predicted[truth != IGNORE] == IGNORE).any()  # predicting "ignore" is wrong too
    matrix = confusion(truth, predicted, [0, 1, 2, 3, IGNORE])
    assert pixel_accuracy(truth, predicted) == pytest.approx(np.trace(matrix) / matrix.sum())
    iou = np.diag(matrix) / (matrix.sum(0) + matrix.sum(1) - np.diag(matrix))
    assert mean_iou(truth, predicted) == pytest.approx(iou[:4].mean())


def reference_band(mask, d):
    padded = np.pad(mask, 1)
    eroded = ndimage.binary_erosion(padded, np.ones((3, 3)), iterations=d)[1:-1, 1:-1]
    return mask & ~eroded


def test_boundary_iou_matches_scipy_erosion(pair):
    truth, predicted = pair
    d = band_width(truth.shape)
    assert d == round(0.02 * math.hypot(60, 80)) == 2
    valid = truth != IGNORE
    ious = []
    for c in [0, 1, 2, 3]:
        a = reference_band(truth == c, d) & valid
        b = reference_band(predicted == c, d) & valid
        ious.append((a & b).sum() / (a | b).sum())
    assert boundary_iou(truth, predicted) == pytest.approx(np.mean(ious))


def test_band_of_a_square_is_its_ring():
    mask = np.zeros((20, 20), bool)
    mask[5:15, 5:15] = True
    assert boundary_band(mask, 1).sum() == 4 * 10 - 4
    assert boundary_band(mask, 2).sum() == 100 - 36
    corner = np.zeros((20, 20), bool)
    corner[:6, :6] = True  # the image border counts as an edge (zero padding)
    assert boundary_band(corner, 1).sum() == 4 * 6 - 4


def test_perfect_prediction_scores_one_and_ignore_counts_nowhere(pair):
    truth, _ = pair
    noisy = truth.copy()
    noisy[truth == IGNORE] = 7  # anything where there is no ground truth
    scores = score_labels(truth, noisy)
    assert scores.pixel_acc == scores.miou == scores.boundary_iou == scores.boundary_f == 1.0
