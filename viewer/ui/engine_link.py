"""The engine worker as the runs controller (viewer/controllers/runs.py) sees it: jobs go
in with their ticket, and every event the worker sends comes back in the GUI thread to
`deliver(ticket, kind, payload)`, where the controller drops what a newer run superseded."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from viewer.core.settings import Settings
from viewer.ui.worker import Companions, EngineWorker, ExportJob, FolderJob, RunJob


class EngineLink(QObject):
    """Owns the worker thread. `ready`, `exported` and `exportFailed` are the worker's,
    re-emitted in the GUI thread."""

    ready = Signal()
    exported = Signal(str)
    exportFailed = Signal(str)

    def __init__(self, parent: QObject | None = None, device: str = "auto") -> None:
        super().__init__(parent)
        self.worker = EngineWorker(self, device)
        self.deliver: Callable[[int, str, Any], None] = lambda *_: None
        self.worker.ready.connect(self.ready)
        self.worker.exported.connect(self.exported)
        self.worker.exportFailed.connect(self.exportFailed)
        self.worker.event.connect(self.arrived)  # a bound slot: queued to the GUI thread

    def arrived(self, ticket: int, kind: str, payload: Any) -> None:
        self.deliver(ticket, kind, payload)

    def run(
        self,
        ticket: int,
        name: str,
        load: Callable[[], Any],
        settings: Settings,
        methods: tuple[str, ...],
        max_pixels: int,
        companions: Any,
    ) -> None:
        """Run `methods` on what `load` returns; the run in progress is cancelled."""
        job = RunJob(
            ticket,
            name,
            load,
            settings,
            methods,
            max_pixels=max_pixels,
            companions=companions or Companions(),
        )
        self.worker.submit(job)

    def run_folder(
        self,
        ticket: int,
        folder: Path,
        labels: Path | None,
        settings: Settings,
        methods: tuple[str, ...],
        max_pixels: int,
    ) -> None:
        """Run `methods` on every image of `folder`; the run in progress is cancelled."""
        job = FolderJob(ticket, folder, labels, settings, methods, max_pixels=max_pixels)
        self.worker.submit(job)

    def cancel(self) -> None:
        self.worker.cancel()

    def export(self, job: ExportJob) -> None:
        self.worker.submit_export(job)

    def shutdown(self) -> None:
        self.worker.shutdown()
