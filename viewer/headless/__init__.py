"""`main.py --headless`: the command line's runs, with no window and no Qt.

One image (`single`) or a folder of them (`folder`); both check their options and start
Paddle the same way (`startup`) and prepare their runs through the core's run session.
"""

from __future__ import annotations

import argparse
import os


def run_headless(args: argparse.Namespace) -> int:
    """Run what the arguments name and write the results to --out; the exit code."""
    # os.path.isdir: Path.is_dir raises for a name too long; the reader then says so.
    if args.image and os.path.isdir(args.image):
        from viewer.headless.folder import run_folder

        return run_folder(args)
    from viewer.headless.single import run_single

    return run_single(args)
