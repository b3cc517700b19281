"""Inference kernels written with OpenCV and numpy work in bands of output rows: a band's
intermediates stay in the CPU's cache, and two bands at a time use both cores (OpenCV and
numpy release the GIL)."""

from __future__ import annotations

from collections.abc import Callable

from viewer.core.run.parallel import map_on_threads


def in_bands(height: int, rows: int, work: Callable[[slice], None]) -> None:
    """work(band) for every band of `rows` rows in [0, height), two at a time; the threads
    are joined before it returns, and the first error raised in a band is raised."""
    map_on_threads(work, [slice(top, min(top + rows, height)) for top in range(0, height, rows)])
