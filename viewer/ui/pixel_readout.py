"""The values under the cursor: every visible pane's in the pixel inspector, the hovered
pane's in the status bar, in the units of what the panes show (a heatmap's value, a class
id, a feature map's own values, or RGB)."""

from __future__ import annotations

from dataclasses import replace
from typing import Protocol

import numpy as np
from PySide6.QtWidgets import QLabel

from viewer.controllers.runs import RunsController
from viewer.core.presentation.pixel_text import pixel_text, unit_text, where_text
from viewer.model import WindowModel
from viewer.ui.label_layer import LabelLayer
from viewer.ui.pane import Pane
from viewer.ui.pane_grid import PaneGrid
from viewer.ui.pixel_inspector import PixelInspector


class ReadoutParts(Protocol):
    model: WindowModel
    grid: PaneGrid
    inspector: PixelInspector
    readout: QLabel
    label_layer: LabelLayer
    runs: RunsController
    feature_values: dict[str, np.ndarray]

    def feature_channel(self) -> int | None: ...


class PixelReadout:
    def __init__(self, window: ReadoutParts) -> None:
        self.window = window
        self.hovered: tuple[float, float] | None = None  # where the cursor is, over a pane
        window.grid.hovered.connect(self.show_values)
        window.grid.left.connect(self._left)
        # A new view (D, a channel, a computed heatmap) under a still cursor: its values, not
        # the last view's (the RGB stayed in a heat view until the mouse moved).
        window.grid.views.changed.connect(self._refresh)

    def _left(self) -> None:
        self.hovered = None
        self.window.readout.clear()

    def _refresh(self) -> None:
        if self.hovered is not None:
            self.show_values(*self.hovered)

    def show_values(self, x: float, y: float) -> None:
        """Every visible pane's value at (x, y) in the inspector; the hovered one's in the
        status bar."""
        self.hovered = (x, y)
        window, model = self.window, self.window.model
        where = where_text(x, y)
        rows, hovered = [], ""
        for pane in window.grid.visible_panes():
            text = self.pixel_text(pane, x, y)
            if text is None:
                continue
            rows.append((pane.name, pane.colour, text))
            if pane.key == model.current:
                hovered = f"  │  {pane.name}: {text}"
        unit = unit_text(model.display.mode, window.grid.views.title())
        window.inspector.show_values(where + unit, rows)
        window.readout.setText(where + hovered)

    def pixel_text(self, pane: Pane, x: float, y: float) -> str | None:
        """What `pane` shows at output pixel (x, y), in the units of the current mode."""
        if x < 0 or y < 0:
            return None
        window = self.window
        layers = pane.pixel_layers()
        channel = window.feature_channel()
        labels = window.label_layer
        if labels.enabled and channel is None:
            layers = replace(layers, classes=labels.class_ids(pane.key), ignore=labels.scene.ignore)
        shown = window.runs.shown
        values = window.feature_values.get(pane.key) if shown.loaded else None
        if values is not None and shown.loaded.inputs.is_features:
            layers = replace(
                layers, features=values, real_value=shown.image.real_value, channel=channel
            )
        return pixel_text(layers, int(y // pane.step), int(x // pane.step))
