"""A small thread for work that must not run on the GUI thread: display computations
(spectra) and reading files.

Separate from the engine worker, so a spectrum appears, or a file is read, even while a
method is training.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Signal


class Background(QObject):
    """`done(key, result)` arrives in the GUI thread; result is None if the job failed."""

    done = Signal(object, object)

    def __init__(self, parent: QObject | None = None, name: str = "upsample-display") -> None:
        super().__init__(parent)
        self.name = name
        self._pool: ThreadPoolExecutor | None = None

    def submit(self, key: Any, job: Callable[[], Any]) -> None:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=self.name)
        self._pool.submit(job).add_done_callback(lambda future: self._finish(key, future))

    def _finish(self, key: Any, future: Future) -> None:
        if future.cancelled():
            return
        error = future.exception()
        self.done.emit(key, None if error else future.result())

    def shutdown(self) -> None:
        """Drop queued jobs, wait for the running one, join the thread."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
