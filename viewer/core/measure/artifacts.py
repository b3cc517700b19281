"""Artifact scores: a number for each kind of damage an upsampler can do.

- checkerboard: energy at the replica frequencies (k·H/r, l·W/r), DC excluded, over all non-DC
  energy of the output (every channel). The DFT at those frequencies is a phase-weighted sum of
  the r² polyphase sums, so it is exact without an FFT; Parseval gives the total.
- phase_cv: the method's response to a constant image: spread (std) of the r² polyphase means
  over their mean, inside a margin free of border effects. 0 for a shift-invariant upsampler.
- overshoot: fraction of output values outside the original's value range; overshoot_max is
  the largest excursion beyond it (ringing, bicubic's negative lobes).
- hf_energy: fraction of the output's non-DC luma energy above the low-res Nyquist frequency
  (|f| > 1/(2r) cycles per pixel on either axis): detail the low-res input could not hold,
  whether real (sharpness) or invented (aliasing, imaging).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np

from viewer.core.views.derived import LUMA

CONSTANT_LEVEL = 128.0
CONSTANT_SIDE = 24  # low-res pixels of the constant test image
CONSTANT_MARGIN = 8  # low-res pixels dropped on each side (kernels and padding reach less)


@dataclass(frozen=True)
class Artifacts:
    checkerboard: float
    phase_cv: float | None  # undefined for a result without an operator
    overshoot: float
    overshoot_max: float
    hf_energy: float


def polyphase_sums(channel: np.ndarray, scale: int) -> np.ndarray:
    """r x r sums: element (a, b) adds every pixel at (y, x) with y % r == a, x % r == b.
    Bands of r rows are added first, each a contiguous run of memory: 8x faster than
    summing the 4-D block view."""
    height, width = channel.shape
    bands = channel.reshape(height // scale, scale * width)
    folded = np.add.reduce(bands, axis=0, dtype=np.float64)  # (a, x) in one row
    return folded.reshape(scale, width // scale, scale).sum(axis=1)


def checkerboard(output: np.ndarray, scale: int) -> float:
    """Replica-frequency energy over non-DC energy, summed over channels (0 for nearest)."""
    height, width = output.shape[:2]
    phases = np.exp(-2j * np.pi * np.arange(scale) / scale)
    # DFT at (k·H/r, l·W/r) = sum over (a, b) of S[a, b] · w^(k·a) · w^(l·b)
    twiddle = phases[np.outer(np.arange(scale), np.arange(scale)) % scale]
    replica, total = 0.0, 0.0
    for channel in np.moveaxis(output, -1, 0):
        sums = polyphase_sums(channel, scale)
        spectrum = twiddle @ sums @ twiddle.T
        power = np.abs(spectrum) ** 2
        dc = power[0, 0]
        replica += power.sum() - dc
        squares = cv2.norm(np.ascontiguousarray(channel), cv2.NORM_L2SQR)  # summed in float64
        total += height * width * squares - dc
    return float(replica / total) if total > 0 else 0.0


def phase_cv(response: np.ndarray, scale: int) -> float:
    """Spread of the r² polyphase means of a method's response to a constant image."""
    margin = CONSTANT_MARGIN * scale
    inner = response[margin:-margin, margin:-margin].astype(np.float64)
    means = np.stack([polyphase_sums(c, scale) for c in np.moveaxis(inner, -1, 0)]).mean(axis=0)
    mean = means.mean()
    return float(means.std() / abs(mean)) if abs(mean) > 1e-9 else math.inf


def overshoot(output: np.ndarray, reference: np.ndarray) -> tuple[float, float]:
    low, high = float(reference.min()), float(reference.max())
    below, above = output < low, output > high
    fraction = float(np.count_nonzero(below | above) / output.size)
    excursion = max(0.0, low - float(output.min()), float(output.max()) - high)
    return fraction, excursion


def hf_energy(output: np.ndarray, scale: int) -> float:
    """Energy of luma above the low-res Nyquist frequency over all non-DC luma energy."""
    import scipy.fft  # 0.15 s to import: not before the window's first paint

    luma = (output @ LUMA if output.shape[-1] == 3 else output.mean(axis=-1)).astype(np.float32)
    power = np.abs(scipy.fft.rfft2(luma, workers=-1)) ** 2
    power[0, 0] = 0.0
    total = float(power.sum(dtype=np.float64))
    if total == 0:
        return 0.0
    fy = np.abs(scipy.fft.fftfreq(luma.shape[0]))[:, None]
    fx = np.abs(scipy.fft.rfftfreq(luma.shape[1]))[None, :]
    limit = 0.5 / scale
    above = (fy > limit) | (fx > limit)
    return float(power[np.broadcast_to(above, power.shape)].sum(dtype=np.float64) / total)


def constant_image(channels: int, scale: int, source_scale: int) -> np.ndarray:
    """The constant input (H x W x C, float32) for a method whose source is `source_scale`
    times the low-res size (1 for low-res input, r for the original)."""
    side = CONSTANT_SIDE * source_scale
    return np.full((side, side, channels), CONSTANT_LEVEL, np.float32)


def score(
    output: np.ndarray,
    reference: np.ndarray,
    scale: int,
    respond: Callable[[], np.ndarray] | None,
) -> Artifacts:
    """All scores of `output`; `respond()` gives the method's output for a constant image
    (None for a result without an operator, whose phase_cv is then undefined)."""
    fraction, excursion = overshoot(output, reference)
    return Artifacts(
        checkerboard=checkerboard(output, scale),
        phase_cv=None if respond is None else phase_cv(respond(), scale),
        overshoot=fraction,
        overshoot_max=excursion,
        hf_energy=hf_energy(output, scale),
    )
