"""Training loss of every learned method, step by step, while it trains.

Methods train in different units (the article's conv_transpose on 0..255, the others on
[0, 1]: MSEs 65 025 times apart), so each curve is shown relative to its first step."""

from __future__ import annotations

from functools import cached_property

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QVBoxLayout, QWidget

from viewer.core.methods import get_method
from viewer.core.views.colours import pane_colour


class LossPlot(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.curves: dict[str, pg.PlotDataItem] = {}
        self.losses: dict[str, list[float]] = {}
        self._stale: set[str] = set()
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    @cached_property
    def plot(self) -> pg.PlotWidget:
        """Made with the first curve: the window starts sooner without it."""
        plot = pg.PlotWidget()
        plot.setLogMode(y=True)
        plot.setLabel("bottom", "training step")
        plot.setLabel("left", "loss / loss at step 1 (each method in its own units)")
        plot.addLegend(offset=(-10, 10))
        self._layout.addWidget(plot)
        return plot

    def clear(self) -> None:
        for curve in self.curves.values():
            self.plot.removeItem(curve)
        self.curves.clear()
        self.losses.clear()
        self._stale.clear()

    def add(self, method: str, loss: float) -> None:
        """Append one step's loss to the method's curve (a new curve for a new method); it is
        drawn at the next `redraw`."""
        if method not in self.curves:
            pen = pg.mkPen(pane_colour(method), width=2)
            self.curves[method] = self.plot.plot(pen=pen, name=get_method(method).name)
            self.losses[method] = []
        self.losses[method].append(loss)
        self._stale.add(method)

    def redraw(self) -> None:
        """Draw the curves that gained steps since the last redraw."""
        for method in self._stale:
            values = np.asarray(self.losses[method])
            values = values / values[0] if values[0] > 0 else values
            self.curves[method].setData(np.arange(1, len(values) + 1), values)
        self._stale.clear()
