"""Writing files completely or not at all."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from viewer.core.run.interrupts import signals_deferred

# mkstemp/mkdtemp make private files; results are ordinary files for the user to share.
FILE_MODE = 0o644
FOLDER_MODE = 0o755
# Names the files of the run that wrote a folder, so the next run replaces exactly those.
MANIFEST = ".upsample-viewer-run"


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
    """Yield an empty staging folder; on success its files replace the earlier run's in
    `target`, as a set (see `replace_run`).

    A failure, cancel or signal inside the block leaves `target` exactly as it was and
    removes the staging folder.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent))
    try:
        yield stage
        names = sorted(item.name for item in stage.iterdir())
        (stage / MANIFEST).write_text("\n".join(names) + "\n")
        with signals_deferred():
            replace_run(stage, target)
    finally:
        with signals_deferred():
            shutil.rmtree(stage, ignore_errors=True)


def replace_run(stage: Path, target: Path) -> None:
    """Make `target` hold the staged run, never a mix of two runs' files.

    A new folder, or one holding only an earlier run's files (named by its manifest), is
    swapped whole: a reader sees the old set or the new one. A folder that also holds other
    files keeps them: the earlier run's files are removed, then the new ones moved in, the
    manifest last.
    """
    os.chmod(stage, FOLDER_MODE)
    if not target.exists():
        os.replace(stage, target)
        return
    earlier = run_files(target)
    present = {item.name for item in target.iterdir()}
    if present <= earlier:
        aside = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent))
        os.replace(target, aside / "run")
        os.replace(stage, target)
        shutil.rmtree(aside, ignore_errors=True)
        return
    for name in earlier & present:
        old = target / name
        if old.is_dir() and not old.is_symlink():  # a folder run's per-image folder
            shutil.rmtree(old)
        else:
            old.unlink(missing_ok=True)
    for item in sorted(stage.iterdir(), key=lambda item: item.name == MANIFEST):
        os.replace(item, target / item.name)


def run_files(folder: Path) -> set[str]:
    """The files an earlier run wrote into `folder` (its manifest included), or none."""
    try:
        listed = (folder / MANIFEST).read_text().split()
    except OSError:
        return set()
    return {name for name in listed if "/" not in name and name not in ("", ".", "..")} | {MANIFEST}
