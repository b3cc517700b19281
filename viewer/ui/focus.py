"""Keyboard focus belongs to the panes. A click or the mouse over a pane gives them the
focus; the toolbars' and the panel's editors take it only when clicked, and give it back
after a choice (Return, Escape, a pick in a list, a slider let go). So no view key (an
arrow, 1/2/4/8, D) is ever eaten by a combo or spin box that the user is not editing."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QWidget,
)

EDITORS = (QComboBox, QAbstractSpinBox, QLineEdit, QAbstractSlider)
DONE_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape)


def editors_in(widget: QWidget) -> list[QWidget]:
    """The editors inside `widget`, not the parts of one (a spin box's own line edit)."""
    return [
        child
        for child in widget.findChildren(QWidget)
        if isinstance(child, EDITORS) and not isinstance(child.parentWidget(), EDITORS)
    ]


class KeyboardFocus(QObject):
    """`home()` is the view on show (the grid, or Compare); `areas` hold the editors that
    give the focus back to it; the grid's `hovered` takes the focus to it."""

    def __init__(self, home: Callable[[], QWidget], grid: QWidget, areas: list[QWidget]):
        super().__init__(grid)
        self.home = home
        grid.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        grid.hovered.connect(self.to_panes)
        for area in areas:
            for editor in editors_in(area):
                self.hand_back(editor)
        grid.setFocus(Qt.FocusReason.OtherFocusReason)

    def hand_back(self, editor: QWidget) -> None:
        """`editor` takes the focus from a click only (not Tab), and returns it when done."""
        editor.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        if isinstance(editor, QComboBox):
            editor.activated.connect(self.go_home)
        elif isinstance(editor, QAbstractSlider):
            editor.sliderReleased.connect(self.go_home)
        editor.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride) and (
            event.key() in DONE_KEYS
        ):
            QTimer.singleShot(0, self.go_home)  # after the editor has taken the value
        return False

    def go_home(self, *_args) -> None:
        self.home().setFocus(Qt.FocusReason.OtherFocusReason)

    def to_panes(self, *_args) -> None:
        """The mouse is over a pane: the keys are for the panes (unless they have them)."""
        home = self.home()
        focused = QApplication.focusWidget()
        if focused is None or not (focused is home or home.isAncestorOf(focused)):
            home.setFocus(Qt.FocusReason.MouseFocusReason)
