"""NVIDIA's FLIP (Andersson et al. 2020): the difference a person sees when flipping between
the original and a result, computed by NVIDIA's own `flip-evaluator` package (LDR-FLIP at its
default 67 pixels per degree). It costs about 6 s per method at 3 MP on one core, so the
metric is opt-in (`--perceptual flip`) and the window's FLIP view is computed on demand.
"""

from __future__ import annotations

import numpy as np


def _unit_rgb(image: np.ndarray) -> np.ndarray:
    """8-bit RGB as the contiguous float32 H x W x 3 in [0, 1] that FLIP reads."""
    return np.ascontiguousarray(image, dtype=np.float32) / np.float32(255)


def _evaluate(reference: np.ndarray, image: np.ndarray) -> tuple[np.ndarray, float]:
    """FLIP's error map (float32 H x W, 0..1) and its mean, from the package itself."""
    import flip_evaluator  # a compiled extension: loaded only when FLIP is asked for

    error, mean, _ = flip_evaluator.evaluate(
        _unit_rgb(reference), _unit_rgb(image), "LDR", applyMagma=False
    )
    return error[..., 0], float(mean)


def flip_map(reference: np.ndarray, image: np.ndarray) -> np.ndarray:
    """The per-pixel FLIP error of the uint8 `image` against the uint8 `reference`."""
    return _evaluate(reference, image)[0]


def mean_flip(reference: np.ndarray, image: np.ndarray) -> float:
    """The mean FLIP error, as the package reports it: 0 identical, 1 the largest."""
    return _evaluate(reference, image)[1]
