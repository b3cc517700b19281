"""Difference maps between a result and the original, on a scale shared by every method."""

from __future__ import annotations

from collections.abc import Iterable

import cv2
import numpy as np

LUMA = np.array([0.299, 0.587, 0.114], np.float32)


def abs_difference(image: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """Per-pixel mean absolute difference over channels (float32, 0..255)."""
    diff = np.abs(image.astype(np.float32) - reference.astype(np.float32))
    return diff.mean(axis=2)


def shared_scale(maps: Iterable[np.ndarray]) -> float:
    """The largest value over all maps (at least 1, so an all-zero map stays black)."""
    return max([1.0, *(float(m.max()) for m in maps)])


def colorize(values: np.ndarray, scale: float) -> np.ndarray:
    """Magma RGB uint8 of `values` mapped from [0, scale]."""
    levels = np.clip(values / scale * 255.0, 0, 255).astype(np.uint8)
    return cv2.applyColorMap(levels, cv2.COLORMAP_MAGMA)[:, :, ::-1].copy()


CHANNELS = ("luma", "red", "green", "blue")


class Difference:
    """Signed difference of a result to the original, ready for every heatmap view.

    Computed once per result (off the GUI thread); each channel is then a view, and the
    absolute map needs no second array because the colour table folds around zero. Luma is
    kept as float16 (steps of 1/8 at 255: finer than any colour table shows).
    """

    def __init__(self, image: np.ndarray, reference: np.ndarray) -> None:
        self.signed = image.astype(np.int16) - reference.astype(np.int16)
        self.luma = (self.signed @ LUMA).astype(np.float16)
        self.peaks = {"luma": float(np.abs(self.luma).max(initial=0))}
        for index, name in enumerate(CHANNELS[1:]):
            self.peaks[name] = float(np.abs(self.signed[..., index]).max(initial=0))

    def channel(self, name: str) -> np.ndarray:
        if name == "luma":
            return self.luma
        return self.signed[..., CHANNELS.index(name) - 1]
