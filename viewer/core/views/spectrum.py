"""The centred log-magnitude Fourier spectrum shown in the spectrum view."""

from __future__ import annotations

import numpy as np


def log_spectrum(values: np.ndarray) -> np.ndarray:
    """log(1 + |FFT|) of a 2-D array, zero frequency at the centre (float32).

    Replicas of an r-times upsampled image appear at multiples of 1/r of the width and
    height from the centre: a checkerboard shows as bright peaks there.
    """
    import scipy.fft  # 0.15 s to import: not before the window's first paint

    spectrum = scipy.fft.fft2(values.astype(np.float32), workers=-1)
    return scipy.fft.fftshift(np.log1p(np.abs(spectrum))).astype(np.float32)


def display_range(spectrum: np.ndarray) -> tuple[float, float]:
    """Levels that show a log spectrum well: the DC peak alone would dwarf everything else."""
    low, high = np.percentile(spectrum[:: max(1, spectrum.shape[0] // 512)], (1, 99.95))
    return float(low), float(high)
