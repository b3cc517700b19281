"""Work that OpenCV and numpy do with the GIL released, spread over two cores: SSIM's row
strips, the learned operators' bands, the panes' minified views of one zoom step."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

THREADS = 2

Item = TypeVar("Item")
Result = TypeVar("Result")


def map_on_threads(work: Callable[[Item], Result], items: Iterable[Item]) -> list[Result]:
    """[work(item) for item in items], THREADS at a time. The threads are joined before it
    returns and the first error is raised; one item runs on the calling thread."""
    items = list(items)
    if len(items) < 2:
        return [work(item) for item in items]
    with ThreadPoolExecutor(min(THREADS, len(items))) as pool:
        return list(pool.map(work, items))
