"""The main window: it assembles the panes, controls and tables, and steers the worker."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np
from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from viewer.controllers.export import ExportController
from viewer.core.errors import InputError
from viewer.core.inputs.added_result import add_result, is_added, source
from viewer.core.inputs.charts import load_chart
from viewer.core.inputs.feature_maps import FEATURE_SUFFIXES, load_file
from viewer.core.inputs.image_io import DEFAULT_MAX_PIXELS, IMAGE_SUFFIXES, LoadedImage, load_image
from viewer.core.inputs.label_maps import LabelMap, load_label_map, passes_for_labels
from viewer.core.inputs.samples import load_sample, sample_names
from viewer.core.methods import get_method
from viewer.core.output.files import write_bytes_atomic
from viewer.core.presentation.captions import reference_captions, reference_panes, result_caption
from viewer.core.presentation.pixel_text import pixel_text, unit_text, where_text
from viewer.core.run.results import MethodResult, Progress, RunReport
from viewer.core.views.colours import pane_colour
from viewer.core.views.label_views import LabelScene
from viewer.model import WindowModel
from viewer.model.comparison_file import SUFFIX as COMPARISON_SUFFIX
from viewer.model.comparison_file import (
    Comparison,
    is_comparison_file,
    read_comparison,
    restore_view,
    written,
)
from viewer.model.comparison_file import to_json as comparison_json
from viewer.ui.background import Background
from viewer.ui.compare_view import CompareView
from viewer.ui.dataset_table import DatasetTable
from viewer.ui.feature_choice import FeatureChoice
from viewer.ui.heat_controls import ColourBar, HeatControls
from viewer.ui.label_layer import LabelLayer
from viewer.ui.loss_plot import LossPlot
from viewer.ui.menus import Menus, ShortcutsWindow
from viewer.ui.metrics_table import MetricsTable
from viewer.ui.pane_grid import PaneGrid
from viewer.ui.pixel_inspector import PixelInspector
from viewer.ui.ports import Exporters, ExportPort
from viewer.ui.profile import ProfilePlot, ProfileTool
from viewer.ui.run_controller import RunController
from viewer.ui.side_panel import SidePanel
from viewer.ui.window_settings import WindowSettings
from viewer.ui.worker import Companions, DatasetImage, Loaded

IMAGE_FILTER = (
    "Images and feature maps ("
    + " ".join(f"*{s}" for s in (*IMAGE_SUFFIXES, *FEATURE_SUFFIXES))
    + ");;Images ("
    + " ".join(f"*{s}" for s in IMAGE_SUFFIXES)
    + ");;Feature maps (*.npy *.npz);;All files (*)"
)
LABEL_FILTER = "Label maps (*.png);;All files (*)"
PROGRESS_MS = 50  # training progress is drawn at most this often


def describe_input(loaded: Loaded) -> str:
    """What loading, cropping, degrading and training did, for the status bar."""
    inputs = loaded.inputs
    notes = [*loaded.image.notes, inputs.crop.describe(), f"degraded: {inputs.degradation}"]
    if any(get_method(m).learned for m in loaded.methods):
        notes.append(f"learned methods trained on {loaded.training['on']}")
    notes.append(loaded.device)
    return f"{loaded.image.name}: " + "; ".join(notes)


def load_or_reason(path: str, max_pixels: int) -> LoadedImage | InputError:
    """The file's image, or why it cannot be one (for the loader thread to hand back)."""
    return reason_or(lambda: load_file(path, max_pixels))


def reason_or(read: Callable):
    """What `read` returns, or the InputError that says why it could not."""
    try:
        return read()
    except InputError as error:
        return error


def read_companions(labels: str | None, guide: str | None, max_pixels: int) -> Companions:
    """The label map and guide files named (InputError for the first that cannot be read)."""
    return Companions(
        load_label_map(labels, max_pixels) if labels else None,
        load_image(guide, max_pixels) if guide else None,
    )


