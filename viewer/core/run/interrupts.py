"""Ctrl+C and SIGTERM as an orderly exit: cleanup code runs, no traceback is printed.

`Interrupted` derives from BaseException, like KeyboardInterrupt, so the `except Exception`
that keeps one failing method from ending a run cannot swallow it.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupted(BaseException):
    """The process was asked to stop by `signum`; it should exit with `exit_code`."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


def _raise_interrupted(signum: int, _frame) -> None:
    raise Interrupted(signum)


def raise_on_signals() -> None:
    """From now on SIGINT and SIGTERM raise Interrupted in the main thread."""
    for signum in SIGNALS:
        signal.signal(signum, _raise_interrupted)


@contextmanager
def signals_deferred() -> Iterator[None]:
    """Hold SIGINT and SIGTERM back while the block runs (a rename pair, a cleanup): one
    arriving meanwhile is delivered when the block ends, never half-way through it."""
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
