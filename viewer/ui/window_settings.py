"""What the window remembers between sessions (QSettings): options, files, geometry."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from viewer.core.method import Settings
from viewer.core.methods import method_ids

MAX_RECENT = 10


class WindowSettings:
    def __init__(self, store: QSettings) -> None:
        self.store = store

    def options(self) -> Settings:
        defaults = Settings()
        return Settings(
            scale=int(self.store.value("options/scale", defaults.scale)),
            steps=int(self.store.value("options/steps", defaults.steps)),
            seed=int(self.store.value("options/seed", defaults.seed)),
            grid_noise=float(self.store.value("options/grid_noise", defaults.grid_noise)),
            lr=float(self.store.value("options/lr", defaults.lr)),
            degrade=str(self.store.value("options/degrade", defaults.degrade)),
            train_on=str(self.store.value("options/train_on", "")) or None,
        )

    def save_options(self, settings: Settings, methods: list[str]) -> None:
        self.store.setValue("options/scale", settings.scale)
        self.store.setValue("options/steps", settings.steps)
        self.store.setValue("options/seed", settings.seed)
        self.store.setValue("options/grid_noise", settings.grid_noise)
        self.store.setValue("options/lr", settings.lr)
        self.store.setValue("options/degrade", settings.degrade)
        self.store.setValue("options/train_on", settings.train_on or "")
        self.store.setValue("options/methods", ",".join(methods))

    def methods(self) -> list[str]:
        known = method_ids()
        saved = str(self.store.value("options/methods", "") or "")
        chosen = [m for m in saved.split(",") if m in known]
        return chosen or known

    def recent_files(self) -> list[str]:
        value = self.store.value("files/recent", [])
        return [value] if isinstance(value, str) else list(value or [])

    def add_recent(self, path: str | Path) -> None:
        path = str(Path(path).resolve())
        recent = [path, *(p for p in self.recent_files() if p != path)][:MAX_RECENT]
        self.store.setValue("files/recent", recent)

    def last_folder(self) -> str:
        return str(self.store.value("files/last_folder", str(Path.home())))

    def set_last_folder(self, folder: str | Path) -> None:
        self.store.setValue("files/last_folder", str(folder))

    def geometry(self) -> QByteArray | None:
        value = self.store.value("window/geometry")
        return value if isinstance(value, QByteArray) else None

    def save_geometry(self, geometry: QByteArray) -> None:
        self.store.setValue("window/geometry", geometry)

    def sync(self) -> None:
        self.store.sync()
