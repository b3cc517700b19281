"""The one owner of the engine worker, and the one place that drops what a superseded run
still sends: the window's slots only ever see the current run."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from viewer.core.inputs.image_io import LoadedImage
from viewer.core.settings import Settings
from viewer.ui.worker import Companions, EngineWorker, ExportJob, FolderJob, RunJob


class RunController(QObject):
    """Signals arrive in the GUI thread, for the current run only. `appending` says whether
    the current run adds methods to the results on show (rather than replacing them)."""

    ready = Signal()
    loaded = Signal(object)
    progress = Signal(object)
    result = Signal(object)
    finished = Signal(object)
    failed = Signal(str)
    dataset_started = Signal(object)
    dataset_image = Signal(object)
    dataset_progress = Signal(object)
    dataset_finished = Signal(object)
    exported = Signal(str)
    exportFailed = Signal(str)

    def __init__(self, parent: QObject | None = None, device: str = "auto") -> None:
        super().__init__(parent)
        self.worker = EngineWorker(self, device)
        self.run_id = 0
        self.appending = False
        self.worker.ready.connect(self.ready)
        self.worker.exported.connect(self.exported)
        self.worker.exportFailed.connect(self.exportFailed)
        self.worker.event.connect(self.arrived)  # a bound slot: queued to the GUI thread

    def arrived(self, run_id: int, kind: str, payload) -> None:
        """What the worker sent, checked on arrival in the GUI thread (so after any newer run
        was started): passed on for the current run, dropped for a superseded one."""
        if run_id == self.run_id:
            getattr(self, kind).emit(payload)

    def start(
        self,
        name: str,
        load: Callable[[], LoadedImage],
        settings: Settings,
        methods: tuple[str, ...],
        max_pixels: int,
        append: bool = False,
        companions: Companions | None = None,
    ) -> None:
        """Run `methods` on what `load` returns (with its label map or guide); the run in
        progress is cancelled and nothing more of it reaches the window."""
        self.run_id += 1
        self.appending = append
        job = RunJob(
            self.run_id,
            name,
            load,
            settings,
            methods,
            max_pixels=max_pixels,
            companions=companions or Companions(),
        )
        self.worker.submit(job)

    def start_folder(
        self,
        folder: Path,
        labels: Path | None,
        settings: Settings,
        methods: tuple[str, ...],
        max_pixels: int,
    ) -> None:
        """Run `methods` on every image of `folder`; the run in progress is cancelled."""
        self.run_id += 1
        self.appending = False
        job = FolderJob(self.run_id, folder, labels, settings, methods, max_pixels=max_pixels)
        self.worker.submit(job)

    def cancel(self) -> None:
        self.worker.cancel()

    def export(self, job: ExportJob) -> None:
        self.worker.submit_export(job)

    def shutdown(self) -> None:
        self.worker.shutdown()
