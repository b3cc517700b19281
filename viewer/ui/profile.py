"""The line profile: one line shared by every pane, and a plot of every pane along it."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QObject, QPointF, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from viewer.controllers.export import Folders
from viewer.core.output.files import write_bytes_atomic
from viewer.core.views.colours import pane_colour
from viewer.core.views.profile import CHANNELS, line_positions, profile_csv, sample_line
from viewer.ui.pane_grid import PaneGrid
from viewer.ui.swatch import swatch_icon

LINE_PEN = pg.mkPen((255, 220, 0), width=2)


class ProfileTool(QObject):
    """Keeps a LineSegmentROI in every pane at the model's line (`ProfileLine`); dragging
    one moves the model's line, and every pane follows it."""

    changed = Signal()

    def __init__(self, grid: PaneGrid) -> None:
        super().__init__()
        self.grid = grid
        self.line = grid.model.profile
        self._rois: dict[str, pg.LineSegmentROI] = {}
        self._syncing = False
        self._dragged: pg.LineSegmentROI | None = None
        self.line.events.connect(self._line_changed)

    @property
    def active(self) -> bool:
        return self.line.active

    @property
    def start(self) -> tuple[float, float]:
        return self.line.ends[0]

    @property
    def end(self) -> tuple[float, float]:
        return self.line.ends[1]

    def set_active(self, active: bool) -> None:
        """On: a line across the middle of the view; off: the lines hide."""
        if active and not self.active:
            self._place_across_view()
        self.line.active = active

    def _line_changed(self, info) -> None:
        if info.signal.name == "active":
            self.sync_panes()
        elif info.signal.name == "ends":
            self._place_all()
        self.changed.emit()

    def _place_across_view(self) -> None:
        rect = self.grid.lead.viewbox.viewRect()
        width, height = self.grid.image_size()
        y = min(max(rect.center().y(), 0.5), height - 0.5)
        left = max(rect.left() + rect.width() * 0.1, 0.0)
        right = min(rect.right() - rect.width() * 0.1, float(width))
        self.line.ends = ((left, y), (right, y))

    def sync_panes(self) -> None:
        """Give every pane (new ones too) its line, at the shared position, or hide them.
        Lines are made when the tool is first on: a window without them opens faster."""
        for key in list(self._rois):
            if key not in {p.key for p in self.grid.panes}:
                self._rois.pop(key)
        for pane in self.grid.panes:
            roi = self._rois.get(pane.key)
            if roi is None and not self.active:
                continue
            if roi is None:
                roi = pg.LineSegmentROI([self.start, self.end], pen=LINE_PEN)
                roi.sigRegionChanged.connect(self._moved)
                pane.viewbox.addItem(roi, ignoreBounds=True)
                self._rois[pane.key] = roi
            roi.setVisible(self.active)
        self._place_all()

    def set_line(self, start: tuple[float, float], end: tuple[float, float]) -> None:
        self.line.ends = (start, end)

    def _moved(self, roi: pg.LineSegmentROI) -> None:
        """A pane's line was dragged: the model's line moves (the others follow it)."""
        if self._syncing:
            return
        ends = [roi.mapToParent(position) for _, position in roi.getLocalHandlePositions()]
        self._dragged = roi
        try:
            self.line.ends = ((ends[0].x(), ends[0].y()), (ends[1].x(), ends[1].y()))
        finally:
            self._dragged = None

    def _place_all(self) -> None:
        """Every pane's line at the model's (the one being dragged is there already)."""
        self._syncing = True
        try:
            for roi in self._rois.values():
                if roi is self._dragged:
                    continue
                roi.setPos(QPointF(0, 0), update=False)
                for handle, point in zip(roi.getHandles(), (self.start, self.end), strict=True):
                    roi.movePoint(handle, QPointF(*point), finish=False)
        finally:
            self._syncing = False

    def roi(self, key: str) -> pg.LineSegmentROI:
        return self._rois[key]


