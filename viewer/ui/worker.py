"""The one thread that runs Paddle for the window, and the signals that bring results back.

The worker never touches widgets: it emits signals tagged with a run id, and Qt queues them
to the GUI thread. A newer job cancels the current one; the window drops stale run ids.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, Signal

from viewer.core.errors import InputError
from viewer.core.inputs.dataset import Dataset, ImageRun, folder_files
from viewer.core.inputs.degrade import Inputs
from viewer.core.inputs.image_io import DEFAULT_MAX_PIXELS, LoadedImage
from viewer.core.inputs.label_maps import LabelMap
from viewer.core.inputs.run_inputs import make_inputs, usable_methods
from viewer.core.output.export import export_run
from viewer.core.output.report import metrics_document
from viewer.core.run.device import use_device
from viewer.core.run.engine import run_methods
from viewer.core.run.priority import lower_this_thread
from viewer.core.run.result_cache import ResultCache
from viewer.core.run.results import MethodResult, Progress, RunReport
from viewer.core.run.training_set import describe_training, training_pairs_for
from viewer.core.settings import Settings
from viewer.core.views.minify import levels_ahead

THREAD_NAME = "upsample-engine"


@dataclass(frozen=True)
class Companions:
    """What is opened beside the image: its label map, or a feature map's guide."""

    labels: LabelMap | None = None
    guide: LoadedImage | None = None


@dataclass(frozen=True)
class RunJob:
    """Load an image (the loader runs in the worker), degrade it and run `methods`."""

    run_id: int
    name: str  # what messages call the input: its path, or the sample's name
    load: Callable[[], LoadedImage]
    settings: Settings
    methods: tuple[str, ...]
    cancel: threading.Event = field(default_factory=threading.Event)
    max_pixels: int = DEFAULT_MAX_PIXELS
    companions: Companions = field(default_factory=Companions)


@dataclass(frozen=True)
class FolderJob:
    """Run `methods` on every image of a folder (each with its label map from `labels`)."""

    run_id: int
    folder: Path
    labels: Path | None
    settings: Settings
    methods: tuple[str, ...]
    cancel: threading.Event = field(default_factory=threading.Event)
    max_pixels: int = DEFAULT_MAX_PIXELS


@dataclass(frozen=True)
class DatasetImage:
    """One image of a dataset run as the window shows it: its prepared inputs and results
    (None and a reason when it was skipped) and its metrics document."""

    index: int
    file: Path
    loaded: Loaded | None = None
    report: RunReport | None = None
    document: dict | None = None
    reason: str | None = None


@dataclass(frozen=True)
class ExportJob:
    report: RunReport
    image_name: str
    target: Path


@dataclass(frozen=True)
class Loaded:
    """The prepared inputs, with how to show them (feature maps: as RGB projections)."""

    image: LoadedImage
    inputs: Inputs
    methods: tuple[str, ...]
    original_rgb: np.ndarray
    lowres_rgb: np.ndarray
    training: dict
    device: str
    companions: Companions = field(default_factory=Companions)
    notes: tuple[str, ...] = ()  # methods left out, and why


