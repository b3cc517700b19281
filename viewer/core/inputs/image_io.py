"""Reading images of every common kind into one form: uint8 RGB, H x W x 3.

The header is read first (Pillow, lazily) so that a huge image is refused before its pixels
are decoded; OpenCV then decodes, which applies EXIF orientation and copes with 16-bit data.
"""

from __future__ import annotations

import os
import sys
import threading
import warnings
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from viewer.core.errors import InputError
from viewer.core.inputs.reading import read_capped
from viewer.core.settings import DEFAULT_MAX_PIXELS

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp")
_ALPHA_MODES = {"RGBA", "LA", "PA", "La", "RGBa"}
_TIFF_MAGIC = (b"II*\x00", b"MM\x00*")
# The most a file within the pixel limit can need: 16-bit RGBA stored raw, plus metadata.
_BYTES_PER_PIXEL = 8
_METADATA_BYTES = 16 * 2**20
_native_stderr_lock = threading.Lock()
# Pillow only reads headers here; our own pixel limit (checked before decoding) replaces
# its bomb check, which would refuse with another message and another limit.
Image.MAX_IMAGE_PIXELS = None

# OpenCV's own decoder chatter on stderr would bypass our one-line messages.
cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_SILENT)


@dataclass(frozen=True)
class LoadedImage:
    """An image ready for the engine, with what loading had to change in it."""

    name: str
    pixels: np.ndarray
    notes: tuple[str, ...] = field(default=())
    # A feature map's own value range, which its 0..255 pixels stand for (None for photos).
    value_range: tuple[float, float] | None = None

    def real_value(self, scaled: np.ndarray | float) -> np.ndarray | float:
        """A 0..255 value of this input as the value it stands for."""
        if self.value_range is None:
            return scaled
        low, high = self.value_range
        return low + np.asarray(scaled, np.float64) * ((high - low) / 255.0)

    @property
    def size(self) -> tuple[int, int]:
        height, width = self.pixels.shape[:2]
        return width, height


def load_image(path: str | Path, max_pixels: int = DEFAULT_MAX_PIXELS) -> LoadedImage:
    """Load `path` or raise InputError naming the file and the reason."""
    path = Path(path)
    data = read_capped(path, max_pixels * _BYTES_PER_PIXEL + _METADATA_BYTES)
    return decode_image(data, str(path), max_pixels)


def decode_image(data: bytes, name: str, max_pixels: int = DEFAULT_MAX_PIXELS) -> LoadedImage:
    """Decode encoded image bytes; `name` is what error messages call them."""
    if not data:
        raise InputError(name, "the file is empty")
    mode = _check_header(data, name, max_pixels)
    with native_stderr_silenced():
        flags = cv2.IMREAD_ANYDEPTH | cv2.IMREAD_ANYCOLOR
        decoded = cv2.imdecode(np.frombuffer(data, np.uint8), flags)
    if decoded is None:
        raise InputError(name, "the image data is truncated or corrupt")
    notes = []
    if mode in _ALPHA_MODES or (mode == "P" and _palette_has_alpha(data)):
        notes.append("alpha channel dropped")
    pixels = _to_uint8(decoded, name, notes)
    pixels = _to_rgb(pixels, notes)
    return LoadedImage(name=name, pixels=pixels, notes=tuple(notes))


@contextmanager
def native_stderr_silenced() -> Iterator[None]:
    """libpng, libjpeg and libtiff print to the C-level stderr, past OpenCV's logging; our
    own one-line message says what went wrong instead. One decoder at a time holds fd 2."""
    with _native_stderr_lock:
        sys.stderr.flush()
        saved = os.dup(2)
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, 2)
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            os.close(devnull)


def _check_header(data: bytes, name: str, max_pixels: int) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Pillow warns about truncated or odd files
        try:
            with Image.open(BytesIO(data)) as header:
                width, height, mode = header.width, header.height, header.mode
        except Exception as err:
            raise InputError(name, _unreadable_reason(data)) from err
    check_pixel_limit(name, width, height, max_pixels)
    if width == 0 or height == 0:
        raise InputError(name, "the image has no pixels")
    return mode


def check_pixel_limit(name: str, width: int, height: int, max_pixels: int) -> None:
    """Refuse, from a header's size, an image or feature map over the pixel limit."""
    if width * height > max_pixels:
        shown, limit = pixel_counts(width * height, max_pixels)
        raise InputError(name, f"{width}x{height} is {shown}, over the limit of {limit}")


def pixel_counts(count: int, limit: int) -> tuple[str, str]:
    """`count` and the `limit` it passes in words that tell them apart: pixels under a
    limit of 0.1 megapixels, else megapixels with the decimals it takes ("0.0 megapixels,
    over the limit of 0.002" said nothing)."""
    if limit < 100_000:
        return f"{count:,} pixels", f"{limit:,} pixels"
    places = next((p for p in range(1, 6) if f"{count / 1e6:.{p}f}" != f"{limit / 1e6:.{p}f}"), 6)
    return f"{count / 1e6:.{places}f} megapixels", f"{limit / 1e6:.{places}f} megapixels"


def _unreadable_reason(data: bytes) -> str:
    if data[:4] in _TIFF_MAGIC:
        return (
            "a TIFF we cannot read: only 8 and 16 bit integer samples are supported "
            "(float TIFFs are not), or the file is corrupt"
        )
    return "not a readable image (unknown format or corrupt)"


def _palette_has_alpha(data: bytes) -> bool:
    with Image.open(BytesIO(data)) as image:
        return "transparency" in image.info


def _to_uint8(pixels: np.ndarray, name: str, notes: list[str]) -> np.ndarray:
    if pixels.dtype == np.uint8:
        return pixels
    if pixels.dtype == np.uint16:
        notes.append("16-bit samples converted to 8-bit")
        return np.round(pixels / 257.0).astype(np.uint8)
    raise InputError(name, f"{pixels.dtype} samples are not supported (8 or 16 bit only)")


def _to_rgb(pixels: np.ndarray, notes: list[str]) -> np.ndarray:
    if pixels.ndim == 2:
        notes.append("greyscale shown as RGB")
        return np.repeat(pixels[:, :, None], 3, axis=2)
    return np.ascontiguousarray(pixels[:, :, ::-1])


def encode_indexed_png(index: np.ndarray, palette: np.ndarray, compress: bool = True) -> bytes:
    """PNG bytes of a palette image: `index` (uint8) into `palette` (256 x 3 RGB). A heatmap
    needs no more than its colour bar's 256 colours; a third of RGB's bytes encode about 3x
    faster and decode to the same pixels. Compressed with zlib's RLE strategy at level 1, the
    fastest; `compress=False` stores the bytes, for noise-like pictures that zlib would
    shrink little at ten times the time."""
    image = Image.fromarray(index)
    image.putpalette(palette.reshape(-1).tobytes())
    buffer = BytesIO()
    level = 1 if compress else 0
    image.save(buffer, format="PNG", compress_level=level, compress_type=zlib.Z_RLE)
    return buffer.getvalue()


def encode_png(rgb: np.ndarray) -> bytes:
    """PNG bytes of an RGB (or single-channel) uint8 array."""
    bgr = rgb[:, :, ::-1] if rgb.ndim == 3 else rgb
    ok, buffer = cv2.imencode(".png", np.ascontiguousarray(bgr))
    if not ok:
        raise RuntimeError("OpenCV could not encode the PNG")
    return buffer.tobytes()
