"""Values along a line: the pixels under it, one sample per output pixel of length."""

from __future__ import annotations

import math

import numpy as np

from viewer.core.views.derived import CHANNELS, LUMA


def line_positions(start: tuple[float, float], end: tuple[float, float]) -> np.ndarray:
    """(n, 2) points (x, y) evenly along the line, about one per pixel, ends included."""
    length = math.hypot(end[0] - start[0], end[1] - start[1])
    count = max(2, math.ceil(length) + 1)
    t = np.linspace(0.0, 1.0, count)[:, None]
    return np.asarray(start, float) + t * (np.asarray(end, float) - np.asarray(start, float))


def sample_line(
    pixels: np.ndarray, points: np.ndarray, step: int = 1, channel: str = "luma"
) -> np.ndarray:
    """The value of the pixel under each point (nearest; NaN outside the image).

    `step` is the number of output pixels per image pixel (r for the low-res input).
    """
    columns = np.floor(points[:, 0] / step).astype(int)
    rows = np.floor(points[:, 1] / step).astype(int)
    inside = (rows >= 0) & (rows < pixels.shape[0]) & (columns >= 0) & (columns < pixels.shape[1])
    values = np.full(len(points), np.nan)
    picked = pixels[rows[inside], columns[inside]].astype(np.float64)
    if channel == "luma":
        values[inside] = picked @ LUMA
    else:
        values[inside] = picked[:, CHANNELS.index(channel) - 1]
    return values


def profile_csv(distance: np.ndarray, points: np.ndarray, columns: dict[str, np.ndarray]) -> bytes:
    """The profile as CSV: distance, x, y, then one column per pane (empty outside it)."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["distance", "x", "y", *columns])
    for index in range(len(distance)):
        values = [columns[name][index] for name in columns]
        cells = ["" if not np.isfinite(v) else f"{v:.6g}" for v in values]
        row = [f"{distance[index]:.6g}", f"{points[index, 0]:.6g}", f"{points[index, 1]:.6g}"]
        writer.writerow(row + cells)
    return buffer.getvalue().encode()
