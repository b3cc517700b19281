"""The panes: what each one is and where its run is, and which of them are on screen."""

from __future__ import annotations

import math
from dataclasses import dataclass

from psygnal import evented

REFERENCES = ("original", "lowres")  # what every method is compared with: always first


@evented
@dataclass
class PaneState:
    """One pane: what it is, where its run is (`status`: empty, waiting, running, done,
    failed or cancelled), what its title's second line and its message say (`message` is
    an error when `status` is "failed", and `detail` where it happened: a user file's
    failing line)."""

    key: str
    title: str
    tooltip: str = ""
    status: str = "empty"
    step: int = 0
    steps: int = 0
    caption: str = ""
    message: str = ""
    detail: str = ""


@evented
@dataclass
class Layout:
    """How the panes are laid out: `columns` None is the count that shows them largest
    (best_columns); `hidden` panes keep their results; a `maximised` pane is shown alone."""

    columns: int | None = None
    hidden: tuple[str, ...] = ()
    maximised: str | None = None


def best_columns(count: int, area: tuple[float, float], image: tuple[float, float]) -> int:
    """The column count that shows `count` images of size `image` largest in `area`."""
    best, best_scale = 1, 0.0
    for columns in range(1, max(count, 1) + 1):
        rows = math.ceil(count / columns)
        scale = min(area[0] / columns / image[0], area[1] / rows / image[1])
        if scale > best_scale * (1 + 1e-9):
            best, best_scale = columns, scale
    return best
