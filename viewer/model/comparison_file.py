"""Comparison files (*.upsample.json): the window model written down and read back, so the
same comparison opens again. Plain JSON, documented in the README:

    {"format": "upsample-viewer-comparison", "version": 1,
     "input": "/abs/photo.png" | "sample:astronaut" | "chart:star:512",
     "added": [{"name": "My net", "path": "/abs/mine.png"}],
     "upsamplers": [{"path": "/abs/my_up.py", "sha256": "..."}],  (run only if the user agrees)
     "labels": "/abs/photo_labels.png" | null, "guide": "/abs/guide.png" | null,
     "settings": {<every run option of the settings schema>},
     "methods": ["nearest", ...],
     "view": {"mode": "abs", "channel": "luma", "scale_policy": "shared", "fixed_scale": 64,
              "centre": [x, y], "zoom": 2.0, "columns": null, "hidden": [], "maximised": null},
     "compare": {"active": false, "a": "original", "b": "bicubic", "mode": "swipe"}}

"view" is the model's display, camera and layout side by side; "compare" its Compare.
Paths are stored absolute. Every value is checked when read: a bad file is refused with the
usual one-line reason.
"""

from __future__ import annotations

import json
from copy import deepcopy
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from viewer.core.errors import InputError
from viewer.core.inputs.added_result import check_unique_names
from viewer.core.inputs.reading import read_capped
from viewer.core.settings import RUN_OPTIONS, Settings
from viewer.core.views.derived import CHANNELS, MODES, SCALE_POLICIES
from viewer.model.held import held
from viewer.model.panes import Layout
from viewer.model.tools import Compare
from viewer.model.view import Camera, Display
from viewer.model.window import WindowModel

FORMAT = "upsample-viewer-comparison"
VERSION = 1
SUFFIX = ".upsample.json"
MAX_BYTES = 1_000_000
VIEW_PARTS = (Display, Camera, Layout)  # a file's "view", in this order


@dataclass
class Comparison:
    input: str
    settings: Settings
    methods: list[str]
    added: list[dict[str, str]] = field(default_factory=list)
    display: Display = field(default_factory=Display)
    camera: Camera = field(default_factory=Camera)
    layout: Layout = field(default_factory=Layout)
    compare: Compare = field(default_factory=Compare)
    labels: str | None = None  # the input's label map (label mode)
    guide: str | None = None  # a feature map's guide image
    upsamplers: list[dict[str, str]] = field(default_factory=list)  # your files: path, sha256


def written(
    model: WindowModel, settings: Settings, methods: list[str], added: list[dict[str, str]]
) -> Comparison:
    """The model's session and view as a comparison (copies: the model goes on changing)."""
    session = model.session
    layout = deepcopy(model.layout)
    layout.hidden = tuple(sorted(layout.hidden))
    return Comparison(
        session.input or "sample:astronaut",
        settings,
        methods,
        added,
        deepcopy(model.display),
        deepcopy(model.camera),
        layout,
        deepcopy(model.compare),
        labels=session.labels,
        guide=session.guide,
    )


def restore_view(model: WindowModel, comparison: Comparison) -> None:
    """Set the model's view as the comparison has it; the widgets follow the model. Each
    part announces its changes once it is whole (a camera's centre never meets the old
    zoom); the camera comes before Compare, which takes the grid's place when it opens."""
    for part, saved in (
        (model.display, comparison.display),
        (model.layout, comparison.layout),
        (model.camera, comparison.camera),
        (model.compare, comparison.compare),
    ):
        with held(part):
            for name in _names(type(saved)):
                setattr(part, name, getattr(saved, name))


def is_comparison_file(path: str | Path) -> bool:
    return str(path).lower().endswith(SUFFIX)


def to_json(comparison: Comparison) -> bytes:
    view: dict[str, Any] = {}
    for part in (comparison.display, comparison.camera, comparison.layout):
        view.update(asdict(part))
    view["hidden"] = list(comparison.layout.hidden)
    document = {
        "format": FORMAT,
        "version": VERSION,
        "input": comparison.input,
        "added": comparison.added,
        "upsamplers": comparison.upsamplers,
        "labels": comparison.labels,
        "guide": comparison.guide,
        "settings": comparison.settings.as_dict(),
        "methods": comparison.methods,
        "view": view,
        "compare": asdict(comparison.compare),
    }
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
    version = document.get("version")
    if type(version) is not int or version != VERSION:
        hint = " (a number, not text)" if isinstance(version, str) else ""
        shown = json.dumps(version)
        raise InputError(name, f"comparison file version {shown} is not {VERSION}{hint}")
    try:
        return _comparison(document)
    except InputError as error:
        raise InputError(name, f"{error.what}: {error.why}") from error
    except (KeyError, TypeError, ValueError) as error:
        raise InputError(name, f"a value is missing or of the wrong type ({error})") from error


def _names(kind: type) -> list[str]:
    return [f.name for f in fields(kind)]


def _view(saved: dict[str, Any]) -> tuple[Display, Camera, Layout]:
    """The three parts of a file's "view"; a key none of them has is a TypeError."""
    unknown = set(saved) - {name for kind in VIEW_PARTS for name in _names(kind)}
    if unknown:
        raise TypeError(f"unexpected view keys {sorted(unknown)}")
    display, camera, layout = (
        kind(**{k: v for k, v in saved.items() if k in _names(kind)}) for kind in VIEW_PARTS
    )
    return display, camera, layout


def _comparison(document: dict[str, Any]) -> Comparison:
    settings = Settings(
        **{o.name: o.check(document["settings"].get(o.name, o.default)) for o in RUN_OPTIONS}
    )
    methods = [str(m) for m in document["methods"]]
    added = [{"name": str(a["name"]), "path": str(a["path"])} for a in document.get("added", [])]
    check_unique_names([a["name"] for a in added], "added")
    upsamplers = [
        {"path": str(u["path"]), "sha256": str(u["sha256"])} for u in document.get("upsamplers", [])
    ]
    companions = {key: document.get(key) for key in ("labels", "guide")}
    for key, value in companions.items():
        _check(value is None or isinstance(value, str), key, value)
    display, camera, layout = _view(document.get("view", {}))
    _check(display.mode in MODES, "view.mode", display.mode)
    _check(display.channel in CHANNELS, "view.channel", display.channel)
    _check(display.scale_policy in SCALE_POLICIES, "view.scale_policy", display.scale_policy)
    _check(layout.columns in (None, 1, 2, 3, 4, 5, 6), "view.columns", layout.columns)
    _check(
        isinstance(display.fixed_scale, int | float) and display.fixed_scale > 0,
        "view.fixed_scale",
        display.fixed_scale,
    )
    _check(isinstance(layout.hidden, list | tuple), "view.hidden", layout.hidden)
    layout.hidden = tuple(str(key) for key in layout.hidden)
    if camera.zoom is not None:
        zoom = camera.zoom
        _check(isinstance(zoom, int | float) and 0 < zoom <= 1000, "view.zoom", zoom)
        _check(camera.centre is not None and len(camera.centre) == 2, "view.centre", camera.centre)
    if camera.centre is not None:
        camera.centre = (float(camera.centre[0]), float(camera.centre[1]))
    compare = Compare(**document.get("compare", {}))
    _check(compare.mode in ("swipe", "flicker"), "compare.mode", compare.mode)
    return Comparison(
        str(document["input"]),
        settings,
        methods,
        added,
        display,
        camera,
        layout,
        compare,
        **companions,
        upsamplers=upsamplers,
    )


def _check(ok: bool, what: str, value: Any) -> None:
    if not ok:
        raise InputError(what, f"{value!r} is not allowed")
