"""Lines between pixels, drawn only once pixels are big enough on screen to need them."""

from __future__ import annotations

from PySide6.QtCore import QLineF
from PySide6.QtGui import QColor, QPen

from viewer.ui.pixel_overlay import PixelOverlay

MIN_SPACING_PX = 12


class PixelGrid(PixelOverlay):
    min_px = MIN_SPACING_PX

    def __init__(self) -> None:
        super().__init__()
        self._pen = QPen(QColor(140, 140, 140, 150))
        self._pen.setCosmetic(True)
        self._pen.setWidth(0)

    def paint(self, painter, *args) -> None:
        rows, columns = self.visible_cells(self.painted_spacing_px(painter))
        if not rows or not columns:
            return
        step, area = self._step, self._rect
        top, bottom = rows.start * step, rows.stop * step
        left, right = columns.start * step, columns.stop * step
        lines = [
            QLineF(c * step, top, c * step, bottom) for c in range(columns.start, columns.stop + 1)
        ]
        lines += [QLineF(left, r * step, right, r * step) for r in range(rows.start, rows.stop + 1)]
        painter.setClipRect(area)
        painter.setPen(self._pen)
        painter.drawLines(lines)
