"""`main.py --headless`: run every method and write the results, with a progress bar."""

from __future__ import annotations

import argparse
import os
import stat
import sys
import tempfile
import threading
from pathlib import Path

from tqdm import tqdm

from viewer.cli import (
    check_options,
    fail,
    load_companions,
    load_input,
    parse_methods,
    settings_from,
)
from viewer.core.errors import InputError
from viewer.core.inputs.added_result import add_result, check_fits, parse_addition
from viewer.core.inputs.degrade import Inputs
from viewer.core.inputs.reading import describe_kind, stat_path
from viewer.core.inputs.run_inputs import make_inputs, usable_methods
from viewer.core.output.comparison_file import is_comparison_file
from viewer.core.output.export import RunFolder, run_export, write_run
from viewer.core.run.device import use_device
from viewer.core.run.engine import run_methods
from viewer.core.run.interrupts import raise_on_signals
from viewer.core.run.results import Progress, RunReport
from viewer.core.run.training_set import training_pairs_for
from viewer.core.settings import Settings

tqdm.monitor_interval = 0  # no monitor thread: nothing is left running after a bar


def check_writable_folder(folder: str) -> None:
    """Refuse an --out that cannot become a folder before computing anything: make (and
    remove) a folder where the results will go, which no permission check can fake."""
    what = f"--out {folder}"
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
    settings = settings_from(args)
    methods = parse_methods(args.methods)
    check_writable_folder(args.out)
    return settings, methods


def start_paddle(device: str) -> str:
    """Import Paddle and choose its device; says which. Importing Paddle installs its own
    SIGTERM handler (it aborts the process): ours is set again."""
    note = use_device(device)
    raise_on_signals()
    return note


def run_headless(args: argparse.Namespace) -> int:
    if args.image and Path(args.image).is_dir():
        from viewer.folder_run import run_folder

        return run_folder(args)
    try:
        if args.image and is_comparison_file(args.image):
            raise InputError(args.image, "comparison files open in the window (without --headless)")
        settings, methods = checked_options(args)
        added = [add_result(*parse_addition(text), args.max_pixels) for text in args.add]
        image = load_input(args)
        labels, guide = load_companions(args)
        inputs = make_inputs(image, settings, labels, guide)
        has_guide = inputs.guide is not None
        methods, method_notes = usable_methods(methods, has_guide, args.methods is not None)
        device_note = start_paddle(args.device)
        for identifier in added:
            check_fits(identifier, inputs.original.shape, inputs.scale)
        methods += added
        train_pairs = training_pairs_for(settings, inputs, args.max_pixels)
    except InputError as error:
        fail(error)
    except ValueError as error:
        fail(InputError(args.image or "sample", str(error)))
    for note in (*image.notes, inputs.crop.describe(), device_note, *method_notes):
        if note not in ("no crop", "running on the CPU"):
            print(f"note: {image.name}: {note}", file=sys.stderr)

    cancel = threading.Event()
    try:
        # The inputs' and each result's own files are written as the run goes on.
        with run_export(inputs, args.out) as files:
            files.write_inputs()
            report = run_with_progress(inputs, methods, settings, files, cancel, train_pairs)
            for result in report.results:
                if result.error:
                    print(f"warning: {result.method} failed: {result.error}", file=sys.stderr)
            write_run(report, image.name, files, {"device": device_note})
    except MemoryError:
        fail(InputError(image.name, "not enough memory for this image at this scale"))
    except OSError as error:
        fail(InputError(f"--out {args.out}", f"cannot write there ({error.strerror or error})"))
    print(f"wrote {len(report.results)} results to {args.out}")
    return 0


def run_with_progress(
    inputs: Inputs,
    methods: list[str],
    settings: Settings,
    files: RunFolder,
    cancel: threading.Event,
    train_pairs: list,
) -> RunReport:
    """run_methods with a progress bar; each result goes to `files` as it arrives."""
    with tqdm(total=len(methods), unit="method", file=sys.stderr, leave=False) as bar:

        def show(progress: Progress) -> None:
            bar.n = progress.index
            step = f" step {progress.step}/{progress.steps}" if progress.steps else ""
            bar.set_postfix_str(progress.method + step, refresh=False)
            bar.update(0)  # redraws at most every tqdm mininterval

        report = run_methods(
            inputs,
            methods,
            settings,
            on_result=files.add,
            on_progress=show,
            cancel=cancel,
            train_pairs=train_pairs,
        )
        bar.n = len(methods)
    return report
