"""A labelled contact sheet: original, input and every method side by side in one PNG, each
caption right under its own tile, every tile the same size, and (for a heat view) the colour
bar with its title and units under them all."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from viewer.core.views.derived import colour_table

TILE = 384
LABEL_HEIGHT = 44
GAP = 8
FONT = cv2.FONT_HERSHEY_SIMPLEX
BAR_HEIGHT = 18
LEGEND_HEIGHT = 70  # title, bar and tick labels


@dataclass(frozen=True)
class Legend:
    """What a heat view's colours mean: its mode's colour table over low..high, and the
    colour bar's title (what and in which units)."""

    mode: str
    low: float
    high: float
    title: str


def tile_size(image: np.ndarray, tile: int = TILE) -> tuple[int, int]:
    """(width, height) of `image` fitted to `tile` on its longer side."""
    height, width = image.shape[:2]
    factor = tile / max(height, width)
    return max(1, round(width * factor)), max(1, round(height * factor))


def fit_tile(image: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """`image` at exactly `size` with nearest neighbours, so artifacts stay."""
    return cv2.resize(image, size, interpolation=cv2.INTER_NEAREST)


def contact_sheet(
    tiles: Sequence[tuple[str, str, np.ndarray]], columns: int = 4, legend: Legend | None = None
) -> np.ndarray:
    """Lay out (title, subtitle, RGB image) tiles in a grid on white, every tile at the first
    one's size (a low-res crop a pixel taller or shorter is drawn as big as the rest), each
    title and subtitle right under its tile; `legend` adds the colour bar below."""
    columns = max(1, min(columns, len(tiles)))
    rows = math.ceil(len(tiles) / columns)
    size = tile_size(tiles[0][2])
    cell_w = size[0] + GAP
    cell_h = size[1] + LABEL_HEIGHT + GAP
    width = max(columns * cell_w + GAP, 320 if legend else 0)
    height = rows * cell_h + GAP + (LEGEND_HEIGHT if legend else 0)
    sheet = np.full((height, width, 3), 255, np.uint8)
    for i, (title, subtitle, image) in enumerate(tiles):
        top = GAP + (i // columns) * cell_h
        left = GAP + (i % columns) * cell_w
        sheet[top : top + size[1], left : left + size[0]] = fit_tile(image[..., :3], size)
        baseline = top + size[1] + 18
        cv2.putText(sheet, title, (left, baseline), FONT, 0.55, (0, 0, 0), 1, cv2.LINE_AA)
        cv2.putText(
            sheet, subtitle, (left, baseline + 20), FONT, 0.45, (70, 70, 70), 1, cv2.LINE_AA
        )
    if legend:
        draw_legend(sheet, legend, GAP, rows * cell_h + GAP, width - 2 * GAP)
    return sheet


def draw_legend(picture: np.ndarray, legend: Legend, left: int, top: int, width: int) -> None:
    """The colour bar in `picture` (in place) at (left, top), `width` wide: its title, the
    colours from low (left) to high (right), and the values at both ends and the middle."""
    cv2.putText(picture, legend.title, (left, top + 16), FONT, 0.5, (0, 0, 0), 1, cv2.LINE_AA)
    table = colour_table(legend.mode)
    columns = np.linspace(0, 255, width).round().astype(int)
    bar_top = top + 24
    picture[bar_top : bar_top + BAR_HEIGHT, left : left + width] = table[columns][None]
    for fraction in (0.0, 0.5, 1.0):
        value = legend.low + fraction * (legend.high - legend.low)
        text = f"{value:.3g}"
        (text_w, _), _ = cv2.getTextSize(text, FONT, 0.45, 1)
        x = left + round(fraction * (width - 1))
        picture[bar_top + BAR_HEIGHT : bar_top + BAR_HEIGHT + 4, x] = 0  # the tick
        x = min(max(left, x - text_w // 2), left + width - text_w)
        baseline = bar_top + BAR_HEIGHT + 20
        cv2.putText(picture, text, (x, baseline), FONT, 0.45, (0, 0, 0), 1, cv2.LINE_AA)


def legend_picture(legend: Legend, width: int = 400) -> np.ndarray:
    """The colour bar alone, on white (written beside the tiles of a heat view)."""
    picture = np.full((LEGEND_HEIGHT, width, 3), 255, np.uint8)
    draw_legend(picture, legend, GAP, 0, width - 2 * GAP)
    return picture
