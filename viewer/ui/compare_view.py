"""One large view comparing two panes: swipe (A left of a divider, B right) or flicker. It
shows what the panes show: their images, or their derived views in the grid's colours."""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QRectF, Qt, Signal
from PySide6.QtGui import QImage, QPen, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QGraphicsItem,
    QGraphicsRectItem,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from viewer.model import Compare
from viewer.ui import camera
from viewer.ui.faithful_image import FaithfulImage
from viewer.ui.screen_image import ScreenImage

DIVIDER_PEN = pg.mkPen((255, 200, 0), width=2)


class CompareView(QWidget):
    """Sources are (key, name, pixels, step) of the panes, and what each pane shows (its
    image or its derived view, as RGB); the view keeps its zoom and position when A, B or
    the mode change. Hold Space (or check "Show B") to see B.
    A, B and the mode live in the model (`Compare`): the controls write it, the view
    draws what it holds."""

    regionChanged = Signal()
    LOUPE_SIDE = 160  # screen pixels of each half of the loupe

    def __init__(self, model: Compare | None = None) -> None:
        super().__init__()
        self.model = model or Compare()
        self.sources: dict[str, tuple[str, np.ndarray | None, int]] = {}
        self._shown: Callable[[str], np.ndarray | None] | None = None
        self._mirrored: Callable[[str], FaithfulImage | None] | None = None
        self.a_choice, self.b_choice = QComboBox(), QComboBox()
        self.a_choice.currentIndexChanged.connect(
            lambda _: self.choose(a=self.a_choice.currentData())
        )
        self.b_choice.currentIndexChanged.connect(
            lambda _: self.choose(b=self.b_choice.currentData())
        )
        self.mode_choice = QComboBox()
        self.mode_choice.addItems(["Swipe", "Flicker"])
        self.mode_choice.currentTextChanged.connect(lambda text: self.set_mode(text.lower()))
        self.show_b_button = QPushButton("Show B (hold Space)")
        self.show_b_button.setCheckable(True)
        self.show_b_button.toggled.connect(lambda _on: self._update_clip())
        self.loupe_button = QPushButton("Loupe")
        self.loupe_button.setCheckable(True)
        self.loupe_button.setToolTip("A magnifier under the cursor: A and B side by side")
        self.loupe_zoom = QSpinBox(minimum=2, maximum=64, value=8, suffix=" x")
        self.loupe_zoom.setToolTip("How many screen pixels the loupe gives one image pixel")
        bar = QHBoxLayout()
        for widget in (QLabel("A"), self.a_choice, QLabel("B"), self.b_choice, self.mode_choice):
            bar.addWidget(widget)
        bar.addWidget(self.show_b_button)
        bar.addWidget(self.loupe_button)
        bar.addWidget(self.loupe_zoom)
        bar.addStretch(1)
        # The keys (Space, arrows, F, 1-8) belong to the view: no control may take them.
        for control in (self.a_choice, self.b_choice, self.mode_choice, self.show_b_button):
            control.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        for control in (self.loupe_button, self.loupe_zoom):
            control.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        self.view = pg.GraphicsView()
        self.viewbox = pg.ViewBox(invertY=True, lockAspect=True, enableMenu=False)
        self.view.setCentralItem(self.viewbox)
        self.viewbox.sigRangeChanged.connect(lambda *_: self._region_moved())
        self.label_a, self.label_b = QLabel(self.view), QLabel(self.view)
        self.loupe = QLabel(self.view)
        for label in (self.label_a, self.label_b, self.loupe):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        for label in (self.label_a, self.label_b):
            label.setStyleSheet(
                "background: rgba(0, 0, 0, 170); color: white; padding: 2px 6px; font-weight: bold"
            )
        self.loupe.hide()
        self.view.installEventFilter(self)
        self._mouse = pg.SignalProxy(
            self.view.scene().sigMouseMoved, delay=0, rateLimit=60, slot=self._mouse_moved
        )
        self.loupe_button.toggled.connect(lambda on: self.loupe.setVisible(False))
        self.item_a = ScreenImage()
        self.clip = QGraphicsRectItem()
        self.clip.setFlag(QGraphicsItem.GraphicsItemFlag.ItemClipsChildrenToShape)
        self.clip.setPen(QPen(Qt.PenStyle.NoPen))
        self.item_b = ScreenImage()
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
        self._holding = False  # while set_sources chooses A and B, drawn once after
        self.model.events.connect(self._model_changed)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.view, stretch=1)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    # sources ---------------------------------------------------------------------------------
    def set_sources(
        self,
        sources: list[tuple[str, str, np.ndarray | None, int]],
        shown: Callable[[str], np.ndarray | None] | None = None,
        mirrored: Callable[[str], FaithfulImage | None] | None = None,
    ) -> None:
        """Offer these panes as A and B; keeps the chosen keys where they still exist, else
        A is the first source and B the third. `shown(key)`: what that pane shows (RGB of
        its image or derived view, for the loupe); `mirrored(key)`: the pane's own image,
        shown here as it is there (its values, colours and below-100 % rule: a lone wrong
        label pixel stays whole, a class checker stays two true colours). Asked only for A
        and B. None: their images."""
        self.sources = {key: (name, pixels, step) for key, name, pixels, step in sources}
        self._shown, self._mirrored = shown, mirrored
        keys = list(self.sources)
        for choice in (self.a_choice, self.b_choice):
            choice.blockSignals(True)
            choice.clear()
            for key, (name, _, _) in self.sources.items():
                choice.addItem(name, key)
            choice.blockSignals(False)
        a, b = self.model.a, self.model.b
        self._holding = True  # one drawing for both choices, below
        try:
            self.model.a = a if a in self.sources else (keys[0] if keys else None)
            self.model.b = (
                b if b in self.sources else (keys[min(2, len(keys) - 1)] if keys else None)
            )
        finally:
            self._holding = False
        self.render()

    def set_image_size(self, width: int, height: int) -> None:
        if (width, height) != self._size:
            self._size = (float(width), float(height))
            self.divider.setValue(width / 2)
            self.divider.setBounds((0, width))
        self._update_clip()

    def choose(self, a: str | None = None, b: str | None = None) -> None:
        """Compare `a` with `b` (None keeps that side)."""
        if a is not None:
            self.model.a = a
        if b is not None:
            self.model.b = b

    def key_a(self) -> str | None:
        return self.model.a

    def key_b(self) -> str | None:
        return self.model.b

    def _model_changed(self, info) -> None:
        """A, B or the mode changed (whether Compare is shown is the window's page)."""
        name = info.signal.name
        if name == "mode":
            self._show_mode()
        elif name in ("a", "b") and not self._holding:
            self.render()

    def _show_mode(self) -> None:
        self.mode_choice.blockSignals(True)
        self.mode_choice.setCurrentText(self.model.mode.capitalize())
        self.mode_choice.blockSignals(False)
        self._update_clip()

    def render(self) -> None:
        """The controls and the two images as the model says."""
        for choice, key in ((self.a_choice, self.model.a), (self.b_choice, self.model.b)):
            choice.blockSignals(True)
            choice.setCurrentIndex(choice.findData(key))
            choice.blockSignals(False)
        self._show_mode()
        for image, key in ((self.image_a, self.key_a()), (self.image_b, self.key_b())):
            source = self.shown_source(key)
            mirrored = self._mirrored(key) if self._mirrored and source is not None else None
            if mirrored is not None and mirrored.data is not None:
                image.mirror(mirrored)
            elif source is None:
                image.clear()
            else:
                _, pixels, step = source
                image.set(pixels, QRectF(0, 0, pixels.shape[1] * step, pixels.shape[0] * step))

    def shown_source(self, key: str | None) -> tuple[str, np.ndarray, int] | None:
        """(name, RGB as the pane shows it, step) of pane `key`, or None."""
        name, pixels, step = self.sources.get(key, ("", None, 1))
        if pixels is None:
            return None
        shown = self._shown(key) if self._shown is not None else pixels
        if shown is None:
            return None
        return name, shown, step * pixels.shape[1] // shown.shape[1]  # a view's own size

    # modes -----------------------------------------------------------------------------------
    @property
    def mode(self) -> str:
        return self.model.mode

    def set_mode(self, mode: str) -> None:
        self.model.mode = mode

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
        self._update_labels()

    def _update_labels(self) -> None:
        """Say on screen what is where: A left and B right of the divider, or which one
        the flicker shows now."""
        name_a = self.sources.get(self.key_a(), ("",))[0]
        name_b = self.sources.get(self.key_b(), ("",))[0]
        if self.mode == "swipe" and not self.showing_b():
            self.label_a.setText(f"A: {name_a}")
            self.label_b.setText(f"B: {name_b}")
            self.label_b.show()
        else:
            shown = f"B: {name_b}" if self.showing_b() else f"A: {name_a}"
            self.label_a.setText(f"showing {shown}")
            self.label_b.hide()
        self._place_overlays()

    def shown_label(self) -> str:
        """The on-screen label(s), for tests and screenshots."""
        texts = [self.label_a.text()]
        if not self.label_b.isHidden():
            texts.append(self.label_b.text())
        return " | ".join(texts)

    def eventFilter(self, watched, event) -> bool:
        if watched is self.view and event.type() == QEvent.Type.Resize:
            self._place_overlays()
        return False

    def _place_overlays(self) -> None:
        for label in (self.label_a, self.label_b):
            label.adjustSize()
        self.label_a.move(8, 8)
        self.label_b.move(max(8, self.view.width() - self.label_b.width() - 8), 8)
        self.loupe.move(
            max(0, self.view.width() - self.loupe.width() - 8),
            max(0, self.view.height() - self.loupe.height() - 8),
        )

    def step_b(self, step: int) -> None:
        """B becomes the next (or previous) source, as tev's Up / Down do."""
        keys = list(self.sources)
        if keys:
            index = keys.index(self.model.b) if self.model.b in keys else -1
            self.model.b = keys[(index + step) % len(keys)]

    # loupe -----------------------------------------------------------------------------------
    def _mouse_moved(self, event) -> None:
        if not self.loupe_button.isChecked():
            return
        position = event[0]
        if not self.viewbox.sceneBoundingRect().contains(position):
            self.loupe.hide()
            return
        point = self.viewbox.mapSceneToView(position)
        self.show_loupe(point.x(), point.y())

    def show_loupe(self, x: float, y: float) -> None:
        """A and B around image point (x, y), side by side, each image pixel a sharp square
        of `loupe_zoom` screen pixels, with the centre pixel outlined."""
        zoom = self.loupe_zoom.value()
        halves = [
            loupe_crop(self.shown_source(key), x, y, self.LOUPE_SIDE, zoom)
            for key in (self.key_a(), self.key_b())
        ]
        if any(half is None for half in halves):
            self.loupe.hide()
            return
        for half, letter in zip(halves, "AB", strict=True):
            mark_corner(half, letter)
        gap = np.full((self.LOUPE_SIDE, 4, 3), 255, np.uint8)
        picture = np.ascontiguousarray(np.concatenate([halves[0], gap, halves[1]], axis=1))
        height, width = picture.shape[:2]
        image = QImage(picture.data, width, height, 3 * width, QImage.Format.Format_RGB888)
        self.loupe.setPixmap(QPixmap.fromImage(image.copy()))
        self.loupe.adjustSize()
        self.loupe.show()
        self._place_overlays()

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
    def _region_moved(self) -> None:
        """A zoom or pan that leaves the swipe divider off screen brings it back to the
        middle of the view (within the image), so the two sides stay comparable."""
        rect = self.viewbox.viewRect()
        width = self._size[0]
        if not rect.left() <= self.divider.value() <= rect.right():
            self.divider.setValue(min(max(rect.center().x(), 0.0), width))
        self.regionChanged.emit()

    def show_region(self, centre_x: float, centre_y: float, factor: float) -> None:
        """Centre on (x, y) at `factor` screen pixels per image pixel (the grid's zoom)."""
        camera.show_region(self.viewbox, centre_x, centre_y, factor)

    def region(self) -> tuple[float, float, float]:
        """(centre x, centre y, screen pixels per image pixel) of the current view."""
        return camera.region(self.viewbox)

    def fit(self) -> None:
        camera.fit(self.viewbox, *self._size)

    def zoom_to(self, factor: float) -> None:
        camera.zoom_to(self.viewbox, factor)

    def zoom_by(self, factor: float) -> None:
        camera.zoom_by(self.viewbox, factor)

    def pan(self, dx: float, dy: float) -> None:
        camera.pan(self.viewbox, dx, dy)