def dropped_labels(path: str, image: LoadedImage, max_pixels: int) -> LabelMap | None:
    """`path` as the label map of `image`, or None when it is an image of its own."""
    try:
        labels = load_label_map(path, max_pixels)
    except InputError:
        return None
    height, width = image.pixels.shape[:2]
    return labels if passes_for_labels(labels, height, width) else None


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
        self.runs = RunController(self, device)
        self.worker = self.runs.worker
        self.loader = Background(self, "upsample-load")
        self.loader.done.connect(self._on_file_read)
        self.exporter = Background(self, "upsample-export")
        self.exports = ExportController(
            ExportPort(self), self.settings, Exporters(self.exporter, self.runs)
        )
        self.exporter.done.connect(self.exports.region_written)
        self.open_id = 0
        self.running = False
        self.image: LoadedImage | None = None
        self.image_path: str | None = None
        self.report: RunReport | None = None
        self.last_error = ""
        self.loaded: Loaded | None = None
        self.feature_values: dict[str, np.ndarray] = {}
        self.companions = Companions()  # the label map or guide of the input on show
        self.dataset_images: dict[int, DatasetImage] = {}  # a folder's images, as they finish
        self._pending_path: str | None = None
        self._pending_comparison: Comparison | None = None  # its view, once its run is in
        self._started = 0.0
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
        self.panel.runRequested.connect(self.rerun)
        self.panel.methodTicked.connect(self._method_ticked)
        self.panel.cancelRequested.connect(self.cancel)
        self.profile_tool = ProfileTool(self.grid)
        self.profile_plot = ProfilePlot(self.grid, self.profile_tool)
        self.table = MetricsTable()
        self.table.methodSelected.connect(self.highlight)
        settings_dock = self._dock("Settings", self.panel, Qt.DockWidgetArea.LeftDockWidgetArea)
        metrics = self._dock("Metrics", self.table, Qt.DockWidgetArea.BottomDockWidgetArea)
        self.resizeDocks([metrics], [200], Qt.Orientation.Vertical)
        self.loss_plot = LossPlot()
        losses = self._dock("Training loss", self.loss_plot, Qt.DockWidgetArea.BottomDockWidgetArea)
        self.tabifyDockWidget(metrics, losses)
        self.dataset = DatasetTable()
        self.dataset.imageSelected.connect(self.show_dataset_image)
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
        self._progress_pending: Callable[[], None] | None = None  # the latest, to draw
        self._progress_timer = QTimer(self, singleShot=True, interval=PROGRESS_MS)
        self._progress_timer.timeout.connect(self._draw_pending_progress)
        self._zoom_timer.timeout.connect(self._show_zoom)
        self.grid.regionChanged.connect(self._zoom_timer.start)
        self.compare.regionChanged.connect(self._zoom_timer.start)
        if self.settings.notes:
            self.status.setText("Settings: " + "; ".join(self.settings.notes))

        self.runs.ready.connect(self.workerReady)
        self.runs.loaded.connect(self._on_loaded)
        self.runs.progress.connect(self._on_progress)
        self.runs.result.connect(self._on_result)
        self.runs.finished.connect(self._on_finished)
        self.runs.failed.connect(self._on_failed)
        self.runs.dataset_started.connect(self._on_dataset_started)
        self.runs.dataset_image.connect(self._on_dataset_image)
        self.runs.dataset_progress.connect(self._on_dataset_progress)
        self.runs.dataset_finished.connect(self._on_dataset_finished)
        self.runs.exported.connect(self.exports.run_exported)
        self.runs.exportFailed.connect(self.show_error)
        self.grid.hovered.connect(self._show_values)
        self.grid.left.connect(self.readout.clear)

        self._build_menus()
        self.model.compare.events.active.connect(self._compare_toggled)
        self.model.profile.events.active.connect(self._profile_toggled)
        self.model.events.feature_channel.connect(self.show_feature_view)
        self.setAcceptDrops(True)
        self.setWindowTitle("Upsample Viewer")
        self.resize(1400, 900)
        geometry = self.settings.geometry()
        if geometry is not None:
            self.restoreGeometry(geometry)
        self._set_panes(self.panel.selected_methods(), scale=self.panel.settings().scale)

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
        self._refresh_recent()
        self.feature_view = FeatureChoice(self.model)
        self.feature_view_action = self.heat.addWidget(self.feature_view)
        self.feature_view_action.setVisible(False)
        labels_bar = QToolBar("Labels")
        self.addToolBarBreak()
        self.addToolBar(labels_bar)
        self.label_layer = LabelLayer(self.grid, labels_bar)
        self.label_layer.drawn.connect(self._refresh_tools)
        self.heat.addAction(self.profile_action)
        self.heat.addSeparator()
        self.heat.addAction(self.compare_action)
        self.table.horizontalHeader().sortIndicatorChanged.connect(self.order_panes)
        for dock in self.findChildren(QDockWidget):
            if dock is not self.profile_dock:  # it follows the line profile tool (L)
                self.docks_menu.addAction(dock.toggleViewAction())
        self.grid.panesShown.connect(self._refresh_panes_menu)
        self.grid.menuRequested.connect(self._pane_menu)

    def show_shortcuts(self) -> ShortcutsWindow:
        """Help → Keyboard shortcuts: made from the same table as the menus."""
        self.shortcuts = ShortcutsWindow(self)
        self.shortcuts.show()
        return self.shortcuts

    def open_chart(self, name: str) -> None:
        self.open_image(load_chart(name))

    def order_panes(self, *_args) -> None:
        """With the option on, the method panes follow the metrics table's rows."""
        if self.order_action.isChecked():
            self.grid.set_order(self.table.method_ids())

    def _refresh_panes_menu(self) -> None:
        """One checkable entry per pane: unchecked panes are hidden, results kept."""
        entries = [(p.name, p.key, p.key not in self.model.layout.hidden) for p in self.grid.panes]
        self.menus.fill_checkable("panes", entries, lambda k, on: self.grid.set_hidden(k, not on))

    def _pane_menu(self, key: str, position) -> None:
        pane = self.grid.pane(key)
        menu = QMenu(self)
        restore = self.model.layout.maximised is not None
        maximise = menu.addAction("Back to the grid" if restore else f"Maximise {pane.name}")
        maximise.triggered.connect(lambda: self.grid.toggle_maximised(key))
        hide = menu.addAction(f"Hide {pane.name}")
        hide.triggered.connect(lambda: self.grid.set_hidden(key, True))
        menu.addAction("Show all panes").triggered.connect(self.grid.show_all)
        self._menu = menu  # kept while open
        menu.popup(position)

    def _method_ticked(self, method_id: str, ticked: bool) -> None:
        """Unticking a method hides its pane at once (its result stays); ticking shows it
        again, or, without a result yet, waits for Run."""
        if any(pane.key == method_id for pane in self.grid.panes):
            self.grid.set_hidden(method_id, not ticked)
        elif ticked:
            self.status.setText(f"Press Run to compute {get_method(method_id).name}")

    def _refresh_recent(self) -> None:
        self.recent_menu.clear()
        for path in self.settings.recent_files():
            action = self.recent_menu.addAction(path)
            action.triggered.connect(lambda _=False, p=path: self.open_path(p))
        self.recent_menu.setEnabled(bool(self.settings.recent_files()))

    # opening -------------------------------------------------------------------------------
    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Open image", self.settings.last_folder(), IMAGE_FILTER
        )
        if path:
            self.open_path(path)

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, "Open a folder of images", self.settings.last_folder()
        )
        if folder:
            self.open_folder(folder)

    def open_folder(self, folder: str | Path, labels: str | Path | None = None) -> None:
        """Run every image of `folder` (with the label map of the same stem in `labels`):
        a table of images x methods fills as they finish; picking a row shows its panes."""
        settings = self.panel.settings()
        methods = tuple(self.panel.selected_methods())
        self.settings.save_options(settings, list(methods))
        self.settings.set_last_folder(Path(folder))
        self.dataset_images = {}
        self._started = time.perf_counter()
        self.runs.start_folder(
            Path(folder), Path(labels) if labels else None, settings, methods, self.max_pixels
        )
        self._set_running(True)
        self.status.setText(f"Opening the folder {folder}…")
        self.progress.setRange(0, 0)
        self.progress.show()

    def choose_labels(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Open the image's label map", self.settings.last_folder(), LABEL_FILTER
        )
        if path:
            self.open_labels(path)

    def open_labels(self, path: str | Path) -> None:
        """Run on the image on show with `path` as its label map (read on the loader)."""
        path = str(path)
        if self.image is None:
            self.show_error(f"{path}: open the image first, then its label map")
            return
        limit, image = self.max_pixels, self.image
        self.open_id += 1

        def read():
            return "run", image, reason_or(lambda: read_companions(path, None, limit))

        self.loader.submit((self.open_id, self.image_path or image.name), read)
        self.status.setText(f"Opening the label map {path}…")

    # comparison files -------------------------------------------------------------------
    def input_reference(self) -> str:
        """How a comparison file names the input: an absolute path, a sample, a chart."""
        if self.image_path:
            return str(Path(self.image_path).resolve())
        name = self.image.name if self.image else "sample:astronaut"
        if name.startswith("chart:"):
            return f"{name}:{self.image.pixels.shape[0]}"
        return name

    def _fill_session(self) -> None:
        """What is open, into the model's session: a comparison file names it so."""
        labels, guide = self.companions.labels, self.companions.guide
        session = self.model.session
        session.input = self.input_reference()
        session.labels = str(Path(labels.name).absolute()) if labels else None
        session.guide = str(Path(guide.name).absolute()) if guide else None

    def comparison(self) -> Comparison:
        """What is compared, and how it is viewed now (the window's model, copied)."""
        chosen = self.panel.selected_methods()
        added = [dict(zip(("name", "path"), source(m), strict=True)) for m in chosen if is_added(m)]
        methods = [m for m in chosen if not is_added(m)]
        return written(self.model, self.panel.settings(), methods, added)

    def choose_save_comparison(self) -> None:
        suggested = Path(self.settings.last_folder()) / f"{self.exports.stem()}{COMPARISON_SUFFIX}"
        path, _ = QFileDialog.getSaveFileName(
            self, "Save the comparison", str(suggested), f"Comparisons (*{COMPARISON_SUFFIX})"
        )
        if path:
            self.save_comparison(path)

    def save_comparison(self, path: str | Path) -> None:
        try:
            write_bytes_atomic(path, comparison_json(self.comparison()))
        except OSError as error:
            self.show_error(f"{path}: {error.strerror or error}")
            return
        self.status.setText(f"Saved {path}")

    def choose_open_comparison(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            "Open a comparison",
            self.settings.last_folder(),
            f"Comparisons (*{COMPARISON_SUFFIX})",
        )
        if path:
            self.open_comparison(path)

    def open_comparison(self, path: str | Path) -> None:
        """Run the comparison the file describes, then show it as it was saved."""
        try:
            comparison = read_comparison(path)
            added = [add_result(a["name"], a["path"], self.max_pixels) for a in comparison.added]
        except InputError as error:
            self.show_error(f"{error.what}: {error.why}")
            self.loadFailed.emit(f"{error.what}: {error.why}")
            return
        for identifier in added:
            self.panel.add_method(get_method(identifier))
        self.panel.set_settings(comparison.settings)
        self.panel.set_selected_methods([*comparison.methods, *added])
        self._pending_comparison = comparison
        source = comparison.input
        if source.startswith("sample:"):
            self.open_sample(source.removeprefix("sample:"))
        elif source.startswith("chart:"):
            _, chart, size = source.split(":")
            self.open_image(load_chart(chart, int(size)))
        else:
            self.open_path(source, comparison.labels, comparison.guide)

    def _apply_view(self, comparison: Comparison) -> None:
        """Show the finished run as the comparison file says: it sets the model, and the
        widgets follow."""
        restore_view(self.model, comparison)

    def choose_result_file(self) -> None:
        if self.image is None:
            self.show_error("Open an image first: a result is compared with its original")
            return
        path, _ = QFileDialog.getOpenFileName(
            self,
            "Add your result (same size as the original)",
            self.settings.last_folder(),
            IMAGE_FILTER,
        )
        if path:
            self.add_result_file(path)

    def open_path(
        self, path: str | Path, labels: str | None = None, guide: str | None = None
    ) -> None:
        """Read `path` (and its label map or guide) on the loader thread; only once they
        have loaded does their run replace the current one. A bad file shows one message
        and the current run goes on."""
        path = str(path)
        if is_comparison_file(path):
            self.open_comparison(path)
            return
        if Path(path).is_dir():
            self.open_folder(path, labels)
            return
        limit = self.max_pixels
        self.settings.set_last_folder(Path(path).parent)
        self.open_id += 1

        def read():
            image = load_or_reason(path, limit)
            return "run", image, reason_or(lambda: read_companions(labels, guide, limit))

        self.loader.submit((self.open_id, path), read)
        self.status.setText(f"Opening {path}…")

    def _on_file_read(self, key: tuple[int, str], read) -> None:
        """`read`: ("run", the image or why not, its companions or why not), ("drop", a
        dropped file's label map or None), or None when reading failed unexpectedly."""
        open_id, path = key
        if open_id != self.open_id:
            return  # another file was opened since
        if read and read[0] == "drop":
            self._on_drop_read(path, read[1])
            return
        _, image, companions = read if read else (None, None, None)
        failed = next((part for part in (image, companions) if isinstance(part, InputError)), None)
        if isinstance(image, LoadedImage) and isinstance(companions, Companions):
            self._start(lambda: image, path, companions=companions)
            return
        reason = f"{failed.what}: {failed.why}" if failed else f"{path}: could not be read"
        going_on = "; the run goes on" if self.running else ""
        self.status.setText(f"Could not open {Path(path).name}; the current image stays{going_on}")
        self.show_error(reason)
        self.loadFailed.emit(reason)

    def open_sample(self, name: str) -> None:
        self._start(lambda: load_sample(name), f"sample:{name}", companions=Companions())

    def open_image(self, image: LoadedImage) -> None:
        """Run on an image made in memory (a test chart)."""
        self._start(lambda: image, image.name, companions=Companions())

    def rerun(self) -> None:
        """Run again on the current image with the panel's options."""
        image = self.image
        if image is None:
            self.open_sample(sample_names()[0])
        else:
            self._start(lambda: image, self.image_path or image.name)

    def dragEnterEvent(self, event) -> None:
        if any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        """A PNG dropped onto an image that passes for its label map (same size; a palette
        or a few grey values) runs as its labels; anything else opens as an image."""
        files = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if not files:
            return
        if self.image is None or Path(files[0]).suffix.lower() != ".png":
            self.open_path(files[0])  # an image, a feature map or a folder
            return
        self.open_id += 1
        path, image, limit = files[0], self.image, self.max_pixels
        self.loader.submit(
            (self.open_id, path), lambda: ("drop", dropped_labels(path, image, limit))
        )

    def _on_drop_read(self, path: str, labels: LabelMap | None) -> None:
        if labels is None:
            self.open_path(path)
        else:
            image, name = self.image, self.image_path or self.image.name
            self._start(lambda: image, name, companions=Companions(labels))

    # the run -------------------------------------------------------------------------------
    def _start(
        self,
        load: Callable[[], LoadedImage],
        name: str,
        only: tuple[str, ...] | None = None,
        companions: Companions | None = None,
    ) -> None:
        """Run on what `load` returns; `name` is its path, or what messages call it. With
        `only`, run just those methods and add them to the results on show. `companions`
        (a label map, a guide) go with it; by default those of the input on show."""
        settings = self.panel.settings()
        methods = only or tuple(self.panel.selected_methods())
        self.settings.save_options(settings, list(self.panel.selected_methods()))
        self._pending_path = name if Path(name).is_file() else None
        self._started = time.perf_counter()
        companions = self.companions if companions is None else companions
        self.runs.start(name, load, settings, methods, self.max_pixels, bool(only), companions)
        self._set_running(True)
        self.status.setText("Preparing…")
        self.progress.setRange(0, 0)
        self.progress.show()

    def _set_running(self, running: bool) -> None:
        self.running = running
        self.panel.set_running(running)
        if not running:
            self.progress.hide()

    def cancel(self) -> None:
        """Cancel the run in progress (Esc); nothing to do when idle."""
        if self.running:
            self.runs.cancel()
            self.status.setText("Cancelling…")

    def _update_pane(self, key: str, **changes) -> None:
        """Change pane `key`'s state (its pane draws it)."""
        self.model.update_pane(key, **changes)

    def _mark_unfinished(self) -> None:
        """The panes a stopped run never reached say so, instead of waiting for ever."""
        for key in self.model.unfinished():
            self._update_pane(key, status="cancelled", message="cancelled")

    def _set_panes(self, methods: list[str], scale: int) -> None:
        specs = reference_panes(scale)
        specs += [(m, get_method(m).name, get_method(m).info) for m in methods]
        for key, _, _ in specs:  # a new run shows what it runs
            self.model.hide(key, False)
        self.grid.set_panes(specs)
        for pane in self.grid.panes:
            pane.set_colour(pane_colour(pane.key))
        self.profile_tool.sync_panes()
        self._refresh_panes_menu()

    def _on_loaded(self, loaded: Loaded) -> None:
        if self.runs.appending:
            self._add_panes(list(loaded.methods))
            return
        new_image = loaded.image is not self.image
        self.image, self.image_path = loaded.image, self._pending_path
        if self.image_path:
            self.settings.add_recent(self.image_path)
            self._refresh_recent()
        inputs = loaded.inputs
        methods = list(loaded.methods)
        self._set_panes(methods, inputs.scale)
        height, width = inputs.original.shape[:2]
        self.grid.set_image_size(width, height)
        self.grid.clear_results()
        self.loaded = loaded
        self.companions = loaded.companions
        self._fill_session()
        self.feature_values = {"original": inputs.original, "lowres": inputs.lowres}
        self._show_feature_choices(inputs)
        self.panel.set_guide_available(inputs.guide is not None)
        self.table.show_columns_for(inputs.kind)
        self._show_inputs(loaded)
        for key, caption in reference_captions(width, height, inputs.scale).items():
            self._update_pane(key, status="done", caption=caption)
        for method in methods:
            pane = self.grid.pane(method)
            pane.clear_pixels()
            self._update_pane(method, status="waiting", caption="", message="waiting…")
        self.grid.redisplay()
        self.table.clear_rows()
        self.loss_plot.clear()
        self.report = None
        if new_image:
            self.grid.fit()
        self._refresh_tools()
        self.setWindowTitle(f"Upsample Viewer — {loaded.image.name}")
        self.image_info.setText(describe_input(loaded) + "  │")
        if loaded.notes:
            self.status.setText("; ".join(loaded.notes))

    def _show_inputs(self, loaded: Loaded) -> None:
        """The original and low-res panes: as images, or (label maps) as labels drawn over
        the image by the label layer."""
        inputs = loaded.inputs
        classes = inputs.classes
        if classes is None:
            self.label_layer.start(None)
            self.grid.pane("original").set_pixels(loaded.original_rgb)
            self.grid.pane("lowres").set_pixels(loaded.lowres_rgb, step=inputs.scale)
            return
        self.label_layer.start(LabelScene(inputs.guide, classes.truth.ids, inputs.scale))
        self.label_layer.add("original", loaded.original_rgb, classes.truth.ids)
        low_ids = classes.ids(inputs.lowres)
        self.label_layer.add("lowres", loaded.lowres_rgb, low_ids, step=inputs.scale)

    def _add_panes(self, methods: list[str]) -> None:
        """An appended run: new panes after the current ones, whose results all stay."""
        shown = [pane.key for pane in self.grid.panes[2:]]
        self._set_panes([*shown, *(m for m in methods if m not in shown)], self.loaded.inputs.scale)
        for method in methods:
            pane = self.grid.pane(method)
            pane.clear_pixels()
            self._update_pane(method, status="waiting", caption="", message="waiting…")

    def add_result_file(self, path: str | Path, name: str | None = None) -> None:
        """Add your own result (an image of the original's size) as a method: it is measured
        and scored like every method. With the settings of the results on show it runs
        alone and joins them; otherwise everything runs again."""
        path = str(path)
        try:
            identifier = add_result(name or Path(path).stem, path, self.max_pixels)
        except InputError as error:
            self.show_error(f"{error.what}: {error.why}")
            self.loadFailed.emit(f"{error.what}: {error.why}")
            return
        self.panel.add_method(get_method(identifier))
        if self.report is not None and self.report.settings == self.panel.settings():
            self._start(lambda: self.image, self.image_path or self.image.name, (identifier,))
        else:
            self.rerun()

    def _on_progress(self, progress: Progress) -> None:
        if progress.loss is not None:
            self.loss_plot.add(progress.method, progress.loss)
        self._draw_progress_later(lambda: self._show_progress(progress))

    def _draw_progress_later(self, draw: Callable[[], None]) -> None:
        """Training reports every step; the window draws the latest at most every
        PROGRESS_MS, so a fast trainer cannot keep the event loop busy redrawing."""
        self._progress_pending = draw
        if not self._progress_timer.isActive():
            self._progress_timer.start()

    def _drop_pending_progress(self) -> None:
        """Before a result or the end of a run: the progress waiting to be drawn is stale."""
        self._progress_timer.stop()
        self._progress_pending = None
        self.loss_plot.redraw()

    def _draw_pending_progress(self) -> None:
        draw, self._progress_pending = self._progress_pending, None
        if draw is not None:
            self.loss_plot.redraw()
            draw()

    def _show_progress(self, progress: Progress) -> None:
        total = progress.count * 1000
        done = progress.index * 1000
        text = f"Running {get_method(progress.method).name}"
        if progress.steps:
            done += 1000 * progress.step // progress.steps
            text += f" (step {progress.step}/{progress.steps})"
        self._update_pane(
            progress.method, status="running", step=progress.step, steps=progress.steps, message=""
        )
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        self.status.setText(text)
        self.progressShown.emit(progress)

    def _on_result(self, result: MethodResult) -> None:
        self._drop_pending_progress()
        pane = self.grid.pane(result.method)
        self.table.add_result(result)
        if result.error:
            pane.clear_pixels()
            caption, reason = result_caption(result)
            self._update_pane(result.method, status="failed", caption=caption, message=reason)
            return
        if result.output is not None:
            self.feature_values[result.method] = result.output
        channel = self.feature_channel()
        if result.labels is not None:
            self.label_layer.add(result.method, result.image, result.labels)
        if channel is not None:
            self._show_features(result.method, channel)
        elif result.labels is None:
            pane.set_pixels(result.image, ahead=result.ahead)
        caption, tip = result_caption(result)
        self._update_pane(result.method, status="done", caption=caption, message="")
        pane.caption.setToolTip(f"{pane.name}: {tip}")
        self.grid.mark_result(result.method)
        self._refresh_tools()

    def _on_finished(self, report: RunReport) -> None:
        if self.runs.appending and self.report is not None:
            added = {r.method for r in report.results}
            kept = [r for r in self.report.results if r.method not in added]
            report = replace(self.report, results=kept + report.results, cancelled=report.cancelled)
        self.report = report
        self._drop_pending_progress()
        self._set_running(False)
        if self._pending_comparison is not None and not report.cancelled:
            comparison, self._pending_comparison = self._pending_comparison, None
            self._apply_view(comparison)
        elapsed = time.perf_counter() - self._started
        failed = [r.method for r in report.results if r.error]
        if report.cancelled:
            self._mark_unfinished()
            self.status.setText("Cancelled")
        else:
            summary = f"Done in {elapsed:.1f} s"
            cached = sum(r.cached for r in report.results)
            if cached:
                summary += f"; {cached} of {len(report.results)} results from the cache"
            if failed:
                summary += f"; failed: {', '.join(failed)}"
            self.status.setText(summary)
        self.runFinished.emit(report)

    def _on_failed(self, message: str) -> None:
        self._drop_pending_progress()
        self._set_running(False)
        # Submitting this run cancelled the one on show: say so on its unfinished panes.
        self._mark_unfinished()
        self.status.setText("Could not run on the new input; the current image stays")
        self.show_error(message)
        self.loadFailed.emit(message)

    # datasets ---------------------------------------------------------------------------
    def _on_dataset_started(self, started) -> None:
        files, methods, notes = started
        self.dataset.start(files, methods, "psnr")
        self.dataset_dock.show()
        self.dataset_dock.raise_()
        # room for the mean and a few images, the panes keep the rest
        self.resizeDocks(
            [self.dataset_dock], [max(220, self.height() // 4)], Qt.Orientation.Vertical
        )
        self.progress.setRange(0, len(files) * 1000)
        if notes:
            self.status.setText("; ".join(notes))

    def _on_dataset_image(self, done: DatasetImage) -> None:
        self.dataset_images[done.index] = done
        if done.loaded is not None and len(self.dataset.documents) == 0:
            self.dataset.set_kind(done.loaded.inputs.kind)
        self.dataset.add(done.index, done.document, done.reason)
        if done.loaded is not None and self.dataset.selected_index() is None:
            self.dataset.select(done.index)
            self.show_dataset_image(done.index)

    def _on_dataset_progress(self, update) -> None:
        self._draw_progress_later(lambda: self._show_dataset_progress(update))

    def _show_dataset_progress(self, update) -> None:
        index, progress = update
        files = len(self.dataset.files)
        within = progress.index + (progress.step / progress.steps if progress.steps else 0)
        self.progress.setValue(int(1000 * (index + within / max(progress.count, 1))))
        step = f" (step {progress.step}/{progress.steps})" if progress.steps else ""
        self.status.setText(
            f"Image {index + 1}/{files} {self.dataset.files[index].name}: "
            f"{get_method(progress.method).name}{step}"
        )

    def _on_dataset_finished(self, cancelled: bool) -> None:
        self._drop_pending_progress()
        self._set_running(False)
        done, skipped = len(self.dataset.documents), len(self.dataset.failed)
        elapsed = time.perf_counter() - self._started
        what = "Cancelled after" if cancelled else "Done:"
        self.status.setText(
            f"{what} {done} images, {skipped} skipped, in {elapsed:.1f} s; pick a row to see one"
        )
        self.datasetFinished.emit(cancelled)

    def show_dataset_image(self, index: int) -> None:
        """The panes of image `index` of the dataset run, at once (no re-run)."""
        done = self.dataset_images.get(index)
        if done is None or done.loaded is None:
            return
        self._pending_path = None  # browsing a dataset does not fill the recent files
        self._on_loaded(done.loaded)
        for result in done.report.results:
            self._on_result(result)
        self.report = done.report
        self._refresh_tools()

    def show_error(self, message: str) -> None:
        self.last_error = message
        self.error_box = QMessageBox(
            QMessageBox.Icon.Warning, "Upsample Viewer", message, parent=self
        )
        self.error_box.open()

    # feature maps --------------------------------------------------------------------------
    def _show_feature_choices(self, inputs) -> None:
        """Offer PCA or one channel for feature maps; photos have no such choice."""
        self.feature_view.offer(inputs)
        self.feature_view_action.setVisible(inputs.is_features)

    def feature_channel(self) -> int | None:
        return self.model.feature_channel

    def show_feature_view(self, *_args) -> None:
        """Re-render every pane of a feature map as the chosen channel or the PCA view."""
        channel = self.feature_channel()
        if self.label_layer.enabled and channel is None:
            self.label_layer.redraw()
        else:
            for key in self.feature_values:
                self._show_features(key, channel)
        self._refresh_tools()

    def _show_features(self, key: str, channel: int | None) -> None:
        pane = self.grid.pane(key)
        rgb = self.loaded.inputs.display.rgb(self.feature_values[key], channel)
        pane.set_pixels(rgb, pane.step)
        self.grid.invalidate(None if key == "original" else key)

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
            self._refresh_compare()
            self.pages.setCurrentWidget(self.compare)
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
        self.zoom_label.setText(f"Zoom {self.zoom_percent():.0f} %")

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

    def _refresh_tools(self) -> None:
        """The compare view and the line profile follow what the panes show."""
        if self.comparing():
            self._refresh_compare()
        if self.profile_tool.active:
            self.profile_plot.refresh()

    def _refresh_compare(self) -> None:
        sources = [(p.key, p.name, p.pixels, p.step) for p in self.grid.panes]
        self.compare.set_sources(sources)
        width, height = self.grid.image_size()
        self.compare.set_image_size(width, height)

    def highlight(self, method_id: str) -> None:
        """The method chosen in the table: its pane and its profile curve stand out."""
        self.model.selected = method_id

    def _show_values(self, x: float, y: float) -> None:
        """Every visible pane's value at (x, y) in the inspector; the hovered one's in the
        status bar."""
        where = where_text(x, y)
        rows, hovered = [], ""
        for pane in self.grid.visible_panes():
            text = self.pixel_text(pane, x, y)
            if text is None:
                continue
            rows.append((pane.name, pane.colour, text))
            if pane.key == self.model.current:
                hovered = f"  │  {pane.name}: {text}"
        unit = unit_text(self.model.display.mode, self.model.display.channel)
        self.inspector.show_values(where + unit, rows)
        self.readout.setText(where + hovered)

    def pixel_text(self, pane, x: float, y: float) -> str | None:
        """What pane `pane` shows at output pixel (x, y), in the units of the current mode:
        the heatmap's value, a class id, a feature map's own values, or RGB."""
        if x < 0 or y < 0:
            return None
        layers = pane.pixel_layers()
        channel = self.feature_channel()
        if self.label_layer.enabled and channel is None:
            layers = replace(layers, classes=self.label_layer.class_ids(pane.key))
        values = self.feature_values.get(pane.key) if self.loaded else None
        if values is not None and self.loaded.inputs.is_features:
            layers = replace(
                layers, features=values, real_value=self.image.real_value, channel=channel
            )
        return pixel_text(layers, int(y // pane.step), int(x // pane.step))

    # closing -------------------------------------------------------------------------------
    def closeEvent(self, event) -> None:
        self.runs.shutdown()
        self.loader.shutdown()
        self.exporter.shutdown()
        self.label_layer.shutdown()
        self.grid.background.shutdown()
        self.settings.save_options(self.panel.settings(), self.panel.selected_methods())
        self.settings.save_geometry(self.saveGeometry())
        self.settings.sync()
        super().closeEvent(event)
