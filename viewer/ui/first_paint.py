"""Doing something once the window is on screen.

The first run starts the engine thread, which imports Paddle: seconds of imports that hold
the GIL and would hold up the window's first paint. A zero timer after `show()` fires before
the X server has even asked for that paint, so the run waits for the paint itself.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

# Without a paint (a platform that never exposes the window), go ahead after this long.
FALLBACK_MS = 1000


class _FirstPaint(QObject):
    def __init__(self, widget: QWidget, action: Callable[[], None]) -> None:
        super().__init__(widget)
        self._action: Callable[[], None] | None = action
        widget.installEventFilter(self)
        QTimer.singleShot(FALLBACK_MS, self, self._run)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self, self._run)  # once this paint is done
        return False

    def _run(self) -> None:
        action, self._action = self._action, None
        if action is not None:
            action()


def after_first_paint(widget: QWidget, action: Callable[[], None]) -> None:
    """Run `action` once, right after `widget` is first painted."""
    _FirstPaint(widget, action)