class EngineWorker(QObject):
    # (run id, kind, payload); kind: "loaded", "progress", "result", "finished", "failed",
    # and for a folder: "dataset_started", "dataset_image", "dataset_progress",
    # "dataset_finished"
    event = Signal(int, str, object)
    exported = Signal(str)
    exportFailed = Signal(str)
    ready = Signal()  # Paddle is imported and its device set

    def __init__(self, parent: QObject | None = None, device: str = "auto") -> None:
        super().__init__(parent)
        self.device = device
        self.device_note = ""
        self._jobs: queue.Queue[RunJob | FolderJob | ExportJob | None] = queue.Queue()
        self.cache = ResultCache()  # results of earlier runs: a change re-runs what it changes
        self._current: RunJob | None = None
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name=THREAD_NAME)
            self._thread.start()

    def submit(self, job: RunJob | FolderJob) -> None:
        """Queue `job`, cancelling the run in progress (its results will not be shown)."""
        with self._lock:
            if self._current is not None:
                self._current.cancel.set()
            self._current = job
        self.start()
        self._jobs.put(job)

    def submit_export(self, job: ExportJob) -> None:
        self.start()
        self._jobs.put(job)

    def cancel(self) -> None:
        with self._lock:
            if self._current is not None:
                self._current.cancel.set()

    def shutdown(self) -> None:
        """Cancel, stop and join the thread; safe to call twice."""
        self.cancel()
        if self._thread is not None:
            self._jobs.put(None)
            self._thread.join()
            self._thread = None

    def is_running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _loop(self) -> None:
        # Paddle is imported here (the window shows first) and its device set once, before
        # any job: the device is process-wide state. This thread, and the threads it starts
        # (the engine's measuring thread, Paddle's pools), run below the window's priority:
        # on a machine whose cores the engine fills, the event loop still gets a core.
        lower_this_thread()
        self.device_note = use_device(self.device)
        self.ready.emit()
        while (job := self._jobs.get()) is not None:
            if isinstance(job, ExportJob):
                self._export(job)
            elif not job.cancel.is_set():
                self._run_guarded(job)

    def _run_guarded(self, job: RunJob | FolderJob) -> None:
        """A bug or an exhausted machine must not end the thread: later runs still need it."""
        try:
            if isinstance(job, FolderJob):
                self._run_folder(job)
            else:
                self._run(job)
        except Exception as error:
            reason = f"{type(error).__name__}: {error}"
            self.event.emit(job.run_id, "failed", f"{job.name}: the run failed ({reason})")

    def _run(self, job: RunJob) -> None:
        try:
            image = job.load()
        except InputError as error:
            self.event.emit(job.run_id, "failed", f"{error.what}: {error.why}")
            return
        try:
            companions = job.companions
            inputs = make_inputs(image, job.settings, companions.labels, companions.guide)
            methods, notes = usable_methods(list(job.methods), inputs.guide is not None, False)
            train_pairs = training_pairs_for(job.settings, inputs, job.max_pixels)
        except InputError as error:
            self.event.emit(job.run_id, "failed", f"{error.what}: {error.why}")
            return
        except ValueError as error:
            self.event.emit(job.run_id, "failed", f"{image.name}: {error}")
            return
        loaded = self._loaded(image, inputs, methods, job.settings, train_pairs, companions, notes)
        self.event.emit(job.run_id, "loaded", loaded)
        # Feature maps keep their float outputs: the window re-renders them per channel.
        keep = inputs.is_features

        def on_result(result: MethodResult) -> None:
            # On the engine's measuring thread: the mipmap levels of what a pane will show
            # (label maps and feature maps are drawn per view or channel instead).
            shows_image = result.image is not None and result.labels is None and not keep
            ahead = levels_ahead(result.image) if shows_image else ()
            output = result.output if keep else None
            self.event.emit(job.run_id, "result", replace(result, output=output, ahead=ahead))

        report = run_methods(
            inputs,
            methods,
            job.settings,
            on_result=on_result,
            on_progress=lambda p: self.event.emit(job.run_id, "progress", p),
            cancel=job.cancel,
            keep_outputs=keep,
            train_pairs=train_pairs,
            cache=self.cache,
        )
        self.event.emit(job.run_id, "finished", report)

    def _loaded(self, image, inputs, methods, settings, train_pairs, companions, notes) -> Loaded:
        return Loaded(
            image,
            inputs,
            tuple(methods),
            inputs.display.rgb(inputs.original),
            inputs.display.rgb(inputs.lowres),
            describe_training(settings, train_pairs),
            self.device_note,
            companions,
            tuple(notes),
        )

    def _run_folder(self, job: FolderJob) -> None:
        """Every image in turn, each sent as soon as it is done; cancel keeps those done."""
        try:
            methods, notes = usable_methods(list(job.methods), job.labels is not None, False)
            files = folder_files(job.folder, job.labels)
        except InputError as error:
            self.event.emit(job.run_id, "failed", f"{error.what}: {error.why}")
            return
        self.event.emit(job.run_id, "dataset_started", (files, methods, notes))
        dataset = Dataset(job.settings, methods, job.labels, job.max_pixels)
        for index, file in enumerate(files):
            if job.cancel.is_set():
                break

            def progress(p: Progress, i: int = index) -> None:
                self.event.emit(job.run_id, "dataset_progress", (i, p))

            try:
                done = dataset.run(
                    file,
                    on_progress=progress,
                    cancel=job.cancel,
                    keep_outputs=False,
                    cache=self.cache,
                )
            except InputError as error:  # the training set: every image would fail alike
                self.event.emit(job.run_id, "failed", f"{error.what}: {error.why}")
                return
            if done.report is not None and done.report.cancelled:
                break
            self.event.emit(job.run_id, "dataset_image", self._dataset_image(index, done, notes))
        self.event.emit(job.run_id, "dataset_finished", job.cancel.is_set())

    def _dataset_image(self, index: int, done: ImageRun, notes: list[str]) -> DatasetImage:
        if done.report is None:
            return DatasetImage(index, done.file, reason=done.reason)
        report = done.report
        loaded = self._loaded(
            done.image,
            report.inputs,
            [r.method for r in report.results],
            report.settings,
            report.train_pairs,
            Companions(labels=done.labels),
            notes,
        )
        document = metrics_document(report, done.image.name)
        return DatasetImage(index, done.file, loaded, report, document)

    def _export(self, job: ExportJob) -> None:
        try:
            self.exported.emit(str(export_run(job.report, job.image_name, job.target)))
        except OSError as error:
            self.exportFailed.emit(f"{job.target}: {error.strerror or error}")
        except Exception as error:
            self.exportFailed.emit(f"{job.target}: {type(error).__name__}: {error}")
