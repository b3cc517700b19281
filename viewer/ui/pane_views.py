"""The panes' derived views (differences, SSIM, spectra, FLIP): each computed off the GUI
thread, cached while shown, and drawn in the display's colours at the heat scale's levels.
A feature map's or label map's views are of its data (feature values, class ids), never of
the colours its panes show (viewer.core.views.derived)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

import numpy as np
from PySide6.QtCore import QObject, Signal

from viewer.controllers.latest import Latest
from viewer.core.views.derived import (
    SPECTRUM_MODES,
    View,
    colorize,
    data_subject,
    derive,
    levels,
    own_levels,
    shared_scale,
    view_kind,
    view_meaning,
    view_title,
)
from viewer.model import Display, WindowModel
from viewer.ui.background import Background
from viewer.ui.colormaps import lookup_table
from viewer.ui.faithful_image import FaithfulImage
from viewer.ui.pane import Pane

# Views that take seconds (FLIP: about 3-6 s at 3 MP): kept per result while it is shown,
# so that leaving the mode and coming back does not compute them again.
KEPT_KINDS = ("flip",)


class PaneSource(Protocol):
    """What the views use of the grid: its model and pane widgets (a structural type, so the
    grid may own its views without an import loop)."""

    model: WindowModel
    panes: list[Pane]

    def visible_panes(self) -> list[Pane]: ...

    def pane(self, key: str) -> Pane: ...


class PaneViews(QObject):
    changed = Signal()  # what the panes show changed: the display's choice, or a view arrived

    def __init__(self, grid: PaneSource, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.grid = grid
        self.results: set[str] = set()  # panes showing a result, compared to the original
        self.maps: dict[str, View | None] = {}
        self.kept: dict[tuple[str, str], View] = {}  # (kind, pane) of KEPT_KINDS views
        self._kind: str | None = None
        self.latest = Latest()  # derived views of an earlier display are dropped
        self.input_kind = "image"
        self.values_of: Callable[[str], np.ndarray | None] = lambda _key: None
        self.real_value: Callable | None = None
        self.background = Background(self)
        self.background.done.connect(self._view_ready)
        grid.model.display.events.connect(self._display_changed)

    def set_input(
        self,
        kind: str,
        values_of: Callable[[str], np.ndarray | None],
        real_value: Callable | None = None,
    ) -> None:
        """A new input of `kind` (Inputs.kind); `values_of(key)`: a feature or label map's
        values in pane `key` (its own data, which its views compare), `real_value` turning
        0..255 values into those they stand for."""
        self.input_kind, self.values_of, self.real_value = kind, values_of, real_value
        self.invalidate()

    @property
    def display(self) -> Display:
        """What method panes show (the model's display choice)."""
        return self.grid.model.display

    def mark_result(self, key: str) -> None:
        """Pane `key` now shows a result: it gets difference views, computed afresh."""
        self.results.add(key)
        self.invalidate(key)

    def invalidate(self, key: str | None = None) -> None:
        """Recompute the derived view of `key` (of every pane for None: the original changed)."""
        if key is None:
            self.maps.clear()
            self.kept.clear()
            self.latest.next()
        else:
            self.maps.pop(key, None)
            self._forget_kept(key)
        self._apply_all()

    def forget(self, key: str) -> None:
        """Pane `key` is gone: its result and views with it."""
        self.results.discard(key)
        self.maps.pop(key, None)
        self._forget_kept(key)

    def _forget_kept(self, key: str) -> None:
        """Pane `key`'s kept views are stale: its result (or the original) changed."""
        for kept in [k for k in self.kept if k[1] == key]:
            del self.kept[kept]

    def clear_results(self) -> None:
        """Forget the previous run's results and views (late computations are dropped)."""
        self.results.clear()
        self.invalidate()

    def _display_changed(self, *_) -> None:
        """The model's display choice changed (or the panes' images did): views follow."""
        self._apply_all()
        self.changed.emit()

    def redisplay(self) -> None:
        """Show every pane's view afresh, as the display says (after a new input)."""
        self._display_changed()

    def view_kind(self) -> str | None:
        """What heatmap panes show now (derived.view_kind): None (images), a photo's
        diff:<channel>, a feature map's or label map's view of its data."""
        display, channel = self.display, self.grid.model.feature_channel
        return view_kind(display.mode, self.input_kind, display.channel, channel)

    def title(self) -> str:
        """What the colour bar says the panes' views are, in which units."""
        original = self.values_of("original")
        channels = original.shape[2] if original is not None and original.ndim == 3 else 0
        return view_title(self.display.mode, self.view_kind(), self.display.channel, channels)

    def meaning(self) -> str:
        """The colour bar's tooltip: what the colours show, how minified pixels are formed."""
        return view_meaning(self.display.mode, self.view_kind())

    def has_own_levels(self) -> bool:
        """The view's values have a fixed meaning (wrong class: 0 or 1): no scale policy."""
        return own_levels(self.view_kind()) is not None

    def levels(self) -> tuple[float, float]:
        """What the colour bar spans in the current mode. Per-pane scales: one pane's own
        99th percentile is 1."""
        fixed = own_levels(self.view_kind())
        if fixed is not None:
            return fixed
        if self.display.mode in SPECTRUM_MODES:
            shown = self.shown_views()
            if not shown:
                return 0.0, 1.0
            return min(view.low for view in shown), max(view.high for view in shown)
        if self.display.scale_policy == "per_pane":
            return levels(self.display.mode, 1.0)
        return levels(self.display.mode, self.scale())

    def shown_views(self) -> list[View]:
        """The finished views of the panes on screen."""
        visible = {pane.key for pane in self.grid.visible_panes()}
        return [view for key, view in self.maps.items() if view and key in visible]

    def scale(self, key: str | None = None) -> float:
        """The difference scale of pane `key` under the current policy."""
        if self.display.scale_policy == "fixed":
            return self.display.fixed_scale
        if self.display.scale_policy == "per_pane" and self.maps.get(key):
            return max(1e-3, self.maps[key].typical)
        return shared_scale(self.shown_views())

    def shows_view(self, pane: Pane, kind: str) -> bool:
        if pane.pixels is None or self._data(pane.key, kind) is None:
            return False
        if kind.partition(":")[0] == "spectrum":
            return True  # the low-res input's in the original's frequency plane (derived.py)
        return pane.key in self.results and self._data("original", kind) is not None

    def _data(self, key: str, kind: str) -> np.ndarray | None:
        """What view `kind` reads of pane `key`: its RGB, its class ids, or its values."""
        subject = data_subject(kind)
        if subject == "values":
            return self.values_of(key)
        pane = self.grid.pane(key)
        return pane.class_ids if subject == "classes" else pane.pixels

    def _apply_all(self) -> None:
        self._give_features()
        kind = self.view_kind()
        if kind != self._kind:  # keep only the views on show: big images make them costly
            self.maps.clear()
            self.latest.next()
            self._kind = kind
        if kind is None:
            for pane in self.grid.panes:
                pane.set_heat(None, None, None)
            return
        table = lookup_table(self.display.mode)
        for pane in self.grid.panes:
            if not self.shows_view(pane, kind):
                pane.set_heat(None, None, None)
                continue
            if pane.key not in self.maps:
                self._request(pane, kind)
            found = self.maps[pane.key]
            if found is not None:  # else still being computed
                pane.set_heat(found.values, table, self.pane_levels(pane.key))

    def _give_features(self) -> None:
        """Each pane's feature values (a feature or label map's) for its pixel texts: the
        crosshair's tag and the numbers inside pixels say what the inspector says."""
        channel = self.grid.model.feature_channel
        for pane in self.grid.panes:
            values = None if self.input_kind == "image" else self.values_of(pane.key)
            pane.set_features(values, self.real_value, channel)

    def pane_levels(self, key: str) -> tuple[float, float]:
        """Levels for pane `key`'s colour table."""
        if own_levels(self._kind) is not None:
            return self.levels()
        if self.display.mode in SPECTRUM_MODES:
            return self.levels()
        return levels(self.display.mode, self.scale(key))

    def _request(self, pane: Pane, kind: str) -> None:
        if (kind, pane.key) in self.kept:
            self.maps[pane.key] = self.kept[kind, pane.key]
            return
        self.maps[pane.key] = None  # asked for: do not ask twice
        data = self._data(pane.key, kind)
        # A spectrum needs the original only to place a smaller pane's in its plane.
        spectrum = kind.partition(":")[0] == "spectrum"
        original = self._data("original", kind) if not spectrum or pane.step > 1 else None
        ignore, token = pane.ignore, (self.latest.ticket, pane.key)
        self.background.submit(token, lambda: derive(kind, data, original, ignore))

    def _view_ready(self, token: tuple, result) -> None:
        generation, key = token
        if not self.latest.is_current(generation) or result is None or key not in self.maps:
            return
        self.maps[key] = result
        if self._kind in KEPT_KINDS:
            self.kept[self._kind, key] = result
        self._apply_all()
        self.changed.emit()

    def shown(self, key: str) -> View | None:
        """Pane `key`'s finished derived view, if the display shows derived views."""
        return self.maps.get(key) if self.view_kind() is not None else None

    def coloured(self, key: str, values: np.ndarray) -> np.ndarray:
        """`values` of pane `key`'s view as RGB: the display's colours at the pane's levels."""
        return colorize(values, self.display.mode, *self.pane_levels(key))

    def shown_pixels(self, key: str) -> np.ndarray | None:
        """Pane `key`'s whole picture as it shows it: its image, or its derived view in the
        display's colours and the pane's levels (what Compare shows of it)."""
        pane = self.grid.pane(key)
        view = self.shown(key)
        if view is None or not pane.showing_heat():
            return pane.pixels
        return self.coloured(key, view.values)

    def shown_image(self, key: str) -> FaithfulImage:
        """The image pane `key` shows now: its derived view's, or its own."""
        pane = self.grid.pane(key)
        return pane.heat if pane.showing_heat() else pane.image

    def pending(self) -> bool:
        """Some view asked for is still being computed."""
        return any(found is None for found in self.maps.values())
