"""One titled, zoomable view: an image, its difference heatmap, a crosshair, a pixel grid."""

from __future__ import annotations

import html
from collections.abc import Callable
from functools import cached_property

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QRectF, Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QProgressBar, QVBoxLayout

from viewer.core.inputs.label_maps import IGNORE
from viewer.core.presentation.pixel_text import PixelLayers, is_light, pixel_text
from viewer.core.views.label_minify import LabelPyramid
from viewer.model import PaneState
from viewer.ui.elided_label import ElidedLabel, NumbersLabel
from viewer.ui.faithful_image import FaithfulImage
from viewer.ui.linked_view_box import LinkedViewBox
from viewer.ui.pixel_grid import PixelGrid
from viewer.ui.pixel_values import PixelValues
from viewer.ui.screen_image import ScreenImage

pg.setConfigOptions(imageAxisOrder="row-major", antialias=False)

# 800 %: from here the crosshair's pixel value is written beside it. A little under 8, as
# layout rounding makes some cells a pixel narrower than the lead's (7.95 at "800 %").
TAG_FROM_PX = 7.5
TAG_GAP = 0.1  # between the cursor and its value tag, in the tag's own size
CROSSHAIR_PEN = pg.mkPen((0, 220, 255, 170), width=1)
HIGHLIGHT = "QFrame#pane { border: 2px solid #2a82da; }"
NORMAL = "QFrame#pane { border: 2px solid transparent; }"


