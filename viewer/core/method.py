"""What an upsampler is to the engine: one small record per method.

A method module in `viewer.core.methods` defines `METHOD = Method(...)`. Its `build` receives a
Context and returns the Paddle operator that maps the chosen source tensor (N, C, H, W, float32,
0..255) to the upsampled tensor; a `guided` method's operator also takes the full-resolution
guide image (N, 3, H·r, W·r, 0..255) as its second argument. Learned methods train inside
`build`, reporting each step and checking for cancel. Paddle is imported inside `build`,
never at module import, so the window can list methods before Paddle has loaded.
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
    GUIDE = "guide"  # the full-resolution image guided methods read beside their source


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
    guide: np.ndarray | None = None  # the full-resolution image guided methods read
    class_maps: bool = False  # values are class scores: learned methods train for labels

    def pairs(self) -> list[tuple[np.ndarray, np.ndarray, np.ndarray | None]]:
        """(low-res, original, guide) to train on: the chosen images (a label map's carry
        its image as the guide, others none), or the loaded one."""
        if self.train_pairs:
            return [
                (pair[0], pair[1], pair[2] if len(pair) > 2 else None) for pair in self.train_pairs
            ]
        return [(self.lowres, self.original, self.guide)]

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
    guided: bool = False  # reads the full-resolution image as a guide
    reads: tuple[str, ...] | None = None  # the settings it reads; None: its kind's default
    version: str = ""  # what its code is, where it can change (a user file's sha256)

    @property
    def settings_read(self) -> tuple[str, ...]:
        """The settings its result depends on (beyond the input): what a cached result is
        keyed by. Learned methods read the shared recipe's; fixed ones none."""
        if self.reads is not None:
            return self.reads
        return RECIPE_SETTINGS if self.learned else ()


RECIPE_SETTINGS = ("steps", "seed", "lr", "train_on", "train_labels")


GUIDE_MISSING = (
    "needs a full-resolution guide image: open a label map with its image, or a feature "
    "map with --guide (for a plain image the guide would be the answer itself)"
)


def unavailable(method: Method, has_guide: bool) -> str | None:
    """Why `method` cannot run on these inputs, or None when it can."""
    return GUIDE_MISSING if method.guided and not has_guide else None
