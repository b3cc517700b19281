"""An image item that shows the truth at every zoom: sharp pixels at 100 % and above, the
area average of the pixels under each screen pixel below (viewer.core.views.minify).

A zoom step changes every pane's view at once: inside `refreshes_together()` the images
wait, and at its end their minified views are made on two threads (OpenCV releases the
GIL), before anything is painted. They share one view's budget for the finer pyramid level
(minify.FINE_BUDGET), so a grid of 19 panes costs about what one view does.

A signed map (levels below zero: a signed difference) is minified as the means of its
positive and its negative part, coloured together (derived.colorize_signed_parts), so errors
of opposite signs never cancel into "no error".

A label pane's RGB is minified from its class ids instead (label_minify.LabelPyramid, given
to `set`): an average of class colours would show classes that are not there.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import partial

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF

from viewer.core.run.parallel import map_on_threads
from viewer.core.views.derived import colorize_signed_parts
from viewer.core.views.label_minify import LabelPyramid
from viewer.core.views.minify import FINE_BUDGET, AreaView, Pyramid
from viewer.ui.screen_image import ScreenImage, native_copy


@dataclass(frozen=True)
class AreaJob:
    """One image's minified view to make: the data rectangle x0..x1, y0..y1 at `size`."""

    image: FaithfulImage
    pyramid: Pyramid | LabelPyramid
    key: tuple
    box: tuple[float, float, float, float]
    size: tuple[int, int]
    native: bool  # also make the copy Qt draws without converting (screen_image.py)
    signed_scale: float | None = None  # a signed map's colour scale: coloured here

    def make(self, fine_budget: float = FINE_BUDGET) -> tuple[AreaView, np.ndarray | None]:
        """Pure numpy and OpenCV on one image's own pyramid: safe off the GUI thread."""
        view = self.pyramid.area_view(*self.box, *self.size, fine_budget)
        if self.signed_scale is not None:
            view = replace(view, pixels=colorize_signed_parts(view.pixels, self.signed_scale))
        return view, native_copy(view.pixels) if self.native else None


class _Together:
    """How deep in refreshes_together() the GUI thread is, and the images waiting."""

    def __init__(self) -> None:
        self.depth = 0
        self.waiting: dict[FaithfulImage, None] = {}  # in order, each image once


_together = _Together()


@contextmanager
def refreshes_together() -> Iterator[None]:
    """Images refreshed inside wait to the end of the outermost block, then are refreshed
    together: their area views made on two threads, then shown."""
    _together.depth += 1
    try:
        yield
    finally:
        try:
            if _together.depth == 1:
                _refresh_waiting()
        finally:
            _together.depth -= 1  # a failed view must not leave every later one waiting


def _refresh_waiting() -> None:
    while _together.waiting:
        images = list(_together.waiting)
        _together.waiting.clear()
        jobs = [job for image in images if (job := image.plan()) is not None]
        share = FINE_BUDGET / max(1, len(jobs))  # a grid costs what one view may cost
        made_views = map_on_threads(partial(AreaJob.make, fine_budget=share), jobs)
        for job, made in zip(jobs, made_views, strict=True):
            job.image._show_area(job, *made)


