"""The window as the Qt-free controllers (viewer/controllers) see it: small adapters that
answer their Protocols with dialogs, the status bar, the panes and the window's signals."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QFileDialog

from viewer.core.run.results import RunReport
from viewer.ui.background import Background
from viewer.ui.run_controller import RunController
from viewer.ui.snapshot import save_widget_png
from viewer.ui.worker import ExportJob

if TYPE_CHECKING:
    from viewer.ui.main_window import MainWindow


class WindowPort:
    """Dialogs, the status line and error messages: what every controller asks for."""

    def __init__(self, window: MainWindow) -> None:
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
            save_widget_png(grid, path)
        finally:
            for pane in highlighted:
                pane.set_highlighted(True)

    def region_tiles(self) -> list:
        return self.window.grid.region_tiles()

    def region_origin(self) -> tuple[float, float]:
        rect = self.window.grid.lead.viewbox.viewRect()
        return rect.left(), rect.top()

    def shown(self) -> tuple[str | None, RunReport | None]:
        image = self.window.image
        return (image.name if image else None), self.window.report

    def exported(self, path: str) -> None:
        self.window.exportFinished.emit(path)


class Exporters:
    """The export thread for regions and the engine worker for a run's files."""

    def __init__(self, background: Background, runs: RunController) -> None:
        self.background, self.runs = background, runs

    def submit(self, key: Any, job: Callable[[], Any]) -> None:
        self.background.submit(key, job)

    def export_run(self, report: RunReport, name: str, folder: Path) -> None:
        self.runs.export(ExportJob(report, name, folder))
