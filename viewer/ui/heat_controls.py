"""Toolbar controls for the difference views, and the one colour bar they share."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Signal
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QCheckBox, QComboBox, QDoubleSpinBox, QLabel, QToolBar

from viewer.core.heatmap import CHANNELS
from viewer.ui.colormaps import colour_map
from viewer.ui.pane_grid import MODES, PaneGrid

MODE_LABELS = {
    "image": "Image",
    "abs": "|Difference|",
    "signed": "Signed difference",
    "spectrum": "Spectrum",
    "diff_spectrum": "Difference spectrum",
}
MODE_TIPS = {
    "image": "Each pane shows its image",
    "abs": "Absolute difference to the original (magma), one scale for all panes",
    "signed": "Signed difference to the original (diverging), one scale for all panes",
    "spectrum": "Centred log-magnitude Fourier spectrum (luma): checkerboard shows as bright "
    "replica peaks at multiples of 1/r of the width and height from the centre",
    "diff_spectrum": "Spectrum of the difference to the original: which frequencies are wrong",
}
CYCLED = ("image", "abs", "signed")


class HeatControls(QToolBar):
    """Mode (image / |difference| / signed), channel, and the shared scale (auto or fixed)."""

    modeChanged = Signal(str)

    def __init__(self, grid: PaneGrid) -> None:
        super().__init__("Difference")
        self.grid = grid
        self.mode_actions: dict[str, QAction] = {}
        group = QActionGroup(self)
        for mode in MODES:
            action = QAction(MODE_LABELS[mode], self, checkable=True)
            action.setData(mode)
            action.setToolTip(MODE_TIPS[mode])
            action.triggered.connect(lambda _=False, m=mode: self.set_mode(m))
            group.addAction(action)
            self.addAction(action)
            self.mode_actions[mode] = action
        self.mode_actions["image"].setChecked(True)
        self.addSeparator()
        self.channel = QComboBox()
        self.channel.addItems(CHANNELS)
        self.channel.setToolTip("Difference of luma (BT.601) or of one colour channel")
        self.channel.currentTextChanged.connect(lambda c: grid.set_display(channel=c))
        self.addWidget(QLabel(" Channel "))
        self.addWidget(self.channel)
        self.auto = QCheckBox("Auto scale")
        self.auto.setChecked(True)
        self.auto.setToolTip("Scale every heatmap to the largest error of any method")
        self.scale = QDoubleSpinBox(decimals=1, minimum=1.0, maximum=255.0, value=64.0)
        self.scale.setEnabled(False)
        self.scale.setToolTip("Fixed heatmap scale, in 0..255 units")
        self.auto.toggled.connect(self._scale_changed)
        self.scale.valueChanged.connect(self._scale_changed)
        self.addWidget(self.auto)
        self.addWidget(self.scale)

    def set_mode(self, mode: str) -> None:
        self.mode_actions[mode].setChecked(True)
        self.grid.set_display(mode=mode)
        self.modeChanged.emit(mode)

    def cycle_mode(self) -> None:
        """Image → |difference| → signed difference → image (from a spectrum: image)."""
        mode = self.grid.display.mode
        following = CYCLED[(CYCLED.index(mode) + 1) % len(CYCLED)] if mode in CYCLED else "image"
        self.set_mode(following)

    def toggle_spectrum(self) -> None:
        self.set_mode("image" if self.grid.display.mode == "spectrum" else "spectrum")

    def _scale_changed(self, *_) -> None:
        self.scale.setEnabled(not self.auto.isChecked())
        fixed = None if self.auto.isChecked() else self.scale.value()
        self.grid.set_display(fixed_scale=fixed)


class ColourBar(pg.GraphicsLayoutWidget):
    """One colour bar for every heatmap pane: it shows the grid's current map and scale."""

    def __init__(self, grid: PaneGrid) -> None:
        super().__init__()
        self.grid = grid
        self.setFixedWidth(90)
        self.bar = pg.ColorBarItem(
            values=(0, 1), colorMap=colour_map("abs"), interactive=False, width=18
        )
        self.addItem(self.bar)
        grid.displayChanged.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        mode = self.grid.display.mode
        self.setVisible(mode != "image")
        self.bar.setColorMap(colour_map(mode))
        self.bar.setLevels(self.grid.levels())

    def levels(self) -> tuple[float, float]:
        return tuple(self.bar.levels())
