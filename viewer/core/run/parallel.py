"""Work that OpenCV and numpy do with the GIL released, spread over two cores: SSIM's row
strips, the learned operators' bands, the panes' minified views of one zoom step, a
result's measures and its views. A thread whose other core is taken says so with
`on_one_core()`."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import TypeVar

THREADS = 2  # the calling thread and one helper

Item = TypeVar("Item")
Result = TypeVar("Result")

_this_thread = threading.local()


@contextmanager
def on_one_core(busy: Callable[[], bool] | None) -> Iterator[None]:
    """Inside, map_on_threads in this thread (and in the helpers it starts) works alone
    whenever `busy()`: the other core is taken (a method computes beside the measuring, and
    a second thread would slow it more than it helps). None: never busy."""
    previous = getattr(_this_thread, "busy", None)
    _this_thread.busy = busy
    try:
        yield
    finally:
        _this_thread.busy = previous


def map_on_threads(work: Callable[[Item], Result], items: Iterable[Item]) -> list[Result]:
    """[work(item) for item in items], THREADS at a time. The calling thread works too: it
    is running already, where a pool of fresh threads had to be woken, and during a run the
    window waited for them. Each thread takes the next item when it finishes one; an error
    stops both, the helper is joined, and the first error is raised."""
    todo = deque(enumerate(items))
    results: list = [None] * len(todo)
    lock = threading.Lock()

    def drain() -> None:
        while True:
            with lock:
                if not todo:
                    return
                index, item = todo.popleft()
            try:
                results[index] = work(item)
            except BaseException:
                with lock:
                    todo.clear()
                raise

    busy = getattr(_this_thread, "busy", None)
    if len(todo) < 2 or (busy is not None and busy()):
        drain()
        return results

    def help_out() -> None:
        with on_one_core(busy):  # nested work on the helper asks the caller's question
            drain()

    with ThreadPoolExecutor(THREADS - 1) as pool:
        helper = pool.submit(help_out)
        try:
            drain()
        finally:
            error = helper.exception()  # waits for the helper, whatever happened here
        if error is not None:
            raise error
    return results


def run_together(*tasks: Callable[[], Result]) -> list[Result]:
    """[task() for task in tasks], on two threads as map_on_threads runs them."""
    return map_on_threads(lambda task: task(), tasks)
