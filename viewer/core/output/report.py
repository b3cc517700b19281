"""The metrics rows written to metrics.json and metrics.csv, and shown in tables."""

from __future__ import annotations

import csv
import io
import json
import math
from typing import Any

from viewer.core.run.results import MethodResult, RunReport
from viewer.core.run.training_set import describe_training

ARTIFACT_COLUMNS = ("checkerboard", "phase_cv", "overshoot", "overshoot_max", "hf_energy")
LABEL_COLUMNS = ("pixel_acc", "miou", "boundary_iou", "boundary_f")
COLUMNS = (
    "method",
    *LABEL_COLUMNS,
    "psnr",
    "ssim",
    "psnr_y",
    "ssim_y",
    "mae",
    "max_abs",
    "clipped",
    *ARTIFACT_COLUMNS,
    "ms",
    "params",
    "error",
)


def _finite(value: float | None) -> float | None:
    """JSON has no inf or nan: identical images (psnr inf) and undefined values become null."""
    return None if value is None or not math.isfinite(value) else round(value, 9)


def metrics_row(result: MethodResult) -> dict[str, Any]:
    m, a = result.metrics, result.artifacts
    return {
        "method": result.method,
        **{name: _finite(m and getattr(m, name)) for name in LABEL_COLUMNS},
        "psnr": _finite(m and m.psnr),
        "ssim": _finite(m and m.ssim),
        "psnr_y": _finite(m and m.psnr_y),
        "ssim_y": _finite(m and m.ssim_y),
        "mae": _finite(m and m.mae),
        "max_abs": _finite(m and m.max_abs),
        "clipped": _finite(m and m.clipped),
        **{name: _finite(a and getattr(a, name)) for name in ARTIFACT_COLUMNS},
        "ms": round(result.ms, 3),
        "params": result.params,
        "error": result.error,
    }


def metrics_document(report: RunReport, image_name: str, extra: dict | None = None) -> dict:
    inputs = report.inputs
    document = {
        "image": image_name,
        "kind": inputs.kind,
        "channels": inputs.original.shape[2],
        "scale": inputs.scale,
        "crop": {
            "original": list(inputs.crop.original),
            "kept": list(inputs.crop.kept),
            "changed": inputs.crop.changed,
        },
        "degradation": inputs.degradation,
        "settings": report.settings.as_dict(),
        "training": describe_training(report.settings, report.train_pairs),
        "methods": [metrics_row(r) | {"notes": list(r.notes)} for r in report.results],
    }
    if inputs.classes is not None:
        truth = inputs.classes.truth
        document["labels"] = {
            "file": truth.name,
            "mode": truth.mode,
            "classes": [int(c) for c in inputs.classes.classes],
            "ignore": 255,
        }
    return document | (extra or {})


def to_json(document: dict) -> bytes:
    return (json.dumps(document, indent=2, allow_nan=False) + "\n").encode()


def to_csv(document: dict) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(document["methods"])
    return buffer.getvalue().encode()
