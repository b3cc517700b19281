"""SSIM: the fast implementation (viewer.core.ssim) against scikit-image, side by side.

Target (issue 12): equal within 1e-4, at least 5x faster. Prints one table; run it on an
otherwise idle machine: `python benchmarks/ssim.py [--megapixels 3]`.
"""

from __future__ import annotations

import argparse
import statistics
import time

import cv2
from skimage import data
from skimage.metrics import structural_similarity

from viewer.core.metrics import ssim


def timed(function, repeats: int) -> tuple[float, float]:
    """(median seconds, the value) over `repeats` calls."""
    times, value = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        value = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), value


def compare(megapixels: float = 3.0, repeats: int = 3) -> dict:
    """scikit-image's and the fast SSIM on the same photo: seconds each, and |difference|."""
    side = int((megapixels * 1e6 / (4 / 3)) ** 0.5)
    photo = cv2.resize(data.astronaut(), (side * 4 // 3, side), interpolation=cv2.INTER_CUBIC)
    degraded = cv2.resize(cv2.resize(photo, None, fx=0.5, fy=0.5), photo.shape[1::-1])
    reference_s, reference = timed(
        lambda: structural_similarity(photo, degraded, channel_axis=-1, data_range=255), repeats
    )
    fast_s, fast = timed(lambda: ssim(photo, degraded), repeats)
    return {
        "size": f"{photo.shape[1]}x{photo.shape[0]}",
        "skimage_s": reference_s,
        "fast_s": fast_s,
        "difference": abs(reference - fast),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--megapixels", type=float, default=3.0)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    figures = compare(args.megapixels, args.repeats)
    print("| image | scikit-image | fast | speed-up | |difference| |")
    print("|---|---|---|---|---|")
    print(
        f"| {figures['size']} RGB ({args.megapixels:.1f} MP) | {figures['skimage_s']:.3f} s "
        f"| {figures['fast_s']:.3f} s | {figures['skimage_s'] / figures['fast_s']:.1f}x "
        f"(target >= 5x) | {figures['difference']:.1e} (target <= 1e-4) |"
    )


if __name__ == "__main__":
    main()
