"""Each pixel's value written inside it, once pixels are big enough on screen to hold text."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont

from viewer.ui.pixel_overlay import PixelOverlay

MIN_PIXEL_PX = 40
DARK, LIGHT = QColor(0, 0, 0), QColor(255, 255, 255)


class PixelValues(PixelOverlay):
    """`describe(row, column)` gives the text and whether the pixel is light (dark text)."""

    min_px = MIN_PIXEL_PX

    def __init__(self, describe: Callable[[int, int], tuple[str, bool] | None]) -> None:
        super().__init__()
        self.describe = describe
        self._font = QFont()
        self._font.setPixelSize(10)

    def visible_pixels(self, spacing_px: float | None = None) -> list[tuple[int, int]]:
        """(row, column) of every pixel that gets its value drawn now; none below the zoom."""
        rows, columns = self.visible_cells(spacing_px)
        return [(row, column) for row in rows for column in columns]

    def paint(self, painter, *args) -> None:
        size = self.painted_spacing_px(painter)
        cells = self.visible_pixels(size)
        if not cells:
            return
        to_device = painter.transform()
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
