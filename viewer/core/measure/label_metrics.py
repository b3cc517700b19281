"""How segmentation papers judge a predicted label map, above all at object boundaries.

Pixels whose ground truth is the ignore value (`ignore`: 255 unless the run says otherwise,
11 for CamVid) count nowhere. Definitions (also in the README):

- pixel_acc: the fraction of pixels whose predicted class is the true one.
- miou: per class, |P ∩ G| / |P ∪ G|, averaged over the classes present in the ground truth
  or the prediction.
- boundary_iou (Cheng et al. 2021): per class, the band `mask & ~erode(mask)` (3x3 kernel,
  d = max(1, round(0.02 x diagonal)) iterations, the mask zero-padded by one pixel first, as
  their code does), IoU of the true and predicted bands, averaged over the classes present
  in either; the prediction is cut where the truth is ignore, so it has the same edges there.
- boundary_f: the BSDS500 benchmark's boundary F-measure (`evaluation_bdry_image.m`):
  seg2bmap boundaries of both maps (a pixel whose label differs from its right, lower or
  lower-right neighbour), thinned to one pixel (`bwmorph thin`), predicted and true boundary
  pixels matched one-to-one within 0.0075 x diagonal (`correspondPixels`: a true pixel is
  matched at most once, so a doubled edge is penalised); P = matched / predicted,
  R = matched / true, F = 2PR / (P + R).
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


def score_labels(truth: np.ndarray, predicted: np.ndarray, ignore: int = IGNORE) -> LabelScores:
    """Every label metric of `predicted` against `truth` (both H x W class ids)."""
    return LabelScores(
        pixel_acc=pixel_accuracy(truth, predicted, ignore),
        miou=mean_iou(truth, predicted, ignore),
        boundary_iou=boundary_iou(truth, predicted, ignore),
        boundary_f=boundary_f(truth, predicted, ignore),
    )


def pixel_accuracy(truth: np.ndarray, predicted: np.ndarray, ignore: int = IGNORE) -> float:
    valid = truth != ignore
    count = int(np.count_nonzero(valid))
    return float(np.count_nonzero((truth == predicted) & valid) / count) if count else math.nan


def present_classes(truth: np.ndarray, predicted: np.ndarray, ignore: int = IGNORE) -> np.ndarray:
    """Classes of the ground truth or of the prediction on labelled pixels."""
    valid = truth != ignore
    found = np.union1d(np.unique(truth[valid]), np.unique(predicted[valid]))
    return found[found != ignore]


def mean_iou(truth: np.ndarray, predicted: np.ndarray, ignore: int = IGNORE) -> float:
    valid = truth != ignore
    ious = []
    for class_id in present_classes(truth, predicted, ignore):
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


def boundary_iou(truth: np.ndarray, predicted: np.ndarray, ignore: int = IGNORE) -> float:
    valid = truth != ignore
    # the prediction stops where the truth does: what it says on ignore pixels counts nowhere
    predicted = np.where(valid, predicted, ignore)
    width = band_width(truth.shape)
    ious = []
    for class_id in present_classes(truth, predicted, ignore):
        true_band = boundary_band(truth == class_id, width) & valid
        predicted_band = boundary_band(predicted == class_id, width) & valid
        union = np.count_nonzero(true_band | predicted_band)
        if union:
            ious.append(np.count_nonzero(true_band & predicted_band) / union)
    return float(np.mean(ious)) if ious else math.nan


def class_boundaries(ids: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """seg2bmap's boundaries: labelled pixels whose label differs from the labelled
    right, lower or lower-right neighbour."""
    edges = np.zeros(ids.shape, bool)
    for dy, dx in ((0, 1), (1, 0), (1, 1)):
        here = (slice(0, ids.shape[0] - dy), slice(0, ids.shape[1] - dx))
        there = (slice(dy, None), slice(dx, None))
        differs = (ids[here] != ids[there]) & valid[here] & valid[there]
        edges[here] |= differs
    return edges


def thin_boundaries(ids: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """The benchmark's boundary map: seg2bmap, then `bwmorph(bmap, 'thin', Inf)`."""
    from skimage.morphology import thin  # 0.4 s to import: only when labels are scored

    return thin(class_boundaries(ids, valid))


def matched_pairs(first: np.ndarray, second: np.ndarray, radius: float) -> int:
    """The most pixels of `first` that can be paired one-to-one with distinct pixels of
    `second` within `radius` (Euclidean, inclusive, as correspondPixels): a maximum bipartite
    matching over the pairs in reach. The benchmark's min-cost assignment, whose outliers
    cost 100 x radius, maximises the same count.

    The matching is a unit-capacity maximum flow (source -> `first` -> `second` -> sink, by
    Dinic's algorithm). scipy's `maximum_bipartite_matching` is not used: its Hopcroft-Karp
    never marks dead ends, so the staircase boundaries of an upsampled map (nearest x2 of a
    BSDS map) took 200 s there, holding the GIL and so freezing the window, against 15 ms
    here (scipy issue 26147)."""
    from scipy.sparse import csr_array
    from scipy.sparse.csgraph import maximum_flow
    from scipy.spatial import cKDTree

    first_points, second_points = np.argwhere(first), np.argwhere(second)
    # a k-d tree finds the pairs in reach: 0.06 s for 30,000 pixels at 3 MP
    pairs = cKDTree(first_points).sparse_distance_matrix(
        cKDTree(second_points), radius, output_type="ndarray"
    )
    if len(pairs) == 0:
        return 0
    n_first, n_second = len(first_points), len(second_points)
    source, sink = n_first + n_second, n_first + n_second + 1
    tails = np.concatenate([np.full(n_first, source), pairs["i"], n_first + np.arange(n_second)])
    heads = np.concatenate([np.arange(n_first), n_first + pairs["j"], np.full(n_second, sink)])
    graph = csr_array((np.ones(len(tails), np.int32), (tails, heads)), shape=(sink + 1, sink + 1))
    return int(maximum_flow(graph, source, sink, method="dinic").flow_value)


def boundary_counts(
    truth: np.ndarray, predicted: np.ndarray, ignore: int = IGNORE
) -> tuple[int, int, int]:
    """(matched, predicted, true) boundary pixels, as the benchmark counts them:
    P = matched / predicted, R = matched / true."""
    valid = truth != ignore
    true_edges, predicted_edges = thin_boundaries(truth, valid), thin_boundaries(predicted, valid)
    true_count, predicted_count = int(true_edges.sum()), int(predicted_edges.sum())
    if true_count == 0 or predicted_count == 0:
        return 0, predicted_count, true_count
    radius = TOLERANCE_FRACTION * diagonal(truth.shape)
    return matched_pairs(predicted_edges, true_edges, radius), predicted_count, true_count


def boundary_f(truth: np.ndarray, predicted: np.ndarray, ignore: int = IGNORE) -> float:
    """F = 2PR / (P + R); 1 when neither map has a boundary."""
    count, predicted_count, true_count = boundary_counts(truth, predicted, ignore)
    if predicted_count == 0 and true_count == 0:
        return 1.0
    # 2PR / (P + R) with P = m / p and R = m / t is 2m / (p + t); 0 when nothing matched
    return 2 * count / (predicted_count + true_count)
