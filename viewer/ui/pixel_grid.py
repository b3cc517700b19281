"""Lines between pixels, drawn only once pixels are big enough on screen to need them."""

from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6.QtCore import QLineF, QRectF
from PySide6.QtGui import QColor, QPen

MIN_SPACING_PX = 12


class PixelGrid(pg.GraphicsObject):
    def __init__(self) -> None:
        super().__init__()
        self._rect = QRectF()
        self._step = 1.0
        self._pen = QPen(QColor(140, 140, 140, 150))
        self._pen.setCosmetic(True)
        self._pen.setWidth(0)

    def set_extent(self, width: float, height: float, step: float) -> None:
        """The grid covers width x height view units, one cell per `step` units."""
        self.prepareGeometryChange()
        self._rect = QRectF(0, 0, width, height)
        self._step = step
        self.update()

    def boundingRect(self) -> QRectF:
        return self._rect

    def spacing_px(self) -> float:
        """Screen pixels between two grid lines at the current zoom."""
        view = self.getViewBox()
        if view is None:
            return 0.0
        unit = view.viewPixelSize()[0]
        return self._step / unit if unit else 0.0

    def paint(self, painter, *args) -> None:
        view = self.getViewBox()
        if view is None or self._rect.isEmpty() or self.spacing_px() < MIN_SPACING_PX:
            return
        visible = view.viewRect().intersected(self._rect)
        step = self._step
        first_x = math.floor(visible.left() / step) * step
        first_y = math.floor(visible.top() / step) * step
        columns = range(int((visible.right() - first_x) / step) + 2)
        rows = range(int((visible.bottom() - first_y) / step) + 2)
        lines = [
            QLineF(first_x + i * step, visible.top(), first_x + i * step, visible.bottom())
            for i in columns
        ]
        lines += [
            QLineF(visible.left(), first_y + j * step, visible.right(), first_y + j * step)
            for j in rows
        ]
        painter.setPen(self._pen)
        painter.drawLines(lines)
