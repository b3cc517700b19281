"""Minified label maps that show only classes that are there, and show where classes mix.

An area mean of class colours is a colour of no class, or worse of another one: with the VOC
colours a 1-px checker of Sky (128,0,0) and Building (0,0,0) averages to (64,0,0), Car's. So
a label map is minified from its class ids, not its colours: each mipmap level holds, per
block, its two most frequent classes (and their counts). A screen pixel of a uniform block
shows its class's colour; one of a mixed block is drawn as a screen-pixel checker of its two
classes' true colours (`checker_colours`), so a mosaic or a sparse output reads as mixed,
neither averaged into a false colour nor hidden by a majority vote.

Levels are built 2x2 at a time from the two classes of each child, so every class a block
names is really in it, and a block is mixed exactly when it is (counts of a child's classes
beyond its two are dropped, so the second of a block of many classes may not be its second
most frequent, but is always present).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import cv2
import numpy as np

from viewer.core.views.label_views import BAND, IGNORED, WRONG
from viewer.core.views.minify import AreaView, Pyramid, levels_ahead


@dataclass(frozen=True)
class TopTwo:
    """Per pixel of a level: its block's most frequent class and its second (the first
    again where the block is uniform), with their pixel counts (`second_count` 0 there)."""

    first: np.ndarray
    second: np.ndarray
    first_count: np.ndarray
    second_count: np.ndarray

    @classmethod
    def of_ids(cls, ids: np.ndarray) -> TopTwo:
        ones = np.ones(ids.shape, np.uint32)
        return cls(ids, ids, ones, np.zeros(ids.shape, np.uint32))

    @property
    def shape(self) -> tuple[int, int]:
        return self.first.shape

    @property
    def mixed(self) -> np.ndarray:
        return self.second_count > 0

    def crop(self, top: int, bottom: int, left: int, right: int) -> TopTwo:
        part = (slice(top, bottom), slice(left, right))
        return TopTwo(
            self.first[part], self.second[part], self.first_count[part], self.second_count[part]
        )


def _combine(classes: list[np.ndarray], counts: list[np.ndarray]) -> TopTwo:
    """The two classes of largest summed count among candidates (same-shape arrays)."""
    totals = [count.astype(np.uint32) for count in counts]
    for i, j in itertools.combinations(range(len(classes)), 2):
        same = classes[i] == classes[j]
        totals[i] += counts[j] * same
        totals[j] += counts[i] * same
    first, first_count = classes[0], totals[0]
    for kind, total in zip(classes[1:], totals[1:], strict=True):
        better = total > first_count
        first, first_count = np.where(better, kind, first), np.where(better, total, first_count)
    second, second_count = first, np.zeros_like(first_count)
    for kind, total in zip(classes, totals, strict=True):
        better = (total > second_count) & (kind != first)
        second = np.where(better, kind, second)
        second_count = np.where(better, total, second_count)
    return TopTwo(first, second, first_count, second_count)


def _candidates(level: TopTwo, parts: list[tuple[slice, slice]], masks=None):
    """The (class, count) candidates of each part of `level`; a mask zeroes the counts of
    a part that repeats one already counted."""
    classes, counts = [], []
    with_second = bool(level.mixed.any())
    for index, part in enumerate(parts):
        keep = None if masks is None else masks[index]
        pairs = [(level.first, level.first_count)]
        if with_second:
            pairs.append((level.second, level.second_count))
        for kind, count in pairs:
            classes.append(kind[part])
            counts.append(count[part] if keep is None else np.where(keep, count[part], 0))
    return classes, counts


def halve_top_two(level: TopTwo) -> TopTwo:
    """The next level: each 2x2 block's two classes (an odd last row or column counts 0)."""
    height, width = level.shape
    if height % 2 or width % 2:
        pad = ((0, height % 2), (0, width % 2))
        level = TopTwo(
            np.pad(level.first, pad, mode="edge"),
            np.pad(level.second, pad, mode="edge"),
            np.pad(level.first_count, pad),
            np.pad(level.second_count, pad),
        )
    parts = [(slice(dy, None, 2), slice(dx, None, 2)) for dy in (0, 1) for dx in (0, 1)]
    return _combine(*_candidates(level, parts))


def top_two_levels(ids: np.ndarray) -> tuple[TopTwo, ...]:
    """Every level of a class-id map, level 0 (the map) down to one pixel: made off the
    GUI thread (about a third of the map's size in all)."""
    levels = [TopTwo.of_ids(ids)]
    while max(levels[-1].shape) > 1:
        levels.append(halve_top_two(levels[-1]))
    return tuple(levels)


