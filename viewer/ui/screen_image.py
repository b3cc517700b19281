"""An ImageItem that draws RGB views from a copy in Qt's own 32-bit pixel format.

Qt draws a 24-bit RGB image by converting every pixel to its 32-bit format on each paint;
a zoom step paints every pane once, so that conversion ran on the GUI thread once per pane
per step. The minified views are converted where they are made, on the refresh threads
(viewer/ui/faithful_image.py), and Qt then blits them.
"""

from __future__ import annotations

import sys

import cv2
import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage

# 0xffRRGGBB words: bytes B, G, R, 255 in memory on a little-endian machine.
NATIVE_FORMAT = QImage.Format.Format_RGB32


def native_copy(rgb: np.ndarray) -> np.ndarray | None:
    """`rgb` (uint8, 3 channels) as NATIVE_FORMAT pixels; None for any other image, which
    pyqtgraph draws its own way."""
    if rgb.dtype != np.uint8 or rgb.ndim != 3 or rgb.shape[2] != 3 or sys.byteorder != "little":
        return None
    return cv2.cvtColor(rgb, cv2.COLOR_RGB2BGRA)


class ScreenImage(pg.ImageItem):
    """`set_pixels(pixels, native)` shows `pixels` and paints them from `native`. Anything
    else that changes what the item shows (new data, levels, a colour table) drops the copy."""

    def __init__(self) -> None:
        super().__init__()
        self._native: np.ndarray | None = None  # keeps the QImage's buffer alive
        self._native_image: QImage | None = None

    def set_pixels(self, pixels: np.ndarray, native: np.ndarray | None, **options) -> None:
        self.setImage(pixels, autoLevels=False, **options)
        if native is not None:
            height, width = native.shape[:2]
            self._native = native
            stride = native.strides[0]
            self._native_image = QImage(native.data, width, height, stride, NATIVE_FORMAT)

    def paints_native(self) -> bool:
        return self._native_image is not None

    def _drop_native(self) -> None:
        self._native, self._native_image = None, None

    def setImage(self, image=None, *args, **kwargs) -> None:
        self._drop_native()
        super().setImage(image, *args, **kwargs)

    def setLevels(self, levels, *args, **kwargs) -> None:
        self._drop_native()
        super().setLevels(levels, *args, **kwargs)

    def setLookupTable(self, lut, *args, **kwargs) -> None:
        self._drop_native()
        super().setLookupTable(lut, *args, **kwargs)

    def clear(self) -> None:
        self._drop_native()
        super().clear()

    def paint(self, painter, *args) -> None:
        if self._native_image is None or self.image is None:
            super().paint(painter, *args)
            return
        height, width = self.image.shape[:2]
        painter.drawImage(QRectF(0, 0, width, height), self._native_image)
