"""The main window is layout: docks, toolbars, the status bar, and the assembly of widgets
and controllers. What the window does lives in the controllers (viewer/controllers: runs,
dataset runs, inputs, export, the actions table), reached through the adapters in
viewer/ui (engine_link, run_port, ports, menus, pane_menus); what it shows lives in the
model (viewer/model)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from viewer.controllers.datasets import DatasetController
from viewer.controllers.export import ExportController
from viewer.controllers.inputs import InputsController
from viewer.controllers.runs import RunsController
from viewer.core.inputs.image_io import DEFAULT_MAX_PIXELS
from viewer.core.measure.flip import stop_flip
from viewer.model import WindowModel
from viewer.ui.background import Background
from viewer.ui.compare_view import CompareView
from viewer.ui.dataset_table import DatasetTable
from viewer.ui.engine_link import EngineLink
from viewer.ui.feature_choice import FeatureChoice
from viewer.ui.file_watch import FileWatch
from viewer.ui.focus import KeyboardFocus
from viewer.ui.heat_controls import ColourBar, HeatControls
from viewer.ui.label_layer import LabelLayer
from viewer.ui.loss_plot import LossPlot
from viewer.ui.menus import Menus
from viewer.ui.metrics_table import MetricsTable
from viewer.ui.pane_grid import PaneGrid
from viewer.ui.pane_menus import PaneMenus
from viewer.ui.pixel_inspector import PixelInspector
from viewer.ui.pixel_readout import PixelReadout
from viewer.ui.ports import Exporters, ExportPort, InputsPort
from viewer.ui.profile import ProfilePlot, ProfileTool
from viewer.ui.run_port import DatasetPort, RunPort
from viewer.ui.side_panel import SidePanel
from viewer.ui.window_geometry import WindowGeometry, scrolled
from viewer.ui.window_settings import WindowSettings

PROGRESS_MS = 50  # training progress is drawn at most this often


class MainWindow(QMainWindow):
    """Signals let tests and `--screenshot` wait without sleeping. They are emitted in the GUI
    thread: waiting on the worker's own (cross-thread, queued) signals is unsafe in PySide."""

    runFinished = Signal(object)
    progressShown = Signal(object)
    loadFailed = Signal(str)
    exportFinished = Signal(str)
    workerReady = Signal()  # the worker has imported Paddle (re-emitted in the GUI thread)
    datasetFinished = Signal(bool)  # a folder's run ended (True: cancelled)

    def __init__(
        self, store: QSettings, max_pixels: int = DEFAULT_MAX_PIXELS, device: str = "auto"
    ) -> None:
        super().__init__()
        self.settings = WindowSettings(store)
        self.max_pixels = max_pixels
        self.engine = EngineLink(self, device)
        self.worker = self.engine.worker
        self.loader = Background(self, "upsample-load")
        self.exporter = Background(self, "upsample-export")
        self.exports = ExportController(
            ExportPort(self), self.settings, Exporters(self.exporter, self.engine)
        )
        self.exporter.done.connect(self.exports.region_written)
        self.last_error = ""
        self.feature_values: dict[str, np.ndarray] = {}
        self.error_box: QMessageBox | None = None

        self.model = WindowModel()  # what the window shows; the widgets render it
        self.grid = PaneGrid(self.model)
        self.heat = HeatControls(self.model.display)
        self.colour_bar = ColourBar(self.grid)
        grid_page = QWidget()
        row = QHBoxLayout(grid_page)
        row.setContentsMargins(4, 4, 4, 4)
        row.addWidget(self.grid, stretch=1)
        row.addWidget(self.colour_bar)
        self.compare = CompareView(self.model.compare)
        self.pages = QStackedWidget()
        self.pages.addWidget(grid_page)
        self.pages.addWidget(self.compare)
        self.setCentralWidget(self.pages)
        self.addToolBar(self.heat)

        self.panel = SidePanel()
        self.panel.set_settings(self.settings.options())
        self.panel.set_selected_methods(self.settings.methods())
        self.profile_tool = ProfileTool(self.grid)
        self.profile_plot = ProfilePlot(self.grid, self.profile_tool, self.settings)
        self.profile_plot.exported.connect(lambda path: self.status.setText(f"Wrote {path}"))
        self.profile_plot.failed.connect(self.show_error)
        self.table = MetricsTable()
        self.table.methodSelected.connect(self.highlight)
        settings = scrolled(self.panel)  # it shrinks with a small screen
        settings_dock = self._dock("Settings", settings, Qt.DockWidgetArea.LeftDockWidgetArea)
        metrics = self._dock("Metrics", self.table, Qt.DockWidgetArea.BottomDockWidgetArea)
        self.loss_plot = LossPlot()
        losses = self._dock("Training loss", self.loss_plot, Qt.DockWidgetArea.BottomDockWidgetArea)
        self.tabifyDockWidget(metrics, losses)
        self.dataset = DatasetTable()
        self.dataset_dock = self._dock(
            "Dataset", self.dataset, Qt.DockWidgetArea.BottomDockWidgetArea
        )
        self.tabifyDockWidget(metrics, self.dataset_dock)
        self.dataset_dock.hide()
        metrics.raise_()
        self.profile_dock = self._dock(
            "Line profile", self.profile_plot, Qt.DockWidgetArea.BottomDockWidgetArea
        )
        self.profile_dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        self.profile_dock.hide()
        # A tab beside the settings: the panes keep their room until it is wanted.
        self.inspector = PixelInspector()
        inspector = self._dock(
            "Pixel inspector", self.inspector, Qt.DockWidgetArea.LeftDockWidgetArea
        )
        self.tabifyDockWidget(settings_dock, inspector)
        settings_dock.raise_()
        self.resizeDocks([settings_dock], [300], Qt.Orientation.Horizontal)

        self.readout = QLabel()
        self.zoom_label = QLabel()
        self.zoom_label.setToolTip(
            "Screen pixels per image pixel. Below 100 % every screen "
            "pixel is the average of the image pixels under it"
        )
        self.image_info = QLabel()  # what loading changed (crop, alpha, scaling): stays shown
        self.status = QLabel("Ready")
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(220)
        self.progress.hide()
        self.statusBar().addWidget(self.image_info)
        self.statusBar().addWidget(self.status)
        self.statusBar().addWidget(self.readout, stretch=1)
        self.statusBar().addPermanentWidget(self.zoom_label)
        self.statusBar().addPermanentWidget(self.progress)
        # Read the zoom after the view has settled: asking a view for its pixel size while
        # it emits a range change re-enters its aspect-locked setRange.
        self._zoom_timer = QTimer(self, singleShot=True, interval=0)
        self.progress_timer = QTimer(self, singleShot=True, interval=PROGRESS_MS)
        self._zoom_timer.timeout.connect(self._show_zoom)
        self.grid.regionChanged.connect(self._zoom_timer.start)
        self.compare.regionChanged.connect(self._zoom_timer.start)
        if self.settings.notes:
            self.status.setText("Settings: " + "; ".join(self.settings.notes))

        self._build_controllers(max_pixels)
        self.pixel_readout = PixelReadout(self)

        self._build_menus()
        self.model.compare.events.active.connect(self._compare_toggled)
        self.model.profile.events.active.connect(self._profile_toggled)
        self.model.events.feature_channel.connect(self.show_feature_view)
        self.setAcceptDrops(True)
        self.setWindowTitle("Upsample Viewer")
        self.placement = WindowGeometry(self, self.settings, metrics)
        # The toolbars of feature and label maps follow the input, not the saved state: a
        # feature bar restored empty at start showed a blank bar and sized its list box
        # empty (it then cut "PCA: first 3 components as RGB" to "PCA: firs").
        self.feature_bar.hide()
        self.label_layer.set_available(False)
        self.run_port.show_chosen()

    def _build_controllers(self, max_pixels: int) -> None:
        """The controllers of runs, dataset runs and inputs, wired to the worker, the loader
        and the widgets that start them."""
        self.run_port = RunPort(self)
        self.runs = RunsController(
            self.run_port, self.engine, self.progress_timer, self.model.session, max_pixels
        )
        self.datasets = DatasetController(DatasetPort(self), self.runs)
        self.inputs_port = InputsPort(self)
        self.inputs = InputsController(
            self.inputs_port, self.settings, self.loader, self.runs, self.datasets
        )
        self.engine.deliver = self.runs.arrived
        self.engine.ready.connect(self.workerReady)
        self.engine.exported.connect(self.exports.run_exported)
        self.engine.exportFailed.connect(self.show_error)
        self.loader.done.connect(self.inputs.file_read)
        self.file_watch = FileWatch(self)
        self.file_watch.saved.connect(self.inputs.upsamplers.saved)
        self.panel.removeRequested.connect(self.inputs.upsamplers.remove)
        self.progress_timer.timeout.connect(self.runs.draw_pending)
        self.panel.runRequested.connect(self.runs.rerun)
        self.panel.cancelRequested.connect(self.runs.cancel)
        self.dataset.imageSelected.connect(self.datasets.show)

    def _dock(self, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(title)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    # menus and keys ------------------------------------------------------------------------
    def command_target(self, name: str) -> object:
        """The object an action's command names (viewer/controllers/actions.py); the view
        keys move the compare view while it is shown, else the grid."""
        if name == "view":
            return self.compare if self.comparing() else self.grid
        targets = {
            "grid": self.grid,
            "compare": self.compare,
            "heat": self.heat,
            "export": self.exports,
            "inputs": self.inputs,
            "runs": self.runs,
            "panes": self.pane_menus,
            "menus": self.menus,
        }
        return targets.get(name, self)

    def _build_menus(self) -> None:
        self.menus = Menus(self, self.command_target, {"panes": self.grid, "compare": self.compare})
        self.recent_menu = self.menus.menus["recent"]
        self.panes_menu = self.menus.menus["panes"]
        self.docks_menu = self.menus.menus["docks"]
        self.compare_action = self.menus.action("compare")
        self.profile_action = self.menus.action("profile")
        self.order_action = self.menus.action("order_panes")
        self.run_port.refresh_recent()
        labels_bar = QToolBar("Labels")
        self.addToolBarBreak()
        self.addToolBar(labels_bar)
        # A row of its own, beside the label tools: on the heat toolbar it pushed the scale
        # controls into the ">>" menu of a 1024-px-wide window.
        self.feature_view = FeatureChoice(self.model)
        self.feature_bar = QToolBar("Feature view")
        self.feature_bar.addWidget(self.feature_view)
        self.addToolBar(self.feature_bar)
        self.feature_bar.hide()
        self.label_layer = LabelLayer(self.grid, labels_bar)
        self.label_layer.drawn.connect(self.refresh_tools)
        self.grid.views.changed.connect(self.refresh_tools)  # Compare shows the panes' views
        self.heat.addAction(self.profile_action)
        self.heat.addSeparator()
        self.heat.addAction(self.compare_action)
        self.compare_action.setIconText("Compare")  # the menu keeps its whole name
        for dock in self.findChildren(QDockWidget):
            if dock is not self.profile_dock:  # it follows the line profile tool (L)
                self.docks_menu.addAction(dock.toggleViewAction())
        self.pane_menus = PaneMenus(self)
        areas = [self.heat, labels_bar, self.feature_bar, self.panel, self.profile_plot]
        self.keyboard = KeyboardFocus(lambda: self.command_target("view"), self.grid, areas)

    def dragEnterEvent(self, event) -> None:
        if any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        self.inputs.drop(
            [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        )

    def show_error(self, message: str) -> None:
        self.last_error = message
        self.error_box = QMessageBox(
            QMessageBox.Icon.Warning, "Upsample Viewer", message, parent=self
        )
        self.error_box.open()

    # feature maps --------------------------------------------------------------------------
    def show_feature_choices(self, inputs) -> None:
        """Offer PCA or one channel for feature maps (photos have no such choice), and the
        view modes this kind of input has."""
        self.feature_view.offer(inputs)
        self.heat.offer_for(inputs.kind)
        # Their views compare data, not colours: a feature map's values, a label map's ids.
        self.grid.views.set_input(
            inputs.kind,
            lambda key: self.feature_values.get(key),
            lambda value: self.runs.shown.image.real_value(value),
        )
        self.feature_bar.setVisible(inputs.is_features)

    def feature_channel(self) -> int | None:
        return self.model.feature_channel

    def show_feature_view(self, *_args) -> None:
        """Re-render every pane of a feature map as the chosen channel or the PCA view."""
        channel = self.feature_channel()
        self.heat.offer_for(self.heat.kind, channel)  # a PCA view has no signed difference
        if self.label_layer.enabled and channel is None:
            self.label_layer.redraw()
        else:
            for key in self.feature_values:
                self.show_features(key, channel)
        self.refresh_tools()

    def show_features(self, key: str, channel: int | None) -> None:
        pane = self.grid.pane(key)
        rgb = self.runs.shown.loaded.inputs.display.rgb(self.feature_values[key], channel)
        pane.set_pixels(rgb, pane.step)
        self.grid.views.invalidate(None if key == "original" else key)

    # inspection ----------------------------------------------------------------------------
    def comparing(self) -> bool:
        return self.model.compare.active

    def toggle_compare(self) -> None:
        self.model.compare.active = not self.model.compare.active

    def _compare_toggled(self, active: bool) -> None:
        """Swap the grid for the large A/B view (or back), at the same zoom and position."""
        if not active:
            region = self.compare.region()
            self.pages.setCurrentIndex(0)
            self.grid.show_region(*region)
        else:
            region, whole = self.grid.region(), self.grid.shows_whole()
            # Shown first, then given the image: shown after, its first range (pyqtgraph's
            # 0..1) took the swipe divider "back on screen" to x = 0.5, so A was never seen.
            self.pages.setCurrentWidget(self.compare)
            self._refresh_compare()
            # From the overview, the large view fits; from a close-up it keeps the place.
            if whole:
                self.compare.fit()
            else:
                self.compare.show_region(*region)
            self.compare.setFocus()
        self.compare_action.setChecked(active)
        self._zoom_timer.start()

    def zoom_percent(self) -> float:
        factor = self.compare.region()[2] if self.comparing() else self.grid.zoom_factor()
        return 100 * factor

    def _show_zoom(self) -> None:
        """The zoom of the pixels on show; none before the first image is drawn."""
        shown = any(pane.pixels is not None for pane in self.grid.panes)
        self.zoom_label.setText(f"Zoom {self.zoom_percent():.0f} %" if shown else "")

    def toggle_profile(self) -> None:
        """Show a line in every pane (drag its ends or the line) and the profile dock."""
        self.profile_tool.set_active(not self.profile_tool.active)

    def _profile_toggled(self, active: bool) -> None:
        self.profile_dock.setVisible(active)
        self.profile_action.setChecked(active)
        if active:  # a usable size, not the ~90 px a new bottom dock gets
            self.resizeDocks(
                [self.profile_dock], [max(260, self.height() // 3)], Qt.Orientation.Vertical
            )

    def refresh_tools(self) -> None:
        """The compare view and the line profile follow what the panes show."""
        if self.comparing():
            self._refresh_compare()
        if self.profile_tool.active:
            self.profile_plot.refresh()

    def _refresh_compare(self) -> None:
        sources = [(p.key, p.name, p.pixels, p.step) for p in self.grid.panes]
        views = self.grid.views
        self.compare.set_sources(sources, views.shown_pixels, views.shown_image)
        width, height = self.grid.image_size()
        self.compare.set_image_size(width, height)

    def highlight(self, method_id: str) -> None:
        """The method chosen in the table: its pane and its profile curve stand out."""
        self.model.selected = method_id

    # closing -------------------------------------------------------------------------------
    def closeEvent(self, event) -> None:
        self.engine.shutdown()
        self.loader.shutdown()
        self.exporter.shutdown()
        self.label_layer.shutdown()
        stop_flip()  # a FLIP view being computed ends now, not seconds later
        self.grid.views.background.shutdown()
        self.settings.save_options(self.panel.settings(), self.panel.selected_methods())
        self.placement.save()
        self.settings.sync()
        super().closeEvent(event)
