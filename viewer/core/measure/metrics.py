"""Image-quality numbers of an upsampled result against the original."""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from viewer.core.measure.ssim import GAUSSIAN_SIDE, mean_ssim, ssim_maps
from viewer.core.run.parallel import map_on_threads, run_together

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
    psnr_y: float | None = None  # the super-resolution protocol's (photos only)
    ssim_y: float | None = None
    pixel_acc: float | None = None  # label maps only (viewer.core.measure.label_metrics)
    miou: float | None = None
    boundary_iou: float | None = None
    boundary_f: float | None = None
    flip: float | None = None  # photos under --perceptual flip (viewer.core.measure.flip)


STRIP_VALUES = 1 << 21  # values per row strip: bounds temporary memory on huge images


def row_strips(shape: tuple[int, ...]):
    """(top, bottom) row ranges of about STRIP_VALUES values each."""
    per_row = max(1, int(np.prod(shape[1:])))
    rows = max(1, STRIP_VALUES // per_row)
    for top in range(0, shape[0], rows):
        yield top, min(top + rows, shape[0])


def to_uint8(output: np.ndarray) -> np.ndarray:
    """Clip to [0, 255] and round, as any viewer would before showing the result."""
    result = np.empty(output.shape, np.uint8)
    for top, bottom in row_strips(output.shape):
        chunk = np.clip(output[top:bottom], 0, PEAK)
        result[top:bottom] = np.rint(chunk, out=chunk)
    return result


def psnr(reference: np.ndarray, image: np.ndarray) -> float:
    """PSNR with peak 255, computed on the uint8 values."""
    return _psnr(_error_sums(reference, image)[1] / reference.size)


def _psnr(mse: float) -> float:
    return math.inf if mse == 0 else float(10 * np.log10(PEAK**2 / mse))


def _error_sums(reference: np.ndarray, image: np.ndarray) -> tuple[int, int, int]:
    """Sum of absolute and of squared errors, and the largest error: one pass of strips."""
    absolute, squared, largest = 0, 0, 0
    for top, bottom in row_strips(reference.shape):
        error = np.abs(image[top:bottom].astype(np.int32) - reference[top:bottom])
        absolute += int(error.sum(dtype=np.int64))
        squared += int(np.square(error).sum(dtype=np.int64))
        largest = max(largest, int(error.max(initial=0)))
    return absolute, squared, largest


def ssim(reference: np.ndarray, image: np.ndarray) -> float:
    """scikit-image's SSIM (its window and constants; viewer.core.measure.ssim computes it 5-10x
    faster) over all channels; the window shrinks for images under 7 px a side.

    Large images go through in row strips that overlap by the window's half-width (two at a
    time): the mean of the strips' interiors is exactly the mean over the whole interior.
    """
    side = min(reference.shape[:2])
    window = min(SSIM_WINDOW, side if side % 2 else side - 1)
    if window < 3:
        return math.nan
    pad = (window - 1) // 2
    height, width = reference.shape[:2]

    def strip_sum(strip: tuple[int, int]) -> tuple[float, int]:
        top, bottom = strip
        rows = slice(top, bottom + 2 * pad)
        maps = ssim_maps(reference[rows], image[rows], PEAK, window)
        interior = maps[pad : pad + bottom - top, pad : width - pad]
        return float(interior.sum(dtype=np.float64)), interior.size

    # OpenCV and numpy release the GIL: strips on two threads take about half the time.
    strips = list(row_strips((height - 2 * pad, *reference.shape[1:])))
    sums = map_on_threads(strip_sum, strips)
    return sum(total for total, _ in sums) / sum(count for _, count in sums)


def clipped_fraction(output: np.ndarray) -> float:
    outside = sum(
        int(np.count_nonzero((output[top:bottom] < 0) | (output[top:bottom] > PEAK)))
        for top, bottom in row_strips(output.shape)
    )
    return outside / output.size


def measure_features(reference: np.ndarray, output: np.ndarray) -> Metrics:
    """Feature maps: on the float values (0..255 scale), PSNR and SSIM per channel, averaged."""
    error = output.astype(np.float64) - reference
    per_channel_mse = np.mean(error**2, axis=(0, 1))
    return Metrics(
        psnr=float(np.mean([_psnr(mse) for mse in per_channel_mse])),
        ssim=ssim(reference, output),
        mae=float(np.abs(error).mean()),
        max_abs=float(np.abs(error).max()),
        clipped=clipped_fraction(output),
    )


def measure(
    reference: np.ndarray, output: np.ndarray, image: np.ndarray, scale: int = 1
) -> Metrics:
    """Compare the uint8 `image` (and its float `output`) with the uint8 `reference`; for a
    float reference (a feature map), compare the float output itself. `scale` pixels are
    shaved for the super-resolution protocol's PSNR-Y and SSIM-Y."""
    if reference.dtype != np.uint8:
        return measure_features(reference, output)
    # Three independent passes, on two threads when the caller has both cores.
    (absolute, squared, largest), (psnr_y, ssim_y), ssim_rgb = run_together(
        lambda: _error_sums(reference, image),
        lambda: y_metrics(reference, image, scale),
        lambda: ssim(reference, image),
    )
    return Metrics(
        psnr=_psnr(squared / reference.size),
        ssim=ssim_rgb,
        mae=absolute / reference.size,
        max_abs=float(largest),
        clipped=clipped_fraction(output),
        psnr_y=psnr_y,
        ssim_y=ssim_y,
    )


# MATLAB's rgb2ycbcr Y row, over 255, and its offset: one cv2.transform per image
LUMA_Y = np.array([[65.481 / 255, 128.553 / 255, 24.966 / 255, 16.0]])


def luma_y(rgb: np.ndarray) -> np.ndarray:
    """BT.601 Y of 8-bit RGB, 16..235, as the SR papers' scripts compute it (MATLAB's
    rgb2ycbcr formula, in float: not rounded). Float32, which is exact to about 1e-5 here."""
    values = np.ascontiguousarray(rgb, dtype=np.float32)
    return cv2.transform(values, LUMA_Y).reshape(rgb.shape[:2])


def y_metrics(reference: np.ndarray, image: np.ndarray, shave: int) -> tuple[float, float]:
    """PSNR-Y and SSIM-Y as the super-resolution papers report them: on Y, `shave` pixels
    cut from every border, SSIM with the 11x11 Gaussian window (sigma 1.5) over the valid
    region. (nan, nan) when too little is left."""
    if reference.ndim != 3 or reference.shape[2] != 3:
        return math.nan, math.nan
    height, width = reference.shape[:2]
    if min(height, width) - 2 * shave < GAUSSIAN_SIDE:
        return math.nan, math.nan
    inner = (slice(shave, height - shave), slice(shave, width - shave))
    first, second = luma_y(reference[inner]), luma_y(image[inner])
    mse = float(cv2.norm(first, second, cv2.NORM_L2SQR)) / first.size
    return _psnr(mse), mean_ssim(first, second, PEAK, gaussian=True)
