"""Colour tables for the difference views: magma for |error|, a diverging map for signed."""

from __future__ import annotations

from functools import cache

import numpy as np
import pyqtgraph as pg

ABSOLUTE_MAP = "magma"
SPECTRUM_MODES = ("spectrum", "diff_spectrum")
SIGNED_MAP = "CET-D1"


@cache
def lookup_table(mode: str) -> np.ndarray:
    """256-entry RGBA table for data shown over the levels (-scale, +scale).

    The absolute view folds magma around zero, so |d| is shown without computing it.
    """
    positions = np.linspace(-1.0, 1.0, 256)
    if mode in SPECTRUM_MODES:
        return pg.colormap.get(ABSOLUTE_MAP).map((positions + 1) / 2, mode="byte")
    if mode == "abs":
        return pg.colormap.get(ABSOLUTE_MAP).map(np.abs(positions), mode="byte")
    return pg.colormap.get(SIGNED_MAP).map((positions + 1) / 2, mode="byte")


def colour_map(mode: str) -> pg.ColorMap:
    return pg.colormap.get(SIGNED_MAP if mode == "signed" else ABSOLUTE_MAP)
