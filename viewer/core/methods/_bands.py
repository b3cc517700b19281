"""Inference kernels written with OpenCV and numpy work in bands of output rows: a band's
intermediates stay in the CPU's cache, and two bands at a time use both cores (OpenCV and
numpy release the GIL)."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

BAND_THREADS = 2


def in_bands(height: int, rows: int, work: Callable[[slice], None]) -> None:
    """work(band) for every band of `rows` rows in [0, height), BAND_THREADS at a time; the
    threads are joined before it returns, and the first error raised in a band is raised."""
    bands = [slice(top, min(top + rows, height)) for top in range(0, height, rows)]
    with ThreadPoolExecutor(min(BAND_THREADS, len(bands))) as pool:
        list(pool.map(work, bands))
