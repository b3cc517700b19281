"""Image-quality numbers of an upsampled result against the original."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from skimage.metrics import structural_similarity

PEAK = 255.0
SSIM_WINDOW = 7


@dataclass(frozen=True)
class Metrics:
    """PSNR (dB, inf when identical), SSIM (nan when the image is under 3 px a side),
    mean and max absolute error of the uint8 result, and the fraction of float values that
    fell outside [0, 255] before clipping."""

    psnr: float
    ssim: float
    mae: float
    max_abs: float
    clipped: float


def to_uint8(output: np.ndarray) -> np.ndarray:
    """Clip to [0, 255] and round, as any viewer would before showing the result."""
    return np.rint(np.clip(output, 0, PEAK)).astype(np.uint8)


def psnr(reference: np.ndarray, image: np.ndarray) -> float:
    """PSNR with peak 255, computed on the uint8 values."""
    mse = np.mean((reference.astype(np.float64) - image.astype(np.float64)) ** 2)
    return math.inf if mse == 0 else float(10 * np.log10(PEAK**2 / mse))


def ssim(reference: np.ndarray, image: np.ndarray) -> float:
    """scikit-image SSIM over all channels; the window shrinks for images under 7 px a side."""
    side = min(reference.shape[:2])
    window = min(SSIM_WINDOW, side if side % 2 else side - 1)
    if window < 3:
        return math.nan
    return float(
        structural_similarity(reference, image, channel_axis=-1, data_range=PEAK, win_size=window)
    )


def clipped_fraction(output: np.ndarray) -> float:
    return float(np.count_nonzero((output < 0) | (output > PEAK)) / output.size)


def measure(reference: np.ndarray, output: np.ndarray, image: np.ndarray) -> Metrics:
    """Compare the uint8 `image` (and its float `output`) with the uint8 `reference`."""
    error = np.abs(image.astype(np.int16) - reference.astype(np.int16))
    return Metrics(
        psnr=psnr(reference, image),
        ssim=ssim(reference, image),
        mae=float(error.mean()),
        max_abs=float(error.max()),
        clipped=clipped_fraction(output),
    )
