"""The derived views a pane can show instead of its image, computed on demand.

Kinds: "diff:<channel>" (signed difference to the original, channel luma / red / green /
blue), "spectrum" (log spectrum of the pane's luma) and "diff_spectrum" (of its luma
difference). Each comes with the value range its colour scale needs.
"""

from __future__ import annotations

import numpy as np

from viewer.core.heatmap import CHANNELS, LUMA
from viewer.core.spectrum import display_range, log_spectrum


def difference_map(image: np.ndarray, reference: np.ndarray, channel: str) -> np.ndarray:
    """Signed difference of one channel (int16), or of luma (float16: steps of 1/8 at 255,
    finer than any colour table shows)."""
    if channel == "luma":
        signed = image.astype(np.float32) - reference.astype(np.float32)
        return (signed @ LUMA).astype(np.float16)
    index = CHANNELS.index(channel) - 1
    return image[..., index].astype(np.int16) - reference[..., index].astype(np.int16)


def derive(kind: str, pixels: np.ndarray, reference: np.ndarray | None):
    """(values, (low, high)) of view `kind` for a pane showing `pixels`."""
    if kind.startswith("diff:"):
        values = difference_map(pixels, reference, kind.removeprefix("diff:"))
        peak = float(np.abs(values).max(initial=0))
        return values, (-peak, peak)
    if kind == "diff_spectrum":
        source = difference_map(pixels, reference, "luma").astype(np.float32)
    else:
        source = pixels.astype(np.float32) @ LUMA
    spectrum = log_spectrum(source)
    return spectrum, display_range(spectrum)
