"""One-line labels for a pane's two lines, which must never widen its column: a title that
elides, keeping what tells two names apart, and a numbers line that shrinks or wraps before
it drops a number."""

from __future__ import annotations

import re

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import QSizePolicy, QWidget

QUALIFIED = re.compile(r"^(?P<base>.+?)\s*(?P<qualifier>\([^()]*\))$")
ELLIPSIS = "…"


def elide_name(text: str, metrics: QFontMetrics, width: int) -> str:
    """`text` as it fits in `width`: whole, or with its base name elided and its qualifier
    kept ("Conv2D… (article)", "Conv2D… (tuned)": two methods stay two). Where not even the
    qualifier fits, the most of the base that leaves the qualifier's first two letters
    ("Bilinear (al…", "Conv2… (ar…" / "Conv2… (tu…": cut at the end, both read "Conv2D…"),
    then both ends ("Con…le)"); a name without a qualifier is cut at the end."""
    if metrics.horizontalAdvance(text) <= width:
        return text
    match = QUALIFIED.match(text)
    if not match:
        return metrics.elidedText(text, Qt.TextElideMode.ElideRight, width)
    base, qualifier = match["base"], match["qualifier"]
    room = width - metrics.horizontalAdvance(" " + qualifier)
    if room >= metrics.horizontalAdvance("W" + ELLIPSIS):
        return metrics.elidedText(base, Qt.TextElideMode.ElideRight, room) + " " + qualifier
    for cut in range(len(base), 0, -1):
        head = base if cut == len(base) else base[:cut].rstrip() + ELLIPSIS
        rest = width - metrics.horizontalAdvance(head + " ")
        shown = metrics.elidedText(qualifier, Qt.TextElideMode.ElideRight, rest)
        if len(shown) >= len("(ab" + ELLIPSIS):
            return head + " " + shown
    return metrics.elidedText(text, Qt.TextElideMode.ElideMiddle, width)


class TextWidget(QWidget):
    """A text that never asks for a wider column; subclasses choose its font and draw it."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._text = text
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)

    def text(self) -> str:
        return self._text

    def setText(self, text: str) -> None:
        self._text = text
        self.update()


class ElidedLabel(TextWidget):
    """Plain text, drawn in one line; what does not fit is elided by `elide_name` (the whole
    text is in `text()` and in the tooltip the owner sets)."""

    def __init__(self, text: str = "", bold: bool = False) -> None:
        super().__init__(text)
        font = self.font()
        font.setBold(bold)
        self.setFont(font)

    def elided(self) -> str:
        """What is drawn at the current width."""
        return elide_name(self._text, self.fontMetrics(), self.width())

    def sizeHint(self) -> QSize:
        metrics = self.fontMetrics()
        return QSize(metrics.horizontalAdvance(self._text), metrics.height())

    def minimumSizeHint(self) -> QSize:
        return QSize(0, self.fontMetrics().height())

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        align = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        painter.drawText(self.rect(), align, self.elided())


class NumbersLabel(TextWidget):
    """A line of numbers joined by `separator`: drawn in one line, in a smaller font down to
    `SMALLEST` of the normal size if it must, then in two lines; only what fits in neither
    is elided. Every pane's label has the same height (two lines of the smallest font, or
    one of the normal), so the views under them keep one size."""

    SMALLEST = 0.75
    STEPS = 6

    def __init__(self, text: str = "", separator: str = " · ") -> None:
        super().__init__(text)
        self.separator = separator
        font = self.font()
        font.setPointSizeF(font.pointSizeF() * 0.9)
        self.setFont(font)

    def fonts(self) -> list[QFont]:
        """The fonts tried, largest first."""
        sizes = [
            self.font().pointSizeF() * (1 - (1 - self.SMALLEST) * i / (self.STEPS - 1))
            for i in range(self.STEPS)
        ]
        fonts = []
        for size in sizes:
            font = QFont(self.font())
            font.setPointSizeF(size)
            fonts.append(font)
        return fonts

    def layout_lines(self) -> tuple[QFont, list[str]]:
        """The font and the lines drawn at the current width."""
        width, fonts = self.width(), self.fonts()
        for font in fonts:
            if QFontMetrics(font).horizontalAdvance(self._text) <= width:
                return font, [self._text]
        parts = self._text.split(self.separator)
        for font in fonts:
            metrics = QFontMetrics(font)
            if 2 * metrics.height() > max(self.height(), self.line_height()):
                continue  # two lines of it do not fit in the label's height
            for first, second in two_lines(parts):
                lines = [self.separator.join(first), self.separator.join(second)]
                if all(metrics.horizontalAdvance(line) <= width for line in lines):
                    return font, lines
        font = fonts[-1]
        metrics = QFontMetrics(font)
        cut = max(1, len(parts) // 2)
        lines = [self.separator.join(parts[:cut]), self.separator.join(parts[cut:])]
        lines = [line for line in lines if line]
        return font, [metrics.elidedText(s, Qt.TextElideMode.ElideRight, width) for s in lines]

    def shown(self) -> list[str]:
        """The lines drawn at the current width."""
        return self.layout_lines()[1]

    def line_height(self) -> int:
        return max(self.fontMetrics().height(), 2 * QFontMetrics(self.fonts()[-1]).height())

    def sizeHint(self) -> QSize:
        return QSize(self.fontMetrics().horizontalAdvance(self._text), self.line_height())

    def minimumSizeHint(self) -> QSize:
        return QSize(0, self.line_height())

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        font, lines = self.layout_lines()
        painter.setFont(font)
        step = QFontMetrics(font).height()
        top = (self.height() - step * len(lines)) // 2
        align = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        for index, line in enumerate(lines):
            painter.drawText(QRect(0, top + index * step, self.width(), step), align, line)


def two_lines(parts: list[str]) -> list[tuple[list[str], list[str]]]:
    """The ways `parts` are set in two lines, in the order tried: cut where they read on,
    then the last (the time) beside the first, where the shorter line has room for it
    ('28.04 dB · 13 ms' over 'SSIM 0.9191' fits 14 px narrower than the cuts)."""
    cuts = [(parts[:cut], parts[cut:]) for cut in range(len(parts) - 1, 0, -1)]
    if len(parts) > 2:
        cuts.append(([parts[0], parts[-1]], parts[1:-1]))
    return cuts