class Pane(QFrame):
    """`hovered` carries the image coordinate under the cursor (in output pixels)."""

    hovered = Signal(float, float)
    doubleClicked = Signal()
    menuRequested = Signal(object)  # the global position of a right click

    def __init__(self, key: str, title: str, tooltip: str = "") -> None:
        super().__init__()
        self.key = key
        self.name = title
        self.colour = ""
        self.highlighted = False
        self.setObjectName("pane")
        self.setStyleSheet(NORMAL)
        # Two fixed lines: the name (elided, whole in the tooltip) and the numbers, so no
        # title ever pushes the numbers out and every pane's view has the same size.
        self.swatch = QLabel()
        self.title = ElidedLabel(title, bold=True)
        self.caption = NumbersLabel()
        for label in (self.swatch, self.title, self.caption):
            label.setToolTip(f"<b>{title}</b><br>{tooltip}" if tooltip else title)
        self.view = pg.GraphicsView()
        self.view.setMinimumSize(48, 36)  # small screens: the docks keep some room
        self.viewbox = LinkedViewBox(invertY=True, enableMenu=False)
        self.view.setCentralItem(self.viewbox)
        self.image_item = ScreenImage()
        self.heat_item = ScreenImage()
        self.heat_item.hide()
        # Below 100 % both show area averages, never a decimation (viewer.core.views.minify).
        self.image = FaithfulImage(self.viewbox, self.image_item)
        self.heat = FaithfulImage(self.viewbox, self.heat_item)
        self.grid = PixelGrid()
        self.values = PixelValues(self.describe_pixel)
        for item in (self.image_item, self.heat_item, self.grid, self.values):
            self.viewbox.addItem(item)
        self._pixels: np.ndarray | None = None
        self._class_ids: np.ndarray | None = None
        self._ignore = IGNORE
        self._features: dict = {}  # a feature map's values, for the pixel texts
        self._step = 1
        self.view.scene().sigMouseClicked.connect(self._clicked)
        self._mouse = pg.SignalProxy(
            self.view.scene().sigMouseMoved, delay=0, rateLimit=60, slot=self._mouse_moved
        )
        # Progress and messages float over the view: showing one never resizes it.
        self.progress = QProgressBar(self.view)
        self.progress.setMaximumHeight(10)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.message = QLabel(self.view)
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.message.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.message.setStyleSheet("background: rgba(255, 255, 255, 200); padding: 3px;")
        self.message.hide()
        self.view.installEventFilter(self)
        name_row = QHBoxLayout()
        name_row.setSpacing(4)
        name_row.addWidget(self.swatch)
        name_row.addWidget(self.title, stretch=1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.setSpacing(1)
        layout.addLayout(name_row)
        layout.addWidget(self.caption)
        layout.addWidget(self.view, stretch=1)

    def eventFilter(self, watched, event) -> bool:
        if watched is self.view and event.type() == QEvent.Type.Resize:
            self._place_overlays()
        return False

    def _place_overlays(self) -> None:
        width = self.view.width()
        self.progress.setGeometry(4, 4, max(0, width - 8), 10)
        self.message.setFixedWidth(max(0, width - 8))
        self.message.adjustSize()
        self.message.move(4, 16 if self.progress.isVisible() else 4)

    def follow(self, state: PaneState) -> None:
        """Draw `state` now and whenever it changes."""
        self.state = state
        state.events.connect(self._state_changed)
        self.render(state)

    def _state_changed(self, *_) -> None:
        self.render(self.state)

    def render(self, state: PaneState) -> None:
        """Draw the pane's status: its caption, a progress bar while it runs, its message."""
        self.caption.setText(state.caption)
        if state.status == "running":
            self.progress.setRange(0, max(state.steps, 0))
            self.progress.setValue(state.step)
            self.progress.show()
        else:
            self.progress.hide()
        if state.message:
            failed = state.status == "failed"
            self.show_message(state.message, error=failed)
            # A traceback's carets line up under its source line in a fixed-width font only.
            detail = f"<pre>{html.escape(state.detail)}</pre>" if failed and state.detail else ""
            self.message.setToolTip(detail or state.message)
            # A failed pane has nothing to pan: the message takes the mouse, for its tooltip.
            self.message.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, not failed)
        else:
            self.message.hide()

    def set_colour(self, colour: str) -> None:
        """The pane's colour (its curve in the profile and loss plots), as a swatch."""
        self.colour = colour
        self.swatch.setText(f"<span style='color:{colour}'>■</span>" if colour else "")

    def set_pixels(
        self,
        rgb: np.ndarray,
        step: int = 1,
        class_ids: np.ndarray | None = None,
        ignore: int = IGNORE,
        ahead: tuple[np.ndarray, ...] = (),
        minified: LabelPyramid | None = None,
    ) -> None:
        """Show uint8 RGB; `step` output pixels per image pixel (the low-res pane uses r).
        `class_ids` (label maps) are what the pixel tags then say instead of RGB, naming the
        label map's `ignore` id as such. `ahead`: the image's mipmap levels, if the engine
        made them; `minified`: a label pane's views below 100 %, made from its class ids
        (label_minify) instead of averaging its colours."""
        self._pixels = rgb
        self._class_ids, self._ignore = class_ids, ignore
        self._step = step
        height, width = rgb.shape[:2]
        self.image.set(rgb, QRectF(0, 0, width * step, height * step), ahead, minified)
        self.grid.set_extent(width * step, height * step, step)
        self.values.set_extent(width * step, height * step, step)
        self.message.hide()

    def clear_pixels(self) -> None:
        self._pixels = None
        self.image.clear()
        self.heat.clear()

    @property
    def pixels(self) -> np.ndarray | None:
        return self._pixels

    @property
    def step(self) -> int:
        return self._step

    @property
    def class_ids(self) -> np.ndarray | None:
        """The class ids a label map's pane shows (None for other inputs)."""
        return self._class_ids

    @property
    def ignore(self) -> int:
        return self._ignore

    def set_features(
        self, values: np.ndarray | None, real_value: Callable | None, channel: int | None
    ) -> None:
        """The feature (or class-score) values this pane's pixels stand for, `real_value`
        turning them into the map's own units, `channel` the one shown (None: all): what its
        pixel texts then say, as the pixel inspector does."""
        self._features = {"features": values, "real_value": real_value, "channel": channel}

    def set_heat(self, values: np.ndarray | None, lut: np.ndarray, levels: tuple) -> None:
        """Show `values` through `lut` over `levels` instead of the image; None shows the image."""
        if values is None:
            self.heat_item.hide()
            self.heat.clear()  # a 12 MP heatmap and its rendering: free them
            self.image_item.show()
            self.image.refresh()
            return
        self.image_item.hide()
        self.heat_item.show()
        if values is self.heat.data:
            self.heat.set_options(levels=levels, lut=lut)
        else:
            self.heat.set(values, self.image.rect, levels=levels, lut=lut)

    def showing_heat(self) -> bool:
        return self.heat_item.isVisible()

    def show_message(self, text: str, error: bool = False) -> None:
        self.progress.hide()
        colour = "#c0392b" if error else "#555555"
        self.message.setText(f"<span style='color:{colour}'>{html.escape(text)}</span>")
        self.message.show()
        self._place_overlays()

    def set_highlighted(self, on: bool) -> None:
        self.highlighted = on
        self.setStyleSheet(HIGHLIGHT if on else NORMAL)

    # The crosshair and its value tag are made on the first hover: a window of 22 panes
    # starts about 25 ms sooner.
    @cached_property
    def vline(self) -> pg.InfiniteLine:
        return self._hover_item(pg.InfiniteLine(angle=90, movable=False, pen=CROSSHAIR_PEN))

    @cached_property
    def hline(self) -> pg.InfiniteLine:
        return self._hover_item(pg.InfiniteLine(angle=0, movable=False, pen=CROSSHAIR_PEN))

    @cached_property
    def value_tag(self) -> pg.TextItem:
        tag = pg.TextItem(color=(255, 255, 255), fill=(0, 0, 0, 180), anchor=(-0.1, 1.1))
        tag.setZValue(20)
        return self._hover_item(tag)

    def _hover_item(self, item: pg.GraphicsObject) -> pg.GraphicsObject:
        item.hide()
        self.viewbox.addItem(item, ignoreBounds=True)
        return item

    def _made(self, name: str) -> bool:
        return name in self.__dict__

    def set_crosshair(self, x: float | None, y: float | None) -> None:
        visible = x is not None and self._pixels is not None
        if visible or self._made("vline"):
            for line, pos in ((self.vline, x), (self.hline, y)):
                line.setVisible(visible)
                if visible:
                    line.setPos(pos)
        self._tag_value(x, y if visible else None)

    def _tag_value(self, x: float | None, y: float | None) -> None:
        """From 800 % (a pixel 8 screen pixels wide, too small for its numbers) until the
        values fit inside the pixels, the value under the crosshair is written beside it, in
        the pixel inspector's words."""
        spacing = self.values.spacing_px() if y is not None else 0.0
        if not TAG_FROM_PX <= spacing < self.values.min_px:
            self._hide_tag()
            return
        row, column = int(y // self._step), int(x // self._step)
        text = pixel_text(self.pixel_layers(), row, column)
        if not text:
            self._hide_tag()
            return
        self.value_tag.setText(text)
        self.value_tag.setPos(x, y)
        self.value_tag.setAnchor(self._tag_anchor(x, y))
        self.value_tag.show()

    def _tag_anchor(self, x: float, y: float) -> tuple[float, float]:
        """Right of and above the cursor, or left of it (below it) where the tag would run
        past the pane's right (top) edge: a tag cut at the edge read "255 255"."""
        size = self.value_tag.textItem.boundingRect()
        point = self.viewbox.mapViewToScene(pg.Point(x, y))
        edges = self.viewbox.sceneBoundingRect()
        left = point.x() + size.width() * (1 + TAG_GAP) > edges.right()
        below = point.y() - size.height() * (1 + TAG_GAP) < edges.top()
        return (1 + TAG_GAP if left else -TAG_GAP, -TAG_GAP if below else 1 + TAG_GAP)

    def _hide_tag(self) -> None:
        if self._made("value_tag"):
            self.value_tag.hide()

    def pixel_layers(self) -> PixelLayers:
        """What the pane shows, for its pixels' text: the heatmap's values when one is on,
        the class ids of a label map, the RGB."""
        heat = self.heat.data if self.showing_heat() else None
        if heat is not None and self._pixels is not None and heat.shape[0] > len(self._pixels):
            step = heat.shape[0] // len(self._pixels)  # the low-res input's spectrum plane:
            heat = heat[::step, ::step]  # read at the output pixel of each low-res pixel
        signed = (self.heat.options.get("levels") or (0, 0))[0] < 0  # else a magnitude
        return PixelLayers(
            rgb=self._pixels,
            heat=heat,
            signed=signed,
            classes=self._class_ids,
            ignore=self._ignore,
            **self._features,
        )

    def describe_pixel(self, row: int, column: int) -> tuple[str, bool] | None:
        """The text drawn inside the pixel, and whether the pixel is light (dark text)."""
        if self._pixels is None or not (0 <= row < self._pixels.shape[0]):
            return None
        if not 0 <= column < self._pixels.shape[1]:
            return None
        layers = self.pixel_layers()
        light = layers.heat is None and is_light(self._pixels[row, column])
        return pixel_text(layers, row, column, cell=True), light

    def _clicked(self, event) -> None:
        if event.double() and event.button() == Qt.MouseButton.LeftButton:
            event.accept()
            self.doubleClicked.emit()

    def contextMenuEvent(self, event) -> None:
        self.menuRequested.emit(event.globalPos())

    def _mouse_moved(self, event) -> None:
        position = event[0]
        if self.viewbox.sceneBoundingRect().contains(position):
            point = self.viewbox.mapSceneToView(position)
            self.hovered.emit(point.x(), point.y())
