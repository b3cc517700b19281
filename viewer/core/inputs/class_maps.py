"""What a segmentation decoder upsamples: a label map as K class channels at 1/r, and back.

Channel k holds class `classes[k]`, 255 meaning "certainly this class" (the engine's 0..255
scale, so every method, metric and training recipe applies unchanged). The prediction is the
argmax over the channels; a pixel with no evidence for any class (every channel 0, as where
the ground truth is "ignore") is the label map's ignore value.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from viewer.core.errors import InputError
from viewer.core.inputs.label_maps import LabelMap
from viewer.core.settings import LABEL_DEGRADATIONS

MAX_CLASSES = 1024
FULL = 255.0


@dataclass(frozen=True)
class ClassMaps:
    """The ground truth (cropped to a multiple of r) and which id each channel stands for."""

    truth: LabelMap
    classes: np.ndarray
    degradation: str

    def ids(self, values: np.ndarray) -> np.ndarray:
        """Class ids of H x W x K scores: the argmax, the ignore value where every score is 0."""
        best = np.argmax(values, axis=2)
        ids = self.classes[best].astype(np.int32)
        ids[~np.any(values != 0, axis=2)] = self.truth.ignore
        return ids

    def rgb(self, values: np.ndarray) -> np.ndarray:
        return self.colour(self.ids(values))

    def colour(self, ids: np.ndarray) -> np.ndarray:
        """Class ids in the label map's colours."""
        return self.truth.colours()[ids]


def class_channels(labels: LabelMap) -> np.ndarray:
    """The ids to give a channel each: those present, ignore excluded."""
    classes = labels.classes()
    if len(classes) == 0:
        raise InputError(
            labels.name, f"every pixel is 'ignore' ({labels.ignore}): nothing to upsample"
        )
    if len(classes) > MAX_CLASSES:
        raise InputError(labels.name, f"{len(classes)} classes is over the limit {MAX_CLASSES}")
    return classes


def one_hot(ids: np.ndarray, classes: np.ndarray) -> np.ndarray:
    """H x W x K float32: 255 in the channel of each pixel's class, 0 elsewhere (all 0 where
    the pixel is ignore)."""
    maps = np.zeros((*ids.shape, len(classes)), np.float32)
    for channel, class_id in enumerate(classes):
        maps[..., channel][ids == class_id] = FULL
    return maps


def block_fractions(ids: np.ndarray, classes: np.ndarray, scale: int) -> np.ndarray:
    """`soft`: each class's share of every r x r block, times 255 (ignore pixels count for
    no class, so a block's shares then add up to less)."""
    height, width = ids.shape[0] // scale, ids.shape[1] // scale
    maps = np.empty((height, width, len(classes)), np.float32)
    blocks = ids.reshape(height, scale, width, scale)
    for channel, class_id in enumerate(classes):
        counts = (blocks == class_id).sum(axis=(1, 3), dtype=np.int32)
        maps[..., channel] = counts * (FULL / scale**2)
    return maps


def block_samples(ids: np.ndarray, classes: np.ndarray, scale: int) -> np.ndarray:
    """`hard`: the one-hot of the pixel at (r//2, r//2) of every r x r block."""
    offset = scale // 2
    return one_hot(ids[offset::scale, offset::scale], classes)


def class_inputs(
    labels: LabelMap, scale: int, kind: str, classes: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(original, low-res): the full-resolution one-hot target and the decoder's input, a
    channel for each of `classes` (default: those of the map)."""
    if kind not in LABEL_DEGRADATIONS:
        raise ValueError(f"label degradation must be soft or hard, not {kind}")
    classes = class_channels(labels) if classes is None else classes
    low = block_fractions if kind == "soft" else block_samples
    return one_hot(labels.ids, classes), low(labels.ids, classes, scale)
