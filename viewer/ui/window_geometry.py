"""The window's place on screen. The first window fits the available screen (a fixed
1400 x 900 put the columns, the Metrics table and the status bar off a 1024 x 700 screen); a
geometry remembered from a larger screen is clamped to this one; the bottom docks open tall
enough to read eight rows, and a size the user gives them is remembered; a dock that shows a
dataset or a profile opens with them, not because the last session had it open."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDockWidget,
    QFrame,
    QMainWindow,
    QScrollArea,
    QTableView,
    QToolBar,
    QWidget,
)

from viewer.ui.window_settings import WindowSettings

PREFERRED = QSize(1400, 900)
FRAME = QSize(8, 40)  # what a window manager adds around a window, until it says
ROWS = 8  # table rows the bottom dock shows at first, where the screen allows
BOTTOM_SHARE = 0.35  # the most of the window's height the bottom docks take at first


def available(window: QMainWindow) -> QRect:
    """The screen's room for windows (without panels and docks of the desktop)."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def clamped(frame: QRect, area: QRect) -> QRect:
    """`frame` moved and shrunk to lie inside `area`."""
    width, height = min(frame.width(), area.width()), min(frame.height(), area.height())
    left = min(max(frame.left(), area.left()), area.right() + 1 - width)
    top = min(max(frame.top(), area.top()), area.bottom() + 1 - height)
    return QRect(left, top, width, height)


def fit_to_screen(window: QMainWindow) -> None:
    """Move and shrink the window (its frame included) into the available screen; one that
    fits is left where it is. Before it is shown its frame is a guess, and moving it to
    the guess put its frame where its contents had been: under a window manager a restored
    window crept down by the title bar's height at each start."""
    frame, inner = window.frameGeometry(), window.geometry()
    border = QSize(frame.width() - inner.width(), frame.height() - inner.height())
    if not window.isVisible() or border.isNull():
        border = FRAME
    outer = QRect(frame.topLeft(), inner.size() + border)
    target = clamped(outer, available(window))
    if target != outer:
        window.resize(target.size() - border)
        window.move(target.topLeft())


class WindowGeometry(QObject):
    """Places `window` as it is first shown and remembers it when it closes: its geometry
    and its docks' sizes (QMainWindow.saveState)."""

    def __init__(self, window: QMainWindow, settings: WindowSettings, bottom: QDockWidget):
        super().__init__(window)
        self.window, self.settings, self.bottom = window, settings, bottom
        self.placed = False
        geometry = settings.geometry()
        # Qt refuses a geometry saved on a screen of another width (1920 -> 1024): the
        # window kept Qt's 640 x 480, grew to 689 wide, and 22 label panes in 4 columns
        # made it taller than a 700 px screen. Such a window starts as a first one does.
        if geometry is None or not window.restoreGeometry(geometry):
            window.resize(PREFERRED)
        for bar in window.findChildren(QToolBar):  # saveState names what it saves
            bar.setObjectName(bar.objectName() or bar.windowTitle())
        # What the window hides as it is made (the Dataset and Line profile docks) is shown
        # by what it belongs to: restoreState brings back places and sizes, but also what
        # the last session showed, and opened an empty Dataset dock over one image.
        hidden = [dock for dock in window.findChildren(QDockWidget) if dock.isHidden()]
        state = settings.window_state()
        self.restored = state is not None and window.restoreState(state)
        for dock in hidden:
            dock.hide()
        if set(hidden) & set(window.tabifiedDockWidgets(bottom)):
            bottom.raise_()  # not the tab that happens to sit beside the one hidden
        fit_to_screen(window)
        window.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Show and not self.placed:
            self.placed = True
            fit_to_screen(self.window)  # now with the real frame
            if not self.restored:  # once the docks are laid out: sooner, Qt's layout wins
                QTimer.singleShot(0, self.size_bottom_docks)
        return False

    def size_bottom_docks(self, asked: int | None = None, tries: int = 2) -> None:
        """Eight table rows, or what a small window can spare for them. What surrounds the
        rows (the dock's title, the tabs of the docks beside it) is measured, not guessed:
        the size is asked for, measured and asked for again with what was missing."""
        table = self.bottom.widget()
        if not isinstance(table, QTableView) or tries == 0:
            return
        short = ROWS * table.verticalHeader().defaultSectionSize() - table.viewport().height()
        start = self.bottom.height() if asked is None else asked
        height = min(start + short, int(self.window.height() * BOTTOM_SHARE))
        if short <= 0 or height <= start:
            return
        self.window.resizeDocks([self.bottom], [height], Qt.Orientation.Vertical)
        QTimer.singleShot(0, lambda: self.size_bottom_docks(height, tries - 1))

    def save(self) -> None:
        self.settings.save_geometry(self.window.saveGeometry())
        self.settings.save_window_state(self.window.saveState())


def scrolled(widget: QWidget) -> QScrollArea:
    """`widget` in a scroll area: a dock of it (the settings) shrinks with a small screen
    instead of making the window taller than the screen."""
    area = QScrollArea()
    area.setWidget(widget)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    return area
