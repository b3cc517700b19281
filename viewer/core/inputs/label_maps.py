"""Label map files: the two conventions segmentation data sets store them in.

- palette PNG (mode P, as VOC): the palette index is the class; the palette gives colours.
- grey PNG, 8 or 16 bit (mode L / I;16, as Cityscapes trainIds): the value is the class.

One value means "ignore" (no ground truth) and is left out of every metric: 255 unless the
run says otherwise (`--ignore-index`; CamVid uses 11). Anything else (RGB colours, floats,
alpha) is refused: guessing classes from colours would invent labels.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, replace
from functools import cache
from io import BytesIO
from pathlib import Path

import numpy as np
from PIL import Image

from viewer.core.errors import InputError
from viewer.core.inputs.image_io import check_pixel_limit
from viewer.core.inputs.reading import read_capped
from viewer.core.settings import DEFAULT_MAX_PIXELS

IGNORE = 255  # the default ignore value (VOC, Cityscapes trainIds, ADE20K reduced)
IGNORE_COLOUR = (224, 224, 192)  # VOC's cream
MODES = {"P": "palette", "L": "8-bit grey", "I;16": "16-bit grey", "I": "16-bit grey"}
_BYTES_PER_PIXEL = 2
_METADATA_BYTES = 1 << 20
MAX_8_BIT = 255


@dataclass(frozen=True)
class LabelMap:
    """Class ids per pixel (H x W, int32; `ignore` where unlabelled), as stored in `mode`."""

    name: str
    ids: np.ndarray
    mode: str
    palette: np.ndarray | None = None  # 256 x 3 uint8 for palette maps
    ignore: int = IGNORE

    def colours(self) -> np.ndarray:
        """RGB per class id (indexable by every id the map can hold); a grey map's ignore
        id in cream, a palette map's in its own palette colour."""
        size = max(256, int(self.ids.max(initial=0)) + 1, self.ignore + 1)
        table = distinct_colours(size).copy()
        if self.palette is not None:
            table[: len(self.palette)] = self.palette
        else:
            table[self.ignore] = IGNORE_COLOUR
        return table

    def classes(self) -> np.ndarray:
        """The ids present, ignore excluded, ascending."""
        present = np.unique(self.ids)
        return present[present != self.ignore]

    def cropped(self, height: int, width: int) -> LabelMap:
        return replace(self, ids=np.ascontiguousarray(self.ids[:height, :width]))

    def with_ignore(self, ignore: int) -> LabelMap:
        """The same map read with `ignore` as its "no ground truth" value; InputError when
        an 8-bit map could not store it."""
        if self.mode in ("P", "L") and ignore > MAX_8_BIT:
            raise InputError(
                "--ignore-index", f"{ignore} does not fit the 8-bit label map {self.name}"
            )
        return replace(self, ignore=ignore)


@cache
def distinct_colours(count: int) -> np.ndarray:
    """The VOC colour map (bit-interleaved, so neighbouring ids differ strongly), with the
    ignore id in VOC's cream: a grey label map gets the colours people know."""
    ids = np.arange(count)
    colours = np.zeros((count, 3), np.int64)
    for shift in range(8):
        for channel in range(3):
            bit = (ids >> (3 * shift + channel)) & 1
            colours[:, channel] |= bit << (7 - shift)
    if count > IGNORE:
        colours[IGNORE] = IGNORE_COLOUR
    return colours.astype(np.uint8)


def load_label_map(path: str | Path, max_pixels: int = DEFAULT_MAX_PIXELS) -> LabelMap:
    """Read a label PNG or raise InputError naming the file and why it is not a label map."""
    name = str(path)
    data = read_capped(path, max_pixels * _BYTES_PER_PIXEL + _METADATA_BYTES, "a label map")
    if not data:
        raise InputError(name, "the file is empty")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            with Image.open(BytesIO(data)) as image:
                check_pixel_limit(name, image.width, image.height, max_pixels)
                mode, kind = image.mode, image.format
                _check_mode(name, mode, kind, image.info)
                ids = np.asarray(image, dtype=np.int32)
                palette = _palette(image) if mode == "P" else None
        except InputError:
            raise
        except Exception as err:
            raise InputError(name, "not a readable label PNG (truncated or corrupt)") from err
    if ids.ndim != 2 or ids.size == 0:
        raise InputError(name, "the label map has no pixels")
    return LabelMap(name, ids, "I;16" if mode == "I" else mode, palette)


def _check_mode(name: str, mode: str, kind: str | None, info: dict) -> None:
    if kind != "PNG":
        raise InputError(name, f"label maps are PNGs, not {kind or 'this format'}")
    if mode == "P" and "transparency" in info:
        raise InputError(name, "a palette with transparency is not a label map")
    if mode not in MODES:
        raise InputError(
            name,
            f"a {mode} image is not a label map: need a palette PNG (the index is the class) "
            "or an 8/16-bit grey PNG (the value is the class), not colours",
        )


def _palette(image: Image.Image) -> np.ndarray:
    raw = np.frombuffer(bytes(image.getpalette() or []), np.uint8)
    table = np.zeros((256, 3), np.uint8)
    colours = raw[: len(raw) // 3 * 3].reshape(-1, 3)[:256]
    table[: len(colours)] = colours
    return table


def check_matches(labels: LabelMap, height: int, width: int, image_name: str) -> None:
    """A label map must cover its image pixel for pixel."""
    if labels.ids.shape != (height, width):
        got_h, got_w = labels.ids.shape
        raise InputError(
            labels.name,
            f"the label map is {got_w}x{got_h} but the image {image_name} is {width}x{height}",
        )


def encode_label_png(ids: np.ndarray, like: LabelMap) -> bytes:
    """PNG bytes of `ids` in `like`'s convention: the same mode and, for palette maps, the
    same palette, so the file opens in the user's tools as their own labels do."""
    if like.mode in ("P", "L"):
        image = Image.fromarray(ids.astype(np.uint8))
        if like.mode == "P":
            image.putpalette(like.palette.reshape(-1).tobytes())  # L becomes P
    else:
        image = Image.fromarray(ids.astype(np.uint16))
    buffer = BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


DROP_MAX_CLASSES = 64


def passes_for_labels(labels: LabelMap, height: int, width: int) -> bool:
    """Whether a PNG dropped onto an image of this size is its label map rather than a new
    image: the same size, and a palette or a few grey values (a grey photo has many)."""
    if labels.ids.shape != (height, width):
        return False
    return labels.mode == "P" or len(labels.classes()) <= DROP_MAX_CLASSES
