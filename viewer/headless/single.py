"""`main.py --headless IMAGE --out DIR`: every method on one image, its files written as the
run goes on, with a progress bar."""

from __future__ import annotations

import argparse
import sys
import threading

from tqdm import tqdm

from viewer.cli import fail, load_companions, load_input
from viewer.core.errors import InputError
from viewer.core.inputs.added_result import add_results, parse_addition
from viewer.core.output.export import RunFolder, run_export, write_run
from viewer.core.output.files import check_output_folder
from viewer.core.output.names import run_names
from viewer.core.run.progress import bar_postfix
from viewer.core.run.results import Progress, RunReport
from viewer.core.run.rules import Companions, RunRequest
from viewer.core.run.session import PreparedRun, prepare
from viewer.headless.startup import checked_options, start_paddle
from viewer.model.comparison_file import is_comparison_file


def run_single(args: argparse.Namespace) -> int:
    try:
        if args.image and is_comparison_file(args.image):
            raise InputError(args.image, "comparison files open in the window (without --headless)")
        settings, methods = checked_options(args)
        added = add_results([parse_addition(text) for text in args.add], args.max_pixels)
        image = load_input(args)
        companions = Companions(*load_companions(args))
        named = args.methods is not None
        request = RunRequest(settings, tuple(methods), named, tuple(added), args.max_pixels)
        prepared = prepare(image, companions, request)
        check_output_folder(args.out, run_names(prepared.methods, companions.labels is not None))
    except InputError as error:
        fail(error)
    except ValueError as error:
        fail(InputError(args.image or "sample", str(error)))
    device_note = start_paddle(args.device)
    inputs = prepared.inputs
    for note in (*image.notes, inputs.crop.describe(), device_note, *prepared.notes):
        if note not in ("no crop", "running on the CPU"):
            print(f"note: {image.name}: {note}", file=sys.stderr)

    cancel = threading.Event()
    try:
        # The inputs' and each result's own files are written as the run goes on.
        with run_export(inputs, args.out, prepared.methods) as files:
            files.write_inputs()
            report = run_with_progress(prepared, files, cancel)
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
    prepared: PreparedRun, files: RunFolder, cancel: threading.Event
) -> RunReport:
    """The prepared run with a progress bar; each result goes to `files` as it arrives."""
    count = len(prepared.methods)
    with tqdm(total=count, unit="method", file=sys.stderr, leave=False) as bar:

        def show(progress: Progress) -> None:
            bar.n = progress.index
            bar.set_postfix_str(bar_postfix(progress), refresh=False)
            bar.update(0)  # redraws at most every tqdm mininterval

        report = prepared.run(on_result=files.add, on_progress=show, cancel=cancel)
        bar.n = count
    return report
