"""Watching your upsampler files: one `saved` signal per save.

QFileSystemWatcher stops watching a file that an editor saves by replacing it (write a new
file, rename it over the old): the path is added again after each change. Editors write
more than once per save, so changes are gathered for DEBOUNCE_MS before `saved` fires.
"""

from __future__ import annotations

import os

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

DEBOUNCE_MS = 200
RETRIES = 10  # a replaced file not there yet is looked for again, this many times


class FileWatch(QObject):
    saved = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.watcher = QFileSystemWatcher(self)
        self.watcher.fileChanged.connect(self._changed)
        self.wanted: set[str] = set()
        self.timers: dict[str, QTimer] = {}
        self.missing: dict[str, int] = {}

    def watch(self, path: str) -> None:
        self.wanted.add(path)
        if path not in self.watcher.files():
            self.watcher.addPath(path)

    def unwatch(self, path: str) -> None:
        self.wanted.discard(path)
        self.watcher.removePath(path)
        timer = self.timers.pop(path, None)
        if timer is not None:
            timer.stop()

    def _changed(self, path: str) -> None:
        if path not in self.timers:
            timer = QTimer(self)
            timer.setSingleShot(True)
            timer.timeout.connect(lambda: self._settled(path))
            self.timers[path] = timer
        self.timers[path].start(DEBOUNCE_MS)

    def _settled(self, path: str) -> None:
        if path not in self.wanted:
            return
        if not os.path.exists(path) and self.missing.get(path, 0) < RETRIES:
            self.missing[path] = self.missing.get(path, 0) + 1
            self.timers[path].start(DEBOUNCE_MS)  # replaced: the new file is on its way
            return
        self.missing.pop(path, None)
        if os.path.exists(path) and path not in self.watcher.files():
            self.watcher.addPath(path)
        self.saved.emit(path)
