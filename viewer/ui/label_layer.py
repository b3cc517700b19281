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
from viewer.core.views.label_minify import LabelPyramid, TopTwo, label_pyramid
from viewer.core.views.label_views import ERROR_LEGEND, LABEL_VIEWS, LabelScene
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
        self.beneath: dict[int, tuple[np.ndarray, ...]] = {}  # the scene's images' levels
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
                minified = drawing.minified
                if minified is not None and self.class_ids(pane_key) is drawing.ids:
                    self.levels[pane_key] = minified.levels  # kept for the next redraw
                self.grid.pane(pane_key).set_pixels(
                    drawing.picture,
                    drawing.step,
                    drawing.ids,
                    self.scene.ignore,
                    ahead=drawing.ahead,
                    minified=minified,
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
    """A pane's picture, its ids and step, and how it minifies: the picture's own levels
    (the wrong-pixel views) or its labels' pyramid (label_minify)."""

    picture: np.ndarray
    ids: np.ndarray
    step: int
    ahead: tuple[np.ndarray, ...] = ()
    minified: LabelPyramid | None = None


def draw_pane(
    scene: LabelScene,
    view: str,
    opacity: float,
    layer: tuple[np.ndarray, np.ndarray, int],
    levels: tuple[TopTwo, ...] | None,
    beneath: dict[int, tuple[np.ndarray, ...]],
) -> PaneDrawing:
    """Draw a pane, reusing its class-id `levels` when made already and the image's levels
    (`beneath`, made once per scene). Numpy work: off the GUI thread."""
    colours, ids, step = layer
    picture = scene.picture(view, colours, ids, opacity)
    full = colours.shape[:2] == scene.truth.shape
    if view != "labels" and full:
        return PaneDrawing(picture, ids, step, ahead=levels_ahead(picture))
    image = scene.guide if full else scene.guide_low
    if opacity < 1 and id(image) not in beneath:
        beneath[id(image)] = levels_ahead(image)
    minified = label_pyramid(colours, ids, image, opacity, levels, beneath.get(id(image)))
    return PaneDrawing(picture, ids, step, minified=minified)
