"""What the window remembers between sessions (QSettings): options, files, geometry."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, QStandardPaths

from viewer.core.errors import InputError
from viewer.core.inputs.reading import refuse_special_file
from viewer.core.methods import method_ids
from viewer.core.settings import RUN_OPTIONS, Settings

MAX_RECENT = 10


@dataclass(frozen=True)
class Recent:
    """One entry of Open recent: an image with the label map or guide it was opened with,
    a folder, or a comparison file. Stored as JSON (a plain path from older versions)."""

    path: str
    labels: str | None = None
    guide: str | None = None

    @staticmethod
    def parse(stored: str) -> Recent | None:
        try:
            fields = json.loads(stored) if stored.startswith("{") else {"path": stored}
            entry = Recent(**{k: v for k, v in fields.items() if k in Recent.__match_args__})
        except (ValueError, TypeError):
            return None
        return entry if isinstance(entry.path, str) and Path(entry.path).is_absolute() else None

    def stored(self) -> str:
        return json.dumps({k: v for k, v in asdict(self).items() if v is not None})

    def text(self) -> str:
        """The menu's words: the path, and the companions by name."""
        extras = [
            f"{kind} {Path(p).name}"
            for kind, p in (("labels", self.labels), ("guide", self.guide))
            if p
        ]
        return f"{self.path}  (with {', '.join(extras)})" if extras else self.path


def check_store_files(organisation: str, application: str) -> None:
    """InputError for a settings file that is not a regular file, before QSettings() opens
    it: it reads each of these as it is made (the user's folder's and each system folder's,
    the application's and the organisation's), and a FIFO among them blocks it for good."""
    folders = QStandardPaths.standardLocations(
        QStandardPaths.StandardLocation.GenericConfigLocation
    )
    for folder in folders:
        for name in (f"{organisation}/{application}.conf", f"{organisation}.conf"):
            refuse_special_file(Path(folder) / name, "a settings file")


class WindowSettings:
    """Stored values are read through the settings schema: a value that is not allowed (a
    corrupt or hand-edited file) falls back to its default, and `notes` says which."""

    def __init__(self, store: QSettings) -> None:
        self.store = store
        self.notes: list[str] = []

    def options(self) -> Settings:
        values = {}
        for entry in RUN_OPTIONS:
            stored = self.store.value(f"options/{entry.name}")
            try:
                values[entry.name] = entry.default if stored is None else entry.parse(stored)
            except InputError as error:
                self.notes.append(f"stored {entry.name} ignored ({error.why}); using the default")
                values[entry.name] = entry.default
        train_on = values["train_on"]
        if train_on is not None and not Path(train_on).exists():
            self.notes.append(f"stored Train on {train_on} no longer exists; training on the input")
            values["train_on"] = None
        return Settings(**values)

    def save_options(self, settings: Settings, methods: list[str]) -> None:
        for name, value in settings.as_dict().items():
            self.store.setValue(f"options/{name}", "" if value is None else value)
        self.store.setValue("options/methods", ",".join(methods))

    def methods(self) -> list[str]:
        known = method_ids()
        saved = self.store.value("options/methods", "") or ""
        # QSettings reads an unquoted "a,b" from an .ini file as a list
        names = saved if isinstance(saved, list) else str(saved).split(",")
        chosen = [m for m in map(str, names) if m in known]
        return chosen or known

    def recent(self) -> list[Recent]:
        """File → Open recent, newest first: what was opened, companions included."""
        value = self.store.value("files/recent", [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            return []
        entries = [Recent.parse(str(stored)) for stored in value if stored]
        return [entry for entry in entries if entry is not None]

    def recent_files(self) -> list[str]:
        return [entry.path for entry in self.recent()]

    def add_recent(
        self, path: str | Path, labels: str | None = None, guide: str | None = None
    ) -> None:
        """Remember `path` opened with its label map or guide (the same path with other
        companions replaces the older entry)."""
        entry = Recent(str(Path(path).resolve()), labels, guide)
        recent = [entry, *(e for e in self.recent() if e.path != entry.path)][:MAX_RECENT]
        self.store.setValue("files/recent", [e.stored() for e in recent])

    def last_folder(self) -> str:
        folder = str(self.store.value("files/last_folder", "") or "")
        return folder if folder and Path(folder).is_dir() else str(Path.home())

    def set_last_folder(self, folder: str | Path) -> None:
        self.store.setValue("files/last_folder", str(Path(folder).resolve()))

    def geometry(self) -> QByteArray | None:
        value = self.store.value("window/geometry")
        return value if isinstance(value, QByteArray) else None

    def save_geometry(self, geometry: QByteArray) -> None:
        self.store.setValue("window/geometry", geometry)

    def window_state(self) -> QByteArray | None:
        """The docks' places and sizes, as the user left them."""
        value = self.store.value("window/state")
        return value if isinstance(value, QByteArray) else None

    def save_window_state(self, state: QByteArray) -> None:
        self.store.setValue("window/state", state)

    def sync(self) -> None:
        self.store.sync()