def _spans(source: int, out: int) -> tuple[np.ndarray, np.ndarray]:
    """Where each of `out` groups of `source` items starts and how many it holds (at least
    one: a magnified axis repeats items): every item falls in exactly one group."""
    starts = np.floor(np.arange(out) * (source / out)).astype(np.intp)
    ends = np.append(starts[1:], source)
    return starts, np.maximum(ends - starts, 1)


def resample_top_two(level: TopTwo, width: int, height: int) -> TopTwo:
    """`level` at `width` x `height`: each output pixel the two classes of the level
    pixels starting inside it (so none is lost), or of the nearest where magnified."""
    if level.shape == (height, width):
        return level
    rows, row_sizes = _spans(level.shape[0], height)
    columns, column_sizes = _spans(level.shape[1], width)
    parts, masks = [], []
    for dy in range(int(row_sizes.max())):
        for dx in range(int(column_sizes.max())):
            y = np.minimum(rows + dy, level.shape[0] - 1)
            x = np.minimum(columns + dx, level.shape[1] - 1)
            parts.append(np.ix_(y, x))
            masks.append((dy < row_sizes)[:, None] & (dx < column_sizes)[None, :])
    return _combine(*_candidates(level, parts, masks))


def checker_classes(level: TopTwo, phase: tuple[int, int] = (0, 0)) -> np.ndarray:
    """The class each pixel shows: a uniform pixel its class, a mixed one its first class
    or its second in a one-pixel checker (whose parity starts at `phase`, so it stays
    put while the view pans). A checker needs neighbours: a mixed pixel whose other class
    no neighbour shows, while one shows its own, swaps (a one-pixel object in a field of
    background shows the object, whatever the parity)."""
    height, width = level.shape
    parity = (np.arange(height)[:, None] + np.arange(width)[None, :] + sum(phase)) % 2 == 1
    odd = level.mixed & parity
    shown = np.where(odd, level.second, level.first)
    other = np.where(odd, level.first, level.second)
    other_seen, shown_seen = _seen_around(shown, other), _seen_around(shown, shown)
    swap = level.mixed & ~other_seen & shown_seen
    return np.where(swap, other, shown)


