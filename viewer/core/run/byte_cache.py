"""A least-recently-used cache bounded by the bytes of the arrays it holds: a dataset run
in the window keeps only a few images' results in memory, whatever the folder's size."""

from __future__ import annotations

import dataclasses
from collections import OrderedDict
from typing import Any

import numpy as np


def held_bytes(value: Any) -> int:
    """The bytes of every NumPy array reachable from `value` (dataclasses, sequences,
    mappings), each array counted once: what keeping `value` costs, give or take its small
    Python objects."""
    seen: set[int] = set()
    total = 0
    stack = [value]
    while stack:
        item = stack.pop()
        if item is None or isinstance(item, (str, bytes, int, float, bool)) or id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, np.ndarray):
            base = item if item.base is None else item.base
            if base is not item and id(base) in seen:
                continue
            seen.add(id(base))
            total += base.nbytes if isinstance(base, np.ndarray) else item.nbytes
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, (list, tuple, set, frozenset)):
            stack.extend(item)
        elif hasattr(item, "__dict__") and not isinstance(item, type):  # cached properties too
            stack.extend(vars(item).values())
        elif dataclasses.is_dataclass(item) and not isinstance(item, type):  # slotted
            stack.extend(getattr(item, f.name) for f in dataclasses.fields(item))
    return total


class ByteCappedCache:
    """Values by key, the least recently used dropped while their bytes exceed `cap`; a
    value larger than the cap alone is not kept at all."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self._items: OrderedDict[Any, tuple[Any, int]] = OrderedDict()
        self.held = 0  # the bytes of what is kept now

    def get(self, key: Any) -> Any | None:
        if key not in self._items:
            return None
        self._items.move_to_end(key)
        return self._items[key][0]

    def put(self, key: Any, value: Any) -> None:
        self.discard(key)
        size = held_bytes(value)
        if size > self.cap:
            return
        while self._items and self.held + size > self.cap:
            _, (_, dropped) = self._items.popitem(last=False)
            self.held -= dropped
        self._items[key] = (value, size)
        self.held += size

    def discard(self, key: Any) -> None:
        if key in self._items:
            self.held -= self._items.pop(key)[1]

    def clear(self) -> None:
        self._items.clear()
        self.held = 0

    def __contains__(self, key: Any) -> bool:
        return key in self._items

    def __len__(self) -> int:
        return len(self._items)
