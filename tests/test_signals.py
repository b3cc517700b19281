"""Ctrl+C and SIGTERM at any moment of a headless run's start-up: one line, exit 130 / 143.

Paddle's loader turned an exception raised inside it into its own error line and a
traceback, and the SIGTERM handler Paddle installs half-way through its import aborts the
process; numpy's and OpenCV's threads, alive before Paddle is imported, take a signal the
main thread holds. So `main.py` holds both signals from its first statement until Paddle is
loaded, and `signals_deferred` swaps the handlers instead of relying on one thread's mask.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.main_py import run_python
from viewer.core.run.interrupts import (
    SIGNALS,
    Interrupted,
    raise_on_signals,
    signals_deferred,
)

ROOT = Path(__file__).resolve().parents[1]
# From main.py's first statement: imports, options, the chart, Paddle's import and device
# (about 1 s on an idle machine), then training, which never ends by itself.
DELAYS = (0.05, 0.1, 0.2, 0.35, 0.5, 0.7, 1.0, 1.4, 2.0, 3.0)
RUN = ["--headless", "--chart", "star", "--chart-size", "16", "--methods", "conv_transpose"]


def catches_sigterm(pid: int) -> bool:
    """Whether the process has a SIGTERM handler: main.py's first statements set ours."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:  # it has ended already: the caller sees its exit code
        return False
    caught = int(re.search(r"^SigCgt:\s*([0-9a-f]+)$", status, re.M).group(1), 16)
    return bool(caught >> (signal.SIGTERM - 1) & 1)


def interrupted_run(folder: Path, signum: int, delay: float) -> tuple[int, str]:
    """main.py signalled `delay` seconds after its first statement; (exit code, stderr)."""
    return interrupted(signum, delay, [*RUN, "--steps", "100000", "--out", str(folder / "out")])


def interrupted(signum: int, delay: float, arguments: list[str], env=None) -> tuple[int, str]:
    """main.py ARGUMENTS signalled `delay` seconds after its first statement; (exit code,
    stderr).

    The interpreter's own start-up, before main.py runs, is outside any program's reach:
    the delay is counted from the moment main.py has set its handlers."""
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), *arguments],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    while process.poll() is None and not catches_sigterm(process.pid):
        time.sleep(0.001)  # the child is starting; nothing to wait on but its state
    time.sleep(delay)  # the moment of the signal is the test's variable, not a wait
    process.send_signal(signum)
    _, err = process.communicate(timeout=120)
    return process.returncode, err


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc")
def test_a_signal_at_any_moment_of_start_up_is_one_line(tmp_path):
    cases = [
        (tmp_path / f"{signum}-{delay}", signum, delay) for delay in DELAYS for signum in SIGNALS
    ]
    for folder, _, _ in cases:
        folder.mkdir()
    with ThreadPoolExecutor(4) as pool:
        ends = list(pool.map(lambda case: interrupted_run(*case), cases))
    wrong = [
        f"{signal.Signals(signum).name} after {delay} s: exit {code}\n{err}"
        for (_, signum, delay), (code, err) in zip(cases, ends, strict=True)
        if code != 128 + signum or err.strip().splitlines()[-1:] != ["interrupted: nothing written"]
    ]
    assert not wrong, "\n".join(wrong)
    assert not any("Traceback" in err or "Error" in err for _, err in ends)
    assert all(list(folder.iterdir()) == [] for folder, _, _ in cases), "something was written"


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc")
def test_a_signal_at_any_moment_of_the_windows_start_up_closes_it(tmp_path):
    """Raised inside PySide6's import, a signal made shiboken abort; taken by Paddle's own
    handler (installed by its import on the window's worker thread, or let through when
    multiprocessing started the user upsampler's worker), it printed a C++ report. Now it
    waits until the window's handler is back, and the window closes as the user would."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path)}
    mine = ROOT / "resources" / "upsamplers" / "bilinear_user.py"
    arguments = [*RUN[1:], "--steps", "100000", "--upsampler", str(mine)]
    cases = [(signum, delay) for delay in (0.1, 0.4, 1.0, 2.0, 3.0) for signum in SIGNALS]
    with ThreadPoolExecutor(4) as pool:
        ends = list(pool.map(lambda case: interrupted(*case, arguments, env), cases))
    wrong = [
        f"{signal.Signals(signum).name} after {delay} s: exit {code}\n{err}"
        for (signum, delay), (code, err) in zip(cases, ends, strict=True)
        if code != 0 or "Traceback" in err or "Error" in err
    ]
    assert not wrong, "\n".join(wrong)


def test_starting_the_user_upsamplers_worker_keeps_the_signals_held():
    """multiprocessing's resource tracker, started with the first worker, unblocks SIGINT
    and SIGTERM in the starting thread; the window holds them until Paddle is loaded."""
    script = (
        "import signal\n"
        "signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGINT, signal.SIGTERM])\n"
        "from viewer.core.run.user_runner import stop_worker, worker\n"
        "worker()\n"
        "held = signal.pthread_sigmask(signal.SIG_BLOCK, [])\n"
        "stop_worker()\n"
        "print(signal.SIGINT in held and signal.SIGTERM in held)\n"
    )
    done = run_python(script)
    assert done.stdout.strip() == "True", done.stderr


def test_a_deferred_block_ends_whole_when_another_thread_takes_the_signal(own_signals):
    """The kernel gives a process's signal to any thread not blocking it; Python then runs
    the handler in the main thread at once, even inside a block the main thread's mask
    held. Swapped handlers keep the block whole; the signal is acted on when it ends."""
    raise_on_signals()
    reached_the_end = False
    with pytest.raises(Interrupted) as stop, signals_deferred():
        taker = threading.Thread(target=signal.raise_signal, args=(signal.SIGTERM,))
        taker.start()
        taker.join()
        for _ in range(1000):  # bytecodes, between which a handler would run
            pass
        reached_the_end = True
    assert reached_the_end
    assert stop.value.signum == signal.SIGTERM
    assert signal.getsignal(signal.SIGTERM) is signal.getsignal(signal.SIGINT)


def test_a_deferred_block_sets_back_handlers_a_library_replaced(own_signals):
    """Paddle installs its own SIGTERM handler while it is imported: ours is set again."""
    raise_on_signals()
    ours = signal.getsignal(signal.SIGTERM)
    with signals_deferred():
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
    assert signal.getsignal(signal.SIGTERM) is ours
