"""One colour per pane, derived from its id: the same in every run and every plot (panes,
profile, training loss), whichever methods are selected."""

from __future__ import annotations

import colorsys
import zlib
from functools import cache

from viewer.core.methods import method_ids

FIXED = {"original": "#e6e6e6", "lowres": "#9a9a9a"}


@cache
def pane_colour(key: str) -> str:
    """'#rrggbb' for a pane id: the reference panes are greys; a method's hue is its place
    among all registered methods, so neighbours in the list differ and nothing drifts."""
    if key in FIXED:
        return FIXED[key]
    ids = method_ids()
    # Golden-ratio steps spread any number of hues evenly without depending on the count;
    # an added result (not in the registry) takes a hue from its id.
    index = ids.index(key) if key in ids else zlib.crc32(key.encode()) % 1000 / 7.0
    hue = (index * 0.618033988749895) % 1.0
    red, green, blue = colorsys.hsv_to_rgb(hue, 0.85, 1.0)
    return f"#{round(red * 255):02x}{round(green * 255):02x}{round(blue * 255):02x}"
