"""The super-resolution protocol on Set5, beside the published bicubic table.

    python benchmarks/sr_table.py [--set5 ../shared/datasets/Set5] [--learned]

For r = 2, 3, 4: every image mod-cropped, degraded with MATLAB's imresize bicubic (rounded
to uint8), upsampled by each method, measured as PSNR-Y / SSIM-Y (r pixels shaved, 11x11
Gaussian SSIM). Target (issue 11): bicubic_matlab within 0.05 dB and 0.003 of the published
33.66 / 30.39 / 28.42 dB and 0.9299 / 0.8682 / 0.8104. Fixed methods by default; --learned
adds the learned ones (trained on each image, as the article does: not a fair comparison).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from viewer.core.inputs.degrade import prepare_inputs
from viewer.core.inputs.image_io import load_image
from viewer.core.methods import all_methods
from viewer.core.run.engine import run_methods
from viewer.core.settings import Settings

PUBLISHED = {2: (33.66, 0.9299), 3: (30.39, 0.8682), 4: (28.42, 0.8104)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "Set5"
    parser.add_argument("--set5", type=Path, default=default)
    parser.add_argument("--learned", action="store_true")
    args = parser.parse_args()
    images = [load_image(path) for path in sorted(args.set5.glob("*.png"))]
    if not images:
        sys.exit(f"no PNG images in {args.set5}")
    methods = [m.id for m in all_methods() if (args.learned or not m.learned) and not m.guided]
    methods.remove("max_unpool")  # its input is the pooled original: not an SR method
    print(f"Set5 ({len(images)} images), protocol sr: mean PSNR-Y dB / SSIM-Y\n")
    print("| method | x2 | x3 | x4 |")
    print("|---|---|---|---|")
    print(
        "| published bicubic | "
        + " | ".join(f"{p:.2f} / {s:.4f}" for p, s in PUBLISHED.values())
        + " |"
    )
    rows: dict[str, list[str]] = {m: [] for m in methods}
    for scale in PUBLISHED:
        settings = Settings(scale=scale, protocol="sr")
        results: dict[str, list[tuple[float, float]]] = {m: [] for m in methods}
        for image in images:
            inputs = prepare_inputs(image.pixels, scale, settings.degradation())
            for result in run_methods(inputs, methods, settings).results:
                if result.metrics is not None:
                    results[result.method].append((result.metrics.psnr_y, result.metrics.ssim_y))
        for method, values in results.items():
            psnr, ssim = np.mean(values, axis=0)
            rows[method].append(f"{psnr:.2f} / {ssim:.4f}")
    for method, cells in rows.items():
        print(f"| {method} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
