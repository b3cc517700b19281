"""The toolbars on a small screen: at 1024 px wide every control is on a toolbar, none in
the ">>" overflow menu (the scale controls fell into it, issue 22), for every kind of input."""

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QToolBar, QToolButton

from viewer.core.inputs.degrade import prepare_inputs, prepare_label_inputs
from viewer.core.inputs.label_maps import LabelMap


def photo_inputs():
    return prepare_inputs(np.zeros((48, 64, 3), np.uint8), 2)


def feature_inputs():
    return prepare_inputs(
        np.linspace(0, 255, 48 * 64 * 64, dtype=np.float32).reshape(48, 64, 64), 2
    )


def label_inputs():
    ids = (np.arange(48 * 64).reshape(48, 64) % 5).astype(np.int32)
    return prepare_label_inputs(
        LabelMap("labels.png", ids, "grey"), np.zeros((48, 64, 3), np.uint8), 2
    )


def hidden_controls(window) -> list[str]:
    """Each shown toolbar's visible actions whose button or widget is not wholly on it."""
    hidden = []
    for toolbar in window.findChildren(QToolBar):
        if not toolbar.isVisible():
            continue
        for action in toolbar.actions():
            widget = toolbar.widgetForAction(action)
            if action.isVisible() and not action.isSeparator():
                on_bar = widget.isVisible() and toolbar.rect().contains(widget.geometry())
                if not on_bar:
                    hidden.append(f"{toolbar.windowTitle()}: {action.iconText() or widget}")
    return hidden


def overflow_shown(window) -> bool:
    return any(
        button.isVisible()
        for toolbar in window.findChildren(QToolBar)
        for button in toolbar.findChildren(QToolButton, "qt_toolbar_ext_button")
    )


@pytest.mark.parametrize("width", [1024, 1920])
@pytest.mark.parametrize("make_inputs", [photo_inputs, feature_inputs, label_inputs])
def test_every_toolbar_control_is_on_the_toolbar_at_1024_px(make_window, qtbot, width, make_inputs):
    window = make_window()
    window.resize(width, 700)
    inputs = make_inputs()
    window.show_feature_choices(inputs)
    window.label_layer.set_available(inputs.kind == "labels")
    names = window.feature_view.names
    window.feature_view.choose(len(names) - 1 if names else None)  # the longest name

    def laid_out() -> None:
        assert window.heat.width() == width
        # Feature and label maps: one channel control, the feature view's (issue 22 item 8).
        assert window.heat.channel.isVisible() == (inputs.kind == "image")
        assert window.feature_bar.isVisible() == (inputs.kind != "image")

    qtbot.waitUntil(laid_out)
    assert hidden_controls(window) == [] and not overflow_shown(window)


def test_the_feature_channel_box_gives_the_keys_back(make_window, qtbot):
    """Typing a channel and Return leaves the keys with the panes: a following 8 zooms, it
    does not choose channel 8 (the box moved to a toolbar of its own)."""
    window = make_window()
    window.show_feature_choices(feature_inputs())
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    number = window.feature_view.number
    assert number.focusPolicy() == Qt.FocusPolicy.ClickFocus  # not reached by Tab
    window.feature_view.view.setCurrentIndex(1)  # one channel
    number.setFocus(Qt.FocusReason.MouseFocusReason)  # what a click does
    qtbot.waitUntil(number.hasFocus)
    number.lineEdit().selectAll()
    qtbot.keyClicks(number.lineEdit(), "40")
    qtbot.keyClick(number.lineEdit(), Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: window.grid.isAncestorOf(QApplication.focusWidget()) or window.grid.hasFocus()
    )
    assert window.feature_channel() == 40
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_8)
    assert window.feature_channel() == 40


def test_the_feature_bar_follows_the_input_not_the_saved_state(make_window, tmp_path):
    """A window closed on a feature map saved its feature bar as shown: the next one showed
    it, empty, from the start."""
    from PySide6.QtCore import QSettings

    store = QSettings(str(tmp_path / "kept.ini"), QSettings.Format.IniFormat)
    first = make_window(store=store)
    first.show_feature_choices(feature_inputs())
    assert first.feature_bar.isVisible()
    first.close()
    again = make_window(store=QSettings(str(tmp_path / "kept.ini"), QSettings.Format.IniFormat))
    assert not again.feature_bar.isVisible() and not again.label_layer.toolbar.isVisible()


def test_the_feature_list_fits_entries_that_come_after_its_first_show(qtbot):
    """Shown empty, Qt's combo box kept that width: "PCA: first 3 components as RGB" read
    "PCA: firs"."""
    from viewer.model import WindowModel
    from viewer.ui.feature_choice import FeatureChoice

    choice = FeatureChoice(WindowModel())
    qtbot.addWidget(choice)
    choice.show()
    view = choice.view
    qtbot.waitUntil(lambda: view.width() == view.sizeHint().width())  # laid out, empty
    choice.offer(feature_inputs())
    text = view.fontMetrics().horizontalAdvance(view.currentText())
    qtbot.waitUntil(lambda: view.sizeHint().width() > text)
