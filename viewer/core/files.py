"""Writing files completely or not at all."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# mkstemp/mkdtemp make private files; results are ordinary files for the user to share.
FILE_MODE = 0o644
FOLDER_MODE = 0o755


def write_bytes_atomic(path: str | Path, data: bytes) -> None:
    """Write `data` beside `path` first, then rename it into place."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextmanager
def staged_directory(target: str | Path) -> Iterator[Path]:
    """Yield an empty staging folder; on success its files move into `target`.

    A failure (or cancel) inside the block leaves `target` exactly as it was.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent))
    try:
        yield stage
        if not target.exists():
            os.chmod(stage, FOLDER_MODE)
            os.replace(stage, target)
            return
        for item in stage.iterdir():
            os.replace(item, target / item.name)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
