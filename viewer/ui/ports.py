"""The window as the Qt-free controllers (viewer/controllers) see it: small adapters that
answer their Protocols with dialogs, the status bar, the panes and the window's signals."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog, QMessageBox

from viewer.core.inputs.added_result import is_added, source
from viewer.core.inputs.user_upsampler import is_user
from viewer.core.inputs.user_upsampler import source as user_source
from viewer.core.methods import get_method
from viewer.core.output.sheet import Legend
from viewer.core.run.results import MethodResult, RunReport
from viewer.core.run.user_runner import worker
from viewer.model.comparison_file import Comparison, restore_view, written
from viewer.ui.background import Background
from viewer.ui.engine_link import EngineLink
from viewer.ui.snapshot import save_widget_png
from viewer.ui.window_parts import WindowParts
from viewer.ui.worker import ExportJob


class WindowPort:
    """Dialogs, the status line and error messages: what every controller asks for."""

    def __init__(self, window: WindowParts) -> None:
        self.window = window

    def ask_open_path(self, title: str, start: str, filter: str) -> str | None:
        path, _ = QFileDialog.getOpenFileName(self.window, title, start, filter)
        return path or None

    def ask_save_path(self, title: str, suggested: Path, filter: str) -> str | None:
        path, _ = QFileDialog.getSaveFileName(self.window, title, str(suggested), filter)
        return path or None

    def ask_folder(self, title: str, start: str) -> str | None:
        return QFileDialog.getExistingDirectory(self.window, title, start) or None

    def say(self, text: str) -> None:
        self.window.status.setText(text)

    def show_error(self, message: str) -> None:
        self.window.show_error(message)


class ExportPort(WindowPort):
    """The panes to picture and the run to write, for the export controller."""

    def save_panes_png(self, path: str | Path) -> None:
        grid = self.window.grid
        for pane in grid.panes:
            pane.set_crosshair(None, None)
        highlighted = [pane for pane in grid.panes if pane.highlighted]
        for pane in highlighted:
            pane.set_highlighted(False)
        try:
            # A heat view's picture has its colour bar (beside the panes) in it.
            shown = grid.parentWidget() if self.window.colour_bar.legend() else grid
            save_widget_png(shown, path)
        finally:
            for pane in highlighted:
                pane.set_highlighted(True)

    def region_tiles(self) -> list:
        return self.window.grid.region_tiles()

    def colour_legend(self) -> Legend | None:
        return self.window.colour_bar.legend()

    def region_origin(self) -> tuple[float, float]:
        rect = self.window.grid.lead.viewbox.viewRect()
        return rect.left(), rect.top()

    def shown(self) -> tuple[str | None, RunReport | None]:
        image = self.window.runs.shown.image
        return (image.name if image else None), self.window.model.session.report

    def exported(self, path: str) -> None:
        self.window.exportFinished.emit(path)


class Exporters:
    """The export thread for regions and the engine worker for a run's files."""

    def __init__(self, background: Background, engine: EngineLink) -> None:
        self.background, self.engine = background, engine

    def submit(self, key: Any, job: Callable[[], Any]) -> None:
        self.background.submit(key, job)

    def export_run(self, report: RunReport, name: str, folder: Path) -> None:
        self.engine.export(ExportJob(report, name, folder))


class InputsPort(WindowPort):
    """The panel's choices and the comparison on show, for the inputs controller."""

    def load_failed(self, message: str) -> None:
        self.window.loadFailed.emit(message)

    def add_method(self, identifier: str) -> None:
        self.window.panel.add_method(get_method(identifier))

    def remove_method(self, identifier: str) -> None:
        """Off the list, and its pane hidden (its result stays until the next run)."""
        self.window.panel.remove_method(identifier)
        if any(pane.key == identifier for pane in self.window.grid.panes):
            self.window.grid.set_hidden(identifier, True)

    def confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self.window, title, text)
        return answer == QMessageBox.StandardButton.Yes

    def watch(self, path: str) -> None:
        self.window.file_watch.watch(path)

    def remember_file(self, path: str) -> None:
        self.window.run_port.remember_file(path)

    def unwatch(self, path: str) -> None:
        self.window.file_watch.unwatch(path)

    def start_worker(self) -> None:
        worker()

    def show_result(self, result: MethodResult) -> None:
        """A user upsampler's error (its file no longer loads) in its pane, if it has one."""
        if any(pane.key == result.method for pane in self.window.grid.panes):
            self.window.run_port.show_result(result)
        else:
            self.window.show_error(result.error or "")

    def choose_run(self, comparison: Comparison, added: list[str]) -> None:
        self.window.panel.set_settings(comparison.settings)
        self.window.panel.set_selected_methods([*comparison.methods, *added])

    def comparison(self) -> Comparison:
        """What is compared, and how it is viewed now (the window's model, copied)."""
        chosen = self.window.panel.selected_methods()
        added = [dict(zip(("name", "path"), source(m), strict=True)) for m in chosen if is_added(m)]
        methods = [m for m in chosen if not is_added(m) and not is_user(m)]
        comparison = written(self.window.model, self.window.panel.settings(), methods, added)
        comparison.upsamplers = [user_source(m) for m in chosen if is_user(m)]
        return comparison

    def apply_view(self, comparison: Comparison) -> None:
        """Show the finished run as the comparison says: the model is set, the widgets
        follow."""
        restore_view(self.window.model, comparison)

    def stem(self) -> str:
        return self.window.exports.stem()
