"""Feature maps (.npy / .npz arrays of floats) as inputs, and how to show many channels.

A decoder upsamples features, not photos. The array is scaled linearly so that its own range
becomes 0..255: every method, metric and the article's settings then apply unchanged, and
PSNR / SSIM mean "relative to the map's range". The scaling is reported in the notes.
"""

from __future__ import annotations

import math
import zipfile
from pathlib import Path
from typing import BinaryIO

import numpy as np
from numpy.lib import format as npy_format

from viewer.core.errors import InputError
from viewer.core.inputs.image_io import LoadedImage, check_pixel_limit
from viewer.core.inputs.reading import regular_file
from viewer.core.settings import DEFAULT_MAX_PIXELS

FEATURE_SUFFIXES = (".npy", ".npz")
NPY_MAGIC = b"\x93NUMPY"
ZIP_MAGIC = b"PK"
IMAGE_MAGIC = {
    b"\x89PNG": "PNG",
    b"\xff\xd8": "JPEG",
    b"BM": "BMP",
    b"II*": "TIFF",
    b"MM\x00*": "TIFF",
    b"RIFF": "WebP",
    b"GIF8": "GIF",
}
# Decoder maps have hundreds of channels; every method keeps a float32 copy of its output.
MAX_CHANNELS = 4096
MAX_VALUES = 64_000_000
MAX_ARRAY_BYTES = MAX_VALUES * 16 + 2**16  # the widest real dtype, plus the .npy header
FLOAT32_MAX = float(np.finfo(np.float32).max)


def is_feature_file(path: str | Path) -> bool:
    return Path(path).suffix.lower() in FEATURE_SUFFIXES


def load_feature_map(path: str | Path, max_pixels: int = DEFAULT_MAX_PIXELS) -> LoadedImage:
    """Load a C x H x W (or H x W x C, or H x W) real array; InputError names what is wrong.

    Shapes and sizes are checked from the headers (the .npy header, the zip members' sizes)
    against the limits before any data is read, so a lying header or a zip bomb costs nothing.
    """
    name = str(path)
    array, notes = _read_array(Path(path), name, max_pixels)
    pixels, value_range = _scale_to_255(_to_hwc(array, name, notes), name, notes)
    return LoadedImage(name, pixels, tuple(notes), value_range=value_range)


def _read_array(path: Path, name: str, max_pixels: int) -> tuple[np.ndarray, list[str]]:
    size = regular_file(path, "a feature map").st_size
    try:
        with open(path, "rb") as handle:
            magic = handle.read(len(NPY_MAGIC))
            handle.seek(0)
            if magic == NPY_MAGIC:
                return _read_npy(handle, size, name, max_pixels), []
            if magic[:2] == ZIP_MAGIC:
                return _read_npz(handle, name, max_pixels)
    except OSError as err:
        raise InputError(name, f"cannot be read ({err.strerror or err})") from err
    raise InputError(name, f"not a .npy / .npz array file ({_looks_like(magic)})")


def _looks_like(magic: bytes) -> str:
    for start, kind in IMAGE_MAGIC.items():
        if magic.startswith(start):
            return f"it looks like a {kind} image: open it as an image"
    return "the file does not start like one" if magic else "the file is empty"


def _read_npy(stream: BinaryIO, size: int, name: str, max_pixels: int) -> np.ndarray:
    """One .npy stream of `size` bytes, its header checked before its data is read."""
    try:
        version = npy_format.read_magic(stream)
        if version == (1, 0):
            shape, fortran, dtype = npy_format.read_array_header_1_0(stream)
        elif version == (2, 0):
            shape, fortran, dtype = npy_format.read_array_header_2_0(stream)
        else:
            raise InputError(name, f".npy format version {version} is not supported")
    except ValueError as err:
        raise InputError(name, f"the .npy header is corrupt ({err})") from err
    if dtype.hasobject:
        raise InputError(name, "not a plain numeric array (it holds Python objects)")
    _check_shape(shape, dtype, name, max_pixels)
    count = math.prod(shape)
    needed = stream.tell() + count * dtype.itemsize
    if size < needed:
        raise InputError(name, f"the array data is truncated ({size} of {needed} bytes)")
    data = stream.read(count * dtype.itemsize)
    if len(data) < count * dtype.itemsize:
        raise InputError(name, "the array data is truncated")
    return np.frombuffer(data, dtype, count).reshape(shape, order="F" if fortran else "C")


