"""Comparison files (*.upsample.json): what is compared and how it is viewed, so the same
comparison opens again. Plain JSON, documented in the README:

    {"format": "upsample-viewer-comparison", "version": 1,
     "input": "/abs/photo.png" | "sample:astronaut" | "chart:star:512",
     "added": [{"name": "My net", "path": "/abs/mine.png"}],
     "labels": "/abs/photo_labels.png" | null, "guide": "/abs/guide.png" | null,
     "settings": {<every run option of the settings schema>},
     "methods": ["nearest", ...],
     "view": {"mode": "abs", "channel": "luma", "scale_policy": "shared", "fixed_scale": 64,
              "centre": [x, y], "zoom": 2.0, "columns": null, "hidden": [], "maximised": null},
     "compare": {"active": false, "a": "original", "b": "bicubic", "mode": "swipe"}}

Paths are stored absolute. Every value is checked when read: a bad file is refused with the
usual one-line reason.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from viewer.core.errors import InputError
from viewer.core.inputs.reading import read_capped
from viewer.core.settings import RUN_OPTIONS, Settings
from viewer.core.views.derived import CHANNELS, MODES, SCALE_POLICIES
from viewer.core.window_state import CompareState, ViewState

FORMAT = "upsample-viewer-comparison"
VERSION = 1
SUFFIX = ".upsample.json"
MAX_BYTES = 1_000_000


@dataclass
class Comparison:
    input: str
    settings: Settings
    methods: list[str]
    added: list[dict[str, str]] = field(default_factory=list)
    view: ViewState = field(default_factory=ViewState)
    compare: CompareState = field(default_factory=CompareState)
    labels: str | None = None  # the input's label map (label mode)
    guide: str | None = None  # a feature map's guide image


def is_comparison_file(path: str | Path) -> bool:
    return str(path).lower().endswith(SUFFIX)


def to_json(comparison: Comparison) -> bytes:
    document = {"format": FORMAT, "version": VERSION, **asdict(comparison)}
    document["settings"] = comparison.settings.as_dict()
    return (json.dumps(document, indent=2) + "\n").encode()


def read_comparison(path: str | Path) -> Comparison:
    """The comparison in `path`, every value checked; InputError names the file and why."""
    name = str(path)
    data = read_capped(path, MAX_BYTES, "a comparison file")
    try:
        document = json.loads(data)
    except (ValueError, UnicodeDecodeError) as error:
        raise InputError(name, f"not a comparison file (not JSON: {error})") from error
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise InputError(name, f'not a comparison file (no "format": "{FORMAT}")')
    if document.get("version") != VERSION:
        raise InputError(
            name, f"comparison file version {document.get('version')} is not {VERSION}"
        )
    try:
        return _comparison(document)
    except InputError as error:
        raise InputError(name, f"{error.what}: {error.why}") from error
    except (KeyError, TypeError, ValueError) as error:
        raise InputError(name, f"a value is missing or of the wrong type ({error})") from error


def _comparison(document: dict[str, Any]) -> Comparison:
    settings = Settings(
        **{o.name: o.check(document["settings"].get(o.name, o.default)) for o in RUN_OPTIONS}
    )
    methods = [str(m) for m in document["methods"]]
    added = [{"name": str(a["name"]), "path": str(a["path"])} for a in document.get("added", [])]
    companions = {key: document.get(key) for key in ("labels", "guide")}
    for key, value in companions.items():
        _check(value is None or isinstance(value, str), key, value)
    view = ViewState(**document.get("view", {}))
    _check(view.mode in MODES, "view.mode", view.mode)
    _check(view.channel in CHANNELS, "view.channel", view.channel)
    _check(view.scale_policy in SCALE_POLICIES, "view.scale_policy", view.scale_policy)
    _check(view.columns in (None, 1, 2, 3, 4, 5, 6), "view.columns", view.columns)
    _check(
        isinstance(view.fixed_scale, int | float) and view.fixed_scale > 0,
        "view.fixed_scale",
        view.fixed_scale,
    )
    if view.zoom is not None:
        _check(isinstance(view.zoom, int | float) and 0 < view.zoom <= 1000, "view.zoom", view.zoom)
        _check(view.centre is not None and len(view.centre) == 2, "view.centre", view.centre)
        view.centre = (float(view.centre[0]), float(view.centre[1]))
    compare = CompareState(**document.get("compare", {}))
    _check(compare.mode in ("swipe", "flicker"), "compare.mode", compare.mode)
    return Comparison(str(document["input"]), settings, methods, added, view, compare, **companions)


def _check(ok: bool, what: str, value: Any) -> None:
    if not ok:
        raise InputError(what, f"{value!r} is not allowed")
