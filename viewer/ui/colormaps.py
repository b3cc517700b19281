"""The window's colour tables, made from the one definition in viewer.core.views.derived."""

from __future__ import annotations

from functools import cache

import numpy as np
import pyqtgraph as pg

from viewer.core.views.derived import colour_table


@cache
def lookup_table(mode: str) -> np.ndarray:
    """256-entry RGB table for a pane's heatmap over its levels."""
    return colour_table(mode)


def colour_map(mode: str) -> pg.ColorMap:
    """The colour bar's map: the unfolded table from its low end to its high end."""
    return pg.ColorMap(np.linspace(0.0, 1.0, 256), colour_table(mode))
