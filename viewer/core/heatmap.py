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
