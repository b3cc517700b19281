"""`main.py --headless FOLDER --out DIR`: every image of a folder, then the means.

DIR/<stem>/ holds each image's usual files (only its metrics with --no-images) and
DIR/summary.json / summary.csv the means over the images. The whole DIR is staged: an
interrupted or failed run leaves it as it was. A bad file is reported and skipped; the run
fails (exit 2) only when no image succeeded.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from viewer.cli import fail
from viewer.core.engine import run_methods
from viewer.core.errors import InputError
from viewer.core.export import PngWriter, write_run
from viewer.core.feature_maps import FEATURE_SUFFIXES, load_file
from viewer.core.files import staged_directory
from viewer.core.image_io import IMAGE_SUFFIXES
from viewer.core.label_maps import LabelMap, load_label_map
from viewer.core.report import to_json
from viewer.core.run_inputs import make_inputs, usable_methods
from viewer.core.settings import Settings
from viewer.core.summary import summarize, summary_csv
from viewer.core.training_set import training_pairs_for
from viewer.headless import checked_options, start_paddle


def folder_files(folder: Path, labels: Path | None = None) -> list[Path]:
    """The images and feature maps directly in `folder`, sorted by name; the label maps
    themselves are not images when `labels` is the same folder (as in BSDS)."""
    known = (*IMAGE_SUFFIXES, *FEATURE_SUFFIXES)

    def is_label_map(path: Path) -> bool:
        return labels is not None and path.resolve() == (labels / f"{path.stem}.png").resolve()

    files = sorted(
        p
        for p in folder.iterdir()
        if p.is_file() and p.suffix.lower() in known and not is_label_map(p)
    )
    if not files:
        raise InputError(str(folder), "the folder holds no images (" + ", ".join(known) + ")")
    return files


def subfolder_names(files: list[Path]) -> list[str]:
    """Each file's stem; a stem shared by two files (a.png, a.jpg) gets its suffix too."""
    stems = [file.stem for file in files]
    return [
        f"{file.stem}_{file.suffix[1:]}" if stems.count(file.stem) > 1 else file.stem
        for file in files
    ]


@dataclass
class FolderRun:
    """What every image of a folder run shares."""

    args: argparse.Namespace
    settings: Settings
    methods: list[str]
    writer: PngWriter
    extra: dict
    trained: dict = field(default_factory=dict)  # with --train-on: each learned method once
    pairs: dict = field(default_factory=dict)  # the training set, by channel count: read once

    def label_map(self, file: Path) -> LabelMap | None:
        """The label map of `file` (the same stem, .png, in the --labels folder), or None
        without --labels; InputError when it is missing or unreadable."""
        if not self.args.labels:
            return None
        path = Path(self.args.labels) / f"{file.stem}.png"
        if not path.exists():
            raise InputError(str(file), f"no label map {path.name} in {self.args.labels}")
        return load_label_map(path, self.args.max_pixels)

    def training_pairs(self, inputs) -> list:
        """The --train-on pairs made like `inputs`; a training set that cannot be read
        ends the whole run (every image would fail the same way)."""
        channels = inputs.original.shape[2]
        if channels not in self.pairs:
            self.pairs[channels] = training_pairs_for(self.settings, inputs, self.args.max_pixels)
        return self.pairs[channels]


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
            run = FolderRun(args, settings, methods, writer, {"device": device_note})
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
    try:
        image = load_file(file, run.args.max_pixels)
        inputs = make_inputs(image, run.settings, run.label_map(file))
    except InputError as error:
        return None, error.why
    except ValueError as error:
        return None, str(error)
    report = run_methods(
        inputs,
        run.methods,
        run.settings,
        keep_outputs=False,
        train_pairs=run.training_pairs(inputs),
        trained=run.trained,
    )
    images = not run.args.no_images
    return write_run(report, image.name, folder, run.writer, run.extra, images=images), None
