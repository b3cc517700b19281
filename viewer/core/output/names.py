"""Every name a run writes into its folder, derived here and only here.

A name is always one visible path component inside DIR: no separator, no control character
(a newline), never `.` or `..`, never hidden (so never the run's manifest), at most 255
bytes. Names in one folder are unique even on a case-insensitive file system: a clash is
renamed deterministically (`_2`, `_3`, ... in sorted input order), never overwritten.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

# Names the run's own bookkeeping uses in DIR (the manifest, a folder run's summary).
MANIFEST = ".upsample-viewer-run"
SUMMARY_JSON = "summary.json"
SUMMARY_CSV = "summary.csv"
METRICS_JSON = "metrics.json"
METRICS_CSV = "metrics.csv"
ORIGINAL = "original.png"
LOWRES = "lowres.png"
LABELS = "labels.png"
SHEET = "sheet.png"
COLOUR_BAR = "colour_bar.png"  # a heat view's exported region: what its colours mean

# A component's bytes; room is left for a suffix (`_12`, `.png`, `errors_`) within 255.
MAX_COMPONENT_BYTES = 200
_UNSAFE = re.compile(r"[/\\\x00-\x1f\x7f]")


def shortened(text: str, limit: int = MAX_COMPONENT_BYTES) -> str:
    """`text` cut to at most `limit` bytes as the file system stores it (whole characters)."""
    while len(os.fsencode(text)) > limit:
        text = text[:-1]
    return text


def safe_component(text: str) -> str:
    """`text` as one visible file name: separators and control characters become `_`, and
    so does a leading dot (`..` is `_.`, `.upsample-viewer-run` is `_upsample-viewer-run`)."""
    cleaned = _UNSAFE.sub("_", text)
    if cleaned.startswith("."):
        cleaned = "_" + cleaned[1:]
    return shortened(cleaned) or "_"


def _key(name: str) -> str:
    """What a case-insensitive, normalising file system (macOS) compares."""
    return unicodedata.normalize("NFC", name).casefold()


def unique_names(candidates: Iterable[str], taken: Iterable[str] = ()) -> list[str]:
    """Each candidate made safe and unique (ignoring case and Unicode normal form) among the
    others and `taken`: a later clash gets `_2`, `_3`, ..."""
    used = {_key(name) for name in taken}
    names = []
    for candidate in candidates:
        base = safe_component(candidate)
        name, count = base, 1
        while _key(name) in used:
            count += 1
            name = f"{shortened(base, MAX_COMPONENT_BYTES - 8)}_{count}"
        used.add(_key(name))
        names.append(name)
    return names


def image_folder_names(files: list[Path]) -> list[str]:
    """A folder run's sub-folder for each file: its stem, or stem_suffix where two files
    share a stem (a.png, a.jpg); made safe and unique, apart from the summary's files."""
    stems = [file.stem for file in files]
    candidates = [
        f"{file.stem}_{file.suffix[1:]}" if stems.count(file.stem) > 1 else file.stem
        for file in files
    ]
    return unique_names(candidates, taken=(MANIFEST, SUMMARY_JSON, SUMMARY_CSV))


def folder_run_names(folders: Iterable[str]) -> set[str]:
    """Every name a folder run writes at DIR's top level."""
    return {*folders, SUMMARY_JSON, SUMMARY_CSV}


def result_file(method: str) -> str:
    return f"{safe_component(method)}.png"


def overlay_file(method: str) -> str:
    return f"overlay_{safe_component(method)}.png"


def errors_file(method: str) -> str:
    return f"errors_{safe_component(method)}.png"


def diff_file(method: str) -> str:
    return f"diff_{safe_component(method)}.png"


def spectrum_file(key: str) -> str:
    """The spectrum of a method's result, or of the original (`key` "original")."""
    return f"spectrum_{safe_component(key)}.png"


def run_names(methods: Iterable[str], label_run: bool) -> set[str]:
    """Every name one image's run may write (a failed method's files are not written)."""
    methods = list(methods)
    names = {ORIGINAL, LOWRES, SHEET, METRICS_JSON, METRICS_CSV}
    names |= {result_file(method) for method in methods}
    if label_run:
        names.add(LABELS)
        names |= {overlay_file(m) for m in methods} | {errors_file(m) for m in methods}
    else:
        names.add(spectrum_file("original"))
        names |= {diff_file(m) for m in methods} | {spectrum_file(m) for m in methods}
    return names
