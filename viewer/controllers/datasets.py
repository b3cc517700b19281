"""Dataset runs: every image of a folder through the chosen methods, a table of images x
methods filling as they finish, and any finished image shown on demand without a re-run.
The worker, the tickets and the progress timer are the runs controller's.

A folder of any size fits: the worker keeps each image's results in the run's folder on
disk (viewer/core/run/dataset_store.py); this controller keeps each row's metrics and, of
the images' pixels, only a few recently shown ones (a cache capped in bytes). A picked
image not in it is read back from disk."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from viewer.controllers.runs import RunsController
from viewer.core.errors import InputError
from viewer.core.inputs.feature_maps import is_feature_file
from viewer.core.run.byte_cache import ByteCappedCache
from viewer.core.run.progress import folder_bar, folder_status
from viewer.core.run.results import Progress


class DatasetView(Protocol):
    """What dataset runs ask of the window."""

    def remember_folder(self, folder: Path, labels: str | None) -> None:
        """The last folder, and an entry of Open recent (with the labels' folder)."""

    def start_table(self, files: list[Path], methods: list[str], kind: str) -> None:
        """A new table of `files`; `kind` (Inputs.kind) says which metrics and views the
        window offers from the start, not only once the first image is done."""

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


def folder_kind(files: list[Path], labelled: bool) -> str:
    """What a folder's images are, as Inputs.kind says it of each: label maps when their
    labels were given, feature maps when every file is an array, photos otherwise."""
    if labelled:
        return "labels"
    return "features" if files and all(map(is_feature_file, files)) else "image"


CACHE_BYTES = 256 << 20  # the pixels of a few images kept for going back and forth


class DatasetController:
    def __init__(
        self, view: DatasetView, runs: RunsController, cache_bytes: int = CACHE_BYTES
    ) -> None:
        self.view, self.runs = view, runs
        self.files: list[Path] = []
        self.documents: dict[int, dict | None] = {}  # each row's metrics (None: skipped)
        self.cache = ByteCappedCache(cache_bytes)  # DatasetImages with pixels, by index
        self.read_back: Callable[[int], Any] | None = None  # a finished image from disk
        self.labelled = False  # the folder's label maps were given
        runs.handlers.update(
            dataset_started=self.started,
            dataset_image=self.image,
            dataset_progress=self.progress,
            dataset_finished=self.finished,
        )

    def open_folder(self, folder: str | Path, labels: str | Path | None = None) -> None:
        """Run every image of `folder` (with the label map of the same stem in `labels`)."""
        self.view.remember_folder(Path(folder), str(Path(labels).absolute()) if labels else None)
        self.files, self.documents, self.read_back = [], {}, None
        self.labelled = labels is not None
        self.cache.clear()
        self.runs.start_folder(Path(folder), Path(labels) if labels else None)

    def started(self, started: tuple) -> None:
        files, methods, notes, *reader = started
        self.files = list(files)
        self.read_back = reader[0] if reader else None
        self.view.start_table(self.files, list(methods), folder_kind(self.files, self.labelled))
        if notes:
            self.view.say("; ".join(notes))

    def image(self, done: Any) -> None:
        first = done.document is not None and all(d is None for d in self.documents.values())
        self.documents[done.index] = done.document
        if done.loaded is not None:
            self.cache.put(done.index, done)
        self.view.add_row(done, first)
        if done.document is not None and self.view.selected_image() is None:
            self.view.select_image(done.index)
            self.show(done.index)

    def progress(self, update: tuple[int, Progress]) -> None:
        index, progress = update
        value, text = folder_progress(index, self.files, progress)
        self.runs.draw_later(lambda: self.view.show_folder_progress(value, text))

    def finished(self, cancelled: bool) -> None:
        self.runs.drop_pending()
        self.runs.set_running(False)
        done = sum(document is not None for document in self.documents.values())
        skipped = len(self.documents) - done
        elapsed = self.runs.clock() - self.runs.started
        what = "Cancelled after" if cancelled else "Done:"
        self.view.say(
            f"{what} {done} images, {skipped} skipped, in {elapsed:.1f} s; pick a row to see one"
        )
        self.view.dataset_finished(cancelled)

    def show(self, index: int) -> None:
        """The panes of image `index`, at once (no re-run): from memory, or read back from
        the run's folder."""
        done = self.cache.get(index)
        if done is None:
            if self.documents.get(index) is None or self.read_back is None:
                return
            try:
                done = self.read_back(index)
            except (OSError, ValueError, InputError) as error:
                self.view.say(f"{self.files[index].name}: its results cannot be read ({error})")
                return
            self.cache.put(index, done)
        self.runs.show_done(done.loaded, done.report)
