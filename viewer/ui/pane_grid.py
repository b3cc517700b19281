"""The grid of panes: their layout, one shared view region, one crosshair (their derived
views, at one heat scale, are `pane_views`)."""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QWidget

from viewer.core.presentation.captions import region_subtitle
from viewer.model import Display, PaneState, WindowModel
from viewer.model.panes import best_columns
from viewer.ui import camera
from viewer.ui.pane import Pane
from viewer.ui.pane_views import PaneViews


class PaneGrid(QWidget):
    hovered = Signal(float, float)
    left = Signal()
    regionChanged = Signal()  # the shared view moved or zoomed
    panesShown = Signal()  # which panes are visible (hidden, maximised, columns) changed
    menuRequested = Signal(str, object)  # pane key, global position

    def __init__(self, model: WindowModel | None = None) -> None:
        super().__init__()
        self._layout = QGridLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(4)
        self.model = model or WindowModel()  # what is shown: the grid renders and changes it
        self.panes: list[Pane] = []  # the widgets, in the model's order
        self._lead: Pane | None = None
        self._moving_camera = False  # while the view writes the camera, it need not follow it
        self._columns = 0
        self._image_size = (1.0, 1.0)
        model = self.model
        model.events.panes.connect(self._panes_changed)
        model.events.selected.connect(self._highlight)
        model.layout.events.connect(self._rearrange)
        model.camera.events.connect(self._camera_changed)
        self.views = PaneViews(self, parent=self)  # each pane's derived view, at the heat scale

    @property
    def display(self) -> Display:
        """What method panes show (the model's display choice)."""
        return self.model.display

    # panes ---------------------------------------------------------------------------------
    def set_panes(self, specs: list[tuple[str, str, str]]) -> None:
        """(key, title, tooltip) per pane; panes whose key stays are kept with their images."""
        self.model.set_panes(specs)

    def _panes_changed(self, *_) -> None:
        """The model's panes, as widgets in its order: new ones made, gone ones deleted."""
        existing = {pane.key: pane for pane in self.panes}
        wanted = self.model.pane_keys()
        for pane in self.panes:
            if pane.key not in wanted:
                self._layout.removeWidget(pane)
                pane.viewbox.setXLink(None)
                pane.viewbox.setYLink(None)
                pane.hide()  # else, parentless until deleted, it may flash up as a window
                pane.setParent(None)
                pane.deleteLater()
                self.views.forget(pane.key)
        if self._lead is not None and self._lead.key not in wanted:
            self._lead = None
        self.panes = [existing.get(s.key) or self._new_pane(s) for s in self.model.panes]
        self._rearrange()

    def _new_pane(self, state: PaneState) -> Pane:
        key = state.key
        pane = Pane(key, state.title, state.tooltip)
        pane.follow(state)
        pane.hovered.connect(lambda *_, k=key: setattr(self.model, "current", k))  # first
        pane.hovered.connect(self.hover)
        pane.doubleClicked.connect(lambda k=key: self.toggle_maximised(k))
        pane.menuRequested.connect(lambda position, k=key: self.menuRequested.emit(k, position))
        return pane

    @property
    def lead(self) -> Pane:
        """The pane whose view the others follow: the first one on screen."""
        return self._lead or self.panes[0]

    def _relink(self) -> None:
        """Link every pane to the first visible one. pyqtgraph stops following a hidden
        view, so the lead changes when it is hidden. None locks its aspect (a lock fights
        the links and jitters); the grid keeps pixels square itself (equal cells)."""
        visible = self.visible_panes()
        lead = visible[0] if visible else self.panes[0]
        for pane in self.panes:  # a pane made since (a method ticked later) follows it too
            link = None if pane is lead else lead.viewbox
            if pane.viewbox.linkedView(0) is not link:
                pane.viewbox.setXLink(link)
                pane.viewbox.setYLink(link)
        if lead is self._lead:
            return
        if self._lead is not None:
            self._lead.viewbox.sigResized.disconnect(self._keep_pixels_square)
            self._lead.viewbox.sigRangeChanged.disconnect(self._region_changed)
        self._lead = lead
        lead.viewbox.sigResized.connect(self._keep_pixels_square)
        lead.viewbox.sigRangeChanged.connect(self._region_changed)

    def _region_changed(self, *_args) -> None:
        """The camera into the model: None while the whole image is in view (a fit)."""
        x, y, zoom = self.region()
        whole = self.shows_whole()
        self._moving_camera = True
        try:
            self.model.camera.centre = None if whole else (x, y)
            self.model.camera.zoom = None if whole else zoom
        finally:
            self._moving_camera = False
        self.regionChanged.emit()

    def _camera_changed(self, *_) -> None:
        """The camera set from outside (a comparison file): show what it says."""
        if not self._moving_camera and self.panes:
            self._keep_pixels_square()

    # which panes are on screen ---------------------------------------------------------
    def visible_panes(self) -> list[Pane]:
        """The widgets of the model's visible panes (while the model changes its panes,
        only those already made)."""
        made = {pane.key: pane for pane in self.panes}
        return [made[key] for key in self.model.visible() if key in made]

    def set_hidden(self, key: str, hidden: bool) -> None:
        """Hide or show one pane; its result stays."""
        self.model.hide(key, hidden)

    def show_all(self) -> None:
        self.model.show_all()

    def toggle_maximised(self, key: str | None = None) -> None:
        """Show pane `key` (the current one) alone, at the same place and zoom; again to
        return to the grid."""
        self.model.toggle_maximised(key)

    def set_order(self, keys: list[str]) -> None:
        """Method panes in the order of `keys` (the metrics table's sort); the reference
        panes stay first."""
        self.model.order(keys)

    def _highlight(self, key: str | None) -> None:
        """The method selected in the table is framed."""
        for pane in self.panes:
            pane.set_highlighted(pane.key == key)

    def _rearrange(self, *_) -> None:
        """Lay the visible panes out afresh and say so."""
        self._columns = 0
        self.reflow()
        self.panesShown.emit()

    def set_columns(self, columns: int | None) -> None:
        """A fixed number of columns, or None for the count that shows panes largest."""
        self.model.layout.columns = columns

    def pane(self, key: str) -> Pane:
        return next(pane for pane in self.panes if pane.key == key)

    def image_size(self) -> tuple[int, int]:
        return int(self._image_size[0]), int(self._image_size[1])

    def set_image_size(self, width: int, height: int) -> None:
        self._image_size = (float(width), float(height))
        self._columns = 0
        self.reflow()

    def reflow(self) -> None:
        if not self.panes:
            return
        visible = self.visible_panes()
        count = max(len(visible), 1)
        if self.model.layout.columns:
            columns = min(self.model.layout.columns, count)
        else:
            area = (max(self.width(), 1), max(self.height(), 1))
            columns = best_columns(count, area, self._image_size)
        if columns == self._columns:
            return
        self._columns = columns
        rows = math.ceil(count / columns)
        for pane in self.panes:
            self._layout.removeWidget(pane)
            if pane not in visible:
                pane.hide()
        for index, pane in enumerate(visible):
            self._layout.addWidget(pane, index // columns, index % columns)
            pane.show()
        self._relink()
        # Equal cells: linked views then show the same region at the same zoom in every pane.
        for column in range(max(self._layout.columnCount(), columns)):
            self._layout.setColumnStretch(column, 1 if column < columns else 0)
        for row in range(max(self._layout.rowCount(), rows)):
            self._layout.setRowStretch(row, 1 if row < rows else 0)

    def columns(self) -> int:
        return self._columns

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.reflow()

    # view region ---------------------------------------------------------------------------
    def fit(self) -> None:
        """Show the whole image, as large as the panes allow."""
        camera.fit(self.lead.viewbox, *self._image_size)

    def zoom_to(self, factor: float) -> None:
        """`factor` screen pixels per image pixel, around the current centre."""
        camera.zoom_to(self.lead.viewbox, factor)

    def region(self) -> tuple[float, float, float]:
        """(centre x, centre y, screen pixels per image pixel) of the shared view."""
        return camera.region(self.lead.viewbox)

    def show_region(self, x: float, y: float, factor: float) -> None:
        camera.show_region(self.lead.viewbox, x, y, factor)

    def shows_whole(self) -> bool:
        return camera.shows_whole(self.lead.viewbox, *self._image_size)

    def _keep_pixels_square(self) -> None:
        """After a resize (of the window, or of the panes when they re-flow) show what the
        camera says, with square pixels: the whole image if it was in view, else the same
        centre at the same zoom, so 800 % stays 800 %."""
        view = self.model.camera
        if self.lead.viewbox.width() < 1:
            return
        if view.fits():
            self.fit()
        else:
            self.show_region(*view.centre, view.zoom)

    def zoom_by(self, factor: float) -> None:
        camera.zoom_by(self.lead.viewbox, factor)

    def pan(self, dx: float, dy: float) -> None:
        """Move by fractions of the visible width and height."""
        camera.pan(self.lead.viewbox, dx, dy)

    def zoom_factor(self) -> float:
        return self.region()[2]

    # crosshair -----------------------------------------------------------------------------
    def hover(self, x: float, y: float) -> None:
        for pane in self.visible_panes():
            pane.set_crosshair(x, y)
        self.hovered.emit(x, y)

    def leaveEvent(self, event) -> None:
        for pane in self.panes:
            pane.set_crosshair(None, None)
        self.left.emit()
        super().leaveEvent(event)

    # the region in view, as shown ------------------------------------------------------------
    def region_tiles(self) -> list[tuple[str, str, str, np.ndarray]]:
        """(pane key, name, caption, RGB) of the region in view, for every visible pane, at
        full resolution and as shown: the image, or the heatmap in its colours and levels."""
        rect = self.lead.viewbox.viewRect()
        tiles = []
        for pane in self.visible_panes():
            if pane.pixels is None:
                continue
            view = self.views.shown(pane.key)
            source = pane.pixels if view is None else view.values  # the low-res spectrum:
            height, width = source.shape[:2]  # at the original's size, step 1
            step = pane.step * pane.pixels.shape[1] // width
            x0, x1 = (
                max(0, math.floor(rect.left() / step)),
                min(width, math.ceil(rect.right() / step)),
            )
            y0, y1 = (
                max(0, math.floor(rect.top() / step)),
                min(height, math.ceil(rect.bottom() / step)),
            )
            if x1 <= x0 or y1 <= y0:
                continue
            if view is not None:
                rgb = self.views.coloured(pane.key, view.values[y0:y1, x0:x1])
            else:
                rgb = pane.pixels[y0:y1, x0:x1]
            shown = self.model.pane(pane.key).caption
            caption = region_subtitle(shown, x0 * step, y0 * step, x1 - x0, y1 - y0)
            tiles.append((pane.key, pane.name, caption, np.ascontiguousarray(rgb)))
        return tiles
