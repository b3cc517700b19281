"""`main.py --headless FOLDER --out DIR`: every image of a folder, then the means.

DIR/<stem>/ holds each image's usual files (only its metrics with --no-images) and
DIR/summary.json / summary.csv the means over the images. The run is staged beside DIR
(`output.resumable`): each image is kept on disk as soon as it is finished, so `--resume`
continues an interrupted run, and DIR gets the whole run at the end or stays as it was.
`--shard K/N` runs every N-th image (`run.shards`); `--merge` puts the shards together. A
bad file is reported and skipped; the run fails (exit 2) only when no image succeeded.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

from viewer.cli import fail
from viewer.core.errors import InputError
from viewer.core.output.export import PngWriter, RunFolder, write_run
from viewer.core.output.files import check_output_folder
from viewer.core.output.names import SUMMARY_CSV, SUMMARY_JSON, folder_run_names, image_folder_names
from viewer.core.output.report import to_json
from viewer.core.output.resumable import ResumableRun
from viewer.core.output.summary import shard_record, summarize, summary_csv
from viewer.core.run.folder_session import FolderSession, ImageRun
from viewer.core.run.interrupts import Interrupted
from viewer.core.run.rules import RunRequest
from viewer.core.run.shards import Shard, every_image
from viewer.headless.startup import checked_options, start_paddle


@dataclass
class FolderRun:
    """A folder's run: the options, the PNG writer, what every metrics.json adds."""

    args: argparse.Namespace
    writer: PngWriter
    extra: dict


@dataclass
class Plan:
    """What this run computes: the session, each image's folder name, this shard's
    indices, and what a resumed run or a merge must match."""

    session: FolderSession
    names: list[str]
    chosen: list[int]
    shard: Shard | None
    key: dict


def plan_folder(args: argparse.Namespace) -> Plan:
    """Every option checked before anything runs; InputError for the first that is not
    allowed."""
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
    shard = Shard.parse(args.shard) if args.shard else None
    chosen = shard.indices(len(names)) if shard else every_image(len(names))
    if not chosen:
        raise InputError("--shard", f"shard {shard} of a folder of {len(names)} images is empty")
    check_output_folder(args.out, folder_run_names(names[i] for i in chosen))
    key = {**session.identity(), "no_images": bool(args.no_images)}
    return Plan(session, names, chosen, shard, key)


def run_folder(args: argparse.Namespace) -> int:
    try:
        plan = plan_folder(args)
    except InputError as error:
        fail(error)
    for note in plan.session.notes:
        print(f"note: {note}", file=sys.stderr)
    names, shard = plan.names, plan.shard
    key = {**plan.key, "shard": str(shard) if shard else None}
    will_write = folder_run_names(names[i] for i in plan.chosen)
    stage = ResumableRun(args.out, key, args.resume, will_write)
    try:
        with stage:  # before Paddle starts: a refused resume or a busy DIR waits for nothing
            documents, failed = write_folder(args, plan, stage)
    except InputError as error:
        fail(error)
    except OSError as error:  # no space or no inodes left: DIR is as it was
        fail(InputError(f"--out {args.out}", f"cannot write there ({error.strerror or error})"))
    except Interrupted:
        if stage.kept():
            print(
                f"note: images finished: {stage.kept()}, kept beside --out: --resume continues",
                file=sys.stderr,
            )
        raise
    print(f"wrote {len(documents)} images ({len(failed)} skipped) to {args.out}")
    return 0


def write_folder(
    args: argparse.Namespace, plan: Plan, stage: ResumableRun
) -> tuple[dict[int, dict], dict[int, dict]]:
    """Run the images `stage` lacks, then write the summary and move the run into DIR; the
    documents and the skipped files' reasons, by folder index."""
    documents = stage.finished({i: plan.names[i] for i in plan.chosen})
    if args.resume:
        done = f"{len(documents)} of {len(plan.chosen)}"
        print(f"note: resuming: {done} images were done", file=sys.stderr)
    device_note = start_paddle(args.device)
    with PngWriter() as writer:
        run = FolderRun(args, writer, {"device": device_note})
        failed = run_images(run, plan, stage, documents)
    if not documents:
        raise InputError(args.image, "no image in the folder could be run")
    ordered = [documents[i] for i in sorted(documents)]
    summary = summarize(ordered, [failed[i] for i in sorted(failed)])
    summary["training"]["once"] = bool(plan.session.request.settings.train_on)
    if plan.shard:
        summary["shard"] = shard_record(plan.shard, plan.key, plan.names, documents, failed)
    (stage.path / SUMMARY_JSON).write_bytes(to_json(summary))
    (stage.path / SUMMARY_CSV).write_bytes(summary_csv(summary))
    stage.commit()
    return documents, failed


def run_images(
    run: FolderRun, plan: Plan, stage: ResumableRun, documents: dict[int, dict]
) -> dict[int, dict]:
    """Run the images `documents` lacks, adding theirs (as written); the skipped ones'
    reasons by index. An image is finished (moved out of `.writing`) while the next one
    computes, once the writer has written its files."""
    todo = [i for i in plan.chosen if i not in documents]
    failed: dict[int, dict] = {}
    previous = None
    images = plan.session.images(only=todo)
    for index, done in tqdm(images, total=len(todo), unit="image", file=sys.stderr, leave=False):
        if previous is not None:
            run.writer.wait()
            stage.finish(previous)
            previous = None
        name = plan.names[index]
        document = write_image(run, done, stage.writing(name))
        if document is None:
            failed[index] = {"file": str(done.file), "reason": done.reason}
            print(f"warning: {done.file}: {done.reason}; skipped", file=sys.stderr)
        else:
            documents[index] = json.loads(to_json(document))  # as resumed runs read it
            previous = name
    run.writer.wait()
    if previous is not None:
        stage.finish(previous)
    return failed


def write_image(run: FolderRun, done: ImageRun, folder: Path) -> dict | None:
    """Its metrics document, written with its files to `folder`; None for a skipped image."""
    if done.report is None:
        return None
    files = RunFolder(folder, run.writer, done.report.inputs)
    return write_run(done.report, done.image.name, files, run.extra, not run.args.no_images)