class FaithfulImage:
    """Owns what `item` shows. `set` takes the whole image and the rectangle it covers in the
    view's coordinates; on every view change the item gets either that image (zoom >= 1) or
    an area-averaged view of the visible part at screen resolution."""

    def __init__(self, viewbox: pg.ViewBox, item: ScreenImage) -> None:
        self.viewbox = viewbox
        self.item = item
        self.data: np.ndarray | None = None
        self.rect = QRectF()
        self.options: dict = {}
        self.pyramid: Pyramid | LabelPyramid | None = None
        self.shown: tuple | None = None  # what the item holds now, to skip repeated work
        viewbox.sigRangeChanged.connect(lambda *_: self.refresh())
        viewbox.sigResized.connect(lambda *_: self.refresh())

    def set(
        self,
        data: np.ndarray,
        rect: QRectF,
        ahead: tuple[np.ndarray, ...] = (),
        minified: LabelPyramid | None = None,
        **options,
    ) -> None:
        """Show `data` over `rect`; `ahead`: its mipmap levels, if made already (see
        minify.levels_ahead); `minified`: a label pane's views below 100 %, in place of
        `data`'s area means; `options` go to ImageItem.setImage (levels, lut). Levels
        below zero make it a signed map."""
        self.data, self.rect, self.options = data, QRectF(rect), options
        signed = self.signed_scale() is not None
        self.pyramid = Pyramid(data, ahead, signed=signed) if minified is None else minified
        self.shown = None
        self.refresh()

    def mirror(self, source: FaithfulImage) -> None:
        """Show what `source` shows: its data over its rectangle, its minified levels (the
        same pyramid), its colours."""
        self.data, self.rect, self.options = source.data, QRectF(source.rect), source.options
        self.pyramid = source.pyramid
        self.shown = None
        self.refresh()

    def set_options(self, **options) -> None:
        """New levels or colour table for the same data."""
        was_signed = self.signed_scale() is not None
        self.options = options
        if self.data is not None and was_signed != (self.signed_scale() is not None):
            self.set(self.data, self.rect, **options)
            return
        if self.shown != ("whole",) and was_signed:
            self.shown = None  # its minified view is coloured here: colour it again
            self.refresh()
            return
        self.item.setLevels(options.get("levels"))
        self.item.setLookupTable(options.get("lut"))

    def signed_scale(self) -> float | None:
        """The colour scale of a signed map (levels -scale..scale), None for other data."""
        levels = self.options.get("levels")
        return float(levels[1]) if levels is not None and levels[0] < 0 else None

    def clear(self) -> None:
        self.data, self.pyramid, self.shown = None, None, None
        self.item.clear()

    def screen_pixels_per_pixel(self) -> float:
        """How many screen pixels one of the data's pixels covers (its zoom)."""
        # viewRect() only reads the view's state; viewPixelSize() would update its matrix, which
        # re-enters an aspect-locked setRange when called while the range changes.
        shown = self.viewbox.viewRect().width()
        if self.data is None or shown <= 0:
            return 0.0
        return self.viewbox.width() / shown * self.rect.width() / self.data.shape[1]

    def refresh(self) -> None:
        if _together.depth:
            _together.waiting[self] = None
            return
        job = self.plan()
        if job is not None:
            self._show_area(job, *job.make())

    def plan(self) -> AreaJob | None:
        """Show the whole image at once where the zoom is 100 % or more; below, the area
        view to make, or None if the item shows it already."""
        if self.data is None or not self.item.isVisible():
            return None
        zoom = self.screen_pixels_per_pixel()
        if zoom >= 1 or zoom == 0:
            if self.shown != ("whole",):
                self._show(self.data, self.rect)
                self.shown = ("whole",)
            return None
        visible = self.viewbox.viewRect().intersected(self.rect)
        if visible.isEmpty():
            return None
        sx, sy = self._data_per_unit()
        x0, x1 = (visible.left() - self.rect.left()) * sx, (visible.right() - self.rect.left()) * sx
        y0, y1 = (visible.top() - self.rect.top()) * sy, (visible.bottom() - self.rect.top()) * sy
        width = max(1, round((x1 - x0) * zoom))
        height = max(1, round((y1 - y0) * zoom))
        key = ("area", round(x0), round(y0), round(x1), round(y1), width, height)
        if key == self.shown:
            return None
        box, size, signed_scale = (x0, y0, x1, y1), (width, height), self.signed_scale()
        if signed_scale is not None:  # coloured when made: RGB, drawn as it is
            return AreaJob(self, self.pyramid, key, box, size, True, signed_scale)
        native = not self.options  # levels or a colour table: pyqtgraph maps the values
        return AreaJob(self, self.pyramid, key, box, size, native)

    def _data_per_unit(self) -> tuple[float, float]:
        return self.data.shape[1] / self.rect.width(), self.data.shape[0] / self.rect.height()

    def _show_area(self, job: AreaJob, view: AreaView, native: np.ndarray | None) -> None:
        sx, sy = self._data_per_unit()
        covered = QRectF(
            self.rect.left() + view.x0 / sx,
            self.rect.top() + view.y0 / sy,
            (view.x1 - view.x0) / sx,
            (view.y1 - view.y0) / sy,
        )
        coloured = {"levels": None, "lut": None} if job.signed_scale is not None else None
        self._show(view.pixels, covered, native, coloured)
        self.shown = job.key

    def _show(
        self,
        pixels: np.ndarray,
        rect: QRectF,
        native: np.ndarray | None = None,
        options: dict | None = None,
    ) -> None:
        self.item.set_pixels(pixels, native, **(self.options if options is None else options))
        self.item.setRect(rect)
