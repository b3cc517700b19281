"""Results kept between runs, so a change re-runs only what it changes.

A result is keyed by the input's content (the original, the low-res input and the guide, so
the scale, degradation and label input are in it), the method id and exactly the settings that
method reads (`Method.settings_read`). The cache is bounded in bytes and forgets the least
recently used result first.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import replace

import numpy as np

from viewer.core.inputs.degrade import Inputs
from viewer.core.method import Method
from viewer.core.run.results import MethodResult
from viewer.core.settings import Settings

DEFAULT_BYTES = 1 << 30


def content_key(inputs: Inputs) -> str:
    """A digest of everything the methods read from the input."""
    digest = hashlib.blake2b(digest_size=16)
    for array in (inputs.original, inputs.lowres, inputs.guide):
        if array is not None:
            digest.update(f"{array.shape}{array.dtype}".encode())
            digest.update(np.ascontiguousarray(array).data)
    return digest.hexdigest()


def result_bytes(result: MethodResult) -> int:
    arrays = (result.image, result.output, result.labels)
    return sum(array.nbytes for array in arrays if array is not None)


class ResultCache:
    """Thread-safe LRU of MethodResults, at most `limit` bytes of arrays."""

    def __init__(self, limit: int = DEFAULT_BYTES) -> None:
        self.limit = limit
        self._items: OrderedDict[tuple, MethodResult] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    @staticmethod
    def key(content: str, method: Method, settings: Settings) -> tuple | None:
        """The key of `method`'s result on this content, or None for results that are not
        kept (those read from files, which may change under the same name)."""
        if method.backend == "file":
            return None
        read = tuple((name, getattr(settings, name)) for name in method.settings_read)
        return content, method.id, method.version, read

    def keys(self, inputs: Inputs, methods: list[Method], settings: Settings) -> dict:
        """Each method's key on these inputs (the content digested once)."""
        content = content_key(inputs)
        return {method.id: self.key(content, method, settings) for method in methods}

    def get(self, key: tuple | None) -> MethodResult | None:
        if key is None:
            return None
        with self._lock:
            result = self._items.get(key)
            if result is not None:
                self._items.move_to_end(key)
            return result

    def put(self, key: tuple | None, result: MethodResult) -> None:
        """Keep a successful result (errors are retried), evicting the oldest to fit."""
        size = result_bytes(result)
        if key is None or result.error or size > self.limit:
            return
        with self._lock:
            if key in self._items:
                self._bytes -= result_bytes(self._items.pop(key))
            self._items[key] = replace(result)
            self._bytes += size
            while self._bytes > self.limit:
                _, oldest = self._items.popitem(last=False)
                self._bytes -= result_bytes(oldest)

    @property
    def size(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._items)
