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


def embedded_log_spectrum(values: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """The log spectrum of a smaller image (the low-res input) in the frequency plane of a
    `shape` image: each of its frequencies where the larger image has the same one (the
    centre 1/r of each axis), its magnitudes times the area ratio so that equal content
    reads equal, and log(1 + 0) = 0 beyond its Nyquist limit, where it has nothing."""
    height, width = values.shape[:2]
    own = log_spectrum(values * np.float32(shape[0] * shape[1] / (height * width)))
    plane = np.zeros(shape, np.float32)
    top, left = shape[0] // 2 - height // 2, shape[1] // 2 - width // 2
    plane[top : top + height, left : left + width] = own
    return plane


def display_range(spectrum: np.ndarray) -> tuple[float, float]:
    """Levels that show a log spectrum well: the DC peak alone would dwarf everything else."""
    low, high = np.percentile(spectrum[:: max(1, spectrum.shape[0] // 512)], (1, 99.95))
    return float(low), float(high)
