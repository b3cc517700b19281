"""Feature maps (.npy / .npz arrays of floats) as inputs, and how to show many channels.

A decoder upsamples features, not photos. The array is scaled linearly so that its own range
becomes 0..255: every method, metric and the article's settings then apply unchanged, and
PSNR / SSIM mean "relative to the map's range". The scaling is reported in the notes.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np

from viewer.core.errors import InputError
from viewer.core.image_io import DEFAULT_MAX_PIXELS, LoadedImage

FEATURE_SUFFIXES = (".npy", ".npz")


def is_feature_file(path: str | Path) -> bool:
    return Path(path).suffix.lower() in FEATURE_SUFFIXES


def load_feature_map(path: str | Path, max_pixels: int = DEFAULT_MAX_PIXELS) -> LoadedImage:
    """Load a C x H x W (or H x W x C, or H x W) float array; InputError names what is wrong."""
    name = str(path)
    array, notes = _read_array(Path(path), name)
    values = _to_hwc(array, name, notes)
    if values.shape[0] * values.shape[1] > max_pixels:
        raise InputError(name, f"{values.shape[1]}x{values.shape[0]} is over the pixel limit")
    return LoadedImage(name=name, pixels=_scale_to_255(values, notes), notes=tuple(notes))


def _read_array(path: Path, name: str) -> tuple[np.ndarray, list[str]]:
    if not path.exists():
        raise InputError(name, "no such file")
    notes: list[str] = []
    try:
        loaded = np.load(path, allow_pickle=False)
    except ValueError as err:
        if "allow_pickle" in str(err):
            raise InputError(name, "not a plain numeric array (it holds Python objects)") from err
        raise InputError(name, f"the array data is truncated or corrupt ({err})") from err
    except (OSError, EOFError, zipfile.BadZipFile) as err:
        raise InputError(name, "not a readable .npy / .npz file (truncated or corrupt)") from err
    if isinstance(loaded, np.lib.npyio.NpzFile):
        with loaded:
            keys = list(loaded.keys())
            if not keys:
                raise InputError(name, "the .npz file holds no arrays")
            if len(keys) > 1:
                notes.append(f"used array '{keys[0]}' of {len(keys)}")
            return loaded[keys[0]], notes
    return loaded, notes


def _to_hwc(array: np.ndarray, name: str, notes: list[str]) -> np.ndarray:
    if array.dtype.kind not in "fiu":
        raise InputError(name, f"{array.dtype} values are not supported (need real numbers)")
    if array.ndim == 4 and array.shape[0] == 1:
        array = array[0]
    if array.ndim == 2:
        array = array[None]
    if array.ndim != 3:
        raise InputError(name, f"shape {array.shape} is not C x H x W, H x W x C or H x W")
    if array.size == 0:
        raise InputError(name, f"the array is empty (shape {array.shape})")
    if not np.isfinite(array).all():
        raise InputError(name, "the array contains NaN or infinite values")
    # Channels first (Paddle's layout) unless only the last axis is smaller than the others.
    channels_first = array.shape[0] < min(array.shape[1:])
    channels_last = array.shape[2] < min(array.shape[:2])
    if channels_last and not channels_first:
        notes.append(f"read as H x W x C ({array.shape[2]} channels)")
        return np.ascontiguousarray(array, dtype=np.float32)
    notes.append(f"read as C x H x W ({array.shape[0]} channels)")
    return np.ascontiguousarray(array.transpose(1, 2, 0), dtype=np.float32)


def _scale_to_255(values: np.ndarray, notes: list[str]) -> np.ndarray:
    low, high = float(values.min()), float(values.max())
    span = high - low if high > low else 1.0
    notes.append(f"values {low:.4g}..{high:.4g} scaled to 0..255")
    return ((values - low) * (255.0 / span)).astype(np.float32)


class Projection:
    """The first three principal components of the original's channels, as RGB.

    One basis and one value range for every pane, so colours mean the same everywhere.
    """

    def __init__(self, original: np.ndarray) -> None:
        flat = original.reshape(-1, original.shape[2]).astype(np.float64)
        self.mean = flat.mean(axis=0)
        centred = flat - self.mean
        _, _, vectors = np.linalg.svd(centred[:: max(1, len(centred) // 200_000)], False)
        basis = vectors[:3].T
        if basis.shape[1] < 3:
            basis = np.pad(basis, ((0, 0), (0, 3 - basis.shape[1])))
        self.basis = basis
        projected = centred @ basis
        self.low, self.high = projected.min(axis=0), projected.max(axis=0)

    def rgb(self, values: np.ndarray) -> np.ndarray:
        projected = (values.reshape(-1, values.shape[2]) - self.mean) @ self.basis
        span = np.where(self.high > self.low, self.high - self.low, 1.0)
        scaled = np.clip((projected - self.low) / span * 255.0, 0, 255)
        return np.rint(scaled).astype(np.uint8).reshape(*values.shape[:2], 3)


def channel_rgb(values: np.ndarray, channel: int) -> np.ndarray:
    """One channel as grey RGB, on the common 0..255 scale."""
    grey = np.rint(np.clip(values[..., channel], 0, 255)).astype(np.uint8)
    return np.repeat(grey[:, :, None], 3, axis=2)


def load_file(path: str | Path, max_pixels: int = DEFAULT_MAX_PIXELS) -> LoadedImage:
    """An image file, or a feature map for .npy / .npz."""
    from viewer.core.image_io import load_image

    if is_feature_file(path):
        return load_feature_map(path, max_pixels)
    return load_image(path, max_pixels)


class Display:
    """How values become what panes and PNGs show: photos are clipped and rounded, feature
    maps projected on the original's principal components (or shown one channel at a time)."""

    def __init__(self, original: np.ndarray) -> None:
        self.projection = None if original.dtype == np.uint8 else Projection(original)

    def rgb(self, values: np.ndarray, channel: int | None = None) -> np.ndarray:
        from viewer.core.metrics import to_uint8

        if self.projection is None:
            return values if values.dtype == np.uint8 else to_uint8(values)
        if channel is not None:
            return channel_rgb(values, channel)
        return self.projection.rgb(values)
