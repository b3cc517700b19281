"""The command line's user upsampler files: `--upsampler FILE.py` (repeatable) and
`--new-upsampler FILE.py`."""

from __future__ import annotations

from viewer.cli import fail
from viewer.core.errors import InputError
from viewer.core.inputs.user_upsampler import add_upsamplers, write_starting_file


def user_methods(paths: list[str]) -> list[str]:
    """The ids of the --upsampler files, each checked (InputError) and registered; the
    worker that will run them starts now, loading Paddle while this process does."""
    if not paths:
        return []
    ids = add_upsamplers(paths)
    from viewer.core.run.user_runner import worker

    worker()
    return ids


def wait_for_worker() -> None:
    """Wait until the --upsampler files' worker has loaded Paddle (if there is one), so that
    no user method's time counts the worker's start."""
    from viewer.core.run import user_runner

    if user_runner.running():
        user_runner.worker().wait_ready(lambda: None)


def new_upsampler(path: str) -> int:
    """Write a commented starting file that runs at `path` (never over a file); exit code."""
    try:
        written = write_starting_file(path)
    except InputError as error:
        fail(error)
    print(f"wrote {written}: add it with --upsampler {written}")
    return 0
