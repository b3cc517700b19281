"""Inputs: opening files, folders, samples, charts, label maps, dropped files, comparison
files and your own results. Files are read on a loader thread; only once they have loaded
does their run replace the current one, so a bad file costs one message and nothing else.
A read that a newer one superseded is dropped (the tickets of viewer/controllers/latest.py).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from viewer.controllers.datasets import DatasetController
from viewer.controllers.latest import Latest
from viewer.controllers.runs import RunsController
from viewer.controllers.upsamplers import UpsamplersController
from viewer.core.errors import InputError
from viewer.core.inputs.added_result import add_result
from viewer.core.inputs.charts import load_chart
from viewer.core.inputs.feature_maps import FEATURE_SUFFIXES, load_file
from viewer.core.inputs.image_io import IMAGE_SUFFIXES, LoadedImage, load_image
from viewer.core.inputs.label_maps import LabelMap, load_label_map, passes_for_labels
from viewer.core.inputs.samples import load_sample
from viewer.core.output.files import write_bytes_atomic
from viewer.core.run.rules import Companions
from viewer.model.comparison_file import SUFFIX as COMPARISON_SUFFIX
from viewer.model.comparison_file import Comparison, is_comparison_file, read_comparison
from viewer.model.comparison_file import to_json as comparison_json

IMAGE_FILTER = (
    "Images and feature maps ("
    + " ".join(f"*{s}" for s in (*IMAGE_SUFFIXES, *FEATURE_SUFFIXES))
    + ");;Images ("
    + " ".join(f"*{s}" for s in IMAGE_SUFFIXES)
    + ");;Feature maps (*.npy *.npz);;All files (*)"
)
LABEL_FILTER = "Label maps (*.png);;All files (*)"
COMPARISON_FILTER = f"Comparisons (*{COMPARISON_SUFFIX})"


class InputsView(Protocol):
    """What opening asks of the window."""

    def ask_open_path(self, title: str, start: str, filter: str) -> str | None: ...
    def ask_save_path(self, title: str, suggested: Path, filter: str) -> str | None: ...
    def ask_folder(self, title: str, start: str) -> str | None: ...
    def say(self, text: str) -> None: ...
    def show_error(self, message: str) -> None: ...
    def load_failed(self, message: str) -> None: ...
    def add_method(self, identifier: str) -> None:
        """Offer method `identifier` (an added result) in the panel."""

    def choose_run(self, comparison: Comparison, added: list[str]) -> None:
        """The panel's settings and methods as the comparison has them."""

    def comparison(self) -> Comparison:
        """What is compared and how it is viewed now."""

    def apply_view(self, comparison: Comparison) -> None:
        """Show the finished run as the comparison says."""

    def stem(self) -> str: ...
    def remember_file(self, path: str) -> None:
        """An entry of Open recent (a comparison file)."""


class Folders(Protocol):
    def last_folder(self) -> str: ...
    def set_last_folder(self, folder: str | Path) -> None: ...


class Loader(Protocol):
    """Runs `job` off the GUI thread; hands (key, its result or None) to `file_read`."""

    def submit(self, key: Any, job: Callable[[], Any]) -> None: ...


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