def _read_npz(handle: BinaryIO, name: str, max_pixels: int) -> tuple[np.ndarray, list[str]]:
    try:
        archive = zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, OSError) as err:
        raise InputError(name, "not a readable .npz file (truncated or corrupt)") from err
    with archive:
        members = [info for info in archive.infolist() if info.filename.endswith(".npy")]
        if not members:
            raise InputError(name, "the .npz file holds no arrays")
        first = members[0]
        notes = (
            [f"used array '{first.filename[:-4]}' of {len(members)}"] if len(members) > 1 else []
        )
        if first.file_size > MAX_ARRAY_BYTES:
            raise InputError(
                name,
                f"the array '{first.filename}' unpacks to {first.file_size / 1e9:.1f} GB, "
                f"over the limit of {MAX_ARRAY_BYTES / 1e9:.1f} GB",
            )
        try:
            with archive.open(first) as stream:
                return _read_npy(stream, first.file_size, name, max_pixels), notes
        except (zipfile.BadZipFile, OSError, EOFError) as err:
            raise InputError(name, f"not a readable .npz file ({err})") from err


def _layout(shape: tuple[int, ...]) -> tuple[int, int, int, bool] | None:
    """(height, width, channels, channels_first) for a shape we read, or None.

    Channels come first (Paddle's layout) unless only the last axis is smaller than the
    others; a leading batch axis of 1 is dropped; H x W is one channel.
    """
    if len(shape) == 4 and shape[0] == 1:
        shape = shape[1:]
    if len(shape) == 2:
        return shape[0], shape[1], 1, True
    if len(shape) != 3:
        return None
    channels_first = shape[0] < min(shape[1:])
    channels_last = shape[2] < min(shape[:2])
    if channels_last and not channels_first:
        return shape[0], shape[1], shape[2], False
    return shape[1], shape[2], shape[0], True


def _check_shape(shape: tuple[int, ...], dtype: np.dtype, name: str, max_pixels: int) -> None:
    if dtype.kind not in "fiu":
        raise InputError(name, f"{dtype} values are not supported (need real numbers)")
    layout = _layout(shape)
    if layout is None:
        raise InputError(name, f"shape {shape} is not C x H x W, H x W x C or H x W")
    height, width, channels, _ = layout
    if height * width * channels == 0:
        raise InputError(name, f"the array is empty (shape {shape})")
    check_pixel_limit(name, width, height, max_pixels)
    if channels > MAX_CHANNELS:
        raise InputError(name, f"{channels} channels is over the limit of {MAX_CHANNELS}")
    if height * width * channels > MAX_VALUES:
        raise InputError(
            name,
            f"{channels} x {height} x {width} is {height * width * channels / 1e6:.0f} million "
            f"values, over the limit of {MAX_VALUES / 1e6:.0f} million",
        )


def _to_hwc(array: np.ndarray, name: str, notes: list[str]) -> np.ndarray:
    """H x W x C float64 (exact for every value we accept, scaled to float32 later)."""
    height, width, channels, channels_first = _layout(array.shape)
    if not np.isfinite(array).all():
        raise InputError(name, "the array contains NaN or infinite values")
    if channels_first:
        notes.append(f"read as C x H x W ({channels} channels)")
        array = array.reshape(channels, height, width).transpose(1, 2, 0)
    else:
        notes.append(f"read as H x W x C ({channels} channels)")
    return np.asarray(array.reshape(height, width, channels), dtype=np.float64)


def _scale_to_255(
    values: np.ndarray, name: str, notes: list[str]
) -> tuple[np.ndarray, tuple[float, float]]:
    """Map the array's own range (returned too) to 0..255 in float64: values that fit in
    float32 cannot overflow there, and the result loses nothing when it becomes float32."""
    low, high = float(values.min()), float(values.max())
    if max(abs(low), abs(high)) > FLOAT32_MAX:
        raise InputError(name, f"values up to {max(abs(low), abs(high)):.3g} do not fit in float32")
    span = high - low if high > low else 1.0
    notes.append(f"values {low:.4g}..{high:.4g} scaled to 0..255")
    return ((values - low) * (255.0 / span)).astype(np.float32), (low, high)


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
    from viewer.core.inputs.image_io import load_image

    if is_feature_file(path):
        return load_feature_map(path, max_pixels)
    return load_image(path, max_pixels)


class Display:
    """How values become what panes and PNGs show: photos are clipped and rounded, feature
    maps projected on the original's principal components, class maps coloured by their
    argmax label (both also one channel at a time)."""

    def __init__(self, original: np.ndarray, classes=None) -> None:
        self.classes = classes
        plain = original.dtype == np.uint8 or classes is not None
        self.projection = None if plain else Projection(original)

    def rgb(self, values: np.ndarray, channel: int | None = None) -> np.ndarray:
        from viewer.core.measure.metrics import to_uint8

        if channel is not None and values.dtype != np.uint8:
            return channel_rgb(values, channel)
        if self.classes is not None:
            return self.classes.rgb(values)
        if self.projection is None:
            return values if values.dtype == np.uint8 else to_uint8(values)
        return self.projection.rgb(values)
