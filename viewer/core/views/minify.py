"""Minified views that never invent a pattern: each screen pixel is the average of the image
pixels under it.

Drawing a large image small by sampling (what Qt and pyqtgraph do) keeps one pixel in n and
turns a 2-px checkerboard or a colour mosaic into large false blocks that change with the
zoom. Here a view below 100 % is the area average of the visible region at the screen's own
resolution: from a mipmap level finer than the screen (exact 2x2 means of the level below),
then `cv2.INTER_AREA` to the screen size. The cost follows the screen, not the image.

A signed map (a signed difference) is minified in two parts: the mean of its positive part
and the mean of its negative part, each over the same pixels. A plain mean would let +e and
-e cancel into "no error" (1-px stripes of +-127 average to 0); the two means keep both.

A boolean map (where something is wrong: a label map's wrong classes) is minified by "any":
a screen pixel is true where any pixel under it is, so a single wrong pixel shows at every
zoom instead of fading into a mean of 1/n.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

# A finer level than needed is used while its visible part stays this small (pixels). Views
# refreshed together (a grid's panes) share it: the cost follows the screen, not the panes.
FINE_BUDGET = 250_000
# Levels made ahead (off the GUI thread) go down to this side; smaller ones are cheap.
SMALLEST_AHEAD = 128


def halve(image: np.ndarray) -> np.ndarray:
    """The exact mean of each 2x2 block (an odd last row or column is repeated first), in
    float32, so levels of levels stay exact means of the original; of a boolean map, whether
    any of the block is true."""
    values = image if image.dtype == bool else image.astype(np.float32, copy=False)
    height, width = values.shape[:2]
    if height % 2 or width % 2:
        pad = ((0, height % 2), (0, width % 2)) + ((0, 0),) * (values.ndim - 2)
        values = np.pad(values, pad, mode="edge")
    if values.dtype == bool:
        return values[0::2, 0::2] | values[1::2, 0::2] | values[0::2, 1::2] | values[1::2, 1::2]
    return 0.25 * (
        values[0::2, 0::2] + values[1::2, 0::2] + values[0::2, 1::2] + values[1::2, 1::2]
    )


@dataclass(frozen=True)
class AreaView:
    """`pixels` (the source's dtype) covering the source rectangle x0..x1, y0..y1."""

    pixels: np.ndarray
    x0: float
    y0: float
    x1: float
    y1: float


def signed_parts(values: np.ndarray) -> np.ndarray:
    """(H, W, 2) float32: max(values, 0) and max(-values, 0), whose area means are what a
    minified signed map shows (the magnitude of each sign, never cancelled)."""
    signed = values.astype(np.float32, copy=False)
    return np.stack([np.maximum(signed, 0.0), np.maximum(-signed, 0.0)], axis=-1)


def levels_ahead(image: np.ndarray) -> tuple[np.ndarray, ...]:
    """The mipmap levels below `image` down to SMALLEST_AHEAD a side: made by the engine's
    threads, so that showing a result costs the window no numpy work."""
    levels, level = [], image
    while max(level.shape[:2]) > SMALLEST_AHEAD:
        level = halve(level)
        levels.append(level)
    return tuple(levels)


class Pyramid:
    """An image and its mipmap levels: those made ahead (`levels_ahead`), the rest each made
    on first use and kept. A `signed` pyramid holds a single-channel signed map; its levels
    and area views are of `signed_parts` (two channels, float32), made from the map only
    where needed, so a map shown at 100 % and above costs no second copy."""

    def __init__(
        self, image: np.ndarray, ahead: tuple[np.ndarray, ...] = (), signed: bool = False
    ) -> None:
        self.image = image
        self.signed = signed
        self._levels: list[np.ndarray] = [image, *ahead]

    def level(self, number: int) -> np.ndarray:
        while len(self._levels) <= number:
            self._levels.append(halve(self._parts(self._levels[-1], len(self._levels) - 1)))
        return self._levels[number]

    def _parts(self, level: np.ndarray, number: int) -> np.ndarray:
        """What level `number` (or a crop of it) averages: level 0 of a signed map split."""
        return signed_parts(level) if self.signed and number == 0 else level

    def area_view(
        self,
        x0: float,
        y0: float,
        x1: float,
        y1: float,
        width: int,
        height: int,
        fine_budget: float = FINE_BUDGET,
    ) -> AreaView:
        """The source rectangle x0..x1, y0..y1 (image pixels, clipped to the image) at about
        `width` x `height` output pixels, each the area average of what it covers; from the
        level one finer than needed where its visible part is at most `fine_budget` pixels."""
        rows, columns = self.image.shape[:2]
        x0, x1 = max(0.0, x0), min(float(columns), x1)
        y0, y1 = max(0.0, y0), min(float(rows), y1)
        if x1 <= x0 or y1 <= y0 or width < 1 or height < 1:
            empty = signed_parts(self.image[:0, :0]) if self.signed else self.image[:0, :0]
            return AreaView(empty, 0, 0, 0, 0)
        factor = min((x1 - x0) / width, (y1 - y0) / height)  # image pixels per output pixel
        number = max(0, math.floor(math.log2(factor))) if factor > 1 else 0
        if number and (x1 - x0) * (y1 - y0) / 4 ** (number - 1) <= fine_budget:
            number -= 1  # cheap enough: a finer level cuts box edges more exactly
        level = self.level(number)
        size = 2**number
        # Whole level pixels around the rectangle: the view covers exactly what they cover.
        left, top = int(x0 // size), int(y0 // size)
        right = min(level.shape[1], math.ceil(x1 / size))
        bottom = min(level.shape[0], math.ceil(y1 / size))
        crop = self._parts(level[top:bottom, left:right], number)
        span_x, span_y = (right - left) * size, (bottom - top) * size
        out_w = max(1, round(span_x / (x1 - x0) * width))
        out_h = max(1, round(span_y / (y1 - y0) * height))
        if (out_w, out_h) != (crop.shape[1], crop.shape[0]):
            crop = _area_resize(crop, out_w, out_h)
        pixels = _like(crop, np.dtype(np.float32) if self.signed else self.image.dtype)
        right_edge = min(float(columns), float(right * size))
        bottom_edge = min(float(rows), float(bottom * size))
        return AreaView(pixels, left * size, top * size, right_edge, bottom_edge)


def _area_resize(image: np.ndarray, width: int, height: int) -> np.ndarray:
    """cv2.INTER_AREA, for any channel count (OpenCV takes at most 4 here reliably). A crop
    of a level goes in as it is: OpenCV reads rows with a stride, no copy needed. A boolean
    map: whether any pixel of each output pixel's block is true."""
    if image.dtype == bool:
        return _any_resize(image, width, height)
    values = image.astype(np.float32, copy=False)
    if values.ndim == 2 or values.shape[2] <= 4:
        resized = cv2.resize(values, (width, height), interpolation=cv2.INTER_AREA)
        return resized.reshape(height, width, *values.shape[2:])
    parts = [
        _area_resize(values[..., c : c + 4], width, height) for c in range(0, values.shape[2], 4)
    ]
    return np.concatenate(parts, axis=2)


def _any_resize(image: np.ndarray, width: int, height: int) -> np.ndarray:
    """Each output pixel true where any source pixel starting inside it is: every source
    pixel falls in exactly one output pixel, so none is lost (blocks shrink by at most 2x
    here: the pyramid level is finer than the screen by less than that)."""
    rows = np.floor(np.arange(height) * (image.shape[0] / height)).astype(np.intp)
    columns = np.floor(np.arange(width) * (image.shape[1] / width)).astype(np.intp)
    if height > image.shape[0] or width > image.shape[1]:  # a magnified crop: nearest
        return image[rows][:, columns]
    return np.logical_or.reduceat(np.logical_or.reduceat(image, rows, axis=0), columns, axis=1)


def _like(values: np.ndarray, dtype: np.dtype) -> np.ndarray:
    if dtype == np.uint8 and values.ndim == 3 and values.shape[2] <= 4:
        # Averages of uint8 are >= 0: OpenCV's saturating, round-half-even conversion in
        # one pass is np.clip(np.rint(values)) as uint8.
        return cv2.convertScaleAbs(values)
    if np.issubdtype(dtype, np.integer):
        info = np.iinfo(dtype)
        return np.clip(np.rint(values), info.min, info.max).astype(dtype)
    return values.astype(dtype, copy=False)