class InputsController:
    def __init__(
        self,
        view: InputsView,
        folders: Folders,
        loader: Loader,
        runs: RunsController,
        datasets: DatasetController,
    ) -> None:
        self.view, self.folders, self.loader = view, folders, loader
        self.runs, self.datasets = runs, datasets
        self.latest = Latest()
        self.upsamplers = UpsamplersController(view, folders, runs)

    @property
    def max_pixels(self) -> int:
        return self.runs.max_pixels

    # asking --------------------------------------------------------------------------------
    def choose_file(self) -> None:
        path = self.view.ask_open_path("Open image", self.folders.last_folder(), IMAGE_FILTER)
        if path:
            self.open_path(path)

    def choose_folder(self) -> None:
        folder = self.view.ask_folder("Open a folder of images", self.folders.last_folder())
        if folder:
            self.datasets.open_folder(folder)

    def choose_labels(self) -> None:
        start = self.folders.last_folder()
        path = self.view.ask_open_path("Open the image's label map", start, LABEL_FILTER)
        if path:
            self.open_labels(path)

    def choose_result_file(self) -> None:
        if self.runs.shown.image is None:
            self.view.show_error("Open an image first: a result is compared with its original")
            return
        title = "Add your result (same size as the original)"
        path = self.view.ask_open_path(title, self.folders.last_folder(), IMAGE_FILTER)
        if path:
            self.add_result_file(path)

    def choose_upsampler(self) -> None:
        self.upsamplers.choose()

    def choose_open_comparison(self) -> None:
        start = self.folders.last_folder()
        path = self.view.ask_open_path("Open a comparison", start, COMPARISON_FILTER)
        if path:
            self.open_comparison(path)

    def choose_save_comparison(self) -> None:
        suggested = Path(self.folders.last_folder()) / f"{self.view.stem()}{COMPARISON_SUFFIX}"
        path = self.view.ask_save_path("Save the comparison", suggested, COMPARISON_FILTER)
        if path:
            self.save_comparison(path)

    # opening -------------------------------------------------------------------------------
    def open_path(
        self, path: str | Path, labels: str | None = None, guide: str | None = None
    ) -> None:
        """Read `path` (and its label map or guide) on the loader thread: a comparison file
        opens its comparison, a folder runs as a dataset, anything else as an image."""
        path = str(path)
        if is_comparison_file(path):
            self.open_comparison(path)
            return
        if os.path.isdir(path):  # Path.is_dir raises for a name too long
            self.datasets.open_folder(path, labels)
            return
        limit = self.max_pixels
        self.folders.set_last_folder(Path(path).parent)

        def read():
            image = reason_or(lambda: load_file(path, limit))
            return "run", image, reason_or(lambda: read_companions(labels, guide, limit))

        self.loader.submit((self.latest.next(), path), read)
        self.view.say(f"Opening {path}…")

    def open_labels(self, path: str | Path) -> None:
        """Run on the image on show with `path` as its label map."""
        path, image = str(path), self.runs.shown.image
        if image is None:
            self.view.show_error(f"{path}: open the image first, then its label map")
            return
        limit = self.max_pixels

        def read():
            return "run", image, reason_or(lambda: read_companions(path, None, limit))

        self.loader.submit((self.latest.next(), self.runs.shown.name()), read)
        self.view.say(f"Opening the label map {path}…")

    def drop(self, files: list[str]) -> None:
        """A PNG dropped onto an image that passes for its label map (same size; a palette
        or a few grey values) runs as its labels; anything else opens as an image."""
        if not files:
            return
        path, image, limit = files[0], self.runs.shown.image, self.max_pixels
        if Path(path).suffix.lower() == ".py":
            self.upsamplers.dropped(path)  # asks before running its code
            return
        if image is None or Path(path).suffix.lower() != ".png":
            self.open_path(path)  # an image, a feature map or a folder
            return
        self.loader.submit(
            (self.latest.next(), path), lambda: ("drop", dropped_labels(path, image, limit))
        )

    def file_read(self, key: tuple[int, str], read: Any) -> None:
        """`read`: ("run", the image or why not, its companions or why not), ("drop", a
        dropped file's label map or None), or None when reading failed unexpectedly."""
        ticket, path = key
        if not self.latest.is_current(ticket):
            return  # another file was opened since
        if read and read[0] == "drop":
            self._drop_read(path, read[1])
            return
        _, image, companions = read if read else (None, None, None)
        failed = next((part for part in (image, companions) if isinstance(part, InputError)), None)
        if isinstance(image, LoadedImage) and isinstance(companions, Companions):
            self.runs.start(lambda: image, path, companions)
            return
        reason = f"{failed.what}: {failed.why}" if failed else f"{path}: could not be read"
        going_on = "; the run goes on" if self.runs.running else ""
        self.view.say(f"Could not open {Path(path).name}; the current image stays{going_on}")
        self.view.show_error(reason)
        self.view.load_failed(reason)

    def _drop_read(self, path: str, labels: LabelMap | None) -> None:
        if labels is None:
            self.open_path(path)
        else:
            image = self.runs.shown.image
            self.runs.start(lambda: image, self.runs.shown.name(), Companions(labels))

    def open_sample(self, name: str) -> None:
        self.runs.start(lambda: load_sample(name), f"sample:{name}", Companions())

    def open_chart(self, name: str, size: int | None = None) -> None:
        chart = load_chart(name) if size is None else load_chart(name, size)
        self.open_image(chart)

    def open_image(self, image: LoadedImage) -> None:
        """Run on an image made in memory (a test chart)."""
        self.runs.start(lambda: image, image.name, Companions())

    def add_result_file(self, path: str | Path, name: str | None = None) -> None:
        """Add your own result (an image of the original's size) as a method: it is measured
        and scored like every method."""
        path = str(path)
        try:
            identifier = add_result(name or Path(path).stem, path, self.max_pixels)
        except InputError as error:
            self._refuse(error)
            return
        self.view.add_method(identifier)
        self.runs.add_method(identifier)

    def _refuse(self, error: InputError) -> None:
        self.view.show_error(f"{error.what}: {error.why}")
        self.view.load_failed(f"{error.what}: {error.why}")

    # comparison files ----------------------------------------------------------------------
    def save_comparison(self, path: str | Path) -> None:
        try:
            write_bytes_atomic(path, comparison_json(self.view.comparison()))
        except OSError as error:
            self.view.show_error(f"{path}: {error.strerror or error}")
            return
        self.view.say(f"Saved {path}")

    def open_comparison(self, path: str | Path) -> None:
        """Run the comparison the file describes, then show it as it was saved."""
        try:
            comparison = read_comparison(path, self.max_pixels)
            added = [add_result(a["name"], a["path"], self.max_pixels) for a in comparison.added]
        except InputError as error:
            self._refuse(error)
            return
        for identifier in added:
            self.view.add_method(identifier)
        added += self.upsamplers.from_comparison(comparison.upsamplers)  # asks first
        self.view.choose_run(comparison, added)

        def shown() -> None:
            self.view.apply_view(comparison)
            self.view.remember_file(str(Path(path).absolute()))  # above the image it ran

        self.runs.after_run = shown
        source = comparison.input
        if source.startswith("sample:"):
            self.open_sample(source.removeprefix("sample:"))
        elif source.startswith("chart:"):
            _, chart, size = source.split(":")
            self.open_chart(chart, int(size))
        else:
            self.open_path(source, comparison.labels, comparison.guide)
