"""Label maps as a segmentation decoder upsamples them: every method on the BSDS sample.

    python benchmarks/labels_table.py [--bsds ../shared/datasets/BSDS500-sample]
        [--scales 4,8,16] [--steps 100] [--methods ...]

For each scale and label input (soft, hard): the eight photos' label maps at 1/r, upsampled
by each method (the guided ones read the photo), scored against the full-resolution labels.
Prints mean mIoU and Boundary IoU per method as a Markdown table (docs/label-maps.md's), each
scale's column to stderr as soon as it is done. Learned methods fit each image's own labels
(the article's recipe): an optimistic figure for them. The default list leaves out the
learned methods whose training costs minutes an image at x8 and x16 on two cores (carafe,
espcn, conv_transpose): add them with --methods.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from viewer.core.inputs.degrade import prepare_label_inputs
from viewer.core.inputs.image_io import load_image
from viewer.core.inputs.label_maps import load_label_map
from viewer.core.run.engine import run_methods
from viewer.core.settings import Settings

DEFAULT_METHODS = (
    "nearest,bilinear,bicubic,bilinear_ac,lanczos,bicubic_matlab,pixel_shuffle,grid_sample,"
    "resize_conv,dysample,jbu,jbu_learned,sapa"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "BSDS500-sample"
    parser.add_argument("--bsds", type=Path, default=default)
    parser.add_argument("--scales", default="4,8,16")
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--methods", default=DEFAULT_METHODS)
    args = parser.parse_args()
    pairs = [
        (load_image(photo).pixels, load_label_map(photo.with_suffix(".png")))
        for photo in sorted(args.bsds.glob("*.jpg"))
    ]
    if not pairs:
        sys.exit(f"no photos with label maps in {args.bsds}")
    methods = args.methods.split(",")
    configs = [(int(r), kind) for r in args.scales.split(",") for kind in ("soft", "hard")]
    table: dict[str, list[str]] = {m: [] for m in methods}
    started = time.perf_counter()
    for scale, kind in configs:
        settings = Settings(scale=scale, steps=args.steps, label_degrade=kind)
        scores: dict[str, list[tuple[float, float]]] = {m: [] for m in methods}
        for photo, labels in pairs:
            inputs = prepare_label_inputs(labels, photo, scale, kind)
            for result in run_methods(inputs, methods, settings, keep_outputs=False).results:
                if result.error:
                    sys.exit(f"{result.method} failed: {result.error}")
                scores[result.method].append((result.metrics.miou, result.metrics.boundary_iou))
        print(f"x{scale} {kind} ({time.perf_counter() - started:.0f} s):", file=sys.stderr)
        for method, values in scores.items():
            miou, biou = np.mean(values, axis=0)
            table[method].append(f"{miou:.3f} / {biou:.3f}")
            print(f"  {method}: {table[method][-1]}", file=sys.stderr, flush=True)
    print(f"BSDS500 sample ({len(pairs)} photos): mean mIoU / Boundary IoU, {args.steps} steps\n")
    print("| method | " + " | ".join(f"x{r} {kind}" for r, kind in configs) + " |")
    print("|---|" + "---|" * len(configs))
    for method, cells in table.items():
        print(f"| {method} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
