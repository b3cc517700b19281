"""Each pixel's value written inside it, once pixels are big enough on screen to hold text."""

from __future__ import annotations

import math
from collections.abc import Callable

import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont

MIN_PIXEL_PX = 40
DARK, LIGHT = QColor(0, 0, 0), QColor(255, 255, 255)


class PixelValues(pg.GraphicsObject):
    """`describe(row, column)` gives the text and whether the pixel is light (dark text)."""

    def __init__(self, describe: Callable[[int, int], tuple[str, bool] | None]) -> None:
        super().__init__()
        self.describe = describe
        self._rect = QRectF()
        self._step = 1.0
        self._font = QFont()
        self._font.setPixelSize(10)

    def set_extent(self, width: float, height: float, step: float) -> None:
        self.prepareGeometryChange()
        self._rect = QRectF(0, 0, width, height)
        self._step = step
        self.update()

    def boundingRect(self) -> QRectF:
        return self._rect

    def pixel_px(self) -> float:
        view = self.getViewBox()
        unit = view.viewPixelSize()[0] if view is not None else 0
        return self._step / unit if unit else 0.0

    def visible_pixels(self) -> list[tuple[int, int]]:
        """(row, column) of every pixel that gets its value drawn now; none below the zoom."""
        view = self.getViewBox()
        if view is None or self._rect.isEmpty() or self.pixel_px() < MIN_PIXEL_PX:
            return []
        visible = view.viewRect().intersected(self._rect)
        step = self._step
        columns = range(math.floor(visible.left() / step), math.ceil(visible.right() / step))
        rows = range(math.floor(visible.top() / step), math.ceil(visible.bottom() / step))
        return [(row, column) for row in rows for column in columns]

    def paint(self, painter, *args) -> None:
        cells = self.visible_pixels()
        if not cells:
            return
        to_device = painter.transform()
        size = self.pixel_px()
        painter.resetTransform()  # text in screen pixels, not stretched by the zoom
        painter.setFont(self._font)
        for row, column in cells:
            described = self.describe(row, column)
            if described is None:
                continue
            text, light = described
            centre = to_device.map(QPointF((column + 0.5) * self._step, (row + 0.5) * self._step))
            box = QRectF(centre.x() - size / 2, centre.y() - size / 2, size, size)
            painter.setPen(DARK if light else LIGHT)
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
