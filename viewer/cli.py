"""The command line shared by the window and the headless run."""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn

from viewer.core.degrade import SCALES
from viewer.core.errors import InputError
from viewer.core.image_io import DEFAULT_MAX_PIXELS
from viewer.core.method import Settings
from viewer.core.methods import method_ids

EXIT_BAD_INPUT = 2


class Parser(argparse.ArgumentParser):
    """argparse, but bad options end in one line `error: <what>: <why>` and exit code 2."""

    def error(self, message: str) -> NoReturn:
        fail(InputError("arguments", message))


def fail(error: InputError) -> NoReturn:
    print(f"error: {error.what}: {error.why}", file=sys.stderr)
    sys.exit(EXIT_BAD_INPUT)


def build_parser() -> Parser:
    defaults = Settings()
    parser = Parser(
        prog="main.py",
        description="Compare PaddlePaddle upsamplers on an image, in a window or headless.",
    )
    parser.add_argument("image", nargs="?", help="image file (default: a built-in sample)")
    parser.add_argument("--headless", action="store_true", help="no window; write files to --out")
    parser.add_argument("--out", help="folder for the headless results")
    parser.add_argument("--scale", type=int, default=defaults.scale, help="2, 3 or 4")
    parser.add_argument("--methods", help="comma-separated method ids (default: all)")
    parser.add_argument("--steps", type=int, default=defaults.steps, help="training steps")
    parser.add_argument("--seed", type=int, default=defaults.seed)
    parser.add_argument("--grid-noise", type=float, default=defaults.grid_noise)
    parser.add_argument(
        "--max-pixels",
        type=int,
        default=DEFAULT_MAX_PIXELS,
        help="refuse images with more pixels than this (default 50 megapixels)",
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


def settings_from(args: argparse.Namespace) -> Settings:
    """Validated Settings, or InputError naming the option."""
    if args.scale not in SCALES:
        raise InputError(
            "--scale", f"must be one of {', '.join(map(str, SCALES))}, not {args.scale}"
        )
    if args.steps < 0:
        raise InputError("--steps", f"must be 0 or more, not {args.steps}")
    if not (0 <= args.grid_noise < 10):
        raise InputError("--grid-noise", f"must be between 0 and 10, not {args.grid_noise}")
    if args.max_pixels < 1:
        raise InputError("--max-pixels", f"must be positive, not {args.max_pixels}")
    return Settings(scale=args.scale, steps=args.steps, seed=args.seed, grid_noise=args.grid_noise)
