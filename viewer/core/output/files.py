"""Writing files completely or not at all, and a run's folder as a set.

A run is staged in a folder beside DIR (`.DIR.XXXXXXXX.part`) and moved in when it is
complete. The staging folder is locked (flock) while its run lives: a later run that finds
one unlocked (its writer was killed with SIGKILL, or the machine stopped) removes it.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from viewer.core.errors import InputError
from viewer.core.output.names import MANIFEST, shortened
from viewer.core.run.interrupts import signals_deferred

# mkstemp/mkdtemp make private files; results are ordinary files for the user to share.
FILE_MODE = 0o644
FOLDER_MODE = 0o755
MANIFEST_FORMAT = "upsample-viewer-run"
STAGE, ASIDE, UNNAMED = ".part", ".old", ".new"
# Room for the leading dot, tempfile's 8 random characters and the suffix within 255 bytes.
SIBLING_NAME_BYTES = 200


def sibling_prefix(path: Path) -> str:
    """The name prefix of temporary files and folders beside `path` (shortened: a long
    name's temporary sibling must not pass 255 bytes)."""
    return f".{shortened(path.name, SIBLING_NAME_BYTES)}."


def write_bytes_atomic(path: str | Path, data: bytes) -> None:
    """Write `data` beside `path` first, then rename it into place."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=sibling_prefix(path), suffix=STAGE, dir=path.parent)
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


def output_folder(target: str | Path) -> Path:
    """`target` absolute with its symbolic links followed: a link to a folder gets the run
    in the folder it points to (the link stays), never a new folder in the link's place."""
    try:
        return Path(target).resolve()
    except RuntimeError as error:  # Python 3.11's resolve() on a link loop
        raise OSError(errno.ELOOP, "it is a loop of symbolic links") from error


@contextmanager
def locked_folder(parent: Path, prefix: str, suffix: str) -> Iterator[Path]:
    """A new empty folder `<prefix>XXXXXXXX<suffix>` in `parent`, locked while the block
    runs. It gets its final name only once locked, so `remove_stale` never sees a live
    folder unlocked."""
    made = Path(tempfile.mkdtemp(prefix=prefix, suffix=UNNAMED, dir=parent))
    fd = os.open(made, os.O_RDONLY | os.O_DIRECTORY)
    try:
        # On a file system without locks the folder is never taken for stale.
        with suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        named = made.with_name(made.name.removesuffix(UNNAMED) + suffix)
        os.rename(made, named)
        yield named
    finally:
        os.close(fd)


def remove_stale(target: Path) -> None:
    """Remove the staging and set-aside folders beside `target` that no live run holds."""
    pattern = re.compile(re.escape(sibling_prefix(target)) + r"[a-z0-9_]{8}(\.part|\.old)")
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return
    for entry in entries:
        if not pattern.fullmatch(entry.name) or not entry.is_dir(follow_symlinks=False):
            continue
        try:
            fd = os.open(entry.path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            shutil.rmtree(entry.path, ignore_errors=True)
        except OSError:
            pass  # held by a live run
        finally:
            os.close(fd)


def check_output_folder(target: str | Path, names: Iterable[str] = ()) -> None:
    """What `staged_directory` refuses on entry, as InputError (`--out DIR: cannot write
    there (why)`): the command line asks before anything starts."""
    try:
        folder = output_folder(target)
        check_replaceable(folder)
        check_own_files(folder, names)
    except OSError as error:
        why = f"cannot write there ({error.strerror or error})"
        raise InputError(f"--out {target}", why) from error


def check_replaceable(target: Path) -> None:
    """Refuse a DIR the staged run could not be moved into from beside it: another file
    system (a mount point), one this user may not change, or a manifest that is not a
    file."""
    if not target.exists():
        return
    info = target.stat()
    if not stat.S_ISDIR(info.st_mode):
        raise OSError(errno.ENOTDIR, "it is not a folder")
    if info.st_dev != target.parent.stat().st_dev or os.path.ismount(target):
        raise OSError(
            errno.EXDEV,
            "it is a mount point (another file system than its parent): a run replaces its "
            "folder's files as a set from beside it; give a folder inside it",
        )
    if not os.access(target, os.W_OK | os.X_OK):
        raise OSError(errno.EACCES, "permission denied")
    manifest = target / MANIFEST
    if manifest.is_symlink() or (manifest.exists() and not manifest.is_file()):
        raise OSError(errno.EEXIST, f"{MANIFEST} in it is not a run's manifest (not a file)")


def check_own_files(target: Path, names: Iterable[str]) -> None:
    """Refuse a run that would overwrite a file or folder of the user's (one its manifest
    does not name): the README promises that the user's files in DIR are kept."""
    if not target.is_dir():
        return
    own = {item.name for item in target.iterdir()} - run_files(target)
    clashes = sorted(own & set(names))
    if clashes:
        shown = ", ".join(clashes[:3]) + (", ..." if len(clashes) > 3 else "")
        raise OSError(
            errno.EEXIST,
            f"it holds {shown} of your own (not from an earlier run): a run never overwrites "
            "your files; move them or choose another folder",
        )


@contextmanager
def staged_directory(target: str | Path, names: Iterable[str] = ()) -> Iterator[Path]:
    """Yield an empty staging folder; on success its files replace the earlier run's in
    `target`, as a set (see `replace_run`).

    Before the block (so before anything is computed) `target` is checked: a mount point,
    an unwritable folder, or one holding a file of the user's among `names` (the names the
    run will write) is refused with an OSError. A failure, cancel or signal inside the
    block leaves `target` exactly as it was and removes the staging folder.
    """
    target = output_folder(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale(target)
    with locked_folder(target.parent, sibling_prefix(target), STAGE) as stage:
        try:
            check_replaceable(target)
            check_own_files(target, names)
            yield stage
            move_in(stage, target)
        finally:
            with signals_deferred():
                shutil.rmtree(stage, ignore_errors=True)


def move_in(stage: Path, target: Path) -> None:
    """Make the complete run in `stage` the run in `target`: its manifest written, then
    moved in as a set (`replace_run`), never over a file of the user's."""
    staged = sorted(item.name for item in stage.iterdir())
    check_own_files(target, staged)
    manifest = {"format": MANIFEST_FORMAT, "files": staged}
    (stage / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n")
    with signals_deferred():
        replace_run(stage, target)


def replace_run(stage: Path, target: Path) -> None:
    """Make `target` hold the staged run, never a mix of two runs' files.

    A new folder, or one holding only an earlier run's files (named by its manifest), is
    swapped whole: a reader sees the old set or the new one. A folder that also holds other
    files keeps them: the earlier run's files are set aside, then the new ones moved in,
    the manifest last; a failure moves the earlier ones back.
    """
    os.chmod(stage, FOLDER_MODE)
    if not target.exists():
        os.replace(stage, target)
        return
    earlier = run_files(target)
    present = {item.name for item in target.iterdir()}
    with locked_folder(target.parent, sibling_prefix(target), ASIDE) as aside:
        try:
            if present <= earlier:
                swap(stage, target, aside / "run")
            else:
                merge_run(stage, target, sorted(earlier & present), aside)
        finally:
            shutil.rmtree(aside, ignore_errors=True)


def swap(stage: Path, target: Path, away: Path) -> None:
    """Rename `target` to `away` and `stage` to `target`; on a failure `target` is put back."""
    os.replace(target, away)
    try:
        os.replace(stage, target)
    except BaseException:
        os.replace(away, target)
        raise


def merge_run(stage: Path, target: Path, earlier: list[str], aside: Path) -> None:
    """Move the earlier run's `earlier` files from `target` to `aside`, then the staged ones
    in (the manifest last); on a failure undo both, so `target` keeps the earlier run."""
    moved_out: list[str] = []
    moved_in: list[str] = []
    try:
        for name in earlier:
            os.replace(target / name, aside / name)
            moved_out.append(name)
        for item in sorted(stage.iterdir(), key=lambda item: item.name == MANIFEST):
            os.replace(item, target / item.name)
            moved_in.append(item.name)
    except BaseException:
        for name in reversed(moved_in):
            os.replace(target / name, stage / name)
        for name in reversed(moved_out):
            os.replace(aside / name, target / name)
        raise


def run_files(folder: Path) -> set[str]:
    """The files an earlier run wrote into `folder` (its manifest included), or none. The
    manifest is JSON; an older version's, one name a line, is read too."""
    try:
        data = (folder / MANIFEST).read_bytes()
    except OSError:
        return set()
    try:
        listed = json.loads(data)["files"]
    except (ValueError, TypeError, KeyError):
        listed = os.fsdecode(data).splitlines()
    if not isinstance(listed, list):
        return set()
    plain = {
        name
        for name in listed
        if isinstance(name, str) and name not in ("", ".", "..") and "/" not in name
    }
    return plain | {MANIFEST}
