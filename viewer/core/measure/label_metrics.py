"""How segmentation papers judge a predicted label map, above all at object boundaries.

Pixels whose ground truth is IGNORE (255) count nowhere. Definitions (also in the README):

- pixel_acc: the fraction of pixels whose predicted class is the true one.
- miou: per class, |P ∩ G| / |P ∪ G|, averaged over the classes present in the ground truth
  or the prediction.
- boundary_iou (Cheng et al. 2021): per class, the band `mask & ~erode(mask)` (3x3 kernel,
  d = max(1, round(0.02 x diagonal)) iterations, the mask zero-padded by one pixel first, as
  their code does), IoU of the true and predicted bands, averaged over the classes present
  in either.
- boundary_f: one-pixel boundaries (a pixel whose label differs from its right, lower or
  lower-right neighbour, as BSDS's seg2bmap), a boundary pixel matched when the other map has
  one within 0.0075 x diagonal (Euclidean); precision, recall and their harmonic mean. Each
  pixel is matched on its own (a distance transform), not one-to-one as BSDS's
  correspondPixels does, so a doubled edge is not penalised twice.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from viewer.core.inputs.label_maps import IGNORE

BAND_FRACTION = 0.02
TOLERANCE_FRACTION = 0.0075


@dataclass(frozen=True)
class LabelScores:
    pixel_acc: float
    miou: float
    boundary_iou: float
    boundary_f: float


def diagonal(shape: tuple[int, ...]) -> float:
    return math.hypot(shape[0], shape[1])


def score_labels(truth: np.ndarray, predicted: np.ndarray) -> LabelScores:
    """Every label metric of `predicted` against `truth` (both H x W class ids)."""
    return LabelScores(
        pixel_acc=pixel_accuracy(truth, predicted),
        miou=mean_iou(truth, predicted),
        boundary_iou=boundary_iou(truth, predicted),
        boundary_f=boundary_f(truth, predicted),
    )


def pixel_accuracy(truth: np.ndarray, predicted: np.ndarray) -> float:
    valid = truth != IGNORE
    count = int(np.count_nonzero(valid))
    return float(np.count_nonzero((truth == predicted) & valid) / count) if count else math.nan


def present_classes(truth: np.ndarray, predicted: np.ndarray) -> np.ndarray:
    """Classes of the ground truth or of the prediction on labelled pixels."""
    valid = truth != IGNORE
    found = np.union1d(np.unique(truth[valid]), np.unique(predicted[valid]))
    return found[found != IGNORE]


def mean_iou(truth: np.ndarray, predicted: np.ndarray) -> float:
    valid = truth != IGNORE
    ious = []
    for class_id in present_classes(truth, predicted):
        true_mask, predicted_mask = (truth == class_id) & valid, (predicted == class_id) & valid
        union = np.count_nonzero(true_mask | predicted_mask)
        ious.append(np.count_nonzero(true_mask & predicted_mask) / union)
    return float(np.mean(ious)) if ious else math.nan


def band_width(shape: tuple[int, ...]) -> int:
    """Boundary IoU's d: 2 % of the image diagonal, at least one pixel."""
    return max(1, round(BAND_FRACTION * diagonal(shape)))


def boundary_band(mask: np.ndarray, width: int) -> np.ndarray:
    """The pixels of `mask` within `width` (chessboard) pixels of its edge or the image's."""
    padded = cv2.copyMakeBorder(mask.astype(np.uint8), 1, 1, 1, 1, cv2.BORDER_CONSTANT, value=0)
    eroded = cv2.erode(padded, np.ones((3, 3), np.uint8), iterations=width)[1:-1, 1:-1]
    return mask & (eroded == 0)


def boundary_iou(truth: np.ndarray, predicted: np.ndarray) -> float:
    valid = truth != IGNORE
    width = band_width(truth.shape)
    ious = []
    for class_id in present_classes(truth, predicted):
        true_band = boundary_band(truth == class_id, width) & valid
        predicted_band = boundary_band(predicted == class_id, width) & valid
        union = np.count_nonzero(true_band | predicted_band)
        if union:
            ious.append(np.count_nonzero(true_band & predicted_band) / union)
    return float(np.mean(ious)) if ious else math.nan


def class_boundaries(ids: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """seg2bmap's thin boundaries: labelled pixels whose label differs from the labelled
    right, lower or lower-right neighbour."""
    edges = np.zeros(ids.shape, bool)
    for dy, dx in ((0, 1), (1, 0), (1, 1)):
        here = (slice(0, ids.shape[0] - dy), slice(0, ids.shape[1] - dx))
        there = (slice(dy, None), slice(dx, None))
        differs = (ids[here] != ids[there]) & valid[here] & valid[there]
        edges[here] |= differs
    return edges


def matched(edges: np.ndarray, other: np.ndarray, tolerance: float) -> int:
    """How many pixels of `edges` have a pixel of `other` within `tolerance`."""
    if not other.any():
        return 0
    distance = cv2.distanceTransform((~other).astype(np.uint8), cv2.DIST_L2, cv2.DIST_MASK_PRECISE)
    return int(np.count_nonzero(edges & (distance <= tolerance)))


def boundary_f(truth: np.ndarray, predicted: np.ndarray) -> float:
    valid = truth != IGNORE
    true_edges, predicted_edges = class_boundaries(truth, valid), class_boundaries(predicted, valid)
    true_count, predicted_count = int(true_edges.sum()), int(predicted_edges.sum())
    if true_count == 0 and predicted_count == 0:
        return 1.0
    if true_count == 0 or predicted_count == 0:
        return 0.0
    tolerance = TOLERANCE_FRACTION * diagonal(truth.shape)
    precision = matched(predicted_edges, true_edges, tolerance) / predicted_count
    recall = matched(true_edges, predicted_edges, tolerance) / true_count
    return 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)