class ProfilePlot(QWidget):
    """Curves of the original and every method along the line, in the panes' colours, with
    a legend beside the plot (scrollable; a click shows or hides a curve), the selected
    method's curve drawn thick, and CSV export."""

    exported = Signal(str)
    failed = Signal(str)

    def __init__(self, grid: PaneGrid, tool: ProfileTool, folders: Folders | None = None) -> None:
        super().__init__()
        self.grid, self.tool = grid, tool
        self.folders = folders  # where the CSV dialog opens: the last folder used
        self.highlighted: str | None = None
        self.channel = QComboBox()
        self.channel.addItems(CHANNELS)
        self.channel.currentTextChanged.connect(lambda c: setattr(tool.line, "channel", c))
        self.export_button = QPushButton("Export CSV…")
        self.export_button.clicked.connect(self._choose_csv)
        self.legend = QListWidget()
        self.legend.setMaximumWidth(220)
        self.legend.itemChanged.connect(self._legend_toggled)
        self.curves: dict[str, pg.PlotDataItem] = {}
        self.distance = np.zeros(0)
        self.points = np.zeros((0, 2))
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Channel"))
        bar.addWidget(self.channel)
        bar.addStretch(1)
        bar.addWidget(self.export_button)
        self._body = QHBoxLayout()
        self._body.addWidget(self.legend)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addLayout(self._body, stretch=1)
        tool.changed.connect(self.refresh)
        grid.model.events.selected.connect(self.highlight)
        tool.line.events.channel.connect(lambda c: self.channel.setCurrentText(c))

    @cached_property
    def plot(self) -> pg.PlotWidget:
        """Made when the first profile is drawn: most sessions never draw one."""
        plot = pg.PlotWidget()
        plot.setLabel("bottom", "distance along the line", units="px")
        plot.setLabel("left", "value (0..255)")
        plot.setMinimumHeight(160)
        self._body.insertWidget(0, plot, stretch=1)
        return plot

    def refresh(self) -> None:
        """Recompute every curve (a few hundred samples a pane: cheap enough for live drags)."""
        self.points = line_positions(self.tool.start, self.tool.end)
        self.distance = np.hypot(*(self.points - self.points[0]).T)
        panes = [p for p in self.grid.panes if p.pixels is not None]
        for key in set(self.curves) - {p.key for p in panes}:
            self.plot.removeItem(self.curves.pop(key))
        for pane in panes:
            values = sample_line(pane.pixels, self.points, pane.step, self.tool.line.channel)
            curve = self.curves.get(pane.key)
            if curve is None:
                curve = self.plot.plot(name=pane.name)
                self.curves[pane.key] = curve
            curve.setData(self.distance, values, connect="finite")
        self._sync_legend(panes)
        self._style()

    def _sync_legend(self, panes) -> None:
        shown = [
            self.legend.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.legend.count())
        ]
        if shown == [pane.key for pane in panes]:
            return
        hidden = {key for key, curve in self.curves.items() if not curve.isVisible()}
        self.legend.blockSignals(True)
        self.legend.clear()
        for pane in panes:
            item = QListWidgetItem(swatch_icon(pane_colour(pane.key)), pane.name)
            item.setData(Qt.ItemDataRole.UserRole, pane.key)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = pane.key not in hidden
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.legend.addItem(item)
        self.legend.blockSignals(False)

    def _legend_toggled(self, item: QListWidgetItem) -> None:
        curve = self.curves.get(item.data(Qt.ItemDataRole.UserRole))
        if curve is not None:
            curve.setVisible(item.checkState() == Qt.CheckState.Checked)

    def highlight(self, key: str | None) -> None:
        """Draw `key`'s curve thick and on top (the method selected in the table)."""
        self.highlighted = key
        self._style()

    def _style(self) -> None:
        for key, curve in self.curves.items():
            chosen = key == self.highlighted
            width = 4 if chosen else (1 if self.highlighted else 2)
            curve.setPen(pg.mkPen(pane_colour(key), width=width))
            curve.setZValue(10 if chosen else 0)

    def values(self, key: str) -> np.ndarray:
        return self.curves[key].getData()[1]

    def _choose_csv(self) -> None:
        folder = Path(self.folders.last_folder()) if self.folders else Path.home()
        path, _ = QFileDialog.getSaveFileName(
            self, "Export the profile", str(folder / "profile.csv"), "CSV (*.csv)"
        )
        if path:
            if self.folders:
                self.folders.set_last_folder(Path(path).parent)
            self.export_csv(path)

    def export_csv(self, path: str) -> None:
        """distance, x, y and every pane's value along the line; written whole or not at all."""
        columns = {self.grid.pane(key).name: self.values(key) for key in self.curves}
        try:
            write_bytes_atomic(path, profile_csv(self.distance, self.points, columns))
        except OSError as error:
            self.failed.emit(f"{path}: {error.strerror or error}")
            return
        self.exported.emit(path)
