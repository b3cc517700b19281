"""Where a view looks: its centre and zoom (screen pixels per image pixel). The grid's lead
pane and the compare view move the same way, through these functions."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QRectF

FIT_MARGIN = 0.98


def region(viewbox: pg.ViewBox) -> tuple[float, float, float]:
    """(centre x, centre y, screen pixels per image pixel). Reads only the view's state:
    viewPixelSize() would update its matrix, re-entering a range change in progress."""
    rect = viewbox.viewRect()
    factor = viewbox.width() / rect.width() if rect.width() > 0 else 0.0
    return rect.center().x(), rect.center().y(), factor


def show_region(viewbox: pg.ViewBox, x: float, y: float, factor: float) -> None:
    """Centre on (x, y) at `factor`, with square pixels."""
    if factor <= 0 or viewbox.width() < 1:
        return
    half_w, half_h = viewbox.width() / factor / 2, viewbox.height() / factor / 2
    viewbox.setRange(xRange=(x - half_w, x + half_w), yRange=(y - half_h, y + half_h), padding=0)


def fit(viewbox: pg.ViewBox, width: float, height: float) -> None:
    """The whole image, as large as the view allows."""
    if viewbox.width() < 1 or viewbox.height() < 1:
        viewbox.setRange(QRectF(0, 0, width, height), padding=0)
        return
    factor = FIT_MARGIN * min(viewbox.width() / width, viewbox.height() / height)
    show_region(viewbox, width / 2, height / 2, factor)


def shows_whole(viewbox: pg.ViewBox, width: float, height: float) -> bool:
    """Whether the whole image is in view (as after `fit`)."""
    return viewbox.viewRect().contains(QRectF(0, 0, width, height).adjusted(1, 1, -1, -1))


def zoom_to(viewbox: pg.ViewBox, factor: float) -> None:
    x, y, _ = region(viewbox)
    show_region(viewbox, x, y, factor)


def zoom_by(viewbox: pg.ViewBox, factor: float) -> None:
    viewbox.scaleBy(s=(1 / factor, 1 / factor))


def pan(viewbox: pg.ViewBox, dx: float, dy: float) -> None:
    """Move by fractions of the visible width and height."""
    rect = viewbox.viewRect()
    viewbox.translateBy(x=dx * rect.width(), y=dy * rect.height())
