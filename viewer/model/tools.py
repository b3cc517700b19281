"""The inspection tools' choices: Compare's A and B, the label view, the profile line."""

from __future__ import annotations

from dataclasses import dataclass

from psygnal import evented

from viewer.core.views.label_views import DEFAULT_OPACITY, LABEL_VIEWS


@evented
@dataclass
class Compare:
    """The large A/B view: whether it replaces the grid, its two panes and its mode
    ("swipe" or "flicker")."""

    active: bool = False
    a: str | None = None
    b: str | None = None
    mode: str = "swipe"


@evented
@dataclass
class LabelView:
    """How label results are drawn (a key of LABEL_VIEWS) and the labels' opacity (0..1)."""

    view: str = next(iter(LABEL_VIEWS))
    opacity: float = DEFAULT_OPACITY


@evented
@dataclass
class ProfileLine:
    """The line profile: on or off, its two ends in output pixels (one field: a drag
    moves both in one event), the channel it plots."""

    active: bool = False
    ends: tuple[tuple[float, float], tuple[float, float]] = ((0.0, 0.0), (1.0, 0.0))
    channel: str = "luma"
