"""SSIM: the fast implementation (viewer.core.measure.ssim) against scikit-image, side by side.

Target (issue 12): equal within 1e-4, at least 5x faster. Prints one table; run it on an
otherwise idle machine: `python benchmarks/ssim.py [--megapixels 3]`.
"""

from __future__ import annotations

import argparse
import time

import cv2
from skimage import data
from skimage.metrics import structural_similarity

from viewer.core.measure.metrics import ssim


def compare(megapixels: float = 3.0, repeats: int = 3) -> dict:
    """scikit-image's and the fast SSIM on the same photo, timed in turn: the best seconds of
    each, and |difference|."""
    side = int((megapixels * 1e6 / (4 / 3)) ** 0.5)
    photo = cv2.resize(data.astronaut(), (side * 4 // 3, side), interpolation=cv2.INTER_CUBIC)
    degraded = cv2.resize(cv2.resize(photo, None, fx=0.5, fy=0.5), photo.shape[1::-1])
    forms = {
        "skimage": lambda: structural_similarity(photo, degraded, channel_axis=-1, data_range=255),
        "fast": lambda: ssim(photo, degraded),
    }
    times, values = {name: [] for name in forms}, {}
    for _ in range(repeats):
        for name, form in forms.items():
            started = time.perf_counter()
            values[name] = form()
            times[name].append(time.perf_counter() - started)
    return {
        "size": f"{photo.shape[1]}x{photo.shape[0]}",
        "skimage_s": min(times["skimage"]),
        "fast_s": min(times["fast"]),
        "difference": abs(values["skimage"] - values["fast"]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--megapixels", type=float, default=3.0)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    figures = compare(args.megapixels, args.repeats)
    print("| image | scikit-image | fast | speed-up | difference |")
    print("|---|---|---|---|---|")
    print(
        f"| {figures['size']} RGB ({args.megapixels:.1f} MP) | {figures['skimage_s']:.3f} s "
        f"| {figures['fast_s']:.3f} s | {figures['skimage_s'] / figures['fast_s']:.1f}x "
        f"(target >= 5x) | {figures['difference']:.1e} (target <= 1e-4) |"
    )


if __name__ == "__main__":
    main()
