"""A one-line label that elides its end instead of being cut or widening its column."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QSizePolicy, QWidget


class ElidedLabel(QWidget):
    """Plain text, drawn in one line; what does not fit ends in "…" (the whole text is in
    `text()` and, unless a tooltip is set, in the tooltip)."""

    def __init__(self, text: str = "", bold: bool = False, smaller: bool = False) -> None:
        super().__init__()
        self._text = ""
        font = self.font()
        font.setBold(bold)
        if smaller:
            font.setPointSizeF(font.pointSizeF() * 0.9)
        self.setFont(font)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setText(text)

    def text(self) -> str:
        return self._text

    def setText(self, text: str) -> None:
        self._text = text
        self.update()

    def elided(self) -> str:
        """What is drawn at the current width."""
        metrics = self.fontMetrics()
        return metrics.elidedText(self._text, Qt.TextElideMode.ElideRight, self.width())

    def sizeHint(self) -> QSize:
        metrics = self.fontMetrics()
        return QSize(metrics.horizontalAdvance(self._text), metrics.height())

    def minimumSizeHint(self) -> QSize:
        return QSize(0, self.fontMetrics().height())

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        align = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        painter.drawText(self.rect(), align, self.elided())
