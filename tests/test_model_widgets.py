"""The widgets render the window model and write it: each control shows what the model
holds and changes only the model (no window, no run: milliseconds)."""

import numpy as np
from PySide6.QtWidgets import QToolBar

from viewer.model import WindowModel
from viewer.ui.compare_view import CompareView
from viewer.ui.heat_controls import HeatControls
from viewer.ui.label_layer import LabelLayer
from viewer.ui.pane_grid import PaneGrid
from viewer.ui.profile import ProfileTool

SPECS = [(key, key.title(), "") for key in ("original", "lowres", "nearest", "bicubic")]


def test_the_heat_controls_show_and_write_the_display(qtbot):
    model = WindowModel()
    controls = HeatControls(model.display)
    qtbot.addWidget(controls)
    model.display.channel, model.display.scale_policy = "red", "fixed"
    assert controls.channel.currentText() == "red" and controls.scale.isEnabled()
    controls.mode_actions["signed"].trigger()
    controls.scale.setValue(12.5)
    assert (model.display.mode, model.display.fixed_scale) == ("signed", 12.5)
    controls.cycle_mode()
    assert model.display.mode == "image" and controls.mode_actions["image"].isChecked()


def test_the_grid_lays_out_what_the_model_says(qtbot):
    model = WindowModel()
    grid = PaneGrid(model)
    qtbot.addWidget(grid)
    model.set_panes(SPECS)
    assert [pane.key for pane in grid.panes] == model.pane_keys()
    model.hide("nearest", True)
    assert [pane.key for pane in grid.visible_panes()] == ["original", "lowres", "bicubic"]
    model.order(["bicubic", "nearest"])
    assert [pane.key for pane in grid.panes][2:] == ["bicubic", "nearest"]
    model.update_pane("bicubic", status="failed", caption="failed", message="no memory")
    assert grid.pane("bicubic").caption.text() == "failed"
    assert "no memory" in grid.pane("bicubic").message.text()
    model.selected = "bicubic"
    assert [pane.key for pane in grid.panes if pane.highlighted] == ["bicubic"]


def test_compare_keeps_the_models_choice_and_writes_the_users(qtbot):
    model = WindowModel()
    view = CompareView(model.compare)
    qtbot.addWidget(view)
    model.compare.b = "nearest"  # chosen before the panes are offered: kept
    image = np.zeros((4, 4, 3), np.uint8)
    view.set_sources([(key, key.title(), image, 1) for key, _, _ in SPECS])
    assert (model.compare.a, model.compare.b) == ("original", "nearest")
    assert view.b_choice.currentData() == "nearest"
    view.a_choice.setCurrentIndex(view.a_choice.findData("lowres"))
    view.step_b(1)
    assert (model.compare.a, model.compare.b) == ("lowres", "bicubic")
    model.compare.mode = "flicker"
    assert view.mode_choice.currentText() == "Flicker"


def test_the_label_toolbar_and_the_profile_line_live_in_the_model(qtbot):
    model = WindowModel()
    grid = PaneGrid(model)
    qtbot.addWidget(grid)
    model.set_panes(SPECS)
    layer = LabelLayer(grid, QToolBar())
    layer.opacity.setValue(20)
    model.labels.view = "errors"
    assert model.labels.opacity == 0.2 and layer.view.currentData() == "errors"
    model.feature_channel = 3  # one class's scores: the labels step aside
    assert not layer.active
    tool = ProfileTool(grid)
    tool.set_active(True)
    tool.set_line((1.0, 2.0), (3.0, 2.0))
    assert model.profile.active and model.profile.ends == ((1.0, 2.0), (3.0, 2.0))
    roi = tool.roi("nearest")
    ends = [roi.mapToParent(position) for _, position in roi.getLocalHandlePositions()]
    assert [(end.x(), end.y()) for end in ends] == [(1.0, 2.0), (3.0, 2.0)]
