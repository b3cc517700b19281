"""The one thread that runs Paddle for the window, and the signals that bring results back.

The worker never touches widgets: it emits signals tagged with a run id, and Qt queues them
to the GUI thread. A newer job cancels the current one; the window drops stale run ids. Runs
are prepared and looped by the core's run session (viewer/core/run/session.py and
folder_session.py), as the command line's are: this module only carries them to Qt.
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
from viewer.core.inputs.degrade import Inputs
from viewer.core.inputs.image_io import DEFAULT_MAX_PIXELS, LoadedImage
from viewer.core.output.export import export_run
from viewer.core.run.dataset_store import DatasetStore
from viewer.core.run.device import use_device
from viewer.core.run.folder_session import FolderSession, ImageRun
from viewer.core.run.priority import lower_this_thread
from viewer.core.run.result_cache import ResultCache
from viewer.core.run.results import MethodResult, Progress, RunReport
from viewer.core.run.rules import Companions, RunRequest
from viewer.core.run.session import PreparedRun, prepare
from viewer.core.settings import Settings
from viewer.core.views.minify import levels_ahead

THREAD_NAME = "upsample-engine"


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
    """Run `methods` on every image of a folder (each with its label map from `labels`),
    kept in its run folder on disk (viewer/core/run/dataset_store.py) and continued there."""

    run_id: int
    folder: Path
    labels: Path | None
    settings: Settings
    methods: tuple[str, ...]
    cancel: threading.Event = field(default_factory=threading.Event)
    max_pixels: int = DEFAULT_MAX_PIXELS

    @property
    def name(self) -> str:
        """What messages call the run: its folder."""
        return str(self.folder)


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

    @classmethod
    def of(cls, prepared: PreparedRun, device: str, notes: tuple[str, ...] = ()) -> Loaded:
        """A prepared run as the window shows it; `notes` by default its own."""
        inputs = prepared.inputs
        return cls(
            prepared.image,
            inputs,
            prepared.methods,
            inputs.display.rgb(inputs.original),
            inputs.display.rgb(inputs.lowres),
            prepared.training,
            device,
            prepared.companions,
            notes or prepared.notes,
        )


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
                self.run_job(job)
        except Exception as error:
            reason = f"{type(error).__name__}: {error}"
            self.event.emit(job.run_id, "failed", f"{job.name}: the run failed ({reason})")

    def run_job(self, job: RunJob) -> None:
        """Run `job` in the calling thread: the engine thread does, and a test that records
        exactly what a run sends."""
        try:
            image = job.load()
            request = RunRequest(job.settings, job.methods, max_pixels=job.max_pixels)
            prepared = prepare(image, job.companions, request)
        except InputError as error:
            self.event.emit(job.run_id, "failed", f"{error.what}: {error.why}")
            return
        self.event.emit(job.run_id, "loaded", Loaded.of(prepared, self.device_note))
        # Feature maps keep their float outputs: the window re-renders them per channel.
        keep = prepared.inputs.is_features

        def on_result(result: MethodResult) -> None:
            # On the engine's measuring thread: the mipmap levels of what a pane will show
            # (label maps and feature maps are drawn per view or channel instead).
            shows_image = result.image is not None and result.labels is None and not keep
            ahead = levels_ahead(result.image) if shows_image else ()
            output = result.output if keep else None
            self.event.emit(job.run_id, "result", replace(result, output=output, ahead=ahead))

        report = prepared.run(
            on_result=on_result,
            on_progress=lambda p: self.event.emit(job.run_id, "progress", p),
            cancel=job.cancel,
            keep_outputs=keep,
            cache=self.cache,
        )
        self.event.emit(job.run_id, "finished", report)

    def _run_folder(self, job: FolderJob) -> None:
        """Every image in turn, each sent as soon as it is done; cancel keeps those done."""
        try:
            request = RunRequest(job.settings, job.methods, max_pixels=job.max_pixels)
            session = FolderSession(job.folder, job.labels, request)
        except InputError as error:
            self.event.emit(job.run_id, "failed", f"{error.what}: {error.why}")
            return
        notes = session.notes
        store = DatasetStore(job.folder, session, {"device": self.device_note})
        try:
            earlier = store.open()
        except InputError as error:
            self.event.emit(job.run_id, "failed", f"{error.what}: {error.why}")
            return
        except OSError as error:
            where = f"{job.folder}: cannot keep its run in {store.target}"
            self.event.emit(job.run_id, "failed", f"{where} ({error.strerror or error})")
            return
        told = list(notes)
        if earlier and not store.todo():
            told.append(f"shown from its run in {store.target}, done earlier")
        elif earlier:
            count = f"{len(earlier)} of {len(session.files)}"
            told.append(f"continuing its run in {store.target}: {count} images were done")

        def read_back(index: int) -> DatasetImage:
            prepared, report = store.read(index)
            loaded = Loaded.of(prepared, self.device_note, notes)
            return DatasetImage(index, session.files[index], loaded, report, store.documents[index])

        started = (session.files, list(session.methods), told, read_back)
        self.event.emit(job.run_id, "dataset_started", started)
        for index in sorted(earlier.keys() | store.failed.keys()):
            reason = store.failed.get(index, {}).get("reason")
            image = DatasetImage(
                index, session.files[index], None, None, earlier.get(index), reason
            )
            self.event.emit(job.run_id, "dataset_image", image)

        def progress(index: int, update: Progress) -> None:
            self.event.emit(job.run_id, "dataset_progress", (index, update))

        # Not through the result cache: the run folder keeps every image's results, and a
        # gigabyte of cached results would be most of what the dataset run holds.
        images = session.images(progress, job.cancel, only=store.todo())
        try:
            for index, done in images:
                document = store.write(index, done)
                image = self._dataset_image(index, done, notes, document)
                self.event.emit(job.run_id, "dataset_image", image)
        except InputError as error:  # the training set: every image would fail alike
            store.close(cancelled=True)
            self.event.emit(job.run_id, "failed", f"{error.what}: {error.why}")
            return
        except BaseException:
            store.close(cancelled=True)
            raise
        store.close(job.cancel.is_set())
        self.event.emit(job.run_id, "dataset_finished", job.cancel.is_set())

    def _dataset_image(
        self, index: int, done: ImageRun, notes: tuple[str, ...], document: dict | None
    ) -> DatasetImage:
        if done.report is None:
            return DatasetImage(index, done.file, reason=done.reason)
        loaded = Loaded.of(done.prepared, self.device_note, notes)
        return DatasetImage(index, done.file, loaded, done.report, document)

    def _export(self, job: ExportJob) -> None:
        try:
            self.exported.emit(str(export_run(job.report, job.image_name, job.target)))
        except OSError as error:
            self.exportFailed.emit(f"{job.target}: {error.strerror or error}")
        except Exception as error:
            self.exportFailed.emit(f"{job.target}: {type(error).__name__}: {error}")
