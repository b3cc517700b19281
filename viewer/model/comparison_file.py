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
import math
from copy import deepcopy
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from viewer.core.errors import InputError
from viewer.core.inputs.added_result import check_unique_names
from viewer.core.inputs.charts import chart_names
from viewer.core.inputs.image_io import check_pixel_limit
from viewer.core.inputs.reading import read_capped
from viewer.core.methods import method_ids
from viewer.core.run.rules import choose_methods
from viewer.core.settings import DEFAULT_MAX_PIXELS, RUN_OPTIONS, Settings, option
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
# The view a file may ask for: 0.1 % to 100 000 %, a centre within a million pixels.
ZOOM_RANGE = (1e-3, 1000.0)
MAX_COORDINATE = 1e6
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
    """The model's session and view as a comparison (copies: the model goes on changing).
    Methods that cannot run on the input (guided ones without a guide) are left out, as the
    run left them out: the file names only what it can run again."""
    session = model.session
    methods = list(choose_methods(methods, bool(session.labels or session.guide)).run)
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


def read_comparison(path: str | Path, max_pixels: int = DEFAULT_MAX_PIXELS) -> Comparison:
    """The comparison in `path`, every value checked as the command line checks it (a chart
    input also against `max_pixels`); InputError names the file and why."""
    name = str(path)
    data = read_capped(path, MAX_BYTES, "a comparison file")
    try:
        document = json.loads(data, parse_constant=_no_constant)
    except RecursionError as error:
        raise InputError(name, "not a comparison file (JSON nested too deeply)") from error
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
        return _comparison(document, max_pixels)
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


def _no_constant(constant: str) -> None:
    raise ValueError(f"{constant} is not a number JSON allows")


def _comparison(document: dict[str, Any], max_pixels: int) -> Comparison:
    saved = document["settings"]
    _check(isinstance(saved, dict), "settings", saved)
    settings = Settings(**{o.name: o.check(saved.get(o.name, o.default)) for o in RUN_OPTIONS})
    source = document["input"]
    _check(isinstance(source, str) and source != "", "input", source)
    _check_input(source, max_pixels)
    companions = {key: document.get(key) for key in ("labels", "guide")}
    for key, value in companions.items():
        _check(value is None or isinstance(value, str), key, value)
    methods = _methods(document["methods"], bool(companions["labels"] or companions["guide"]))
    added = [_strings(a, ("name", "path"), "added") for a in _list(document, "added")]
    check_unique_names([a["name"] for a in added], "added")
    upsamplers = [
        _strings(u, ("path", "sha256"), "upsamplers") for u in _list(document, "upsamplers")
    ]
    saved_view = document.get("view", {})
    _check(isinstance(saved_view, dict), "view", saved_view)
    display, camera, layout = _view(saved_view)
    _check(display.mode in MODES, "view.mode", display.mode)
    _check(display.channel in CHANNELS, "view.channel", display.channel)
    _check(display.scale_policy in SCALE_POLICIES, "view.scale_policy", display.scale_policy)
    _check(layout.columns in (None, 1, 2, 3, 4, 5, 6), "view.columns", layout.columns)
    _check(
        _number(display.fixed_scale) and 0 < display.fixed_scale <= 255,
        "view.fixed_scale",
        display.fixed_scale,
    )
    hidden = layout.hidden
    _check(
        isinstance(hidden, list | tuple) and all(isinstance(k, str) for k in hidden),
        "view.hidden",
        hidden,
    )
    layout.hidden = tuple(hidden)
    _check(
        layout.maximised is None or isinstance(layout.maximised, str),
        "view.maximised",
        layout.maximised,
    )
    _check_camera(camera)
    saved_compare = document.get("compare", {})
    _check(isinstance(saved_compare, dict), "compare", saved_compare)
    compare = Compare(**saved_compare)
    _check(compare.mode in ("swipe", "flicker"), "compare.mode", compare.mode)
    _check(isinstance(compare.active, bool), "compare.active", compare.active)
    for side in ("a", "b"):
        value = getattr(compare, side)
        _check(value is None or isinstance(value, str), f"compare.{side}", value)
    return Comparison(
        source,
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


def _check_input(source: str, max_pixels: int) -> None:
    """A chart is "chart:NAME:SIZE" with a known name and a size the command line takes,
    under the pixel limit; another comparison file is no input (it could name this one)."""
    if is_comparison_file(source):
        raise InputError("input", f"{source}: a comparison file is not an image to compare")
    if not source.startswith("chart:"):
        return
    parts = source.split(":")
    if len(parts) != 3 or parts[1] not in chart_names():
        raise InputError(
            "input", f"{source!r} is not chart:NAME:SIZE (NAME one of {', '.join(chart_names())})"
        )
    try:
        size = option("chart_size").parse(parts[2])
    except InputError as error:
        raise InputError("input", f"{source!r}: its size {error.why}") from error
    check_pixel_limit(source, size, size, max_pixels)


def _methods(value: Any, has_guide: bool) -> list[str]:
    """Known method ids that can run on the input, as --methods takes them."""
    _check(isinstance(value, list) and all(isinstance(m, str) for m in value), "methods", value)
    unknown = [m for m in value if m not in method_ids()]
    if unknown:
        raise InputError(
            "methods", f"unknown method {', '.join(unknown)}; known: {', '.join(method_ids())}"
        )
    choice = choose_methods(list(dict.fromkeys(value)), has_guide)
    if choice.left_out:
        reasons = (f"{m}: {why}" for m, why in choice.left_out.items())
        raise InputError("methods", "; ".join(reasons))
    return list(choice.run)


def _list(document: dict[str, Any], key: str) -> list:
    value = document.get(key, [])
    _check(isinstance(value, list), key, value)
    return value


def _strings(entry: Any, keys: tuple[str, ...], what: str) -> dict[str, str]:
    """An entry of `what` (an object whose `keys` are text)."""
    _check(
        isinstance(entry, dict) and all(isinstance(entry.get(k), str) for k in keys), what, entry
    )
    return {key: entry[key] for key in keys}


def _number(value: Any) -> bool:
    """A finite JSON number (true and false are not)."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _check_camera(camera: Camera) -> None:
    """A zoom from 0.1 % to 100 000 % with a centre within MAX_COORDINATE pixels."""
    zoom, centre = camera.zoom, camera.centre
    if zoom is not None:
        _check(_number(zoom) and ZOOM_RANGE[0] <= zoom <= ZOOM_RANGE[1], "view.zoom", zoom)
        _check(centre is not None, "view.centre", centre)
    if centre is not None:
        _check(
            isinstance(centre, list)
            and len(centre) == 2
            and all(_number(c) and abs(c) <= MAX_COORDINATE for c in centre),
            "view.centre",
            centre,
        )
        camera.centre = (float(centre[0]), float(centre[1]))


def _check(ok: bool, what: str, value: Any) -> None:
    if not ok:
        raise InputError(what, f"{value!r} is not allowed")
