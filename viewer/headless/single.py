"""`main.py --headless IMAGE --out DIR`: every method on one image, its files written as the
run goes on, with a progress bar."""

from __future__ import annotations

import argparse
import sys
import threading

from tqdm import tqdm

from viewer.cli import fail, load_companions, load_input
from viewer.core.errors import InputError
from viewer.core.inputs.added_result import add_result, check_fits, parse_addition
from viewer.core.inputs.degrade import Inputs
from viewer.core.inputs.run_inputs import make_inputs, usable_methods
from viewer.core.output.export import RunFolder, run_export, write_run
from viewer.core.run.engine import run_methods
from viewer.core.run.results import Progress, RunReport
from viewer.core.run.training_set import training_pairs_for
from viewer.core.settings import Settings
from viewer.headless.startup import checked_options, start_paddle
from viewer.model.comparison_file import is_comparison_file


def run_single(args: argparse.Namespace) -> int:
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
