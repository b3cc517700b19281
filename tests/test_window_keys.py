"""The keyboard: the panes have the keys after a click or a hover; editors give them back
after a choice, and never eat a view key they are not editing."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractSpinBox, QApplication
from window_helpers import hover


def active(window, qtbot):
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    return window


def panes_have_focus(window) -> bool:
    focused = QApplication.focusWidget()
    return focused is window.grid or window.grid.isAncestorOf(focused)


def test_the_panes_have_the_keys_from_the_start_and_after_a_click(loaded, qtbot):
    window = active(loaded, qtbot)
    assert panes_have_focus(window)  # not the toolbar's Channel box
    qtbot.mouseClick(window.grid.pane("bicubic").view.viewport(), Qt.MouseButton.LeftButton)
    assert panes_have_focus(window)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_8)
    qtbot.waitUntil(lambda: window.grid.zoom_factor() == pytest.approx(8, rel=0.02))
    before = window.grid.region()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down)
    assert window.model.display.channel == "luma"  # Down panned; it chose no channel
    qtbot.waitUntil(lambda: window.grid.region()[1] > before[1])
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: window.grid.region()[0] > before[0])


def test_toolbar_editors_are_not_reached_by_tab_and_give_the_keys_back(loaded, qtbot):
    window = active(loaded, qtbot)
    for editor in (window.heat.channel, window.heat.policy, window.heat.scale):
        assert editor.focusPolicy() == Qt.FocusPolicy.ClickFocus
    steps = window.panel.editors["steps"].findChild(QAbstractSpinBox)
    assert steps.focusPolicy() == Qt.FocusPolicy.ClickFocus
    steps.setFocus(Qt.FocusReason.MouseFocusReason)  # what a click does
    qtbot.waitUntil(steps.hasFocus)
    steps.lineEdit().selectAll()
    qtbot.keyClicks(steps.lineEdit(), "7")
    qtbot.keyClick(steps.lineEdit(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panes_have_focus(window))
    assert window.panel.settings().steps == 7
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_2)  # a zoom, not 72 steps
    qtbot.waitUntil(lambda: window.grid.zoom_factor() == pytest.approx(2, rel=0.02))
    assert window.panel.settings().steps == 7


def test_a_choice_in_a_combo_gives_the_keys_back(loaded, qtbot):
    window = active(loaded, qtbot)
    channel = window.heat.channel
    channel.setFocus()
    channel.activated.emit(1)  # what picking an entry in its list sends
    qtbot.waitUntil(lambda: panes_have_focus(window))


def test_hovering_a_pane_gives_it_the_keys(loaded, qtbot):
    window = active(loaded, qtbot)
    steps = window.panel.editors["steps"].findChild(QAbstractSpinBox)
    steps.setFocus(Qt.FocusReason.MouseFocusReason)
    focused = QApplication.focusWidget()
    assert focused is not None and not panes_have_focus(window)
    pane = window.grid.pane("nearest")
    hover(pane, 10.5, 10.5)
    qtbot.waitUntil(lambda: panes_have_focus(window))
