"""The line profile: one line shared by every pane, and a plot of every pane along it."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QObject, QPointF, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from viewer.core.colours import pane_colour
from viewer.core.profile import CHANNELS, line_positions, sample_line
from viewer.ui.pane_grid import PaneGrid

LINE_PEN = pg.mkPen((255, 220, 0), width=2)


class ProfileTool(QObject):
    """Keeps a LineSegmentROI in every pane at the same image coordinates."""

    changed = Signal()

    def __init__(self, grid: PaneGrid) -> None:
        super().__init__()
        self.grid = grid
        self.start, self.end = (0.0, 0.0), (1.0, 0.0)
        self.active = False
        self._rois: dict[str, pg.LineSegmentROI] = {}
        self._syncing = False

    def set_active(self, active: bool) -> None:
        if active and not self.active:
            self._place_across_view()
        self.active = active
        self.sync_panes()
        self.changed.emit()

    def _place_across_view(self) -> None:
        rect = self.grid.lead.viewbox.viewRect()
        width, height = self.grid.image_size()
        y = min(max(rect.center().y(), 0.5), height - 0.5)
        left = max(rect.left() + rect.width() * 0.1, 0.0)
        right = min(rect.right() - rect.width() * 0.1, float(width))
        self.start, self.end = (left, y), (right, y)

    def sync_panes(self) -> None:
        """Give every pane (new ones too) its line, at the shared position, or hide them."""
        for key in list(self._rois):
            if key not in {p.key for p in self.grid.panes}:
                self._rois.pop(key)
        for pane in self.grid.panes:
            roi = self._rois.get(pane.key)
            if roi is None:
                roi = pg.LineSegmentROI([self.start, self.end], pen=LINE_PEN)
                roi.sigRegionChanged.connect(self._moved)
                pane.viewbox.addItem(roi, ignoreBounds=True)
                self._rois[pane.key] = roi
            roi.setVisible(self.active)
        self._place_all()

    def set_line(self, start: tuple[float, float], end: tuple[float, float]) -> None:
        self.start, self.end = start, end
        self._place_all()
        self.changed.emit()

    def _moved(self, roi: pg.LineSegmentROI) -> None:
        if self._syncing:
            return
        ends = [roi.mapToParent(position) for _, position in roi.getLocalHandlePositions()]
        self.start, self.end = (ends[0].x(), ends[0].y()), (ends[1].x(), ends[1].y())
        self._place_all(skip=roi)
        self.changed.emit()

    def _place_all(self, skip: pg.LineSegmentROI | None = None) -> None:
        self._syncing = True
        try:
            for roi in self._rois.values():
                if roi is skip:
                    continue
                roi.setPos(QPointF(0, 0), update=False)
                for handle, point in zip(roi.getHandles(), (self.start, self.end), strict=True):
                    roi.movePoint(handle, QPointF(*point), finish=False)
        finally:
            self._syncing = False

    def roi(self, key: str) -> pg.LineSegmentROI:
        return self._rois[key]


class ProfilePlot(QWidget):
    """Curves of the original and every method along the line, in the panes' colours."""

    def __init__(self, grid: PaneGrid, tool: ProfileTool) -> None:
        super().__init__()
        self.grid, self.tool = grid, tool
        self.channel = QComboBox()
        self.channel.addItems(CHANNELS)
        self.channel.currentTextChanged.connect(lambda _c: self.refresh())
        self.plot = pg.PlotWidget()
        self.plot.setLabel("bottom", "distance along the line", units="px")
        self.plot.setLabel("left", "value (0..255)")
        self.legend = self.plot.addLegend(offset=(-10, 10))
        self.curves: dict[str, pg.PlotDataItem] = {}
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Channel"))
        bar.addWidget(self.channel)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.plot, stretch=1)
        tool.changed.connect(self.refresh)

    def refresh(self) -> None:
        """Recompute every curve (a few hundred samples a pane: cheap enough for live drags)."""
        points = line_positions(self.tool.start, self.tool.end)
        distance = np.hypot(*(points - points[0]).T)
        panes = [p for p in self.grid.panes if p.pixels is not None]
        for key in set(self.curves) - {p.key for p in panes}:
            self.plot.removeItem(self.curves.pop(key))
        for pane in panes:
            values = sample_line(pane.pixels, points, pane.step, self.channel.currentText())
            curve = self.curves.get(pane.key)
            if curve is None:
                colour = pg.mkColor(pane_colour(pane.key))
                curve = self.plot.plot(pen=pg.mkPen(colour, width=2), name=pane.name)
                self.curves[pane.key] = curve
            curve.setData(distance, values, connect="finite")

    def values(self, key: str) -> np.ndarray:
        return self.curves[key].getData()[1]
