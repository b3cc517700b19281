"""A folder run's folder while it is written, kept across interruptions so it can resume.

The run is staged beside DIR in `.DIR.resume` (a fixed name, found again by the next run),
locked (flock) while a run writes it:

    .DIR.resume/run.json      what the run is (settings, methods, file names, shard):
                              a resumed run must match it
    .DIR.resume/.writing/X/   image X while its files are written
    .DIR.resume/X/            image X finished: every file flushed to disk, then the
                              folder renamed here in one step (metrics.json was written last)

Whatever stops the run (Ctrl+C, SIGTERM, `kill -9`, power loss) leaves only finished images
outside `.writing`, which the next run with `resume` skips; `.writing` is removed. When
every image is done the summary is written and the folder moved into DIR as a set
(`files.move_in`): DIR holds a complete run or the earlier one, never part of one.

The command line's folder run (viewer/headless/folder.py) uses it so; the window's dataset
run can resume the same way: `ResumableRun(DIR, {**session.identity(), ...}, resume=True)`,
`finished(names)` for the images already done, `session.images(only=the rest)`, each image
written to `writing(name)` then `finish(name)`, and `commit()` once the summary is written.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import shutil
from collections.abc import Iterable
from pathlib import Path

from viewer.core.errors import InputError
from viewer.core.output.files import (
    FOLDER_MODE,
    check_own_files,
    check_replaceable,
    move_in,
    output_folder,
    remove_stale,
    sibling_prefix,
    write_bytes_atomic,
)
from viewer.core.output.names import METRICS_JSON

KEY = "run.json"
WRITING = ".writing"
KEY_FORMAT = "upsample-viewer-unfinished-run"


def resume_folder(target: Path) -> Path:
    """Where the unfinished run of `target` (an absolute DIR) waits."""
    return target.parent / f"{sibling_prefix(target)}resume"


class ResumableRun:
    """A context: the staged run of `target`, continued when `resume` is set and the
    unfinished run there has the same `key`, else started empty. On an error or interrupt
    the finished images stay for a later resume (an unfinished run with none is removed)."""

    def __init__(self, target: str | Path, key: dict, resume: bool, names: Iterable[str]):
        self.target = output_folder(target)
        self.path = resume_folder(self.target)
        self.key = {"format": KEY_FORMAT, **key}
        self.resume = resume
        self.names = set(names)
        self.resumed = False
        self._fd: int | None = None

    def __enter__(self) -> ResumableRun:
        self.target.parent.mkdir(parents=True, exist_ok=True)
        remove_stale(self.target)
        check_replaceable(self.target)
        check_own_files(self.target, self.names)
        self.path.mkdir(mode=FOLDER_MODE, exist_ok=True)
        self._fd = os.open(self.path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            self._release()
            raise OSError(errno.EBUSY, "another run is writing it now") from error
        except OSError:
            pass  # a file system without locks: nothing to hold
        try:
            self._open()
        except BaseException:
            self._release()
            raise
        return self

    def _open(self) -> None:
        earlier = self._earlier_key()
        if self.resume and earlier is not None:
            refuse_other(earlier, self.key)
            self.resumed = True
        else:
            clear(self.path)
            write_bytes_atomic(self.path / KEY, (json.dumps(self.key, indent=1) + "\n").encode())
        shutil.rmtree(self.path / WRITING, ignore_errors=True)
        (self.path / WRITING).mkdir(mode=FOLDER_MODE)

    def _earlier_key(self) -> dict | None:
        try:
            key = json.loads((self.path / KEY).read_bytes())
        except (OSError, ValueError):
            return None
        return key if isinstance(key, dict) and key.get("format") == KEY_FORMAT else None

    def finished(self, names: dict[int, str]) -> dict[int, dict]:
        """The metrics documents of the images (index: folder name) already finished; a
        folder whose metrics cannot be read is removed, to be run again."""
        documents = {}
        for index, name in names.items():
            folder = self.path / name
            if not folder.is_dir():
                continue
            try:
                documents[index] = json.loads((folder / METRICS_JSON).read_bytes())
            except (OSError, ValueError):
                shutil.rmtree(folder, ignore_errors=True)
        return documents

    def writing(self, name: str) -> Path:
        """The folder image `name`'s files go to while they are written."""
        return self.path / WRITING / name

    def finish(self, name: str) -> None:
        """Image `name` finished: its files flushed to disk, then moved out of `.writing`
        in one rename (flushed too), so after a power loss it is there whole or not at
        all. Its files must all be written (the PNG writer waited for)."""
        folder = self.writing(name)
        if folder.is_dir():
            sync_tree(folder)
            os.replace(folder, self.path / name)
            sync(self.path)

    def commit(self) -> None:
        """Every image done and the summary written: the run moved into DIR as a set."""
        (self.path / KEY).unlink()
        shutil.rmtree(self.path / WRITING)
        move_in(self.path, self.target)
        shutil.rmtree(self.path, ignore_errors=True)  # emptied where DIR kept files of yours

    def kept(self) -> int:
        """How many finished images wait for a resume."""
        if not self.path.is_dir():
            return 0
        return sum(1 for item in self.path.iterdir() if item.is_dir() and item.name != WRITING)

    def __exit__(self, kind, *_exc) -> None:
        try:
            if kind is not None and self.kept() == 0:
                shutil.rmtree(self.path, ignore_errors=True)
        finally:
            self._release()

    def _release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def refuse_other(earlier: dict, key: dict) -> None:
    """InputError naming the first thing the unfinished run had otherwise than this one."""
    for top, value in key.items():
        old = earlier.get(top)
        if old == value:
            continue
        field = top
        if isinstance(value, dict) and isinstance(old, dict):
            changed = ((f, old.get(f), v) for f, v in {**old, **value}.items() if old.get(f) != v)
            field, old, value = next(changed, (field, old, value))
        differs = f"{field} {old}, not {value}"
        if top == "names":
            differs = "other file names (the folder changed)"
        elif top == "code":
            differs = f"other code for {field} (its file changed since)"
        raise InputError(
            "--resume",
            f"the unfinished run has {differs}: give the same settings, or run without "
            "--resume to start over",
        )


def clear(folder: Path) -> None:
    """Remove everything in `folder` (an earlier unfinished run that is not resumed)."""
    for item in folder.iterdir():
        if item.is_dir() and not item.is_symlink():
            shutil.rmtree(item)
        else:
            item.unlink()


def sync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def sync_tree(folder: Path) -> None:
    """Every file in `folder` and the folder itself on disk."""
    for item in folder.iterdir():
        sync(item)
    sync(folder)
