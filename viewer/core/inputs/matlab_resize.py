"""MATLAB's `imresize(img, scale, 'bicubic')`, in numpy: what the super-resolution papers'
tables are computed with, and what OpenCV and Paddle only approximate.

As MATLAB does it (`imresize.m`, `contributions`):
- the cubic kernel with a = -0.5 (OpenCV and Paddle use -0.75);
- when shrinking, the kernel is stretched by 1/scale (antialiasing) and its weights scaled;
- output pixel x (1-based) samples input position u = x / scale + 0.5 * (1 - 1 / scale);
- weights are normalised to sum to 1; positions outside the image are mirrored
  (symmetric: ... 2 1 | 1 2 3 ... n | n n-1 ...); all-zero taps are dropped;
- the dimension with the smaller scale is resized first (rows first when equal);
- uint8 images come back as uint8, rounded after each dimension (MATLAB's resizeAlongDim
  keeps the class of its input).
"""

from __future__ import annotations

import math

import numpy as np

KERNEL_WIDTH = 4.0  # the cubic kernel's support, in input pixels


def cubic(x: np.ndarray) -> np.ndarray:
    """Keys' cubic convolution kernel with a = -0.5."""
    ax = np.abs(x)
    ax2, ax3 = ax * ax, ax * ax * ax
    near = (1.5 * ax3 - 2.5 * ax2 + 1.0) * (ax <= 1)
    far = (-0.5 * ax3 + 2.5 * ax2 - 4.0 * ax + 2.0) * ((ax > 1) & (ax <= 2))
    return near + far


def contributions(in_length: int, out_length: int, scale: float) -> tuple[np.ndarray, np.ndarray]:
    """(weights, 0-based input indices), each out_length x taps, for one dimension."""
    width = KERNEL_WIDTH / scale if scale < 1 else KERNEL_WIDTH
    x = np.arange(1, out_length + 1, dtype=np.float64)
    u = x / scale + 0.5 * (1 - 1 / scale)
    left = np.floor(u - width / 2)
    taps = math.ceil(width) + 2
    indices = left[:, None] + np.arange(taps)[None, :]
    distance = u[:, None] - indices
    weights = scale * cubic(scale * distance) if scale < 1 else cubic(distance)
    weights /= weights.sum(axis=1, keepdims=True)
    mirror = np.concatenate([np.arange(in_length), np.arange(in_length - 1, -1, -1)])
    indices = mirror[np.mod(indices.astype(np.int64) - 1, 2 * in_length)]
    used = np.any(weights != 0, axis=0)
    return weights[:, used], indices[:, used]


def _resize_axis(image: np.ndarray, axis: int, out_length: int, scale: float) -> np.ndarray:
    weights, indices = contributions(image.shape[axis], out_length, scale)
    moved = np.moveaxis(image, axis, 0).astype(np.float64)
    result = np.zeros((out_length, *moved.shape[1:]), np.float64)
    extra = (slice(None),) + (None,) * (moved.ndim - 1)
    for tap in range(weights.shape[1]):
        result += weights[:, tap][extra] * moved[indices[:, tap]]
    if image.dtype == np.uint8:
        result = np.clip(np.rint(result), 0, 255).astype(np.uint8)
    return np.moveaxis(result, 0, axis)


def imresize(image: np.ndarray, scale: float) -> np.ndarray:
    """`imresize(image, scale, 'bicubic')`: H x W or H x W x C; the output has
    ceil(scale * side) pixels a side; uint8 stays uint8 (rounded), floats stay float64."""
    sizes = [math.ceil(scale * image.shape[0]), math.ceil(scale * image.shape[1])]
    result = image
    for axis in (0, 1):  # equal scales: rows first, as MATLAB's stable sort of the scales
        result = _resize_axis(result, axis, sizes[axis], scale)
    return result
