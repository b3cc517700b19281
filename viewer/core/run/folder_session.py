"""A folder of images as one comparison: each image prepared and run through the session, in
turn, with its label map; the training set read once and learned methods trained once. The
command line's folder run and the window's dataset run both loop here."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from viewer.core.errors import InputError
from viewer.core.inputs.dataset import folder_files
from viewer.core.inputs.feature_maps import load_file
from viewer.core.inputs.image_io import LoadedImage
from viewer.core.inputs.label_maps import LabelMap, load_label_map
from viewer.core.inputs.run_inputs import check_label_settings
from viewer.core.methods import get_method
from viewer.core.run.result_cache import ResultCache
from viewer.core.run.results import Progress, RunReport
from viewer.core.run.rules import Companions, MethodChoice, RunRequest, choose_methods
from viewer.core.run.session import PreparedRun, TrainingPairs, TrainingSetError, prepare
from viewer.core.run.shards import names_digest

ImageProgress = Callable[[int, Progress], None]  # (the image's index, where its run is)


@dataclass(frozen=True)
class ImageRun:
    """One image of the folder: its prepared run and report, or why it was skipped."""

    file: Path
    prepared: PreparedRun | None = None
    report: RunReport | None = None
    reason: str | None = None

    @property
    def image(self) -> LoadedImage | None:
        return self.prepared.image if self.prepared else None

    @property
    def labels(self) -> LabelMap | None:
        """Its label map, as read (uncropped)."""
        return self.prepared.companions.labels if self.prepared else None


class FolderSession:
    """What every image of a folder run shares: the files, the methods, the training set and
    the learned operators. InputError up front for what would fail on every image."""

    def __init__(self, folder: Path, labels: Path | None, request: RunRequest) -> None:
        if labels is not None:
            check_label_settings(request.settings)
        if labels is not None and not os.path.isdir(labels):  # Path.is_dir raises: long name
            raise InputError(f"--labels {labels}", "a folder run needs a folder of labels")
        # A label run's guide is its image: the guided methods run on labels only.
        choice = choose_methods(request.methods, has_guide=labels is not None)
        if request.named:
            choice.refuse_left_out()
        self.files = folder_files(folder, labels)
        self.choice: MethodChoice = choice
        self.labels = labels
        self.request = replace(request, methods=choice.run)
        self.pairs = TrainingPairs(request.settings, request.max_pixels)
        if labels is not None and request.settings.train_labels and not request.settings.classes:
            self.pairs.add_test_classes(self._readable_label_maps())
        self.trained: dict = {}  # with --train-on: each learned method trained once

    @property
    def methods(self) -> tuple[str, ...]:
        return self.choice.run

    @property
    def notes(self) -> tuple[str, ...]:
        return self.choice.notes

    def label_map(self, file: Path) -> LabelMap | None:
        """The label map of `file` (the same stem, .png, in the labels folder), or None
        without one; InputError when it is missing or unreadable."""
        if self.labels is None:
            return None
        path = self.labels / f"{file.stem}.png"
        if not path.exists():
            raise InputError(str(file), f"no label map {path.name} in {self.labels}")
        return load_label_map(path, self.request.max_pixels)

    def _readable_label_maps(self) -> Iterator[LabelMap]:
        """Every image's label map that can be read (an image without one is skipped later):
        read up front so that one set of class channels fits the whole folder."""
        for file in self.files:
            try:
                yield self.label_map(file)
            except InputError:
                continue

    def run_image(
        self,
        file: Path,
        on_progress: Callable[[Progress], None] | None = None,
        cancel: threading.Event | None = None,
        cache: ResultCache | None = None,
    ) -> ImageRun:
        """Load, prepare and run one image (outputs not kept: only what is shown and
        written). A file that cannot be run becomes its reason; a training set that cannot
        be read (TrainingSetError) ends the folder's run."""
        try:
            image = load_file(file, self.request.max_pixels)
            companions = Companions(labels=self.label_map(file))
            prepared = prepare(image, companions, self.request, self.pairs)
        except TrainingSetError:
            raise
        except InputError as error:
            return ImageRun(file, reason=error.why)
        except ValueError as error:
            return ImageRun(file, reason=str(error))
        report = prepared.run(
            on_progress=on_progress,
            cancel=cancel,
            keep_outputs=False,
            cache=cache,
            trained=self.trained,
        )
        return ImageRun(file, prepared, report)

    def identity(self) -> dict:
        """What a resumed run, or another shard, must share with this run to continue or
        complete it: the settings, the methods (and the code of those whose code can change:
        a user's upsampler file) and the folder's file names."""
        versions = {m: get_method(m).version for m in self.methods}
        return {
            "settings": self.request.settings.as_dict(),
            "methods": list(self.methods),
            "code": {m: version for m, version in versions.items() if version},
            "labels": self.labels is not None,
            "files": len(self.files),
            "names": names_digest(self.files),
        }

    def images(
        self,
        on_progress: ImageProgress | None = None,
        cancel: threading.Event | None = None,
        cache: ResultCache | None = None,
        only: Iterable[int] | None = None,
    ) -> Iterator[tuple[int, ImageRun]]:
        """Each image's (index, run) as soon as it is done; a cancel stops before the next
        image, and an image whose run was cancelled is not given. `only` names the indices
        to run (a shard's, or those a resumed run still lacks); by default every file."""
        chosen = range(len(self.files)) if only is None else sorted(only)
        for index in chosen:
            file = self.files[index]
            if cancel is not None and cancel.is_set():
                return

            def progress(update: Progress, index: int = index) -> None:
                if on_progress is not None:
                    on_progress(index, update)

            done = self.run_image(file, progress, cancel, cache)
            if done.report is not None and done.report.cancelled:
                return
            yield index, done
