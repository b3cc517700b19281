"""Shards' run folders (`--shard K/N`) put together as the one run they split.

Each shard's summary.json says which shard of which run it is and the folder index of each
image and skipped file (`summary.shard_record`). The merged summary is made from the
per-image rows, in the whole folder's order, exactly as the unsharded run makes it (means
and standard deviations over the images, not averages of the shards' averages).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from viewer.core.errors import InputError
from viewer.core.output.names import METRICS_JSON, SUMMARY_JSON
from viewer.core.output.summary import summarize


@dataclass(frozen=True)
class ShardFolder:
    """One shard's finished run folder and its summary."""

    folder: Path
    summary: dict

    @property
    def record(self) -> dict:
        return self.summary["shard"]

    @property
    def label(self) -> str:
        return f"{self.record['k']}/{self.record['n']}"


def read_shard(folder: Path) -> ShardFolder:
    """The shard run in `folder`; InputError when it is not a finished shard's folder."""
    what = f"--merge {folder}"
    try:
        summary = json.loads((folder / SUMMARY_JSON).read_bytes())
    except OSError as error:
        why = f"no {SUMMARY_JSON} there ({error.strerror or error}): not a finished run"
        raise InputError(what, why) from error
    except ValueError as error:
        raise InputError(what, f"its {SUMMARY_JSON} is not readable") from error
    record = summary.get("shard") if isinstance(summary, dict) else None
    if not isinstance(record, dict) or not {"k", "n", "run", "images", "failed"} <= set(record):
        raise InputError(what, "not a shard's run (it was made without --shard K/N)")
    return ShardFolder(folder, summary)


def check_shards(shards: list[ShardFolder]) -> None:
    """InputError unless the shards are of one run (the same settings, methods and folder)
    and hold each shard 1..N exactly once."""
    first = shards[0]
    n = first.record["n"]
    seen: dict[int, Path] = {}
    for shard in shards:
        if shard.record["run"] != first.record["run"] or shard.record["n"] != n:
            raise InputError(
                f"--merge {shard.folder}",
                f"shard {shard.label} is of another run than {first.folder} (other settings, "
                "methods, files or number of shards)",
            )
        k = shard.record["k"]
        if k in seen:
            raise InputError(
                f"--merge {shard.folder}", f"shard {shard.label} is given twice (also {seen[k]})"
            )
        seen[k] = shard.folder
    missing = [str(k) for k in range(1, n + 1) if k not in seen]
    if missing:
        raise InputError("--merge", f"shard {', '.join(missing)} of {n} is missing")


def merge_shards(shards: list[ShardFolder]) -> tuple[dict, dict[str, Path]]:
    """The merged summary, and each image folder's name with the shard folder holding it."""
    check_shards(shards)
    documents, failed, sources = [], [], {}
    for shard in shards:
        for name, index in shard.record["images"].items():
            source = shard.folder / name
            try:
                documents.append((index, json.loads((source / METRICS_JSON).read_bytes())))
            except (OSError, ValueError) as error:
                why = f"{name}/{METRICS_JSON} cannot be read: the shard's folder was changed"
                raise InputError(f"--merge {shard.folder}", why) from error
            sources[name] = source
        failed += zip(shard.record["failed"], shard.summary["failed"], strict=True)
    summary = summarize(
        [document for _, document in sorted(documents, key=lambda pair: pair[0])],
        [entry for _, entry in sorted(failed, key=lambda pair: pair[0])],
    )
    summary["training"] = shards[0].summary["training"]
    return summary, sources
