"""What method panes show (the display choice) and where the grid looks (the camera)."""

from __future__ import annotations

from dataclasses import dataclass

from psygnal import evented


@evented
@dataclass
class Display:
    """The image or a derived view (viewer.core.views.derived), which channel, and how the
    colour scale is chosen: "shared" (one robust scale for every method), "per_pane" (each
    pane its own 99th percentile) or "fixed" (`fixed_scale`)."""

    mode: str = "image"
    channel: str = "luma"
    scale_policy: str = "shared"
    fixed_scale: float = 64.0


@evented
@dataclass
class Camera:
    """The grid's centre and zoom (screen pixels per image pixel); None: the whole image."""

    centre: tuple[float, float] | None = None
    zoom: float | None = None

    def fits(self) -> bool:
        return self.zoom is None
