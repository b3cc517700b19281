"""Label mode in the panes: each pane's predicted labels drawn over the image (at an
opacity) or as its wrong pixels, redrawn off the GUI thread when the view changes. Below
100 % a pane's labels are minified from its class ids (label_minify: only classes that are
there, mixed blocks as a checker of their two), never as an average of class colours; the
levels are made here, off the GUI thread, as the engine makes a photo's."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QComboBox, QLabel, QSlider, QToolBar

from viewer.controllers.latest import Latest
from viewer.core.views.label_minify import (
    LabelPyramid,
    TopTwo,
    error_classes,
    error_pyramid,
    label_pyramid,
)
from viewer.core.views.label_views import ERROR_LEGEND, LABEL_VIEWS, LabelScene, error_map
from viewer.core.views.minify import levels_ahead
from viewer.ui.background import Background
from viewer.ui.pane_grid import PaneGrid


class LabelLayer(QObject):
    """Owns the label toolbar (shown only in label mode) and, per pane, the label colours
    and class ids; `pending` counts the drawings not yet on show, and `drawn` says when
    panes changed (the compare view and the profile follow). The view and the opacity
    live in the model (`LabelView`): the toolbar writes them and shows what they hold."""

    drawn = Signal()

    def __init__(self, grid: PaneGrid, toolbar: QToolBar) -> None:
        super().__init__(grid)
        self.grid = grid
        self.model = grid.model.labels
        self.view = QComboBox()
        for key, text in LABEL_VIEWS.items():
            self.view.addItem(text, key)
        self.view.setToolTip(ERROR_LEGEND)
        self.opacity = QSlider(Qt.Orientation.Horizontal)
        self.opacity.setRange(0, 100)
        self.opacity.setMaximumWidth(120)
        self.opacity.setToolTip("Label opacity: 0 shows the image only, 100 the labels only")
        self.view.currentIndexChanged.connect(
            lambda _: setattr(self.model, "view", self.view.currentData())
        )
        self.opacity.valueChanged.connect(lambda value: setattr(self.model, "opacity", value / 100))
        self.toolbar = toolbar
        toolbar.addWidget(QLabel(" Labels: "))
        toolbar.addWidget(self.view)
        toolbar.addWidget(QLabel("  opacity "))
        toolbar.addWidget(self.opacity)
        self.background = Background(self, "upsample-labels")
        self.background.done.connect(self._show)
        self.scene: LabelScene | None = None
        self.layers: dict[str, tuple[np.ndarray, np.ndarray, int]] = {}
        self.levels: dict[str, tuple[TopTwo, ...]] = {}  # each pane's class-id levels
        self.beneath: dict[str, tuple] = {}  # the images under the labels, with levels
        self.latest = Latest()  # drawings of an earlier run are dropped
        self.pending = 0  # drawings asked for and not yet back
        self.set_available(False)
        self.model.events.connect(self._view_changed)
        self._show_choice()

    def _show_choice(self) -> None:
        """The toolbar shows the model's view and opacity (without writing them back)."""
        for control in (self.view, self.opacity):
            control.blockSignals(True)
        self.view.setCurrentIndex(self.view.findData(self.model.view))
        self.opacity.setValue(round(self.model.opacity * 100))
        for control in (self.view, self.opacity):
            control.blockSignals(False)

    def _view_changed(self, *_) -> None:
        self._show_choice()
        self.redraw()

    @property
    def active(self) -> bool:
        """False while the panes show one class's scores instead of the labels."""
        return self.grid.model.feature_channel is None

    def set_available(self, available: bool) -> None:
        self.toolbar.setVisible(available)

    def start(self, scene: LabelScene | None) -> None:
        """A new run (a label run with its scene, or None): forget every pane's labels."""
        self.scene, self.layers, self.levels = scene, {}, {}
        self.beneath = {}  # a new dict: a drawing of the last scene still fills its own
        self.latest.next()
        self.set_available(scene is not None)

    @property
    def enabled(self) -> bool:
        return self.scene is not None

    def add(self, key: str, colours: np.ndarray, ids: np.ndarray, step: int = 1) -> None:
        """Pane `key` shows these labels (drawn in the current view)."""
        self.layers[key] = (colours, ids, step)
        self.levels.pop(key, None)
        self.redraw([key])

    def redraw(self, keys: list[str] | None = None) -> None:
        """Draw panes `keys` (all) in the chosen view, on the background thread."""
        if self.scene is None or not self.active:
            return
        scene, view, opacity = self.scene, self.model.view, self.model.opacity
        chosen = {k: self.layers[k] for k in (keys or self.layers) if k in self.layers}
        made, beneath = dict(self.levels), self.beneath

        def draw() -> dict[str, PaneDrawing]:
            return {
                key: draw_pane(scene, view, opacity, layer, made.get(key), beneath)
                for key, layer in chosen.items()
            }

        # One drawing thread, first in first out: the latest request is drawn last.
        self.pending += 1
        self.background.submit(self.latest.ticket, draw)

    def _show(self, generation: int, pictures) -> None:
        self.pending -= 1
        if pictures is None or not self.latest.is_current(generation):
            return
        for pane_key, drawing in pictures.items():
            if pane_key in [pane.key for pane in self.grid.panes]:
                if drawing.class_levels and self.class_ids(pane_key) is drawing.ids:
                    self.levels[pane_key] = drawing.class_levels  # for the next redraw
                self.grid.pane(pane_key).set_pixels(
                    drawing.picture,
                    drawing.step,
                    drawing.ids,
                    self.scene.ignore,
                    minified=drawing.minified,
                )
                self.grid.views.invalidate(None if pane_key == "original" else pane_key)
        self.drawn.emit()

    def class_ids(self, key: str) -> np.ndarray | None:
        """The class ids pane `key` shows, in its own pixels (None before its labels came)."""
        return self.layers[key][1] if key in self.layers else None

    def shutdown(self) -> None:
        self.background.shutdown()


