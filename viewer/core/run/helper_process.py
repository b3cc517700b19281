"""Helper processes that serve one pipe (FLIP's, the user upsampler's worker): spawned, not
forked, so they share no threads or locks with the viewer, and daemons, so they end with it."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable
from typing import Any


def start_serving(
    serve: Callable[[Any], None], environment: dict[str, str] | None = None
) -> tuple[Any, Any]:
    """(connection, process): a spawned daemon process running `serve(its end of a pipe)`,
    with `environment` added to its environment where this one does not set those names
    (what a C library reads as the process starts must be there before it does).

    It starts with this thread's signal mask as it was: starting multiprocessing's resource
    tracker unblocks SIGINT and SIGTERM in the calling thread, which may hold them on
    purpose (main.py, and the window until Paddle is loaded)."""
    import multiprocessing  # only when a helper starts: not on the window's way up

    spawn = multiprocessing.get_context("spawn")
    conn, child = spawn.Pipe()
    process = spawn.Process(target=serve, args=(child,), daemon=True)
    added = {k: v for k, v in (environment or {}).items() if k not in os.environ}
    held = signal.pthread_sigmask(signal.SIG_BLOCK, [])
    os.environ.update(added)
    try:
        process.start()
    finally:
        for name in added:
            del os.environ[name]
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
    child.close()
    return conn, process
