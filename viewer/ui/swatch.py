"""A pane's colour as a small square icon beside its name: the name itself stays in the
normal text colour, so light colours (the original's near-white, yellow) stay readable and
no entry looks disabled."""

from __future__ import annotations

from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap

SIZE = 12


def swatch_icon(colour: str) -> QIcon:
    """A filled square of `colour` with a thin grey frame (a white swatch on white shows)."""
    pixmap = QPixmap(SIZE, SIZE)
    pixmap.fill(QColor(0, 0, 0, 0))
    painter = QPainter(pixmap)
    painter.setPen(QColor(128, 128, 128))
    painter.setBrush(QColor(colour) if colour else QColor(0, 0, 0, 0))
    painter.drawRect(0, 0, SIZE - 1, SIZE - 1)
    painter.end()
    return QIcon(pixmap)
