"""Running a thread below the others' priority, so that the work that matters more (the
window's event loop, a run's methods) gets a core when it needs one."""

from __future__ import annotations

import contextlib
import os
import sys
import threading

NICER_BY = 10


def lower_this_thread() -> None:
    """Run the calling thread, and the threads it starts afterwards, NICER_BY nice levels
    lower. Linux only (a thread id is a task id there); elsewhere, or where it is not
    allowed, the thread keeps its priority."""
    if sys.platform != "linux":
        return
    thread = threading.get_native_id()
    with contextlib.suppress(OSError):
        os.setpriority(os.PRIO_PROCESS, thread, os.getpriority(os.PRIO_PROCESS, thread) + NICER_BY)
