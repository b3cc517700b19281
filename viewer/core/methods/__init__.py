"""The registry: every module in this package that defines METHOD is an upsampler.

Adding a method means adding one module here; nothing else changes.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from viewer.core.method import Method


@cache
def all_methods() -> tuple[Method, ...]:
    """Every registered method, in display order."""
    found = []
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        method = getattr(module, "METHOD", None)
        if isinstance(method, Method):
            found.append(method)
    ids = [m.id for m in found]
    duplicated = {i for i in ids if ids.count(i) > 1}
    if duplicated:
        raise RuntimeError(f"method ids registered twice: {sorted(duplicated)}")
    return tuple(sorted(found, key=lambda m: (m.order, m.id)))


_added: dict[str, Method] = {}  # results made elsewhere (viewer.core.inputs.added_result)


def method_ids() -> list[str]:
    """The built-in methods' ids (what the command line and the panel offer)."""
    return [m.id for m in all_methods()]


def add_method(method: Method) -> None:
    """Make one more method known for this process: a result added from a file."""
    if method.id in method_ids():
        raise ValueError(f"{method.id} is a built-in method's id")
    _added[method.id] = method


def get_method(method_id: str) -> Method:
    """The method with this id; KeyError lists the known ids."""
    for method in all_methods():
        if method.id == method_id:
            return method
    if method_id in _added:
        return _added[method_id]
    raise KeyError(f"unknown method {method_id!r}; known: {', '.join(method_ids())}")
