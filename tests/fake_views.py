"""Fake views, worker and threads for the controller tests: each records what it was told
and answers with what the test set. No Qt, no Paddle (as ndv tests its controllers with a
mocked view)."""

from __future__ import annotations

from types import SimpleNamespace

from viewer.core.settings import Settings


class Recorder:
    """Every call of a method not defined here is recorded as (name, args) in `calls`."""

    def __init__(self) -> None:
        self.calls: list[tuple] = []

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        return lambda *args: self.calls.append((name, *args))

    def told(self, name: str) -> list[tuple]:
        """The arguments of every call of `name`, in order."""
        return [call[1:] for call in self.calls if call[0] == name]

    def said(self) -> list[str]:
        """The status lines, in order."""
        return [call[1] for call in self.calls if call[0] in ("say", "busy")]


class FakeFolders:
    """Where file dialogs start: the last folder used."""

    def __init__(self, folder):
        self.folder = str(folder)

    def last_folder(self):
        return self.folder

    def set_last_folder(self, folder):
        self.folder = str(folder)


class FakeRunView(Recorder):
    def __init__(self, settings: Settings | None = None, methods=("nearest", "bicubic")):
        super().__init__()
        self.chosen_settings, self.methods = settings or Settings(), list(methods)

    def settings(self) -> Settings:
        return self.chosen_settings

    def selected_methods(self) -> list[str]:
        return self.methods


class FakeTimer:
    def __init__(self) -> None:
        self.active, self.starts = False, 0

    def start(self) -> None:
        self.active, self.starts = True, self.starts + 1

    def stop(self) -> None:
        self.active = False

    def isActive(self) -> bool:
        return self.active


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class FakeLoader:
    """Keeps submitted reads; `finish` runs one and hands its result back, as the loader
    thread does."""

    def __init__(self) -> None:
        self.jobs: list[tuple] = []

    def submit(self, key, job) -> None:
        self.jobs.append((key, job))

    def finish(self, controller, index: int = -1) -> None:
        key, job = self.jobs[index]
        controller.file_read(key, job())


def loaded_input(image, methods=("nearest",), notes=(), companions=None):
    """What the worker sends first: the prepared run (only what the controllers read)."""
    return SimpleNamespace(image=image, methods=methods, notes=notes, companions=companions)


class FakeDatasetView(Recorder):
    def selected_image(self) -> int | None:
        chosen = self.told("select_image")
        return chosen[-1][0] if chosen else None
