"""Entry point: headless runs never import Qt; the window imports it only when it opens."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from viewer.cli import build_parser

    args = build_parser().parse_args(argv)
    if args.headless:
        from viewer.headless import run_headless

        return run_headless(args)
    from viewer.ui.application import run_window

    return run_window(args)


if __name__ == "__main__":
    sys.exit(main())
