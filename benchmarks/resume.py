"""What `--resume` saves: a folder run killed with SIGKILL halfway through, then resumed,
against the same run uninterrupted. 24 photos of about 0.15 MP (benchmarks/folder_run.py's
crops), the fixed methods, headless; each run is a fresh process (Paddle's start included).

    python benchmarks/resume.py [--count N]

Prints the wall time of the whole run, of the killed first half, and of the resumed rest.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.folder_run import FIXED, make_folder  # noqa: E402

# main.py, but killed with SIGKILL as the image after `stop` finished ones starts writing.
KILLED = """
import os, signal, sys
from viewer.headless import folder
real, calls = folder.write_run, []
def write_or_die(*args, **kwargs):
    calls.append(1)
    if len(calls) > int(sys.argv[1]):
        os.kill(os.getpid(), signal.SIGKILL)
    return real(*args, **kwargs)
folder.write_run = write_or_die
from viewer.app import main
sys.exit(main(sys.argv[2:]))
"""


def timed(command: list[str]) -> tuple[float, int]:
    """Wall seconds and exit code of `command`."""
    started = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started, done.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=24)
    count = parser.parse_args().count
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work) / "images"
        folder.mkdir()
        make_folder(folder, count)
        run = ["--headless", str(folder), "--methods", FIXED, "--out"]
        full, code = timed([sys.executable, str(ROOT / "main.py"), *run, f"{work}/full"])
        assert code == 0
        killed, code = timed([sys.executable, "-c", KILLED, str(count // 2), *run, f"{work}/o"])
        assert code == -9
        resumed, code = timed(
            [sys.executable, str(ROOT / "main.py"), *run, f"{work}/o", "--resume"]
        )
        assert code == 0
    print(f"| {count} images, fixed methods | wall |")
    print("|---|---|")
    print(f"| uninterrupted run | {full:.1f} s |")
    print(f"| killed (SIGKILL) after {count // 2} images | {killed:.1f} s |")
    print(f"| `--resume` of the rest | {resumed:.1f} s ({resumed / full:.0%} of the run) |")


if __name__ == "__main__":
    main()
