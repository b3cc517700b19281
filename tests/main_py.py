"""Running `main.py` as a user does: in a fresh process, from the project's root."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_main(*args, prefix=(), env=None, cwd=ROOT, timeout=None) -> subprocess.CompletedProcess:
    """`python main.py ARGS` (after `prefix`, e.g. xvfb-run), its output captured as text."""
    command = [*prefix, sys.executable, str(ROOT / "main.py"), *map(str, args)]
    return subprocess.run(
        command, capture_output=True, text=True, env=env, cwd=cwd, timeout=timeout
    )


def run_python(script: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """`python -c SCRIPT` in a fresh process, from the project's root (a process state a
    test's own process cannot have: nothing loaded, signals as main.py holds them)."""
    return subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=timeout
    )