def mark_corner(picture: np.ndarray, letter: str) -> None:
    """`letter` in white on a dark box in the top-left corner of `picture` (in place)."""
    picture[:18, :16] = (0, 0, 0)
    cv2.putText(picture, letter, (3, 14), cv2.FONT_HERSHEY_SIMPLEX, 0.5, (255, 255, 255), 1)


def loupe_crop(
    source: tuple[str, np.ndarray | None, int] | None, x: float, y: float, side: int, zoom: int
) -> np.ndarray | None:
    """`side` x `side` screen pixels of a source around output point (x, y): each of its
    pixels repeated `zoom` times (nearest, never smoothed), outside the image grey, the
    centre pixel outlined."""
    if source is None or source[1] is None:
        return None
    _, pixels, step = source
    count = max(1, side // zoom)
    row, column = int(y // step), int(x // step)
    top, left = row - count // 2, column - count // 2
    padded = np.full((count, count, 3), 128, np.uint8)
    height, width = pixels.shape[:2]
    rows = slice(max(top, 0), min(top + count, height))
    columns = slice(max(left, 0), min(left + count, width))
    if rows.start < rows.stop and columns.start < columns.stop:
        padded[rows.start - top : rows.stop - top, columns.start - left : columns.stop - left] = (
            pixels[rows, columns, :3]
        )
    big = np.repeat(np.repeat(padded, zoom, axis=0), zoom, axis=1)
    canvas = np.full((side, side, 3), 128, np.uint8)
    canvas[: big.shape[0], : big.shape[1]] = big[:side, :side]
    centre = (count // 2) * zoom
    canvas[centre : centre + zoom, [centre, min(side, centre + zoom) - 1]] = (255, 220, 0)
    canvas[[centre, min(side, centre + zoom) - 1], centre : centre + zoom] = (255, 220, 0)
    return canvas
