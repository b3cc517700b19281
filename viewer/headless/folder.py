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
from viewer.core.inputs.dataset import Dataset, folder_files
from viewer.core.inputs.run_inputs import usable_methods
from viewer.core.output.export import PngWriter, RunFolder, write_run
from viewer.core.output.files import staged_directory
from viewer.core.output.report import to_json
from viewer.core.output.summary import summarize, summary_csv
from viewer.headless.startup import checked_options, start_paddle


def subfolder_names(files: list[Path]) -> list[str]:
    """Each file's stem; a stem shared by two files (a.png, a.jpg) gets its suffix too."""
    stems = [file.stem for file in files]
    return [
        f"{file.stem}_{file.suffix[1:]}" if stems.count(file.stem) > 1 else file.stem
        for file in files
    ]


@dataclass
class FolderRun:
    """A dataset's run written to a staged folder."""

    args: argparse.Namespace
    dataset: Dataset
    writer: PngWriter
    extra: dict


def run_folder(args: argparse.Namespace) -> int:
    try:
        if args.add:
            raise InputError("--add", "adds a result to one image, not to a folder run")
        if args.guide:
            raise InputError("--guide", "goes with one feature map, not with a folder run")
        settings, methods = checked_options(args)
        if args.labels and not Path(args.labels).is_dir():
            raise InputError(f"--labels {args.labels}", "a folder run needs a folder of labels")
        methods, notes = usable_methods(methods, bool(args.labels), args.methods is not None)
        files = folder_files(Path(args.image), Path(args.labels) if args.labels else None)
    except InputError as error:
        fail(error)
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    device_note = start_paddle(args.device)
    documents, failed = [], []
    try:
        with staged_directory(args.out) as stage, PngWriter() as writer:
            labels = Path(args.labels) if args.labels else None
            dataset = Dataset(settings, methods, labels, args.max_pixels)
            run = FolderRun(args, dataset, writer, {"device": device_note})
            named = list(zip(files, subfolder_names(files), strict=True))
            for file, name in tqdm(named, unit="image", file=sys.stderr, leave=False):
                document, reason = run_file(run, file, stage / name)
                if document is None:
                    failed.append({"file": str(file), "reason": reason})
                    print(f"warning: {file}: {reason}; skipped", file=sys.stderr)
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
    print(f"wrote {len(documents)} images ({len(failed)} skipped) to {args.out}")
    return 0


def run_file(run: FolderRun, file: Path, folder: Path) -> tuple[dict | None, str | None]:
    """(its metrics document, None), or (None, why the image was skipped)."""
    done = run.dataset.run(file, keep_outputs=False)
    if done.report is None:
        return None, done.reason
    files = RunFolder(folder, run.writer, done.report.inputs)
    document = write_run(done.report, done.image.name, files, run.extra, not run.args.no_images)
    return document, None
