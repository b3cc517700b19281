"""Folder runs cost the same per image however many images: 25, 50 and 100 photos of about
0.15 MP (448 x 336 crops of two of scikit-image's photos), the fixed methods, headless.

    python benchmarks/folder_run.py [--no-images]

Prints the wall time and the cost per image for each count (target, issue 11: linear).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image
from skimage import data

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from viewer.core.methods import all_methods  # noqa: E402

FIXED = ",".join(m.id for m in all_methods() if not m.learned and not m.guided)


def make_folder(folder: Path, count: int) -> None:
    """`count` different 448 x 336 crops of two photos."""
    rng = np.random.default_rng(0)
    photos = [data.astronaut(), data.coffee()]
    for index in range(count):
        photo = photos[index % len(photos)]
        top = rng.integers(0, photo.shape[0] - 336)
        left = rng.integers(0, photo.shape[1] - 448)
        Image.fromarray(photo[top : top + 336, left : left + 448]).save(folder / f"{index:03d}.png")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-images", action="store_true")
    args = parser.parse_args()
    print("| images | wall | per image |")
    print("|---|---|---|")
    for count in (25, 50, 100):
        with tempfile.TemporaryDirectory() as work:
            folder = Path(work) / "images"
            folder.mkdir()
            make_folder(folder, count)
            command = [
                sys.executable,
                str(ROOT / "main.py"),
                "--headless",
                str(folder),
                "--out",
                str(Path(work) / "out"),
                "--methods",
                FIXED,
            ]
            started = time.perf_counter()
            subprocess.run(
                command + (["--no-images"] if args.no_images else []),
                check=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            wall = time.perf_counter() - started
        print(f"| {count} | {wall:.1f} s | {wall / count:.2f} s |")


if __name__ == "__main__":
    main()
