"""The grid of panes: one shared view region, one crosshair, one heatmap scale."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QRectF, Signal
from PySide6.QtWidgets import QGridLayout, QWidget

from viewer.core.heatmap import LUMA, Difference
from viewer.core.spectrum import display_range, log_spectrum
from viewer.ui.background import Background
from viewer.ui.colormaps import SPECTRUM_MODES, lookup_table
from viewer.ui.pane import Pane

MODES = ("image", "abs", "signed", "spectrum", "diff_spectrum")
DIFFERENCE_MODES = ("abs", "signed")


def best_columns(count: int, area: tuple[float, float], image: tuple[float, float]) -> int:
    """The column count that shows `count` images of size `image` largest in `area`."""
    best, best_scale = 1, 0.0
    for columns in range(1, max(count, 1) + 1):
        rows = math.ceil(count / columns)
        scale = min(area[0] / columns / image[0], area[1] / rows / image[1])
        if scale > best_scale * (1 + 1e-9):
            best, best_scale = columns, scale
    return best


@dataclass
class Display:
    """What method panes show: the image or a difference, which channel, on what scale."""

    mode: str = "image"
    channel: str = "luma"
    fixed_scale: float | None = None


class PaneGrid(QWidget):
    hovered = Signal(float, float)
    left = Signal()
    displayChanged = Signal()

    def __init__(self) -> None:
        super().__init__()
        self._layout = QGridLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(4)
        self.panes: list[Pane] = []
        self._columns = 0
        self._image_size = (1.0, 1.0)
        self.display = Display()
        self.differences: dict[str, Difference] = {}
        self.spectra: dict[tuple[str, str], tuple[np.ndarray, tuple[float, float]]] = {}
        self._generation = 0
        self.background = Background(self)
        self.background.done.connect(self._spectrum_ready)

    # panes ---------------------------------------------------------------------------------
    def set_panes(self, specs: list[tuple[str, str, str]]) -> None:
        """(key, title, tooltip) per pane; panes whose key stays are kept with their images."""
        existing = {pane.key: pane for pane in self.panes}
        wanted = [key for key, _, _ in specs]
        for pane in self.panes:
            if pane.key not in wanted:
                self._layout.removeWidget(pane)
                pane.viewbox.setXLink(None)
                pane.viewbox.setYLink(None)
                pane.setParent(None)
                pane.deleteLater()
                self.differences.pop(pane.key, None)
        self.panes = []
        for key, title, tooltip in specs:
            pane = existing.get(key) or self._new_pane(key, title, tooltip)
            self.panes.append(pane)
        self._columns = 0
        self.reflow()

    def _new_pane(self, key: str, title: str, tooltip: str) -> Pane:
        """Panes link to the lead's view. None locks its aspect (a lock fights the links and
        jitters); the grid keeps pixels square itself, since every cell has the same size."""
        pane = Pane(key, title, tooltip)
        if self.panes:
            pane.viewbox.setXLink(self.lead.viewbox)
            pane.viewbox.setYLink(self.lead.viewbox)
        else:
            pane.viewbox.sigResized.connect(self._keep_pixels_square)
        pane.hovered.connect(self._hover)
        return pane

    @property
    def lead(self) -> Pane:
        return self.panes[0]

    def pane(self, key: str) -> Pane:
        return next(pane for pane in self.panes if pane.key == key)

    def image_size(self) -> tuple[int, int]:
        return int(self._image_size[0]), int(self._image_size[1])

    def set_image_size(self, width: int, height: int) -> None:
        self._image_size = (float(width), float(height))
        self._columns = 0
        self.reflow()

    def reflow(self) -> None:
        if not self.panes:
            return
        columns = best_columns(
            len(self.panes), (max(self.width(), 1), max(self.height(), 1)), self._image_size
        )
        if columns == self._columns:
            return
        self._columns = columns
        rows = math.ceil(len(self.panes) / columns)
        for pane in self.panes:
            self._layout.removeWidget(pane)
        for index, pane in enumerate(self.panes):
            self._layout.addWidget(pane, index // columns, index % columns)
            pane.show()
        # Equal cells: linked views then show the same region at the same zoom in every pane.
        for column in range(max(self._layout.columnCount(), columns)):
            self._layout.setColumnStretch(column, 1 if column < columns else 0)
        for row in range(max(self._layout.rowCount(), rows)):
            self._layout.setRowStretch(row, 1 if row < rows else 0)

    def columns(self) -> int:
        return self._columns

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.reflow()

    # view region ---------------------------------------------------------------------------
    def fit(self) -> None:
        """Show the whole image, as large as the panes allow."""
        width, height = self._image_size
        view = self.lead.viewbox
        if view.width() < 1 or view.height() < 1:
            view.setRange(QRectF(0, 0, width, height), padding=0)
            return
        factor = 0.98 * min(view.width() / width, view.height() / height)
        self.show_region(width / 2, height / 2, factor)

    def zoom_to(self, factor: float) -> None:
        """`factor` screen pixels per image pixel, around the current centre."""
        centre = self.lead.viewbox.viewRect().center()
        self.show_region(centre.x(), centre.y(), factor)

    def region(self) -> tuple[float, float, float]:
        """(centre x, centre y, screen pixels per image pixel) of the shared view."""
        centre = self.lead.viewbox.viewRect().center()
        return centre.x(), centre.y(), self.zoom_factor()

    def show_region(self, x: float, y: float, factor: float) -> None:
        view = self.lead.viewbox
        half_w, half_h = view.width() / factor / 2, view.height() / factor / 2
        view.setRange(xRange=(x - half_w, x + half_w), yRange=(y - half_h, y + half_h), padding=0)

    def _keep_pixels_square(self) -> None:
        """After a resize keep the zoom (screen pixels per image pixel) across the width."""
        view = self.lead.viewbox
        rect = view.viewRect()
        if view.width() >= 1 and rect.width() > 0:
            self.show_region(rect.center().x(), rect.center().y(), view.width() / rect.width())

    def zoom_by(self, factor: float) -> None:
        self.lead.viewbox.scaleBy(s=(1 / factor, 1 / factor))

    def pan(self, dx: float, dy: float) -> None:
        """Move by fractions of the visible width and height."""
        rect = self.lead.viewbox.viewRect()
        self.lead.viewbox.translateBy(x=dx * rect.width(), y=dy * rect.height())

    def zoom_factor(self) -> float:
        unit = self.lead.viewbox.viewPixelSize()[0]
        return 1 / unit if unit else 0.0

    # crosshair -----------------------------------------------------------------------------
    def _hover(self, x: float, y: float) -> None:
        for pane in self.panes:
            pane.set_crosshair(x, y)
        self.hovered.emit(x, y)

    def leaveEvent(self, event) -> None:
        for pane in self.panes:
            pane.set_crosshair(None, None)
        self.left.emit()
        super().leaveEvent(event)

    # difference views ----------------------------------------------------------------------
    def set_difference(self, key: str, difference: Difference) -> None:
        self.differences[key] = difference
        self._apply_all()
        self.displayChanged.emit()

    def set_display(self, **changes) -> None:
        for name, value in changes.items():
            setattr(self.display, name, value)
        self._apply_all()
        self.displayChanged.emit()

    def clear_results(self) -> None:
        """Forget differences and spectra of the previous run (late spectra are dropped)."""
        self.differences.clear()
        self.spectra.clear()
        self._generation += 1

    def levels(self) -> tuple[float, float]:
        """The levels every heatmap pane shares in the current mode."""
        mode = self.display.mode
        if mode in SPECTRUM_MODES:
            ranges = [v[1] for (_, kind), v in self.spectra.items() if kind == mode and v]
            if not ranges:
                return 0.0, 1.0
            return min(r[0] for r in ranges), max(r[1] for r in ranges)
        scale = self.scale()
        return (0.0, scale) if mode == "abs" else (-scale, scale)

    def scale(self) -> float:
        """The shared heatmap scale: fixed by the user, or the largest error shown."""
        if self.display.fixed_scale:
            return self.display.fixed_scale
        peaks = [d.peaks[self.display.channel] for d in self.differences.values()]
        return max([1.0, *peaks])

    def _apply_all(self) -> None:
        mode = self.display.mode
        if mode in SPECTRUM_MODES:
            self._apply_spectra(mode)
            return
        scale = self.scale()
        for pane in self.panes:
            difference = self.differences.get(pane.key)
            if mode == "image" or difference is None:
                pane.set_heat(None, None, None)
            else:
                values = difference.channel(self.display.channel)
                pane.set_heat(values, lookup_table(mode), (-scale, scale))

    def _apply_spectra(self, mode: str) -> None:
        levels = self.levels()
        for pane in self.panes:
            source = self._spectrum_source(pane.key, mode)
            if source is None:
                pane.set_heat(None, None, None)
                continue
            if (pane.key, mode) not in self.spectra:
                self._request_spectrum(pane.key, mode, source)
            known = self.spectra[(pane.key, mode)]
            if known is not None:  # else still being computed
                pane.set_heat(known[0], lookup_table(mode), levels)

    def _spectrum_source(self, key: str, mode: str) -> np.ndarray | None:
        """Luma of what the spectrum is taken of; None where a pane has no such spectrum."""
        if mode == "diff_spectrum":
            difference = self.differences.get(key)
            return None if difference is None else difference.luma
        pane = self.pane(key)
        if key == "lowres" or pane.pixels is None:
            return None  # its spectrum has another size: it would not line up with the others
        return pane.pixels

    def _request_spectrum(self, key: str, mode: str, source: np.ndarray) -> None:
        self.spectra[(key, mode)] = None  # asked for: do not ask twice
        generation = self._generation

        def compute():
            values = source @ LUMA if source.ndim == 3 else source
            spectrum = log_spectrum(values)
            return spectrum, display_range(spectrum)

        self.background.submit((generation, key, mode), compute)

    def _spectrum_ready(self, token: tuple, result) -> None:
        generation, key, mode = token
        if generation != self._generation or result is None:
            return
        self.spectra[(key, mode)] = result
        if self.display.mode == mode:
            self._apply_all()
            self.displayChanged.emit()

    def spectrum_pending(self) -> bool:
        return any(value is None for value in self.spectra.values())
