"""A pixel's value as text, in the units of what its pane shows: a heatmap's value, a class
id, a feature map's own values, or RGB.

Two layouts of the same text: a `line` for the inspector, the status bar and the tag beside
the cursor, and a `cell` of short lines drawn inside a pixel zoomed large enough to hold it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from viewer.core.inputs.label_maps import IGNORE

MAX_CHANNELS_SHOWN = 3  # a feature map's first channels on one line, then a count


@dataclass(frozen=True)
class PixelLayers:
    """What a pane shows, each array in the pane's own pixels (row, column), the first one
    present winning: the heatmap's values (when a heatmap is on; `signed` for a view whose
    values carry a sign), the class ids of a label map, a feature map's 0..255 values with
    `real_value` turning them into the values they stand for (`channel`: the one shown, or
    None for all), and the RGB pixels. `ignore`: the class id the label map's settings call
    "no ground truth" (--ignore-index; CamVid's is 11)."""

    rgb: np.ndarray | None = None
    heat: np.ndarray | None = None
    signed: bool = False
    classes: np.ndarray | None = None
    features: np.ndarray | None = None
    real_value: Callable[[np.ndarray], np.ndarray] | None = None
    channel: int | None = None
    ignore: int = IGNORE


def heat_text(value: float, signed: bool, cell: bool = False) -> str:
    """A heatmap value: '+' only in a signed view; 1 decimal inside a pixel, 3 on a line."""
    return f"{value:{'+' if signed else ''}.{1 if cell else 3}f}"


def class_text(class_id: int, cell: bool = False, ignore: int = IGNORE) -> str:
    if class_id == ignore:
        return "ignore" if cell else f"ignore ({ignore})"
    return f"class{chr(10) if cell else ' '}{class_id}"


def rgb_text(values: Sequence[int], cell: bool = False) -> str:
    return ("\n" if cell else " ").join(str(int(v)) for v in values)


def feature_text(real: Sequence[float], channel: int | None, cell: bool = False) -> str:
    """The chosen channel's value, or the first channels and how many there are (inside a
    pixel: the values alone, one a line, with "…" for the channels left out)."""
    more = len(real) > MAX_CHANNELS_SHOWN
    if cell:
        chosen = [real[channel]] if channel is not None else real[:MAX_CHANNELS_SHOWN]
        return "\n".join(
            [*(f"{v:.4g}" for v in chosen), *(["…"] if channel is None and more else [])]
        )
    if channel is not None:
        return f"channel {channel}: {real[channel]:.5g}"
    shown = ", ".join(f"{v:.4g}" for v in real[:MAX_CHANNELS_SHOWN])
    return shown + (f" … ({len(real)} channels)" if more else "")


def _at(values: np.ndarray | None, row: int, column: int):
    if values is None or not (0 <= row < values.shape[0] and 0 <= column < values.shape[1]):
        return None
    return values[row, column]


def pixel_text(layers: PixelLayers, row: int, column: int, cell: bool = False) -> str | None:
    """The text of pixel (row, column), or None where the pane has nothing there."""
    if layers.heat is not None:
        value = _at(layers.heat, row, column)
        if value is None:
            return None
        if layers.heat.dtype == bool:  # a label map's wrong classes
            return "wrong" if value else "right"
        return heat_text(float(value), layers.signed, cell)
    if layers.classes is not None:
        value = _at(layers.classes, row, column)
        return None if value is None else class_text(int(value), cell, layers.ignore)
    if layers.features is not None:
        value = _at(layers.features, row, column)
        if value is None:
            return None
        real = value if layers.real_value is None else layers.real_value(value)
        return feature_text(np.atleast_1d(real), layers.channel, cell)
    value = _at(layers.rgb, row, column)
    return None if value is None else rgb_text(value, cell)


def where_text(x: float, y: float) -> str:
    """The pixel under the cursor, as the status bar and the inspector name it."""
    return f"x {int(x)}  y {int(y)}"


def unit_text(mode: str, title: str) -> str:
    """What the panes' values are in: nothing for the image itself, else the view's title
    (derived.view_title: a feature map's channel, a label map's wrong classes)."""
    return "" if mode == "image" else f"  ({title})"


def is_light(rgb: Sequence[int]) -> bool:
    """Whether dark text reads better over this colour (BT.601 luma above the middle)."""
    red, green, blue = (int(v) for v in rgb[:3])
    return 0.299 * red + 0.587 * green + 0.114 * blue > 128
