"""Entry point: headless runs never import Qt; the window imports it only when it opens."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    """Ctrl+C or SIGTERM at any moment, start-up included, ends with one line and exit
    code 130 / 143; what was being written is removed on the way out."""
    from viewer.core.run.interrupts import (
        Interrupted,
        raise_on_signals,
        release_signals,
        report,
    )

    raise_on_signals()
    try:
        from viewer.cli import build_parser

        args = build_parser().parse_args(argv)
        if args.new_upsampler or args.merge:
            release_signals()  # held by main.py until Paddle loads, which these never do
        if args.new_upsampler:
            from viewer.headless.user_files import new_upsampler

            return new_upsampler(args.new_upsampler)
        if args.merge:
            from viewer.headless.merge import run_merge

            return run_merge(args)
        if args.headless:
            from viewer.headless import run_headless

            return run_headless(args)
        from viewer.ui.application import run_window

        return run_window(args)
    except Interrupted as stop:
        return report(stop)


if __name__ == "__main__":
    sys.exit(main())
