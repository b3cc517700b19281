"""Test charts made in code at any size: each makes one kind of artifact easy to see."""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np

from viewer.core.inputs.image_io import LoadedImage, check_pixel_limit
from viewer.core.settings import DEFAULT_MAX_PIXELS, option

DEFAULT_SIZE = option("chart_size").default


def _grey(values: np.ndarray) -> np.ndarray:
    return np.repeat(np.clip(values, 0, 255).astype(np.uint8)[:, :, None], 3, axis=2)


def _centred(size: int) -> tuple[np.ndarray, np.ndarray]:
    y, x = np.mgrid[0:size, 0:size].astype(np.float64)
    return x - (size - 1) / 2, y - (size - 1) / 2


def zoneplate(size: int) -> np.ndarray:
    """cos(pi·rho²/N): frequency grows with the radius up to Nyquist at the edge, so every
    frequency is present once; aliasing shows as false rings."""
    x, y = _centred(size)
    return _grey(127.5 + 127.5 * np.cos(np.pi * (x**2 + y**2) / size))


def star(size: int, spokes: int = 36) -> np.ndarray:
    """A Siemens star: spokes get finer towards the centre, where resolution runs out."""
    x, y = _centred(size)
    return _grey(np.where(np.sin(spokes * np.arctan2(y, x)) >= 0, 255, 0))


def checker(size: int, cell: int = 8) -> np.ndarray:
    """Black and white squares: edges on the pixel grid show blocking and phase shifts."""
    y, x = np.mgrid[0:size, 0:size]
    return _grey(np.where((x // cell + y // cell) % 2, 255, 0))


def lines(size: int) -> np.ndarray:
    """Thin lines of 1 to 4 pixels and small text on white: blur and lost strokes."""
    image = np.full((size, size), 255, np.uint8)
    for i, width in enumerate((1, 1, 2, 2, 3, 4)):
        left = size // 16 + i * size // 10
        image[size // 16 : size // 2, left : left + width] = 0
        top = size // 16 + i * size // 14
        image[top : top + width, size // 2 + size // 16 : size - size // 16] = 0
    cv2.line(image, (size // 16, size - size // 16), (size // 2, size // 2 + size // 16), 0, 1)
    scale = max(0.3, size / 1400)
    for row, text in enumerate(("Upsample 0123456789", "thin strokes, small text", "ijl1|!")):
        origin = (size // 2 + size // 32, size // 2 + size // 8 + row * size // 10)
        cv2.putText(image, text, origin, cv2.FONT_HERSHEY_SIMPLEX, scale, 0, 1, cv2.LINE_AA)
    return _grey(image)


def step(size: int) -> np.ndarray:
    """A sharp vertical edge from 40 to 215: ringing shows as over- and undershoot beside it
    (the levels leave room, so it is not hidden by clipping)."""
    image = np.full((size, size), 40.0)
    image[:, size // 2 :] = 215.0
    return _grey(image)


CHARTS: dict[str, Callable[[int], np.ndarray]] = {
    "zoneplate": zoneplate,
    "star": star,
    "checker": checker,
    "lines": lines,
    "step": step,
}


def chart_names() -> list[str]:
    return list(CHARTS)


def load_chart(
    name: str, size: int = DEFAULT_SIZE, max_pixels: int = DEFAULT_MAX_PIXELS
) -> LoadedImage:
    """The named chart as a LoadedImage (KeyError names the unknown chart). A chart obeys
    the pixel limit like a file: InputError before it is made."""
    make = CHARTS[name]
    check_pixel_limit(f"chart:{name}", size, size, max_pixels)
    return LoadedImage(name=f"chart:{name}", pixels=make(size))
