"""The parts of the main window that its adapters (ports, pane menus) work with.

A structural type: `MainWindow` has these parts, and the adapters name this instead of the
window class, so the window may import its adapters without an import loop.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import SignalInstance
from PySide6.QtWidgets import QLabel, QProgressBar

from viewer.controllers.export import ExportController
from viewer.controllers.inputs import InputsController
from viewer.controllers.runs import RunsController
from viewer.model import WindowModel
from viewer.ui.dataset_table import DatasetTable
from viewer.ui.heat_controls import HeatControls
from viewer.ui.label_layer import LabelLayer
from viewer.ui.loss_plot import LossPlot
from viewer.ui.menus import Menus
from viewer.ui.metrics_table import MetricsTable
from viewer.ui.pane_grid import PaneGrid
from viewer.ui.profile import ProfileTool
from viewer.ui.side_panel import SidePanel
from viewer.ui.window_settings import WindowSettings


class Refreshable(Protocol):
    def refresh(self) -> None: ...


class WindowParts(Protocol):
    model: WindowModel
    settings: WindowSettings
    grid: PaneGrid
    panel: SidePanel
    table: MetricsTable
    dataset: DatasetTable
    heat: HeatControls
    loss_plot: LossPlot
    label_layer: LabelLayer
    profile_tool: ProfileTool
    menus: Menus
    status: QLabel
    progress: QProgressBar
    runs: RunsController
    inputs: InputsController
    exports: ExportController
    pane_menus: Refreshable

    runFinished: SignalInstance
    progressShown: SignalInstance
    loadFailed: SignalInstance
    exportFinished: SignalInstance
    datasetFinished: SignalInstance

    def show_error(self, message: str) -> None: ...
