"""Learned upsamplers with default settings (issue 5's targets); prints measured figures.

    python benchmarks/learned.py [--steps N]

On the astronaut photo at r = 2: each learned method's PSNR, SSIM, artifact scores and
training time, beside bilinear. Then the training time of each on a 1-megapixel original.
Targets on 2 cores: conv_transpose_tuned at least matches bilinear in PSNR (it starts as
bilinear exactly) with a lower checkerboard than the article's conv_transpose; every learned
method trains in under 5 s for a 1 MP original.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import cv2

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from viewer.core.inputs.degrade import prepare_inputs
from viewer.core.inputs.samples import load_sample
from viewer.core.methods import all_methods
from viewer.core.run.engine import run_methods
from viewer.core.settings import Settings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=Settings().steps)
    args = parser.parse_args()
    settings = Settings(scale=2, steps=args.steps)
    learned = [m.id for m in all_methods() if m.learned and not m.guided]
    photo = load_sample().pixels
    report = run_methods(prepare_inputs(photo, 2), ["bilinear", *learned], settings)
    print(f"astronaut 512x512, r = 2, {args.steps} steps")
    print(
        f"{'method':<22} {'PSNR':>7} {'SSIM':>7} {'checker':>9} {'phase_cv':>9} "
        f"{'overshoot':>9} {'hf':>7} {'ms':>8}"
    )
    for r in report.results:
        m, a = r.metrics, r.artifacts
        print(
            f"{r.method:<22} {m.psnr:>7.2f} {m.ssim:>7.4f} {a.checkerboard:>9.2e} "
            f"{a.phase_cv:>9.2e} {a.overshoot:>9.2%} {a.hf_energy:>7.2%} {r.ms:>8.0f}"
        )
    rows = {r.method: r for r in report.results}
    tuned, bilinear, article = (
        rows[k] for k in ("conv_transpose_tuned", "bilinear", "conv_transpose")
    )
    print(
        f"conv_transpose_tuned vs bilinear: {tuned.metrics.psnr - bilinear.metrics.psnr:+.2f} dB; "
        f"checkerboard {tuned.artifacts.checkerboard:.2e} vs the article's "
        f"{article.artifacts.checkerboard:.2e}"
    )
    big = cv2.resize(photo, (1000, 1000), interpolation=cv2.INTER_CUBIC)
    report = run_methods(prepare_inputs(big, 2), learned, settings)
    times = ", ".join(f"{r.method} {r.ms / 1000:.2f} s" for r in report.results)
    print(f"1 MP original, time per learned method (training and inference; target < 5 s): {times}")


if __name__ == "__main__":
    main()
