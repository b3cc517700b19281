"""`main.py --headless`: run every method and write the results, with a progress bar."""

from __future__ import annotations

import argparse
import os
import sys
import threading
from pathlib import Path

from tqdm import tqdm

from viewer.cli import fail, load_input, parse_methods, settings_from
from viewer.core.degrade import prepare_inputs
from viewer.core.device import use_device
from viewer.core.engine import Progress, run_methods
from viewer.core.errors import InputError
from viewer.core.export import export_run
from viewer.core.training_set import training_pairs_for

EXIT_INTERRUPTED = 130


def check_writable_folder(folder: str) -> None:
    """Refuse an --out that cannot become a folder before computing anything."""
    path = Path(folder).absolute()
    if path.exists() and not path.is_dir():
        raise InputError(f"--out {folder}", "is a file, not a folder")
    existing = next(p for p in (path, *path.parents) if p.exists())
    if not existing.is_dir():
        raise InputError(f"--out {folder}", f"cannot write there ({existing} is a file)")
    if not os.access(existing, os.W_OK):
        raise InputError(f"--out {folder}", f"cannot write there ({existing} is read-only)")


def run_headless(args: argparse.Namespace) -> int:
    try:
        if not args.out:
            raise InputError("--out", "a folder for the results is required with --headless")
        check_writable_folder(args.out)
        settings = settings_from(args)
        methods = parse_methods(args.methods)
        image = load_input(args)
        inputs = prepare_inputs(image.pixels, settings.scale, settings.degrade)
        train_pairs = training_pairs_for(settings, inputs, args.max_pixels)
    except InputError as error:
        fail(error)
    except ValueError as error:
        fail(InputError(args.image or "sample", str(error)))
    device_note = use_device(args.device)
    for note in (*image.notes, inputs.crop.describe(), device_note):
        if note not in ("no crop", "running on the CPU"):
            print(f"note: {image.name}: {note}", file=sys.stderr)

    cancel = threading.Event()
    with tqdm(total=len(methods), unit="method", file=sys.stderr, leave=False) as bar:

        def show(progress: Progress) -> None:
            bar.n = progress.index
            step = f" step {progress.step}/{progress.steps}" if progress.steps else ""
            bar.set_postfix_str(progress.method + step, refresh=False)
            bar.update(0)  # redraws at most every tqdm mininterval

        try:
            report = run_methods(
                inputs, methods, settings, on_progress=show, cancel=cancel, train_pairs=train_pairs
            )
        except KeyboardInterrupt:
            print("interrupted: nothing written", file=sys.stderr)
            return EXIT_INTERRUPTED
        except MemoryError:
            fail(InputError(image.name, "not enough memory for this image at this scale"))
        bar.n = len(methods)
    for result in report.results:
        if result.error:
            print(f"warning: {result.method} failed: {result.error}", file=sys.stderr)
    try:
        target = export_run(report, image.name, args.out, {"device": device_note})
    except OSError as error:
        fail(InputError(f"--out {args.out}", f"cannot write there ({error.strerror or error})"))
    print(f"wrote {len(report.results)} results to {target}")
    return 0
