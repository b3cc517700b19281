"""Runs and dataset runs as the window draws them: the adapters that answer the runs and
dataset controllers' Protocols (viewer/controllers/runs.py, datasets.py) with the panes,
the tables, the loss plot, the progress bar and the window's signals."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from viewer.core.method import unavailable
from viewer.core.methods import get_method
from viewer.core.presentation.captions import reference_captions, reference_panes, result_caption
from viewer.core.run.results import MethodResult, Progress, RunReport
from viewer.core.settings import Settings
from viewer.core.views.colours import pane_colour
from viewer.core.views.label_views import LabelScene
from viewer.ui.ports import WindowPort
from viewer.ui.window_parts import WindowParts
from viewer.ui.worker import DatasetImage, Loaded


def describe_input(loaded: Loaded) -> str:
    """What loading, cropping, degrading and training did, for the status bar."""
    inputs = loaded.inputs
    notes = [*loaded.image.notes, inputs.crop.describe(), f"degraded: {inputs.degradation}"]
    if any(get_method(m).learned for m in loaded.methods):
        notes.append(f"learned methods trained on {loaded.training['on']}")
    notes.append(loaded.device)
    return f"{loaded.image.name}: " + "; ".join(notes)


class RunPort(WindowPort):
    """A run's events drawn into the panes, the metrics table and the loss plot."""

    def __init__(self, window: WindowParts) -> None:
        super().__init__(window)
        self.grid, self.model = window.grid, window.model

    def settings(self) -> Settings:
        return self.window.panel.settings()

    def selected_methods(self) -> list[str]:
        return self.window.panel.selected_methods()

    def save_choices(self, settings: Settings, methods: list[str]) -> None:
        self.window.settings.save_options(settings, methods)

    def remember_file(self, path: str, labels: str | None = None, guide: str | None = None) -> None:
        self.window.settings.add_recent(path, labels, guide)
        self.refresh_recent()

    def refresh_recent(self) -> None:
        """File → Open recent, newest first: each entry reopens what was opened (an image
        with its label map or guide, a folder, a comparison file)."""
        inputs = self.window.inputs
        entries = [
            (e.text(), e.path, lambda e=e: inputs.open_path(e.path, e.labels, e.guide))
            for e in self.window.settings.recent()
        ]
        self.window.menus.fill("recent", entries)

    def set_running(self, running: bool) -> None:
        self.window.panel.set_running(running)
        if not running:
            self.window.progress.hide()

    def busy(self, text: str) -> None:
        self.say(text)
        self.window.progress.setRange(0, 0)
        self.window.progress.show()

    def load_failed(self, message: str) -> None:
        self.window.loadFailed.emit(message)

    def run_finished(self, report: RunReport) -> None:
        self.window.runFinished.emit(report)

    # panes -----------------------------------------------------------------------------
    def set_panes(self, methods: list[str], scale: int) -> None:
        """The reference panes, then one pane per method; panes the user hid stay hidden."""
        specs = reference_panes(scale)
        specs += [(m, get_method(m).name, get_method(m).info) for m in methods]
        self.grid.set_panes(specs)
        for pane in self.grid.panes:
            pane.set_colour(pane_colour(pane.key))
        self.window.profile_tool.sync_panes()
        self.window.pane_menus.refresh()

    def show_chosen(self) -> None:
        """Before any input: a pane per chosen method that runs without a guide (a guided
        one's pane would only go again at the first run, reflowing the grid)."""
        panel = self.window.panel
        methods = [m for m in panel.selected_methods() if not unavailable(get_method(m), False)]
        self.set_panes(methods, panel.settings().scale)

    def wait_for_folder(self, methods: list[str]) -> None:
        """A folder run starts: the panes it will fill, emptied and waiting for its first
        image (the previous input's pictures would pass for the folder's)."""
        self.set_panes(methods, self.settings().scale)
        for pane in self.grid.panes:
            pane.clear_pixels()
        self.grid.views.clear_results()
        self._waiting(methods)

    def _waiting(self, methods: list[str]) -> None:
        for method in methods:
            self.grid.pane(method).clear_pixels()
            self.model.update_pane(method, status="waiting", caption="", message="waiting…")

    def show_loaded(self, loaded: Loaded, new_image: bool) -> None:
        window, inputs = self.window, loaded.inputs
        methods = list(loaded.methods)
        self.set_panes(methods, inputs.scale)
        height, width = inputs.original.shape[:2]
        self.grid.set_image_size(width, height)
        self.grid.views.clear_results()
        window.feature_values = {"original": inputs.original, "lowres": inputs.lowres}
        window.show_feature_choices(inputs)
        window.panel.set_guide_available(inputs.guide is not None)
        window.table.show_columns_for(inputs.kind, self.settings())
        self._show_inputs(loaded)
        for key, caption in reference_captions(width, height, inputs.scale).items():
            self.model.update_pane(key, status="done", caption=caption)
        self._waiting(methods)
        self.grid.views.redisplay()
        window.table.clear_rows()
        window.loss_plot.clear()
        if new_image:
            self.grid.fit()
        window.refresh_tools()
        window.setWindowTitle(f"Upsample Viewer — {loaded.image.name}")
        window.image_info.setText(describe_input(loaded) + "  │")

    def _show_inputs(self, loaded: Loaded) -> None:
        """The original and low-res panes: as images, or (label maps) as labels drawn over
        the image by the label layer."""
        inputs, layer = loaded.inputs, self.window.label_layer
        classes = inputs.classes
        if classes is None:
            layer.start(None)
            self.grid.pane("original").set_pixels(loaded.original_rgb)
            self.grid.pane("lowres").set_pixels(loaded.lowres_rgb, step=inputs.scale)
            return
        layer.start(LabelScene(inputs.guide, classes.truth.ids, inputs.scale, classes.truth.ignore))
        layer.add("original", loaded.original_rgb, classes.truth.ids)
        layer.add("lowres", loaded.lowres_rgb, classes.ids(inputs.lowres), step=inputs.scale)

    def add_panes(self, methods: list[str]) -> None:
        """An appended run: new panes after the current ones, whose results all stay."""
        shown = [pane.key for pane in self.grid.panes[2:]]
        scale = self.window.runs.shown.loaded.inputs.scale
        self.set_panes([*shown, *(m for m in methods if m not in shown)], scale)
        self._waiting(methods)

    def mark_unfinished(self) -> None:
        """The panes a stopped run never reached say so, instead of waiting for ever."""
        for key in self.model.unfinished():
            self.model.update_pane(key, status="cancelled", message="cancelled")

    # progress and results --------------------------------------------------------------
    def add_loss(self, method: str, loss: float) -> None:
        self.window.loss_plot.add(method, loss)

    def redraw_losses(self) -> None:
        self.window.loss_plot.redraw()

    def show_progress(self, progress: Progress, done: int, total: int, text: str) -> None:
        self.model.update_pane(
            progress.method, status="running", step=progress.step, steps=progress.steps, message=""
        )
        self.window.progress.setRange(0, total)
        self.window.progress.setValue(done)
        self.say(text)
        self.window.progressShown.emit(progress)

    def show_result(self, result: MethodResult) -> None:
        window, pane = self.window, self.grid.pane(result.method)
        window.table.add_result(result)
        if result.error:
            pane.clear_pixels()
            caption, reason = result_caption(result)
            self.model.update_pane(
                result.method,
                status="failed",
                caption=caption,
                message=reason,
                detail=result.detail,
            )
            return
        if result.output is not None:
            window.feature_values[result.method] = result.output
        channel = window.feature_channel()
        if result.labels is not None:
            window.label_layer.add(result.method, result.image, result.labels)
        if channel is not None:
            window.show_features(result.method, channel)
        elif result.labels is None:
            pane.set_pixels(result.image, ahead=result.ahead)
        caption, tip = result_caption(result)
        self.model.update_pane(result.method, status="done", caption=caption, message="")
        pane.caption.setToolTip(f"{pane.name}: {tip}")
        self.grid.views.mark_result(result.method)
        window.refresh_tools()


