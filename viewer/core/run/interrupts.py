"""Ctrl+C and SIGTERM as an orderly exit: cleanup code runs, no traceback is printed.

`Interrupted` derives from BaseException, like KeyboardInterrupt, so the `except Exception`
that keeps one failing method from ending a run cannot swallow it.

Python runs a signal's handler in the main thread, but any thread that does not block the
signal may take it from the kernel: numpy's and OpenCV's worker threads exist from the first
import. So a block is kept whole by swapping the handlers (`signals_deferred`), not by the
main thread's mask. The mask is for start-up: `main.py` holds the signals before any thread
exists, threads inherit the hold, and `release_signals` ends it once Paddle is loaded.
"""

from __future__ import annotations

import signal
import sys
import threading
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


def report(stop: Interrupted) -> int:
    """Say so in one line; the exit code for `stop`."""
    print("interrupted: nothing written", file=sys.stderr)
    return stop.exit_code


def _raise_interrupted(signum: int, _frame) -> None:
    raise Interrupted(signum)


def raise_on_signals() -> None:
    """From now on SIGINT and SIGTERM raise Interrupted in the main thread."""
    for signum in SIGNALS:
        signal.signal(signum, _raise_interrupted)


def release_signals() -> None:
    """Let SIGINT and SIGTERM through this thread again: one held is delivered at once."""
    signal.pthread_sigmask(signal.SIG_UNBLOCK, SIGNALS)


@contextmanager
def signals_deferred() -> Iterator[None]:
    """SIGINT and SIGTERM wait while the block runs (a rename pair, a cleanup, an import):
    the first arriving meanwhile is acted on when the block ends, never half-way through.
    The handlers are set back as they were, over any a library installed meanwhile. Only
    the main thread runs handlers (and may set them): another has nothing to defer."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    arrived: list[int] = []
    previous = {signum: signal.getsignal(signum) for signum in SIGNALS}
    for signum, handler in previous.items():
        if handler is not None:  # None: set outside Python, which Python cannot restore
            signal.signal(signum, lambda number, _frame: arrived.append(number))
    try:
        yield
    finally:
        for signum, handler in previous.items():
            if handler is not None:
                signal.signal(signum, handler)
        if arrived:
            _deliver(arrived[0], previous[arrived[0]])


def _deliver(signum: int, handler) -> None:
    if callable(handler):
        handler(signum, None)
    else:
        signal.raise_signal(signum)
