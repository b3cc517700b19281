"""What every headless run does before it computes: its options and --out checked, Paddle
started on the chosen device."""

from __future__ import annotations

import argparse
import os
import stat
import tempfile
from pathlib import Path

from tqdm import tqdm

from viewer.cli import check_options, parse_methods, settings_from
from viewer.core.errors import InputError
from viewer.core.inputs.reading import check_name, describe_kind, stat_path
from viewer.core.run.device import use_device
from viewer.core.run.interrupts import raise_on_signals
from viewer.core.settings import Settings
from viewer.headless.user_files import user_methods, wait_for_worker

tqdm.monitor_interval = 0  # no monitor thread: nothing is left running after a bar


def check_writable_folder(folder: str) -> None:
    """Refuse an --out that cannot become a folder before computing anything: make (and
    remove) a folder where the results will go, which no permission check can fake."""
    what = f"--out {folder}"
    check_name(folder, what)
    path = Path(folder).absolute()
    existing = next(p for p in (path, *path.parents) if p.exists() or p.is_symlink())
    mode = stat_path(existing).st_mode
    if not stat.S_ISDIR(mode):
        where = "it" if existing == path else str(existing)
        raise InputError(what, f"cannot write there ({where} is {describe_kind(mode)})")
    try:
        os.rmdir(tempfile.mkdtemp(prefix=".upsample-viewer-check.", dir=existing))
    except OSError as error:
        raise InputError(what, f"cannot write there ({error.strerror or error})") from error


def checked_options(args: argparse.Namespace) -> tuple[Settings, list[str]]:
    """Every option, --methods and --out checked before anything runs (InputError names
    the first that is not allowed): one image's run and a folder's alike."""
    if not args.out:
        raise InputError("--out", "a folder for the results is required with --headless")
    check_options(args)
    if not (args.image and os.path.isdir(args.image)):
        for flag, given in (("--resume", args.resume), ("--shard", args.shard)):
            if given:
                raise InputError(flag, "goes with a folder run (--headless FOLDER)")
    settings = settings_from(args)
    users = user_methods(args.upsampler)  # registered first: --methods may name them
    methods = parse_methods(args.methods, users)
    check_writable_folder(args.out)
    return settings, methods


def start_paddle(device: str) -> str:
    """Import Paddle and choose its device; says which. Importing Paddle installs its own
    SIGTERM handler (it aborts the process): ours is set again."""
    note = use_device(device)
    raise_on_signals()
    wait_for_worker()
    return note
