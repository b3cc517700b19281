"""Upsample Viewer: `python main.py [IMAGE]` opens the window, `--headless` writes files."""

import signal

# SIGINT and SIGTERM are held from the first statement, before any thread exists, until
# Paddle is loaded (or the window opens): threads inherit the hold, so none takes a signal
# while Paddle's loader runs or while its own SIGTERM handler (it aborts) is installed.
signal.pthread_sigmask(signal.SIG_BLOCK, (signal.SIGINT, signal.SIGTERM))

import gc  # noqa: E402
import sys  # noqa: E402

from viewer.core.run.interrupts import SIGNALS, Interrupted, raise_on_signals, report  # noqa: E402

if __name__ == "__main__":
    raise_on_signals()
    try:
        from viewer.app import main

        code = main()
    except Interrupted as stop:
        code = report(stop)
    finally:
        # Done: a signal from now on changes nothing. The interpreter's shutdown sets its
        # handlers back to the default, which would kill a finished run; ignoring is kept.
        for signum in SIGNALS:
            signal.signal(signum, signal.SIG_IGN)
    # Everything is written and closed by now. Frozen, the objects Paddle left (tens of
    # thousands) skip the interpreter's last garbage collection: 0.2 s off every run.
    gc.freeze()
    sys.exit(code)
