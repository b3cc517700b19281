"""`main.py --merge DIR_1 ... DIR_N --out DIR`: the shards of a folder run (each made with
`--headless FOLDER --shard K/N --out DIR_K`) as one run folder, equal to the unsharded
run's. No Paddle: it only reads and copies files."""

from __future__ import annotations

import argparse
import os
import shutil
from pathlib import Path

from viewer.cli import fail
from viewer.core.errors import InputError
from viewer.core.output.files import check_output_folder, staged_directory
from viewer.core.output.merge import merge_shards, read_shard
from viewer.core.output.names import SUMMARY_CSV, SUMMARY_JSON, folder_run_names
from viewer.core.output.report import to_json
from viewer.core.output.summary import summary_csv
from viewer.headless.startup import check_writable_folder


def run_merge(args: argparse.Namespace) -> int:
    try:
        if args.image or args.headless:
            raise InputError("--merge", "combines shard folders: give no IMAGE or --headless")
        if not args.out:
            raise InputError("--out", "a folder for the merged run is required with --merge")
        summary, sources = merge_shards([read_shard(Path(folder)) for folder in args.merge])
        check_writable_folder(args.out)
        check_output_folder(args.out, folder_run_names(sources))
    except InputError as error:
        fail(error)
    try:
        with staged_directory(args.out, folder_run_names(sources)) as stage:
            for name, source in sources.items():
                shutil.copytree(source, stage / name, copy_function=link_or_copy)
            (stage / SUMMARY_JSON).write_bytes(to_json(summary))
            (stage / SUMMARY_CSV).write_bytes(summary_csv(summary))
    except OSError as error:
        fail(InputError(f"--out {args.out}", f"cannot write there ({error.strerror or error})"))
    print(f"merged {len(args.merge)} shards ({summary['images']} images) into {args.out}")
    return 0


def link_or_copy(source: str, target: str) -> None:
    """A hard link where the file system allows it (the shards' files are not changed
    after), else a copy."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
