"""What a run produces: its progress, each method's result, and the report of the whole run.

Kept apart from the engine so that what stores or shows results (the cache, the reports, the
window) needs none of the engine's machinery.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from viewer.core.inputs.degrade import Inputs
from viewer.core.measure.artifacts import Artifacts
from viewer.core.measure.metrics import Metrics
from viewer.core.settings import Settings


@dataclass(frozen=True)
class Progress:
    """Where a run is: method `index` of `count`, and its training step if it trains."""

    method: str
    index: int
    count: int
    step: int = 0
    steps: int = 0
    loss: float | None = None  # the training loss of this step


@dataclass
class MethodResult:
    """One method's outcome; `error` is set (and images are None) when it failed."""

    method: str
    output: np.ndarray | None = None
    image: np.ndarray | None = None
    metrics: Metrics | None = None
    artifacts: Artifacts | None = None
    ms: float = 0.0
    params: int = 0
    error: str | None = None
    detail: str = ""  # where it failed, for a tooltip: the failing line of a user's file
    notes: tuple[str, ...] = ()
    losses: tuple[float, ...] = ()
    labels: np.ndarray | None = None  # label mode: the predicted class ids, H x W
    cached: bool = False  # taken from the result cache, not computed in this run
    ahead: tuple[np.ndarray, ...] = ()  # `image`'s mipmap levels, when the window made them


@dataclass
class RunReport:
    inputs: Inputs
    settings: Settings
    results: list[MethodResult] = field(default_factory=list)
    cancelled: bool = False
    train_pairs: list = field(default_factory=list)
