"""Bilinear sampling at arbitrary positions, as F.grid_sample(mode="bilinear",
padding_mode="border", align_corners=False) computes it, done by OpenCV: four exact gathers
(nearest remaps at whole-pixel positions) blended by the fractional parts. Paddle's CPU
grid_sample kernel is about 4x slower; training keeps grid_sample, which gives gradients."""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np

from viewer.core.inputs.degrade import CV_MAX_CHANNELS
from viewer.core.methods._bands import in_bands

# Work in bands of about this many output pixels: the band's positions and intermediates stay
# in the CPU's cache (measured: about twice as fast as one pass over a 1-megapixel image).
BAND_PIXELS = 1 << 17
# blendLinear divides by w1 + w2 + 1e-5 (a guard against zero weights). Weights that sum to
# this instead of 1 make the guard's error 1e-9 relative instead of 1e-5.
BLEND_TOTAL = 1e4

Positions = Callable[[slice], tuple[np.ndarray, np.ndarray]]


def sample_planes(
    planes: np.ndarray, positions: Positions, size: tuple[int, int], step: int, output: np.ndarray
) -> np.ndarray:
    """Fill `output` (C x size, channels first, as Paddle keeps them) with `planes` (C x h x w
    float32) sampled where `positions(rows)` says for those output rows. Bands are whole
    multiples of `step` rows, so a caller can make a band's positions from whole input rows.
    The positions are made band by band and never exist for the whole output at once."""
    height, width = size
    groups = [
        (part, cv2.merge(list(planes[part])))
        for part in (slice(c, c + CV_MAX_CHANNELS) for c in range(0, len(planes), CV_MAX_CHANNELS))
    ]
    rows = max(step, BAND_PIXELS // width // step * step)

    def sample_band(band: slice) -> None:
        px, py = positions(band)
        for part, image in groups:
            cv2.split(sample_bilinear(image, px, py), list(output[part, band]))

    in_bands(height, rows, sample_band)
    return output


def sample_bilinear(image: np.ndarray, px: np.ndarray, py: np.ndarray) -> np.ndarray:
    """`image` (H x W x C float32, C at most CV_MAX_CHANNELS) at positions (px, py) in its
    pixels, pixel centres at whole numbers; positions beyond the border take the border's
    value. Returns px.shape x C values."""
    height, width = image.shape[:2]
    px = np.clip(px, 0, width - 1, dtype=np.float32)
    py = np.clip(py, 0, height - 1, dtype=np.float32)
    left, top = np.floor(px), np.floor(py)
    across, down = px - left, py - top
    right, bottom = left + 1, top + 1  # past the border only where their weight is 0

    def gather(xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
        return cv2.remap(image, xs, ys, cv2.INTER_NEAREST, borderMode=cv2.BORDER_REPLICATE)

    to_right, to_left = _weights(across)
    upper = cv2.blendLinear(gather(left, top), gather(right, top), to_left, to_right)
    lower = cv2.blendLinear(gather(left, bottom), gather(right, bottom), to_left, to_right)
    return cv2.blendLinear(upper, lower, *reversed(_weights(down))).reshape(*px.shape, -1)


def _weights(fraction: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The blend weights of the far and the near neighbour, summing to BLEND_TOTAL."""
    far = BLEND_TOTAL * fraction
    return far, BLEND_TOTAL - far
