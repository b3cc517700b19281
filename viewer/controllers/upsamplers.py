"""Your own upsampler files in the window: added from the File menu, a drop or a comparison
file, watched while listed (each save re-runs that method alone), removed from the list.

No user code runs unasked: File → Add an upsampler… is the asking; a dropped file and the
files a comparison names run only once the user agrees, told which files would run and
which changed since the comparison was saved.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Protocol

from viewer.controllers.runs import RunsController
from viewer.core.errors import InputError
from viewer.core.inputs.user_upsampler import add_upsampler, is_user, user_file
from viewer.core.run.results import MethodResult

PYTHON_FILTER = "Python files (*.py)"


class UpsamplersView(Protocol):
    """What adding, watching and removing upsampler files asks of the window."""

    def ask_open_path(self, title: str, start: str, filter: str) -> str | None: ...
    def confirm(self, title: str, text: str) -> bool: ...
    def say(self, text: str) -> None: ...
    def show_error(self, message: str) -> None: ...
    def add_method(self, identifier: str) -> None: ...
    def remove_method(self, identifier: str) -> None: ...
    def watch(self, path: str) -> None: ...
    def unwatch(self, path: str) -> None: ...
    def start_worker(self) -> None:
        """Start the process that runs upsampler files (it loads Paddle meanwhile)."""

    def show_result(self, result: MethodResult) -> None:
        """Show `result` in its method's pane (an error: the message, file and line)."""


class Folders(Protocol):
    def last_folder(self) -> str: ...


def state_of(entry: dict[str, str]) -> str:
    """How a comparison's upsampler file is now: missing, changed since saved, or as saved."""
    path = Path(entry["path"])
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return "missing"
    return "as saved" if digest == entry["sha256"] else "changed since the comparison was saved"


class UpsamplersController:
    def __init__(self, view: UpsamplersView, folders: Folders, runs: RunsController) -> None:
        self.view, self.folders, self.runs = view, folders, runs
        self.watched: dict[str, str] = {}  # path -> method id

    def choose(self) -> None:
        """File → Add an upsampler…: choosing the file is agreeing to run it."""
        start = self.folders.last_folder()
        path = self.view.ask_open_path("Add your upsampler (a Python file)", start, PYTHON_FILTER)
        if path:
            self.add(path)

    def dropped(self, path: str) -> None:
        """A dropped .py file runs only when the user agrees."""
        if self.view.confirm("Run your upsampler?", f"Run the Python code in {path}?"):
            self.add(path)

    def add(self, path: str | Path, run: bool = True) -> str | None:
        """List the file's upsampler, watch the file and (`run`) run it alone on the image on
        show; its id, or None when the file cannot be an upsampler (the message says why)."""
        try:
            identifier = add_upsampler(path)
        except InputError as error:
            self.view.show_error(f"{error.what}: {error.why}")
            return None
        file = user_file(identifier)
        self.view.add_method(identifier)
        self.watched[file.path] = identifier
        self.view.watch(file.path)
        self.view.start_worker()
        if run:
            self._run(identifier)
        return identifier

    def saved(self, path: str) -> None:
        """The watched file changed: read again and re-run that method alone (the result
        cache is keyed by the file's content); a file that no longer loads shows why in
        its pane."""
        identifier = self.watched.get(path)
        if identifier is None:
            return
        try:
            add_upsampler(path)
        except InputError as error:
            self.view.show_result(MethodResult(identifier, error=f"{error.what}: {error.why}"))
            return
        self.view.say(f"{Path(path).name} changed: re-running {identifier}")
        self._run(identifier)

    def remove(self, identifier: str) -> None:
        """Take a user upsampler off the method list; its file is no longer watched."""
        if not is_user(identifier):
            return
        path = user_file(identifier).path
        self.watched.pop(path, None)
        self.view.unwatch(path)
        self.view.remove_method(identifier)

    def from_comparison(self, entries: list[dict[str, str]]) -> list[str]:
        """The upsamplers a comparison names, added only if the user agrees (told which
        files would run and how each is now); the ids added."""
        if not entries:
            return []
        lines = [f"{entry['path']} ({state_of(entry)})" for entry in entries]
        text = "This comparison runs code from:\n" + "\n".join(lines) + "\nRun it?"
        if not self.view.confirm("Run the comparison's upsamplers?", text):
            self.view.say("Opened without its upsamplers: their code was not run")
            return []
        added = (self.add(entry["path"], run=False) for entry in entries)
        return [identifier for identifier in added if identifier is not None]

    def _run(self, identifier: str) -> None:
        if self.runs.shown.image is not None:
            self.runs.add_method(identifier)
