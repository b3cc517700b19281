"""A labelled contact sheet: original, input and every method side by side in one PNG."""

from __future__ import annotations

import math
from collections.abc import Sequence

import cv2
import numpy as np

TILE = 384
LABEL_HEIGHT = 44
GAP = 8
FONT = cv2.FONT_HERSHEY_SIMPLEX


def fit_tile(image: np.ndarray, tile: int = TILE) -> np.ndarray:
    """Resize to fit `tile` on its longer side with nearest neighbours, so artifacts stay."""
    height, width = image.shape[:2]
    factor = tile / max(height, width)
    size = (max(1, round(width * factor)), max(1, round(height * factor)))
    return cv2.resize(image, size, interpolation=cv2.INTER_NEAREST)


def contact_sheet(tiles: Sequence[tuple[str, str, np.ndarray]], columns: int = 4) -> np.ndarray:
    """Lay out (title, subtitle, RGB image) tiles in a grid on white."""
    columns = max(1, min(columns, len(tiles)))
    rows = math.ceil(len(tiles) / columns)
    cell_w = TILE + GAP
    cell_h = TILE + LABEL_HEIGHT + GAP
    sheet = np.full((rows * cell_h + GAP, columns * cell_w + GAP, 3), 255, np.uint8)
    for i, (title, subtitle, image) in enumerate(tiles):
        top = GAP + (i // columns) * cell_h
        left = GAP + (i % columns) * cell_w
        picture = fit_tile(image)
        sheet[top : top + picture.shape[0], left : left + picture.shape[1]] = picture
        baseline = top + TILE + 18
        cv2.putText(sheet, title, (left, baseline), FONT, 0.55, (0, 0, 0), 1, cv2.LINE_AA)
        cv2.putText(
            sheet, subtitle, (left, baseline + 20), FONT, 0.45, (70, 70, 70), 1, cv2.LINE_AA
        )
    return sheet
