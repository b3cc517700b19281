"""The command line shared by the window and the headless run."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from typing import NoReturn

from viewer.core.charts import DEFAULT_SIZE, chart_names, load_chart
from viewer.core.degrade import DEGRADATIONS, SCALES
from viewer.core.device import DEVICES
from viewer.core.errors import InputError
from viewer.core.feature_maps import load_file
from viewer.core.image_io import DEFAULT_MAX_PIXELS, LoadedImage
from viewer.core.method import Settings
from viewer.core.methods import method_ids
from viewer.core.samples import load_sample

EXIT_BAD_INPUT = 2


class Parser(argparse.ArgumentParser):
    """argparse, but bad options end in one line `error: <what>: <why>` and exit code 2."""

    def error(self, message: str) -> NoReturn:
        fail(InputError("arguments", message))


def fail(error: InputError) -> NoReturn:
    print(f"error: {error.what}: {error.why}", file=sys.stderr)
    sys.exit(EXIT_BAD_INPUT)


def build_parser() -> Parser:
    """Run options default to None: unset ones keep the article's value (headless) or the
    window's saved value."""
    defaults = Settings()
    parser = Parser(
        prog="main.py",
        description="Compare PaddlePaddle upsamplers on an image, in a window or headless.",
    )
    parser.add_argument(
        "image", nargs="?", help="image file, or a .npy / .npz feature map (default: a sample)"
    )
    parser.add_argument("--headless", action="store_true", help="no window; write files to --out")
    parser.add_argument("--out", help="folder for the headless results")
    parser.add_argument("--scale", type=int, help=f"2, 3 or 4 (default {defaults.scale})")
    parser.add_argument("--methods", help="comma-separated method ids (default: all)")
    parser.add_argument("--steps", type=int, help=f"training steps (default {defaults.steps})")
    parser.add_argument("--seed", type=int, help=f"random seed (default {defaults.seed})")
    parser.add_argument(
        "--grid-noise", type=float, help=f"grid_sample noise std (default {defaults.grid_noise})"
    )
    parser.add_argument(
        "--max-pixels",
        type=int,
        default=DEFAULT_MAX_PIXELS,
        help="refuse images with more pixels than this (default 50 megapixels)",
    )
    parser.add_argument(
        "--degrade",
        choices=list(DEGRADATIONS),
        help=f"how the low-res input is made (default {defaults.degrade})",
    )
    parser.add_argument(
        "--train-on", help="image file or folder that learned methods train on (default: IMAGE)"
    )
    parser.add_argument("--lr", type=float, help=f"learning rate (default {defaults.lr})")
    parser.add_argument(
        "--device", choices=list(DEVICES), default="auto", help="where Paddle runs (default auto)"
    )
    parser.add_argument(
        "--chart", help=f"use a built-in test chart instead of IMAGE: {', '.join(chart_names())}"
    )
    parser.add_argument(
        "--chart-size", type=int, default=DEFAULT_SIZE, help="side of the chart in pixels"
    )
    parser.add_argument("--screenshot", help="window: save a PNG of it once every result is in")
    return parser


def parse_methods(text: str | None) -> list[str]:
    known = method_ids()
    if not text:
        return known
    chosen = [part.strip() for part in text.split(",") if part.strip()]
    unknown = [m for m in chosen if m not in known]
    if unknown or not chosen:
        raise InputError(
            "--methods",
            f"unknown method {', '.join(unknown) or '(none)'}; known: {', '.join(known)}",
        )
    return chosen


def settings_from(args: argparse.Namespace, base: Settings | None = None) -> Settings:
    """`base` with the options given on the command line, validated (InputError names one)."""
    base = base or Settings()
    given = {
        name: getattr(args, name)
        for name in ("scale", "steps", "seed", "grid_noise", "lr", "degrade", "train_on")
        if getattr(args, name) is not None
    }
    settings = replace(base, **given)
    if settings.scale not in SCALES:
        allowed = ", ".join(map(str, SCALES))
        raise InputError("--scale", f"must be one of {allowed}, not {settings.scale}")
    if settings.steps < 0:
        raise InputError("--steps", f"must be 0 or more, not {settings.steps}")
    if not (0 <= settings.grid_noise < 10):
        raise InputError("--grid-noise", f"must be between 0 and 10, not {settings.grid_noise}")
    if not 0 < settings.lr < 10:
        raise InputError("--lr", f"must be between 0 and 10, not {settings.lr}")
    if args.max_pixels < 1:
        raise InputError("--max-pixels", f"must be positive, not {args.max_pixels}")
    return settings


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
    if not 8 <= args.chart_size <= 8192:
        raise InputError("--chart-size", f"must be between 8 and 8192, not {args.chart_size}")
    return load_chart(args.chart, args.chart_size)


def load_input(args: argparse.Namespace) -> LoadedImage:
    """The image the options name: a chart, a file, or the built-in sample."""
    chart = chart_from(args)
    if chart is not None:
        return chart
    return load_file(args.image, args.max_pixels) if args.image else load_sample()