@dataclass(frozen=True)
class PaneDrawing:
    """A pane's picture, its ids and step, and its minified views' pyramid (label_minify:
    its classes, or its wrong pixels, never averaged into colours that are not there)."""

    picture: np.ndarray
    ids: np.ndarray
    step: int
    minified: LabelPyramid
    class_levels: tuple[TopTwo, ...] = ()  # of its class ids (not of its wrong pixels)


def draw_pane(
    scene: LabelScene,
    view: str,
    opacity: float,
    layer: tuple[np.ndarray, np.ndarray, int],
    levels: tuple[TopTwo, ...] | None,
    beneath: dict[str, tuple[np.ndarray, tuple[np.ndarray, ...]]],
) -> PaneDrawing:
    """Draw a pane, reusing its class-id `levels` when made already and the images under
    the labels with their levels (`beneath`, made once per scene). Off the GUI thread."""
    colours, ids, step = layer
    picture = scene.picture(view, colours, ids, opacity)
    full = colours.shape[:2] == scene.truth.shape
    if view != "labels" and full:
        if "dimmed" not in beneath:  # error_map's dimmed image: no class wrong, no band
            dimmed = error_map(scene.guide, scene.truth, scene.truth, None, scene.ignore)
            beneath["dimmed"] = (dimmed, levels_ahead(dimmed))
        band = scene.band if view == "errors_band" else None
        classes = error_classes(scene.truth, ids, band, scene.ignore)
        dimmed, ahead = beneath["dimmed"]
        return PaneDrawing(picture, ids, step, error_pyramid(dimmed, classes, ahead))
    name = "guide" if full else "guide_low"
    if opacity < 1 and name not in beneath:
        image = getattr(scene, name)
        beneath[name] = (image, levels_ahead(image))
    image, ahead = beneath.get(name, (None, None))
    minified = label_pyramid(colours, ids, image, opacity, levels, ahead)
    return PaneDrawing(picture, ids, step, minified, minified.levels)
