"""Artifact scores: a number for each kind of damage an upsampler can do.

- checkerboard: energy at the replica frequencies (k·H/r, l·W/r), DC excluded, over all non-DC
  energy of the output (every channel). The DFT at those frequencies is a phase-weighted sum of
  the r² polyphase sums, so it is exact without an FFT; Parseval gives the total.
- phase_cv: the method's response to a constant image: spread (std) of the r² polyphase means
  over their mean, inside a margin free of border effects. 0 for a shift-invariant upsampler.
- overshoot: ringing, measured locally: the fraction of output values more than 1 level
  outside the range (min..max) of the 2x2 low-res pixels that bilinear reads for them
  (half-pixel centres, src = (dst + 0.5) / r - 0.5, clamped at the borders); overshoot_max
  is the largest such excursion (0 when none passes 1 level). An output inside the convex
  hull of its neighbours (nearest, bilinear, convex reassembly) scores 0; bicubic's and
  Lanczos's negative lobes do not. A global range (0..255 on most photos) would see nothing.
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


OVERSHOOT_TOLERANCE = 1.0  # levels: float rounding and sub-level wobble are not ringing
STRIP_VALUES = 1 << 16  # values compared at once: 256 KB temporaries, in cache


def pair_ranges(lowres: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Min and max of each 2x2 block of the edge-padded low-res image, (h + 1) x (w + 1) x C:
    block (p, q) covers low-res rows p - 1, p and columns q - 1, q, clamped."""
    padded = np.pad(lowres.astype(np.float32), ((1, 1), (1, 1), (0, 0)), mode="edge")
    rows_low = np.minimum(padded[:-1], padded[1:])
    rows_high = np.maximum(padded[:-1], padded[1:])
    low = np.minimum(rows_low[:, :-1], rows_low[:, 1:])
    high = np.maximum(rows_high[:, :-1], rows_high[:, 1:])
    return low, high


def overshoot(output: np.ndarray, lowres: np.ndarray, scale: int) -> tuple[float, float]:
    """(fraction, largest excursion) of output values beyond their local low-res range.

    Output row y reads low-res rows floor(src) and floor(src) + 1, src = (y + 0.5) / r - 0.5:
    block p = (y + ceil(r / 2)) // r of `pair_ranges`. So of the r output rows over low-res
    row k, the first r - ceil(r / 2) use block k and the rest block k + 1; columns alike.
    Each of the r² sub-pixel positions is a strided view of the output, compared with its
    blocks in channel-first order (long inner loops, no full-size copy), a strip of low-res
    rows at a time so that the temporaries stay in cache (twice as fast as whole planes)."""
    height, width, channels = lowres.shape
    if output.shape != (height * scale, width * scale, channels):
        raise ValueError(f"output is {output.shape}, expected {lowres.shape} times {scale}")
    low, high = (np.ascontiguousarray(bound.transpose(2, 0, 1)) for bound in pair_ranges(lowres))
    first = scale - (scale + 1) // 2  # sub-positions before `first` read block k, others k + 1
    runs = output.transpose(2, 0, 1).reshape(channels, height, scale, width, scale)
    strip = max(1, STRIP_VALUES // (width * channels))
    count, largest = 0, 0.0
    for top in range(0, height, strip):
        rows = min(strip, height - top)
        for row in range(scale):
            block_top = top + (row >= first)
            for col in range(scale):
                block_left = int(col >= first)
                values = runs[:, top : top + rows, row, :, col]
                bounds = (slice(None), slice(block_top, block_top + rows))
                bounds += (slice(block_left, block_left + width),)
                excursion = values - high[bounds]
                np.maximum(excursion, low[bounds] - values, out=excursion)
                peak = float(excursion.max())
                if peak > OVERSHOOT_TOLERANCE:  # a convex method's strips end here
                    count += int(np.count_nonzero(excursion > OVERSHOOT_TOLERANCE))
                    largest = max(largest, peak)
    return count / output.size, largest


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
    lowres: np.ndarray,
    scale: int,
    respond: Callable[[], np.ndarray] | None,
) -> Artifacts:
    """All scores of `output`; `respond()` gives the method's output for a constant image
    (None for a result without an operator, whose phase_cv is then undefined)."""
    fraction, excursion = overshoot(output, lowres, scale)
    return Artifacts(
        checkerboard=checkerboard(output, scale),
        phase_cv=None if respond is None else phase_cv(respond(), scale),
        overshoot=fraction,
        overshoot_max=excursion,
        hf_energy=hf_energy(output, scale),
    )
