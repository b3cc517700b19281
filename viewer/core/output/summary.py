"""A folder run's summary: every metric of the single-image rows, averaged per method."""

from __future__ import annotations

import csv
import io
import math

import numpy as np

from viewer.core.presentation.columns import BY_KEY
from viewer.core.run.shards import Shard

# Every numeric column of a metrics row; a mean and a standard deviation of each.
NUMBERS = tuple(BY_KEY)


def summarize(documents: list[dict], failed: list[dict]) -> dict:
    """summary.json: shaped like metrics.json, one entry per method with `n` (the images it
    was measured on) and `<metric>` / `<metric>_std` over them. Undefined values (a null
    PSNR: identical to the original) are left out of that metric's mean."""
    first = documents[0]
    order = list(dict.fromkeys(row["method"] for doc in documents for row in doc["methods"]))
    methods = []
    for method in order:
        rows = [
            row
            for doc in documents
            for row in doc["methods"]
            if row["method"] == method and row["error"] is None
        ]
        entry: dict = {"method": method, "n": len(rows)}
        entry |= next(({"source": row["source"]} for row in rows if "source" in row), {})
        for column in NUMBERS:
            values = [row[column] for row in rows if row[column] is not None]
            entry[column] = _round(np.mean(values)) if values else None
            entry[f"{column}_std"] = _round(np.std(values)) if values else None
        methods.append(entry)
    return {
        "images": len(documents),
        "scale": first["scale"],
        "protocol": first["settings"]["protocol"],
        "degradation": first["degradation"],
        "settings": first["settings"],
        "training": first["training"],
        "failed": failed,
        "methods": methods,
    }


def _round(value: float) -> float | None:
    return None if not math.isfinite(value) else round(float(value), 9)


def summary_csv(summary: dict) -> bytes:
    columns = ["method", "n", *(name for column in NUMBERS for name in (column, f"{column}_std"))]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(summary["methods"])
    return buffer.getvalue().encode()


def shard_record(
    shard: Shard, key: dict, names: list[str], documents: dict[int, dict], failed: dict
) -> dict:
    """What a shard's summary.json adds for `--merge`: which shard of which run it is, and
    the folder index of each image it holds and of each file it skipped (in the order of
    its `failed`), so that the merge orders every row as the whole run would."""
    return {
        "k": shard.k,
        "n": shard.n,
        "run": key,
        "images": {names[index]: index for index in sorted(documents)},
        "failed": sorted(failed),
    }
