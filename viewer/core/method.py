"""What an upsampler is to the engine: one small record per method.

A method module in `viewer.core.methods` defines `METHOD = Method(...)`. Its `build` receives a
Context and returns the Paddle operator that maps the chosen source tensor (N, C, H, W, float32,
0..255) to the upsampled tensor. Learned methods train inside `build`, reporting each step and
checking for cancel. Paddle is imported inside `build`, never at module import, so the window
can list methods before Paddle has loaded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

import numpy as np

from viewer.core.settings import Settings


class Source(Enum):
    """Which image a method upsamples."""

    LOWRES = "lowres"
    ORIGINAL = "original"


@dataclass
class Context:
    """What `build` gets: settings, both images, progress and cancel hooks."""

    settings: Settings
    original: np.ndarray
    lowres: np.ndarray
    report_step: Callable[[int, int], None] = field(default=lambda done, total: None)
    check_cancel: Callable[[], None] = field(default=lambda: None)
    notes: list[str] = field(default_factory=list)
    losses: list[float] = field(default_factory=list)
    train_pairs: list[tuple[np.ndarray, np.ndarray]] = field(default_factory=list)

    def pairs(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """(low-res, original) images to train on: the chosen ones, or the loaded image."""
        return self.train_pairs or [(self.lowres, self.original)]

    @property
    def scale(self) -> int:
        return self.settings.scale

    @property
    def channels(self) -> int:
        return self.lowres.shape[2]


Operator = Callable[[Any], Any]


@dataclass(frozen=True)
class Method:
    """One upsampler: a stable id, texts for people, and how to build its operator."""

    id: str
    name: str
    summary: str
    info: str
    paddle_call: str
    build: Callable[[Context], Operator]
    order: int
    source: Source = Source.LOWRES
    learned: bool = False
    backend: str = "paddle"  # "opencv" marks a classical reference outside Paddle
