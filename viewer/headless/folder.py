"""`main.py --headless FOLDER --out DIR`: every image of a folder, then the means.

DIR/<stem>/ holds each image's usual files (only its metrics with --no-images) and
DIR/summary.json / summary.csv the means over the images. The whole DIR is staged: an
interrupted or failed run leaves it as it was. A bad file is reported and skipped; the run
fails (exit 2) only when no image succeeded.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

from viewer.cli import fail
from viewer.core.errors import InputError
from viewer.core.output.export import PngWriter, RunFolder, write_run
from viewer.core.output.files import check_output_folder, staged_directory
from viewer.core.output.names import folder_run_names, image_folder_names
from viewer.core.output.report import to_json
from viewer.core.output.summary import summarize, summary_csv
from viewer.core.run.folder_session import FolderSession, ImageRun
from viewer.core.run.rules import RunRequest
from viewer.headless.startup import checked_options, start_paddle


@dataclass
class FolderRun:
    """A folder's run written to a staged folder."""

    args: argparse.Namespace
    writer: PngWriter
    extra: dict


def run_folder(args: argparse.Namespace) -> int:
    try:
        if args.add:
            raise InputError("--add", "adds a result to one image, not to a folder run")
        if args.guide:
            raise InputError("--guide", "goes with one feature map, not with a folder run")
        settings, methods = checked_options(args)
        labels = Path(args.labels) if args.labels else None
        named = args.methods is not None
        request = RunRequest(settings, tuple(methods), named, max_pixels=args.max_pixels)
        session = FolderSession(Path(args.image), labels, request)
        names = image_folder_names(session.files)
        check_output_folder(args.out, folder_run_names(names))
    except InputError as error:
        fail(error)
    for note in session.notes:
        print(f"note: {note}", file=sys.stderr)
    device_note = start_paddle(args.device)
    documents, failed = [], []
    files = session.files
    try:
        with staged_directory(args.out, folder_run_names(names)) as stage, PngWriter() as writer:
            run = FolderRun(args, writer, {"device": device_note})
            for index, done in tqdm(
                session.images(), total=len(files), unit="image", file=sys.stderr, leave=False
            ):
                document = write_image(run, done, stage / names[index])
                if document is None:
                    failed.append({"file": str(done.file), "reason": done.reason})
                    print(f"warning: {done.file}: {done.reason}; skipped", file=sys.stderr)
                else:
                    documents.append(document)
            writer.wait()
            if not documents:
                raise InputError(args.image, "no image in the folder could be run")
            summary = summarize(documents, failed)
            summary["training"]["once"] = bool(settings.train_on)  # else on each image
            (stage / "summary.json").write_bytes(to_json(summary))
            (stage / "summary.csv").write_bytes(summary_csv(summary))
    except InputError as error:
        fail(error)
    except OSError as error:  # no space or no inodes left: DIR is as it was
        fail(InputError(f"--out {args.out}", f"cannot write there ({error.strerror or error})"))
    print(f"wrote {len(documents)} images ({len(failed)} skipped) to {args.out}")
    return 0


def write_image(run: FolderRun, done: ImageRun, folder: Path) -> dict | None:
    """Its metrics document, written with its files to `folder`; None for a skipped image."""
    if done.report is None:
        return None
    files = RunFolder(folder, run.writer, done.report.inputs)
    return write_run(done.report, done.image.name, files, run.extra, not run.args.no_images)
