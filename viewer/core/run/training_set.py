"""Other images (label runs: photos with their label maps) to train learned methods on: a
held-out comparison instead of the article's training on the very image it then measures."""

from __future__ import annotations

import stat
from pathlib import Path

import numpy as np

from viewer.core.errors import InputError
from viewer.core.inputs.degrade import prepare_inputs, prepare_label_inputs
from viewer.core.inputs.feature_maps import FEATURE_SUFFIXES, load_file
from viewer.core.inputs.image_io import IMAGE_SUFFIXES
from viewer.core.inputs.label_maps import LabelMap, check_matches, load_label_map
from viewer.core.inputs.reading import describe_kind, stat_path
from viewer.core.settings import DEFAULT_MAX_PIXELS

MAX_TRAINING_FILES = 64


def training_files(path: str | Path) -> list[Path]:
    """The file itself, or every image / feature map directly inside the folder (sorted)."""
    path = Path(path)
    try:
        mode = stat_path(path).st_mode
    except InputError as error:
        raise InputError(error.what, f"{error.why}: nothing to train on") from error
    if stat.S_ISREG(mode):
        return [path]
    if not stat.S_ISDIR(mode):
        raise InputError(str(path), f"is {describe_kind(mode)}, not an image or folder to train on")
    known = (*IMAGE_SUFFIXES, *FEATURE_SUFFIXES)
    files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in known)
    if not files:
        raise InputError(str(path), "the folder holds no images to train on")
    return files[:MAX_TRAINING_FILES]


def load_training_pairs(
    path: str | Path,
    scale: int,
    degradation: str,
    channels: int,
    max_pixels: int = DEFAULT_MAX_PIXELS,
) -> list[tuple[np.ndarray, np.ndarray]]:
    """(low-res, original) pairs made the same way as the run's own input."""
    pairs = []
    for file in training_files(path):
        image = load_file(file, max_pixels)
        if image.pixels.shape[2] != channels:
            raise InputError(
                str(file), f"has {image.pixels.shape[2]} channels; the input has {channels}"
            )
        try:
            inputs = prepare_inputs(image.pixels, scale, degradation)
        except ValueError as error:
            raise InputError(str(file), str(error)) from error
        pairs.append((inputs.lowres, inputs.original))
    return pairs


def training_pairs_for(settings, inputs, max_pixels: int = DEFAULT_MAX_PIXELS) -> list:
    """The pairs `settings.train_on` names, made like `inputs`; [] trains on the input."""
    if not settings.train_on:
        return []
    return load_training_pairs(
        settings.train_on, inputs.scale, inputs.degradation, inputs.original.shape[2], max_pixels
    )


def load_training_labels(
    settings, max_pixels: int = DEFAULT_MAX_PIXELS
) -> list[tuple[np.ndarray, LabelMap]]:
    """The --train-on photos with their --train-labels maps (the same stem, .png), read with
    the run's ignore value: what a label run's learned methods train on."""
    folder = Path(settings.train_labels)
    if not folder.is_dir():
        raise InputError(f"--train-labels {folder}", "is not a folder of label maps")
    examples = []
    for file in training_files(settings.train_on):
        image = load_file(file, max_pixels)
        if image.value_range is not None:
            raise InputError(str(file), "label maps go with photos, not with feature maps")
        path = folder / f"{file.stem}.png"
        if not path.is_file():
            raise InputError(str(file), f"no label map {path.name} in {folder}")
        labels = load_label_map(path, max_pixels).with_ignore(settings.ignore_index)
        check_matches(labels, *image.pixels.shape[:2], image.name)
        examples.append((image.pixels, labels))
    return examples


def label_training_pairs(
    examples: list[tuple[np.ndarray, LabelMap]], scale: int, kind: str, channels: np.ndarray
) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """(low-res class map, one-hot original, guide) triples with the run's channels, made
    as its input is. The one-hot target is held as uint8 (0 or 255 exactly): a quarter of
    the memory of float32, so many training maps stay affordable."""
    triples = []
    for pixels, labels in examples:
        try:
            inputs = prepare_label_inputs(labels, pixels, scale, kind, channels)
        except ValueError as error:
            raise InputError(labels.name, str(error)) from error
        triples.append((inputs.lowres, inputs.original.astype(np.uint8), inputs.guide))
    return triples


def describe_training(settings, pairs: list) -> dict:
    """What metrics.json and the window say learned methods were trained on."""
    if not settings.train_on:
        return {"on": "the input image itself (as the article does)", "images": 1}
    described = {"on": str(settings.train_on), "images": len(pairs)}
    if settings.train_labels:
        described["labels"] = str(settings.train_labels)
    return described