class DatasetPort(WindowPort):
    """A dataset run drawn into the dataset table and the progress bar; the table and its
    dock go when the session's dataset does (another input opened)."""

    def __init__(self, window: WindowParts) -> None:
        super().__init__(window)
        window.model.session.events.dataset.connect(self._dataset_changed)

    def _dataset_changed(self, folder: str | None) -> None:
        if folder is None:
            self.window.dataset.clear()
            self.window.dataset_dock.hide()

    def remember_folder(self, folder: Path, labels: str | None) -> None:
        self.window.settings.set_last_folder(folder)
        self.window.run_port.remember_file(str(folder), labels)

    def start_table(self, files: list[Path], methods: list[str], kind: str) -> None:
        window = self.window
        window.dataset.start(files, methods, "psnr")
        window.dataset.set_kind(kind, window.panel.settings())
        window.heat.offer_for(kind)  # a label folder's first image: no photo tools meanwhile
        window.run_port.wait_for_folder(methods)
        window.dataset_dock.show()
        window.dataset_dock.raise_()
        # room for the mean and a few images, the panes keep the rest
        height = max(220, window.height() // 4)
        window.resizeDocks([window.dataset_dock], [height], Qt.Orientation.Vertical)
        window.progress.setRange(0, len(files) * 1000)

    def add_row(self, done: DatasetImage, first: bool) -> None:
        if first:  # its metrics say its kind: a row continued from disk has no pixels yet
            self.window.dataset.set_kind(done.document["kind"], self.window.panel.settings())
        self.window.dataset.add(done.index, done.document, done.reason)

    def selected_image(self) -> int | None:
        return self.window.dataset.selected_index()

    def select_image(self, index: int) -> None:
        self.window.dataset.select(index)

    def show_folder_progress(self, value: int, text: str) -> None:
        self.window.progress.setValue(value)
        self.say(text)

    def dataset_finished(self, cancelled: bool) -> None:
        self.window.datasetFinished.emit(cancelled)
