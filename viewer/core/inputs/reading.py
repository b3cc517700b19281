"""Opening input files safely: only regular files, and never more bytes than a format needs.

A FIFO would block the reader forever and /dev/zero would fill the memory; both are refused
from `stat` before anything is opened. The reasons are said the way a user thinks of them.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from viewer.core.errors import InputError

_KINDS = {
    stat.S_ISFIFO: "a named pipe (FIFO)",
    stat.S_ISCHR: "a character device",
    stat.S_ISBLK: "a block device",
    stat.S_ISSOCK: "a socket",
}
# Linux's limits on a path (NAME_MAX, PATH_MAX less its NUL), in bytes, on every common
# file system.
NAME_MAX, PATH_MAX = 255, 4095
NAME_TOO_LONG = f"the name is too long (over {NAME_MAX} bytes in a part, or {PATH_MAX} in all)"
_STAT_REASONS = {
    errno.ENOENT: "no such file",
    errno.ELOOP: "a loop of symbolic links",
    errno.EACCES: "permission denied",
    errno.ENOTDIR: "no such file (a part of the path is not a folder)",
    errno.ENAMETOOLONG: NAME_TOO_LONG,
}


def stat_path(path: str | Path) -> os.stat_result:
    """`os.stat` (following links), with InputError naming the path and the reason."""
    try:
        return os.stat(path)
    except OSError as error:
        reason = _STAT_REASONS.get(error.errno, f"cannot be read ({error.strerror or error})")
        if error.errno == errno.ENOENT and os.path.islink(path):
            reason = "a symbolic link to a missing file"
        raise InputError(str(path), reason) from error
    except ValueError as error:  # an embedded NUL byte
        raise InputError(repr(str(path)), "not a valid file name") from error


def check_name(path: str | Path, what: str | None = None) -> None:
    """Refuse, up front, a path no file system here can hold: for one, `Path.exists` and
    `Path.is_dir` raise OSError (errno 36) instead of answering, and a folder to be made
    passes every check of its parent, then fails after computing."""
    try:
        encoded = os.fsencode(path)
    except (TypeError, ValueError, UnicodeError) as error:
        raise InputError(what or repr(str(path)), "not a valid file name") from error
    if len(encoded) > PATH_MAX or any(len(part) > NAME_MAX for part in encoded.split(b"/")):
        raise InputError(what or str(path), NAME_TOO_LONG)


def describe_kind(mode: int) -> str:
    """What a non-regular file is, in words: 'a folder', 'a named pipe (FIFO)', ..."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISREG(mode):
        return "a file"
    return next((kind for test, kind in _KINDS.items() if test(mode)), "not a regular file")


def regular_file(path: str | Path, what: str = "a file") -> os.stat_result:
    """The stat of `path` if it is a regular file; InputError otherwise (before any open)."""
    info = stat_path(path)
    if not stat.S_ISREG(info.st_mode):
        raise InputError(str(path), f"is {describe_kind(info.st_mode)}, not {what}")
    return info


def refuse_special_file(path: str | Path, what: str) -> None:
    """InputError if `path` is there but not a regular file, for a file read only when it
    exists (a settings file): a FIFO blocks whoever opens it, and no signal ends the wait.
    A missing or unreadable one is its reader's to do without."""
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return
    if not stat.S_ISREG(mode):
        raise InputError(str(path), f"is {describe_kind(mode)}, not {what}")


def read_capped(path: str | Path, limit: int, what: str = "an image") -> bytes:
    """The bytes of regular file `path`, refusing one larger than `limit` bytes."""
    size = regular_file(path, what).st_size
    if size > limit:
        raise InputError(str(path), f"the file is {size / 1e6:.1f} MB, {too_big(limit)}")
    try:
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except OSError as error:
        raise InputError(str(path), f"cannot be read ({error.strerror or error})") from error
    if len(data) > limit:  # the file grew while we read it
        raise InputError(str(path), f"the file is over {limit / 1e6:.1f} MB, {too_big(limit)}")
    return data


def too_big(limit: int) -> str:
    return f"more than any image within the pixel limit can need ({limit / 1e6:.1f} MB)"
