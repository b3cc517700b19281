"""Holding a part's events until it is whole."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def held(part: Any) -> Iterator[None]:
    """Each field event of evented `part` waits until the block ends, then fires once per
    change: listeners never see it half set (a camera's new centre at its old zoom).
    Each signal is paused: SignalGroup.paused() let field events through (psygnal 0.16)."""
    signals = list(part.events.signals.values())
    for signal in signals:
        signal.pause()
    try:
        yield
    finally:
        for signal in signals:
            signal.resume()