def _seen_around(shown: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Where any of a pixel's 8 neighbours shows the class `wanted` names for it."""
    height, width = shown.shape
    around = np.pad(shown.astype(np.int64), 1, mode="constant", constant_values=-1)
    seen = np.zeros(shown.shape, bool)
    for dy in (0, 1, 2):
        for dx in (0, 1, 2):
            if (dy, dx) != (1, 1):
                seen |= around[dy : dy + height, dx : dx + width] == wanted
    return seen


def palette_of(colours: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """(max id + 1) x 3 uint8: each class id's colour, as a label pane's RGB shows it."""
    palette = np.zeros((int(ids.max(initial=0)) + 1, 3), np.uint8)
    palette[ids.ravel()] = colours.reshape(-1, 3)
    return palette


class LabelPyramid:
    """A label pane's minified views: its class colours (from the top-two levels) blended
    at `opacity` (one for all classes, or one per class) over the area mean of the image
    beneath (as `label_views.overlay` and `error_map` blend them at full size). Duck-types
    `Pyramid.area_view`, so a pane draws it like a photo's."""

    def __init__(
        self,
        levels: tuple[TopTwo, ...],
        palette: np.ndarray,
        image: Pyramid | None = None,
        opacity: float | np.ndarray = 1.0,
    ) -> None:
        self.levels, self.palette, self.image, self.opacity = levels, palette, image, opacity

    def area_view(
        self,
        x0: float,
        y0: float,
        x1: float,
        y1: float,
        width: int,
        height: int,
        fine_budget: float = 0,
    ) -> AreaView:
        """The source rectangle at about `width` x `height` pixels, from the level just
        finer than the screen (`fine_budget` is unused: that level is always cheap)."""
        asked = (x0, y0, x1, y1, width, height)
        rows, columns = self.levels[0].shape
        x0, x1 = max(0.0, x0), min(float(columns), x1)
        y0, y1 = max(0.0, y0), min(float(rows), y1)
        if x1 <= x0 or y1 <= y0 or width < 1 or height < 1:
            return AreaView(np.zeros((0, 0, 3), np.uint8), 0, 0, 0, 0)
        factor = min((x1 - x0) / width, (y1 - y0) / height)
        number = min(len(self.levels) - 1, max(0, math.floor(math.log2(factor))))
        size = 2**number
        level = self.levels[number]
        left, top = int(x0 // size), int(y0 // size)
        right = min(level.shape[1], math.ceil(x1 / size))
        bottom = min(level.shape[0], math.ceil(y1 / size))
        out_w = max(1, round((right - left) * size / (x1 - x0) * width))
        out_h = max(1, round((bottom - top) * size / (y1 - y0) * height))
        shown = resample_top_two(level.crop(top, bottom, left, right), out_w, out_h)
        phase = (round(top * size / factor), round(left * size / factor))
        classes = checker_classes(shown, phase)
        pixels = self.palette[classes]
        x_end, y_end = min(float(columns), right * size), min(float(rows), bottom * size)
        if self.image is not None and np.any(np.asarray(self.opacity) < 1):
            opacity = self.opacity
            if np.ndim(opacity):
                opacity = np.asarray(opacity, np.float32)[classes][..., None]
            pixels = self._over_image(pixels, opacity, asked)
        return AreaView(pixels, left * size, top * size, x_end, y_end)

    def _over_image(self, colours: np.ndarray, opacity, asked: tuple) -> np.ndarray:
        """The colours blended over the image's area mean of the same rectangle (asked for
        as the labels were, it comes from the same level, cut the same way)."""
        height, width = colours.shape[:2]
        beneath = self.image.area_view(*asked, fine_budget=0).pixels
        if beneath.shape[:2] != (height, width):  # beyond the labels' last level
            beneath = cv2.resize(beneath, (width, height), interpolation=cv2.INTER_AREA)
        return _blend(beneath, colours, opacity)


def label_pyramid(
    colours: np.ndarray,
    ids: np.ndarray,
    image: np.ndarray | None = None,
    opacity: float = 1.0,
    levels: tuple[TopTwo, ...] | None = None,
    image_ahead: tuple[np.ndarray, ...] | None = None,
) -> LabelPyramid:
    """A label pane's pyramid, every level made now (off the GUI thread); `levels` and
    `image_ahead`, if made already for these ids and this image, are reused."""
    levels = top_two_levels(ids) if levels is None else levels
    beneath = None
    if image is not None and opacity < 1:
        ahead = levels_ahead(image) if image_ahead is None else image_ahead
        beneath = Pyramid(image, ahead)
    return LabelPyramid(levels, palette_of(colours, ids), beneath, opacity)


def labels_at(
    colours: np.ndarray,
    ids: np.ndarray,
    size: tuple[int, int],
    image: np.ndarray | None = None,
    opacity: float = 1.0,
) -> np.ndarray:
    """A label map's picture (its colours over `image` at `opacity`) at exactly `size`
    (width, height), smaller than the map: minified by class, for a file's small tile (a
    sheet). Every pixel of the level used falls in exactly one tile pixel."""
    levels = top_two_levels(ids)
    factor = min(ids.shape[1] / size[0], ids.shape[0] / size[1])
    number = min(len(levels) - 1, max(0, math.floor(math.log2(max(factor, 1)))))
    classes = checker_classes(resample_top_two(levels[number], *size))
    pixels = palette_of(colours, ids)[classes]
    if image is None or opacity >= 1:
        return pixels
    return _blend(cv2.resize(image, size, interpolation=cv2.INTER_AREA), pixels, opacity)


def _blend(beneath: np.ndarray, colours: np.ndarray, opacity) -> np.ndarray:
    """Colours over an image, as `label_views.overlay` blends them (opacity: a number, or
    one per pixel)."""
    mixed = beneath.astype(np.float32) * (1 - opacity)
    mixed += colours.astype(np.float32) * opacity
    return np.rint(mixed).astype(np.uint8)


# The wrong-pixel views' classes, as `label_views.error_map` colours them: the dimmed image
# where right, tinted cyan in the boundary band, red where wrong, slate where unscored.
RIGHT, IN_BAND, WRONG_CLASS, UNSCORED = 0, 1, 2, 3
ERROR_PALETTE = np.array([[0, 0, 0], BAND, WRONG, IGNORED], np.uint8)
ERROR_OPACITY = np.array([0.0, 0.65, 1.0, 1.0], np.float32)


def error_classes(
    truth: np.ndarray, predicted: np.ndarray, band: np.ndarray | None, ignore: int
) -> np.ndarray:
    """Per pixel: right, right in the band, wrong, or unscored (the ignore label)."""
    classes = np.zeros(truth.shape, np.int32)
    if band is not None:
        classes[band] = IN_BAND
    classes[predicted != truth] = WRONG_CLASS
    classes[truth == ignore] = UNSCORED
    return classes


def error_pyramid(
    dimmed: np.ndarray,
    classes: np.ndarray,
    dimmed_ahead: tuple[np.ndarray, ...] | None = None,
) -> LabelPyramid:
    """A wrong-pixel view's pyramid: its error classes (`error_classes`) over the dimmed
    image, so a lone wrong pixel stays red below 100 % instead of fading into a mean."""
    ahead = levels_ahead(dimmed) if dimmed_ahead is None else dimmed_ahead
    return LabelPyramid(
        top_two_levels(classes), ERROR_PALETTE, Pyramid(dimmed, ahead), ERROR_OPACITY
    )
