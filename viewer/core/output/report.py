"""The metrics rows written to metrics.json and metrics.csv, and shown in tables."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from viewer.core.inputs.user_upsampler import is_user, source
from viewer.core.presentation.columns import METRICS, ROW_KEYS
from viewer.core.run.results import MethodResult, RunReport
from viewer.core.run.training_set import describe_training

COLUMNS = ROW_KEYS  # metrics.csv's columns, in order


def metrics_row(result: MethodResult) -> dict[str, Any]:
    """A method's row of metrics.json: its name, every metric column, its error."""
    numbers = {column.key: column.for_file(column.value(result)) for column in METRICS}
    row = {"method": result.method, **numbers, "error": result.error}
    return row | ({"source": source(result.method)} if is_user(result.method) else {})


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
            "ignore": truth.ignore,
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
