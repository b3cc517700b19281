"""Learned upsamplers judged on label maps they never saw: every method on CamVid's val frames.

    python benchmarks/camvid_table.py [--camvid ../shared/datasets/CamVid-sample]
        [--scales 4,8] [--steps 100] [--methods ...] [--images N] [--fit-images K]

For each scale and label input (soft, hard), through the folder run's own session: the val
frames' label maps at 1/r, upsampled by every method (the guided ones read the photo) and
scored against the full-resolution labels with CamVid's ignore label, 11. Learned methods
train once on train/ + trainannot/ (`--train-on --train-labels`) and are judged on val/
unchanged; beside that held-out figure, the same methods fit each of the first
`--fit-images` val maps itself (the article's recipe, optimistic; 100 trainings per frame
and configuration is what bounds the run on two cores). Prints mean mIoU / Boundary IoU /
boundary F per method as Markdown tables (docs/label-maps.md's), each configuration to
stderr as soon as it is done.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from viewer.core.methods import get_method, method_ids
from viewer.core.run.folder_session import FolderSession
from viewer.core.run.rules import RunRequest
from viewer.core.settings import Settings

CAMVID_IGNORE = 11
METRICS = ("miou", "boundary_iou", "boundary_f")
HELD_OUT, FIT = "held out", "fit on the test map"


def folder_scores(
    images: Path, labels: Path, settings: Settings, methods: tuple[str, ...], count: int
) -> dict[str, np.ndarray]:
    """Each method's (mIoU, Boundary IoU, boundary F) on each of the folder's first `count`
    images (an image x 3 array), run as a folder run runs them."""
    session = FolderSession(images, labels, RunRequest(settings, methods, named=True))
    session.files = session.files[:count]
    scores: dict[str, list] = {method: [] for method in session.methods}
    for _, done in session.images():
        if done.report is None:
            sys.exit(f"{done.file}: {done.reason}")
        for result in done.report.results:
            if result.error:
                sys.exit(f"{result.method} failed on {done.file}: {result.error}")
            scores[result.method].append([getattr(result.metrics, m) for m in METRICS])
        print(f"    {done.file.name} done", file=sys.stderr, flush=True)
    return {method: np.array(values) for method, values in scores.items()}


def configuration(args, scale: int, kind: str, learned: tuple[str, ...]) -> dict:
    """{(method, how): per-image scores} for one scale and label input: every method on
    every val frame (learned ones held out), and the learned ones fitted to each of the
    first `--fit-images` frames."""
    camvid = args.camvid
    base = Settings(scale=scale, steps=args.steps, label_degrade=kind, ignore_index=CAMVID_IGNORE)
    held_out = replace(
        base, train_on=str(camvid / "train"), train_labels=str(camvid / "trainannot")
    )
    val, annot = camvid / "val", camvid / "valannot"
    rows = {}
    for method, scores in folder_scores(val, annot, held_out, args.methods, args.images).items():
        rows[method, HELD_OUT if method in learned else ""] = scores
    if learned and args.fit_images:
        fitted = folder_scores(val, annot, base, learned, args.fit_images)
        for method, scores in fitted.items():
            rows[method, FIT] = scores
    return rows


def cell(scores: np.ndarray) -> str:
    return " / ".join(f"{value:.3f}" for value in scores.mean(axis=0))


def print_table(title: str, configs: list, table: dict, keys: list) -> None:
    print(f"{title}\n")
    print("| method | " + " | ".join(f"x{r} {kind}" for r, kind in configs) + " |")
    print("|---|" + "---|" * len(configs))
    for key in keys:
        method, how = key
        name = f"{method} ({how})" if how else method
        print(f"| {name} | " + " | ".join(table[key]) + " |")
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "CamVid-sample"
    parser.add_argument("--camvid", type=Path, default=default)
    parser.add_argument("--scales", default="4,8")
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--methods", default=",".join(method_ids()))
    parser.add_argument("--images", type=int, default=1000, help="the first N val frames")
    parser.add_argument(
        "--fit-images", type=int, default=2, help="val frames the per-image fits run on"
    )
    args = parser.parse_args()
    args.methods = tuple(args.methods.split(","))
    learned = tuple(m for m in args.methods if get_method(m).learned)
    configs = [(int(r), kind) for r in args.scales.split(",") for kind in ("soft", "hard")]
    table: dict[tuple[str, str], list[str]] = {}
    paired: dict[tuple[str, str], list[str]] = {}
    started = time.perf_counter()
    for scale, kind in configs:
        rows = configuration(args, scale, kind, learned)
        print(f"x{scale} {kind} ({time.perf_counter() - started:.0f} s):", file=sys.stderr)
        for (method, how), scores in rows.items():
            if how != FIT:
                table.setdefault((method, how), []).append(cell(scores))
            if how:  # held out and fitted on the same first frames
                paired.setdefault((method, how), []).append(cell(scores[: args.fit_images]))
            first = f" (first {args.fit_images}: {cell(scores[: args.fit_images])})" if how else ""
            print(f"  {method} {how}: {cell(scores)}{first}", file=sys.stderr, flush=True)
    count = len(next(iter(rows.values())))
    print_table(
        f"CamVid sample, {count} val frames (ignore 11): mean mIoU / Boundary IoU / boundary F; "
        f"learned methods trained once on the 25 train frames, {args.steps} steps",
        configs,
        table,
        list(table),
    )
    if args.fit_images:
        print_table(
            f"Learned methods on the first {args.fit_images} val frames: held out against "
            "fitted to each frame's own labels",
            configs,
            paired,
            sorted(paired, key=lambda key: (key[0], key[1] == FIT)),
        )


if __name__ == "__main__":
    main()
