"""Drawings over an image that depend on how large its pixels are on screen."""

from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6.QtCore import QRectF


class PixelOverlay(pg.GraphicsObject):
    """Covers width x height view units, one cell per `step` units (r for the low-res pane);
    subclasses draw once a cell is at least `min_px` screen pixels wide."""

    min_px = 12.0

    def __init__(self) -> None:
        super().__init__()
        self._rect = QRectF()
        self._step = 1.0

    def set_extent(self, width: float, height: float, step: float) -> None:
        self.prepareGeometryChange()
        self._rect = QRectF(0, 0, width, height)
        self._step = step
        self.update()

    def boundingRect(self) -> QRectF:
        return self._rect

    def spacing_px(self) -> float:
        """Screen pixels across one cell at the current zoom."""
        view = self.getViewBox()
        unit = view.viewPixelSize()[0] if view is not None else 0
        return self._step / unit if unit else 0.0

    def painted_spacing_px(self, painter) -> float:
        """spacing_px while painting, read off the painter's transform: a zoom step paints
        every pane's overlays, and pyqtgraph's viewPixelSize costs about 80 µs a call."""
        return self._step * abs(painter.transform().m11())

    def visible_cells(self, spacing_px: float | None = None) -> tuple[range, range]:
        """(rows, columns) of the cells in view; empty while cells are under `min_px`."""
        view = self.getViewBox()
        if spacing_px is None:
            spacing_px = self.spacing_px()
        if view is None or self._rect.isEmpty() or spacing_px < self.min_px:
            return range(0), range(0)
        visible = view.viewRect().intersected(self._rect)
        step = self._step
        rows = range(math.floor(visible.top() / step), math.ceil(visible.bottom() / step))
        columns = range(math.floor(visible.left() / step), math.ceil(visible.right() / step))
        return rows, columns
