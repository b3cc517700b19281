"""The command line shared by the window and the headless run."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import replace
from typing import NoReturn

from viewer.core.errors import InputError
from viewer.core.inputs.charts import chart_names, load_chart
from viewer.core.inputs.feature_maps import load_file
from viewer.core.inputs.image_io import LoadedImage, load_image
from viewer.core.inputs.label_maps import LabelMap, load_label_map
from viewer.core.inputs.samples import load_sample
from viewer.core.methods import method_ids
from viewer.core.run.rules import check_companions
from viewer.core.settings import COMMAND_LINE_OPTIONS, RUN_OPTIONS, Settings

EXIT_BAD_INPUT = 2


class Parser(argparse.ArgumentParser):
    """argparse, but bad options end in one line `error: <what>: <why>` and exit code 2."""

    def error(self, message: str) -> NoReturn:
        fail(InputError("arguments", message))


def fail(error: InputError) -> NoReturn:
    print(f"error: {error.what}: {error.why}", file=sys.stderr)
    sys.exit(EXIT_BAD_INPUT)


def build_parser() -> Parser:
    """Options are read as text and checked by the schema (one message style for every
    option). Run options default to None: unset ones keep the schema's default (headless) or
    the window's saved value."""
    parser = Parser(
        prog="main.py",
        description="Compare PaddlePaddle upsamplers on an image, in a window or headless.",
    )
    parser.add_argument(
        "image",
        nargs="?",
        help="image file, .npy / .npz feature map, or (headless) a folder of them; "
        "default: a sample",
    )
    parser.add_argument("--headless", action="store_true", help="no window; write files to --out")
    parser.add_argument("--out", help="folder for the headless results")
    parser.add_argument("--methods", help="comma-separated method ids (default: all)")
    for entry in (*RUN_OPTIONS, *COMMAND_LINE_OPTIONS):
        parser.add_argument(
            entry.flag,
            metavar=entry.name.upper(),
            help=f"{entry.help}: {entry.describe()} (default {entry.default})",
        )
    parser.add_argument(
        "--chart", help=f"use a built-in test chart instead of IMAGE: {', '.join(chart_names())}"
    )
    parser.add_argument(
        "--add",
        action="append",
        default=[],
        metavar="NAME=FILE",
        help="add your own result (an image of the original's size) as a pane, measured and "
        "scored like every method; may be repeated",
    )
    parser.add_argument(
        "--upsampler",
        action="append",
        default=[],
        metavar="FILE.py",
        help="your own upsampler: a Python file defining a Paddle layer Upsampler (see the "
        "README), trained and measured like the built-ins; may be repeated",
    )
    parser.add_argument(
        "--new-upsampler",
        metavar="FILE.py",
        help="write a commented starting file for --upsampler (a small learned one) and exit",
    )
    parser.add_argument(
        "--no-images",
        action="store_true",
        help="folder runs: write only each image's metrics and the summary",
    )
    parser.add_argument(
        "--resume",
        action="store_true",
        help="folder runs: continue the interrupted run of the same folder and settings into "
        "--out, computing only the images it lacks",
    )
    parser.add_argument(
        "--shard",
        metavar="K/N",
        help="folder runs: run only the K-th of N parts of the folder (every N-th image), "
        "the same on every machine; --merge puts the parts together",
    )
    parser.add_argument(
        "--merge",
        nargs="+",
        metavar="DIR",
        help="combine the --out folders of every --shard of a folder run into one run in --out",
    )
    parser.add_argument(
        "--labels",
        metavar="FILE",
        help="a label map of IMAGE (palette or 8/16-bit grey PNG; 255 = ignore): upsample "
        "its classes as a segmentation decoder does, with IMAGE as the guide",
    )
    parser.add_argument(
        "--guide",
        metavar="IMAGE",
        help="a full-resolution image for a feature map (its full size): enables the "
        "image-guided methods",
    )
    parser.add_argument("--screenshot", help="window: save a PNG of it once every result is in")
    return parser


def parse_methods(text: str | None, also: Sequence[str] = ()) -> list[str]:
    """The ids `--methods` names (all built-ins when the option is not given), then those of
    `also`, which always run (your upsamplers and added results: `--methods` may name them
    too). InputError for an unknown id."""
    known = [*method_ids(), *also]
    if text is None:
        return list(dict.fromkeys([*method_ids(), *also]))
    chosen = [part.strip() for part in text.split(",") if part.strip()]
    unknown = [m for m in chosen if m not in known]
    if unknown or not chosen:
        raise InputError(
            "--methods",
            f"unknown method {', '.join(unknown) or '(none given)'}; known: {', '.join(known)}",
        )
    return list(dict.fromkeys([*chosen, *also]))


def check_options(args: argparse.Namespace) -> None:
    """Replace each command-line-only option's text by its checked value (InputError names
    the first bad one); run options are checked by `settings_from`."""
    for entry in COMMAND_LINE_OPTIONS:
        text = getattr(args, entry.name)
        value = entry.default if text is None else entry.parse(text)
        setattr(args, entry.name, value)


def settings_from(args: argparse.Namespace, base: Settings | None = None) -> Settings:
    """`base` with the options given on the command line, each checked by the schema."""
    given = {
        entry.name: entry.parse(getattr(args, entry.name))
        for entry in RUN_OPTIONS
        if getattr(args, entry.name) is not None
    }
    return replace(base or Settings(), **given).checked()


def chart_from(args: argparse.Namespace) -> LoadedImage | None:
    """The chart named by --chart, or None; InputError for a bad name, size or combination."""
    if args.chart is None:
        return None
    if args.image:
        raise InputError("--chart", "give an IMAGE or a --chart, not both")
    if args.chart not in chart_names():
        raise InputError(
            "--chart", f"unknown chart {args.chart}; known: {', '.join(chart_names())}"
        )
    return load_chart(args.chart, args.chart_size, args.max_pixels)


def load_input(args: argparse.Namespace) -> LoadedImage:
    """The image the options name: a chart, a file, or the built-in sample."""
    chart = chart_from(args)
    if chart is not None:
        return chart
    return load_file(args.image, args.max_pixels) if args.image else load_sample()


def load_companions(args: argparse.Namespace) -> tuple[LabelMap | None, LoadedImage | None]:
    """The --labels map and the --guide image, each None when not given (refused together
    before either is read)."""
    check_companions(args.labels, args.guide)
    labels = load_label_map(args.labels, args.max_pixels) if args.labels else None
    guide = load_image(args.guide, args.max_pixels) if args.guide else None
    return labels, guide
