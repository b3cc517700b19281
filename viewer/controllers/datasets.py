"""Dataset runs: every image of a folder through the chosen methods, a table of images x
methods filling as they finish, and any finished image shown on demand without a re-run.
The worker, the tickets and the progress timer are the runs controller's."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from viewer.controllers.runs import RunsController
from viewer.core.run.progress import folder_bar, folder_status
from viewer.core.run.results import Progress


class DatasetView(Protocol):
    """What dataset runs ask of the window."""

    def remember_folder(self, folder: Path, labels: str | None) -> None:
        """The last folder, and an entry of Open recent (with the labels' folder)."""

    def start_table(self, files: list[Path], methods: list[str]) -> None: ...
    def add_row(self, done: Any, first: bool) -> None:
        """Image `done.index` (a DatasetImage): its row; `first`: the first with results."""

    def selected_image(self) -> int | None: ...
    def select_image(self, index: int) -> None: ...
    def show_folder_progress(self, value: int, text: str) -> None: ...
    def say(self, text: str) -> None: ...
    def dataset_finished(self, cancelled: bool) -> None: ...


def folder_progress(index: int, files: list[Path], progress: Progress) -> tuple[int, str]:
    """(value, text) of a folder's progress bar: a thousand units per image."""
    value, _ = folder_bar(index, len(files), progress)
    return value, folder_status(index, len(files), files[index].name, progress)


class DatasetController:
    def __init__(self, view: DatasetView, runs: RunsController) -> None:
        self.view, self.runs = view, runs
        self.files: list[Path] = []
        self.images: dict[int, Any] = {}  # DatasetImage by index, as they finish
        runs.handlers.update(
            dataset_started=self.started,
            dataset_image=self.image,
            dataset_progress=self.progress,
            dataset_finished=self.finished,
        )

    def open_folder(self, folder: str | Path, labels: str | Path | None = None) -> None:
        """Run every image of `folder` (with the label map of the same stem in `labels`)."""
        self.view.remember_folder(Path(folder), str(Path(labels).absolute()) if labels else None)
        self.files, self.images = [], {}
        self.runs.start_folder(Path(folder), Path(labels) if labels else None)

    def started(self, started: tuple) -> None:
        files, methods, notes = started
        self.files = list(files)
        self.view.start_table(self.files, list(methods))
        if notes:
            self.view.say("; ".join(notes))

    def image(self, done: Any) -> None:
        first = done.loaded is not None and all(i.document is None for i in self.images.values())
        self.images[done.index] = done
        self.view.add_row(done, first)
        if done.loaded is not None and self.view.selected_image() is None:
            self.view.select_image(done.index)
            self.show(done.index)

    def progress(self, update: tuple[int, Progress]) -> None:
        index, progress = update
        value, text = folder_progress(index, self.files, progress)
        self.runs.draw_later(lambda: self.view.show_folder_progress(value, text))

    def finished(self, cancelled: bool) -> None:
        self.runs.drop_pending()
        self.runs.set_running(False)
        done = sum(i.document is not None for i in self.images.values())
        skipped = len(self.images) - done
        elapsed = self.runs.clock() - self.runs.started
        what = "Cancelled after" if cancelled else "Done:"
        self.view.say(
            f"{what} {done} images, {skipped} skipped, in {elapsed:.1f} s; pick a row to see one"
        )
        self.view.dataset_finished(cancelled)

    def show(self, index: int) -> None:
        """The panes of image `index`, at once (no re-run)."""
        done = self.images.get(index)
        if done is not None and done.loaded is not None:
            self.runs.show_done(done.loaded, done.report)
