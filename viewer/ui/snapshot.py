"""PNG pictures of widgets, written completely or not at all."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtWidgets import QWidget

from viewer.core.output.files import write_bytes_atomic


def save_widget_png(widget: QWidget, path: str | Path) -> Path:
    """Render `widget` as it looks now (zoom, labels and all) into a PNG at `path`."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not widget.grab().save(buffer, "PNG"):
        raise OSError(f"{path}: Qt could not encode the PNG")
    buffer.close()
    write_bytes_atomic(path, bytes(data))
    return Path(path)
