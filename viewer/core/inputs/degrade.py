"""Making the low-resolution input each upsampler starts from."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property

import cv2
import numpy as np

from viewer.core.inputs.class_maps import ClassMaps, class_channels, class_inputs
from viewer.core.inputs.feature_maps import Display
from viewer.core.inputs.label_maps import LabelMap
from viewer.core.inputs.matlab_resize import imresize
from viewer.core.settings import DEGRADATIONS, SCALES

# OpenCV's resize refuses more than 128 channels (`m->dims <= 2`): wider maps go in groups.
CV_MAX_CHANNELS = 128


@dataclass(frozen=True)
class Crop:
    """What mod-crop removed: the kept size and the original size (width, height)."""

    kept: tuple[int, int]
    original: tuple[int, int]

    @property
    def changed(self) -> bool:
        return self.kept != self.original

    def describe(self) -> str:
        if not self.changed:
            return "no crop"
        (kw, kh), (ow, oh) = self.kept, self.original
        return f"cropped {ow}x{oh} to {kw}x{kh} (a multiple of the scale)"


@dataclass(frozen=True)
class Inputs:
    """The (cropped) original and the degraded low-res image, H x W x C: uint8 for photos,
    float32 0..255 for feature maps (`is_features`) and class maps (`classes` set). `guide`
    is the full-resolution image guided upsamplers read (label maps, guided feature maps)."""

    original: np.ndarray
    lowres: np.ndarray
    scale: int
    crop: Crop
    degradation: str = "article"
    classes: ClassMaps | None = None
    guide: np.ndarray | None = None

    @property
    def is_features(self) -> bool:
        return self.original.dtype != np.uint8

    @property
    def kind(self) -> str:
        """What is upsampled: "image", "features" or "labels"."""
        if self.classes is not None:
            return "labels"
        return "features" if self.is_features else "image"

    @cached_property
    def display(self) -> Display:
        """How these values are shown (a feature map's projection, a class map's labels):
        made once per input."""
        return Display(self.original, self.classes)


def mod_crop(image: np.ndarray, scale: int) -> tuple[np.ndarray, Crop]:
    """Crop the bottom and right so both sides are multiples of `scale`."""
    height, width = image.shape[:2]
    kept_h, kept_w = height - height % scale, width - width % scale
    return image[:kept_h, :kept_w], Crop(kept=(kept_w, kept_h), original=(width, height))


def degrade(original: np.ndarray, scale: int, kind: str = "article") -> np.ndarray:
    """The low-res input: `cv2.resize` (article, area) or Paddle's antialiased bicubic.

    The size is passed explicitly so that 1/3 rounding can never add or drop a row. Photos
    stay uint8 (rounded, as the article's cv2 pipeline does); feature maps stay float32.
    """
    if kind == "bicubic_aa":
        return _paddle_bicubic_aa(original, scale)
    if kind == "matlab":
        small = imresize(original, 1 / scale)
        return small if original.dtype == np.uint8 else small.astype(np.float32)
    height, width = original.shape[:2]
    size = (width // scale, height // scale)
    if original.ndim == 3 and original.shape[2] > CV_MAX_CHANNELS:
        chunks = range(0, original.shape[2], CV_MAX_CHANNELS)
        parts = [degrade(original[..., c : c + CV_MAX_CHANNELS], scale, kind) for c in chunks]
        return np.concatenate(parts, axis=2)
    interpolation = cv2.INTER_AREA if kind == "area" else cv2.INTER_LINEAR
    small = cv2.resize(original, size, interpolation=interpolation)
    return small.reshape(height // scale, width // scale, *original.shape[2:])


def _paddle_bicubic_aa(original: np.ndarray, scale: int) -> np.ndarray:
    import paddle
    import paddle.nn.functional as F

    height, width = original.shape[:2]
    x = paddle.to_tensor(np.ascontiguousarray(original.transpose(2, 0, 1)[None], np.float32))
    small = F.interpolate(
        x,
        size=[height // scale, width // scale],
        mode="bicubic",
        antialias=True,
        align_corners=False,
    )
    values = small.numpy()[0].transpose(1, 2, 0)
    if original.dtype == np.uint8:
        return np.rint(np.clip(values, 0, 255)).astype(np.uint8)
    return np.ascontiguousarray(values, dtype=np.float32)


def prepare_inputs(
    image: np.ndarray, scale: int, kind: str = "article", guide: np.ndarray | None = None
) -> Inputs:
    """Mod-crop then degrade; refuses images smaller than one low-res pixel per side.
    `guide` (an image of the same height and width) is cropped alike."""
    if kind not in DEGRADATIONS:
        raise ValueError(f"degradation must be one of {', '.join(DEGRADATIONS)}, not {kind}")
    original, crop = _checked_crop(image, scale)
    lowres = degrade(original, scale, kind)
    return Inputs(original, lowres, scale, crop, kind, guide=_cropped_guide(guide, crop))


def prepare_label_inputs(
    labels: LabelMap,
    image: np.ndarray,
    scale: int,
    kind: str = "soft",
    channels: np.ndarray | None = None,
) -> Inputs:
    """A label map (of `image`'s size) as a decoder's K-channel input at 1/r and its
    one-hot target; the image, cropped alike, is the guide. `channels`: the class of each
    channel when fixed for a data set (held-out training), else the map's own classes."""
    ids, crop = _checked_crop(labels.ids, scale)
    truth = replace(labels, ids=ids)
    channels = class_channels(truth) if channels is None else channels
    original, lowres = class_inputs(truth, scale, kind, channels)
    classes = ClassMaps(truth, channels, kind)
    guide = _cropped_guide(image, crop)
    return Inputs(original, lowres, scale, crop, kind, classes=classes, guide=guide)


def _checked_crop(image: np.ndarray, scale: int) -> tuple[np.ndarray, Crop]:
    if scale not in SCALES:
        raise ValueError(f"scale must be one of {SCALES}, not {scale}")
    if min(image.shape[:2]) < scale:
        raise ValueError(f"the image is smaller than the scale ({scale}) on one side")
    original, crop = mod_crop(image, scale)
    return np.ascontiguousarray(original), crop


def _cropped_guide(guide: np.ndarray | None, crop: Crop) -> np.ndarray | None:
    if guide is None:
        return None
    width, height = crop.kept
    return np.ascontiguousarray(guide[:height, :width])
