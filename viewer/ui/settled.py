"""When the window shows what it will show: every derived view computed and drawn, the
camera where the model says. `--screenshot` waits for this, so a comparison file in signed
mode at 400 % gives a picture in signed mode at 400 %, not the plain results at the fit."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QTimer

from viewer.ui.pane_grid import PaneGrid

CHECK_MS = 50
# A view that never arrives (a failed derivation) must not hold a screenshot forever.
PATIENCE_S = 60.0


def camera_in_place(grid: PaneGrid) -> bool:
    """The lead pane looks where the model's camera says (within a pixel, 1 % of zoom)."""
    camera = grid.model.camera
    if camera.fits():
        return grid.shows_whole()
    x, y, zoom = grid.region()
    (want_x, want_y), want_zoom = camera.centre, camera.zoom
    return abs(zoom - want_zoom) <= 0.01 * want_zoom and max(abs(x - want_x), abs(y - want_y)) <= 1


def views_drawn(grid: PaneGrid) -> bool:
    """Every visible pane that has the display's derived view shows it."""
    kind = grid.views.view_kind()
    if kind is None:
        return True
    if grid.views.pending():
        return False
    return all(
        pane.showing_heat() for pane in grid.visible_panes() if grid.views.shows_view(pane, kind)
    )


def is_settled(grid: PaneGrid) -> bool:
    return not grid.panes or (views_drawn(grid) and camera_in_place(grid))


def when_settled(grid: PaneGrid, action: Callable[[], None], patience: float = PATIENCE_S) -> None:
    """Call `action` once the grid is settled (checked between events), or after `patience`
    seconds at the latest."""
    timer = QTimer(grid)
    timer.setInterval(CHECK_MS)
    give_up = time.monotonic() + patience

    def check() -> None:
        if is_settled(grid) or time.monotonic() > give_up:
            timer.stop()
            timer.deleteLater()
            action()

    timer.timeout.connect(check)
    timer.start()
