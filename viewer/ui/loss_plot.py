"""Training loss of every learned method, step by step, while it trains."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QVBoxLayout, QWidget

from viewer.core.methods import get_method


class LossPlot(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.plot = pg.PlotWidget()
        self.plot.setLogMode(y=True)
        self.plot.setLabel("bottom", "training step")
        self.plot.setLabel("left", "MSE loss")
        self.plot.addLegend(offset=(-10, 10))
        self.curves: dict[str, pg.PlotDataItem] = {}
        self.losses: dict[str, list[float]] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot)

    def clear(self) -> None:
        for curve in self.curves.values():
            self.plot.removeItem(curve)
        self.curves.clear()
        self.losses.clear()

    def add(self, method: str, loss: float) -> None:
        """Append one step's loss to the method's curve (a new curve for a new method)."""
        if method not in self.curves:
            pen = pg.mkPen(pg.intColor(len(self.curves), hues=8), width=2)
            self.curves[method] = self.plot.plot(pen=pen, name=get_method(method).name)
            self.losses[method] = []
        self.losses[method].append(loss)
        values = np.asarray(self.losses[method])
        self.curves[method].setData(np.arange(1, len(values) + 1), values)
