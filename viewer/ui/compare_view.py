"""One large view comparing two panes: swipe (A left of a divider, B right) or flicker."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QPen
from PySide6.QtWidgets import (
    QComboBox,
    QGraphicsItem,
    QGraphicsRectItem,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from viewer.ui.faithful_image import FaithfulImage

DIVIDER_PEN = pg.mkPen((255, 200, 0), width=2)


class CompareView(QWidget):
    """Sources are (key, name, pixels, step) as the panes show them; the view keeps its zoom
    and position when A, B or the mode change. Hold Space (or check "Show B") to see B."""

    closed = Signal()
    regionChanged = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.sources: dict[str, tuple[str, np.ndarray | None, int]] = {}
        self.mode = "swipe"
        self.a_choice, self.b_choice = QComboBox(), QComboBox()
        self.a_choice.currentIndexChanged.connect(self._refresh_images)
        self.b_choice.currentIndexChanged.connect(self._refresh_images)
        self.mode_choice = QComboBox()
        self.mode_choice.addItems(["Swipe", "Flicker"])
        self.mode_choice.currentTextChanged.connect(lambda text: self.set_mode(text.lower()))
        self.show_b_button = QPushButton("Show B (hold Space)")
        self.show_b_button.setCheckable(True)
        self.show_b_button.toggled.connect(lambda _on: self._update_clip())
        bar = QHBoxLayout()
        for widget in (QLabel("A"), self.a_choice, QLabel("B"), self.b_choice, self.mode_choice):
            bar.addWidget(widget)
        bar.addWidget(self.show_b_button)
        bar.addStretch(1)

        self.view = pg.GraphicsView()
        self.viewbox = pg.ViewBox(invertY=True, lockAspect=True, enableMenu=False)
        self.view.setCentralItem(self.viewbox)
        self.viewbox.sigRangeChanged.connect(lambda *_: self.regionChanged.emit())
        self.item_a = pg.ImageItem()
        self.clip = QGraphicsRectItem()
        self.clip.setFlag(QGraphicsItem.GraphicsItemFlag.ItemClipsChildrenToShape)
        self.clip.setPen(QPen(Qt.PenStyle.NoPen))
        self.item_b = pg.ImageItem()
        self.item_b.setParentItem(self.clip)  # ImageItem(parent=...) does not reach Qt
        self.divider = pg.InfiniteLine(angle=90, movable=True, pen=DIVIDER_PEN)
        self.divider.sigPositionChanged.connect(lambda _line: self._update_clip())
        self.image_a = FaithfulImage(self.viewbox, self.item_a)
        self.image_b = FaithfulImage(self.viewbox, self.item_b)
        self.viewbox.addItem(self.item_a)
        self.viewbox.addItem(self.clip)
        self.viewbox.addItem(self.divider, ignoreBounds=True)
        self._size = (1.0, 1.0)
        self._space_held = False

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.view, stretch=1)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    # sources ---------------------------------------------------------------------------------
    def set_sources(self, sources: list[tuple[str, str, np.ndarray | None, int]]) -> None:
        """Offer these panes as A and B; keeps the chosen keys where they still exist."""
        a, b = self.key_a(), self.key_b()
        self.sources = {key: (name, pixels, step) for key, name, pixels, step in sources}
        for choice, keep, default in ((self.a_choice, a, 0), (self.b_choice, b, 2)):
            choice.blockSignals(True)
            choice.clear()
            for key, (name, _, _) in self.sources.items():
                choice.addItem(name, key)
            index = choice.findData(keep)
            choice.setCurrentIndex(index if index >= 0 else min(default, choice.count() - 1))
            choice.blockSignals(False)
        self._refresh_images()

    def set_image_size(self, width: int, height: int) -> None:
        if (width, height) != self._size:
            self._size = (float(width), float(height))
            self.divider.setValue(width / 2)
            self.divider.setBounds((0, width))
        self._update_clip()

    def choose(self, a: str | None = None, b: str | None = None) -> None:
        for choice, key in ((self.a_choice, a), (self.b_choice, b)):
            if key is not None:
                choice.setCurrentIndex(choice.findData(key))

    def key_a(self) -> str | None:
        return self.a_choice.currentData()

    def key_b(self) -> str | None:
        return self.b_choice.currentData()

    def _refresh_images(self) -> None:
        self._update_clip()
        for image, key in ((self.image_a, self.key_a()), (self.image_b, self.key_b())):
            _, pixels, step = self.sources.get(key, ("", None, 1))
            if pixels is None:
                image.clear()
                continue
            image.set(pixels, QRectF(0, 0, pixels.shape[1] * step, pixels.shape[0] * step))

    # modes -----------------------------------------------------------------------------------
    def set_mode(self, mode: str) -> None:
        self.mode = mode
        self.mode_choice.setCurrentText(mode.capitalize())
        self._update_clip()

    def showing_b(self) -> bool:
        return self._space_held or self.show_b_button.isChecked()

    def b_region(self) -> QRectF:
        """Where B is visible, in image coordinates (A shows everywhere else)."""
        width, height = self._size
        if self.showing_b():
            return QRectF(0, 0, width, height)
        if self.mode == "flicker":
            return QRectF()
        left = min(max(self.divider.value(), 0.0), width)
        return QRectF(left, 0, width - left, height)

    def _update_clip(self) -> None:
        region = self.b_region()
        self.clip.setRect(region)
        self.item_b.setVisible(not region.isEmpty())  # an empty clip shape clips nothing
        self.image_b.refresh()
        self.divider.setVisible(self.mode == "swipe" and not self.showing_b())

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space_held = True
            self._update_clip()
            return
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space_held = False
            self._update_clip()
            return
        super().keyReleaseEvent(event)

    # view region -----------------------------------------------------------------------------
    def show_region(self, centre_x: float, centre_y: float, factor: float) -> None:
        """Centre on (x, y) at `factor` screen pixels per image pixel (the grid's zoom)."""
        half_w = self.viewbox.width() / factor / 2 if factor else self._size[0] / 2
        half_h = self.viewbox.height() / factor / 2 if factor else self._size[1] / 2
        self.viewbox.setRange(
            xRange=(centre_x - half_w, centre_x + half_w),
            yRange=(centre_y - half_h, centre_y + half_h),
            padding=0,
        )

    def region(self) -> tuple[float, float, float]:
        """(centre x, centre y, screen pixels per image pixel) of the current view."""
        rect = self.viewbox.viewRect()
        unit = self.viewbox.viewPixelSize()[0]
        return rect.center().x(), rect.center().y(), (1 / unit if unit else 0.0)
