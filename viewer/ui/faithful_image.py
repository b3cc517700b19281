"""An image item that shows the truth at every zoom: sharp pixels at 100 % and above, the
area average of the pixels under each screen pixel below (viewer.core.minify)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF

from viewer.core.minify import Pyramid


class FaithfulImage:
    """Owns what `item` shows. `set` takes the whole image and the rectangle it covers in the
    view's coordinates; on every view change the item gets either that image (zoom >= 1) or
    an area-averaged view of the visible part at screen resolution."""

    def __init__(self, viewbox: pg.ViewBox, item: pg.ImageItem) -> None:
        self.viewbox = viewbox
        self.item = item
        self.data: np.ndarray | None = None
        self.rect = QRectF()
        self.options: dict = {}
        self._pyramid: Pyramid | None = None
        self._shown: tuple | None = None  # what the item holds now, to skip repeated work
        viewbox.sigRangeChanged.connect(lambda *_: self.refresh())
        viewbox.sigResized.connect(lambda *_: self.refresh())

    def set(
        self, data: np.ndarray, rect: QRectF, ahead: tuple[np.ndarray, ...] = (), **options
    ) -> None:
        """Show `data` over `rect`; `ahead`: its mipmap levels, if made already (see
        minify.levels_ahead); `options` go to ImageItem.setImage (levels, lut)."""
        self.data, self.rect, self.options = data, QRectF(rect), options
        self._pyramid = Pyramid(data, ahead)
        self._shown = None
        self.refresh()

    def set_options(self, **options) -> None:
        """New levels or colour table for the same data."""
        self.options = options
        self.item.setLevels(options.get("levels"))
        self.item.setLookupTable(options.get("lut"))

    def clear(self) -> None:
        self.data, self._pyramid, self._shown = None, None, None
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
        if self.data is None or not self.item.isVisible():
            return
        zoom = self.screen_pixels_per_pixel()
        if zoom >= 1 or zoom == 0:
            if self._shown != ("whole",):
                self._show(self.data, self.rect)
                self._shown = ("whole",)
            return
        visible = self.viewbox.viewRect().intersected(self.rect)
        if visible.isEmpty():
            return
        sx = self.data.shape[1] / self.rect.width()  # data pixels per view unit
        sy = self.data.shape[0] / self.rect.height()
        x0, x1 = (visible.left() - self.rect.left()) * sx, (visible.right() - self.rect.left()) * sx
        y0, y1 = (visible.top() - self.rect.top()) * sy, (visible.bottom() - self.rect.top()) * sy
        width = max(1, round((x1 - x0) * zoom))
        height = max(1, round((y1 - y0) * zoom))
        key = ("area", round(x0), round(y0), round(x1), round(y1), width, height)
        if key == self._shown:
            return
        view = self._pyramid.area_view(x0, y0, x1, y1, width, height)
        covered = QRectF(
            self.rect.left() + view.x0 / sx,
            self.rect.top() + view.y0 / sy,
            (view.x1 - view.x0) / sx,
            (view.y1 - view.y0) / sy,
        )
        self._show(view.pixels, covered)
        self._shown = key

    def _show(self, pixels: np.ndarray, rect: QRectF) -> None:
        self.item.setImage(pixels, autoLevels=False, **self.options)
        self.item.setRect(rect)
