"""A whole headless run against its methods' own time (issue 12's first figure).

    python benchmarks/whole_run.py [--megapixels 3]

Runs `python main.py --headless` on a 3-megapixel photo with every method (as a user would:
a fresh process, files written), and compares its wall time with the sum of the methods' own
times (`ms` in metrics.csv: each method's build, training and Paddle call). Target: the run
costs at most 1.25x its methods.
"""

from __future__ import annotations

import argparse
import csv
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import cv2
from skimage import data

ROOT = Path(__file__).resolve().parents[1]


def measure(megapixels: float = 3.0) -> dict:
    """Wall seconds of the headless process, and the seconds its methods took."""
    height = int((megapixels * 1e6 * 3 / 4) ** 0.5)
    photo = cv2.resize(data.astronaut(), (height * 4 // 3, height), interpolation=cv2.INTER_CUBIC)
    with tempfile.TemporaryDirectory() as folder:
        image, out = Path(folder) / "photo.png", Path(folder) / "out"
        cv2.imwrite(str(image), photo[..., ::-1])
        command = [sys.executable, str(ROOT / "main.py"), "--headless", str(image)]
        started = time.perf_counter()
        subprocess.run([*command, "--out", str(out)], check=True, capture_output=True, cwd=ROOT)
        wall = time.perf_counter() - started
        with open(out / "metrics.csv", newline="") as table:
            rows = list(csv.DictReader(table))
    return {
        "size": f"{photo.shape[1]}x{photo.shape[0]}",
        "wall_s": wall,
        "methods_s": sum(float(row["ms"]) for row in rows) / 1000,
        "methods": len(rows),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megapixels", type=float, default=3.0)
    figures = measure(parser.parse_args().megapixels)
    ratio = figures["wall_s"] / figures["methods_s"]
    print(
        f"{figures['size']}, {figures['methods']} methods: whole run {figures['wall_s']:.1f} s, "
        f"methods {figures['methods_s']:.1f} s, ratio {ratio:.2f} (target <= 1.25)"
    )


if __name__ == "__main__":
    main()
