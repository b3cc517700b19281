"""Export: the panes as one PNG, the region in view at full resolution, and every file the
command line writes. Where the files go is asked of the view; the writing happens off the
GUI thread (the region on a background thread, the run's files on the engine worker)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from viewer.core.output.export import export_region
from viewer.core.output.sheet import Legend
from viewer.core.run.results import RunReport


class ExportView(Protocol):
    """What export asks of the window."""

    def ask_save_path(self, title: str, suggested: Path, filter: str) -> str | None: ...
    def ask_folder(self, title: str, start: str) -> str | None: ...
    def save_panes_png(self, path: str | Path) -> None:
        """The panes as shown, without the crosshair or a selection frame (OSError)."""

    def region_tiles(self) -> list: ...
    def colour_legend(self) -> Legend | None:
        """The colour bar of the heat view on show (None for images)."""

    def region_origin(self) -> tuple[float, float]: ...
    def shown(self) -> tuple[str | None, RunReport | None]:
        """The input's name ("sample:astronaut", a path) and the finished run, if any."""

    def say(self, text: str) -> None: ...
    def show_error(self, message: str) -> None: ...
    def exported(self, path: str) -> None: ...


class Folders(Protocol):
    def last_folder(self) -> str: ...
    def set_last_folder(self, folder: str | Path) -> None: ...


class Exporters(Protocol):
    """The threads that write: `submit(key, job)` runs `job` off the GUI thread and hands
    (key, its result) to `region_written`; `export_run` writes a run's files."""

    def submit(self, key: Any, job: Callable[[], Any]) -> None: ...
    def export_run(self, report: RunReport, name: str, folder: Path) -> None: ...


def input_stem(name: str | None) -> str:
    """A file-name stem for what is open: 'astronaut', 'photo', 'chart-star'."""
    name = name or "upsample"
    return Path(name.replace("sample:", "").replace("chart:", "chart-")).stem


def write_or_reason(write: Callable, *args) -> Path | str:
    """What `write` returns, or why it failed (for a background thread to hand back);
    `write`'s second argument is where it writes."""
    try:
        return write(*args)
    except OSError as error:
        return f"{args[1]}: {error.strerror or error}"


class ExportController:
    def __init__(self, view: ExportView, folders: Folders, exporters: Exporters) -> None:
        self.view, self.folders, self.exporters = view, folders, exporters

    def stem(self) -> str:
        return input_stem(self.view.shown()[0])

    def choose_png(self) -> None:
        suggested = Path(self.folders.last_folder()) / f"{self.stem()}_panes.png"
        path = self.view.ask_save_path("Export panes", suggested, "PNG (*.png)")
        if path:
            self.folders.set_last_folder(Path(path).parent)
            self.export_png(path)

    def export_png(self, path: str | Path) -> None:
        """The panes exactly as shown; a failure is one message."""
        try:
            self.view.save_panes_png(path)
        except OSError as error:
            self.view.show_error(f"{path}: {error.strerror or error}")
            return
        self.view.say(f"Exported {path}")
        self.view.exported(str(path))

    def choose_region(self) -> None:
        folder = self.view.ask_folder("Export the region into", self.folders.last_folder())
        if folder:
            self.folders.set_last_folder(folder)
            self.export_region(folder)

    def export_region(self, folder: str | Path) -> None:
        """The region in view of every visible pane at full resolution, one PNG each and a
        labelled sheet, in a new subfolder named for the region (on a thread of its own)."""
        tiles = self.view.region_tiles()
        if not tiles:
            self.view.show_error("Nothing to export: no pane shows a part of the image")
            return
        left, top = self.view.region_origin()
        target = Path(folder) / f"{self.stem()}_region_{max(0, int(left))}_{max(0, int(top))}"
        legend = self.view.colour_legend()
        self.exporters.submit(target, lambda: write_or_reason(export_region, tiles, target, legend))
        self.view.say(f"Exporting the region to {target}…")

    def region_written(self, target: Path, outcome: Path | str | None) -> None:
        """`outcome`: the folder written, why not, or None when writing failed unexpectedly."""
        if isinstance(outcome, Path):
            self.run_exported(str(outcome))
        else:
            self.view.show_error(outcome or f"{target}: could not be written")

    def choose_all(self) -> None:
        folder = self.view.ask_folder("Export into", self.folders.last_folder())
        if folder:
            self.export_all(folder)

    def export_all(self, folder: str | Path) -> None:
        """Write the same files as the headless command line (in the worker thread)."""
        name, report = self.view.shown()
        if report is None or name is None:
            self.view.show_error("Nothing to export yet: wait for the run to finish")
            return
        self.exporters.export_run(report, name, Path(folder))
        self.view.say(f"Exporting to {folder}…")

    def run_exported(self, path: str) -> None:
        self.view.say(f"Exported {path}")
        self.view.exported(path)
