"""From what the user opened (an image or feature map, perhaps a label map or a guide) to
the engine's inputs; which methods can run on them is `viewer.core.run.rules`, and the one
path that uses both is the run session (`viewer.core.run.session`)."""

from __future__ import annotations

import numpy as np

from viewer.core.errors import InputError
from viewer.core.inputs.degrade import Inputs, prepare_inputs, prepare_label_inputs
from viewer.core.inputs.image_io import LoadedImage
from viewer.core.inputs.label_maps import LabelMap, check_matches
from viewer.core.settings import Settings


def make_inputs(
    image: LoadedImage,
    settings: Settings,
    labels: LabelMap | None = None,
    guide: LoadedImage | None = None,
    channels: np.ndarray | None = None,
) -> Inputs:
    """The run's inputs; InputError names the file or option that does not fit. `channels`:
    a label run's class channels when fixed for a data set (default: the map's classes)."""
    if labels is not None:
        _check_label_run(image, settings, labels)
        labels = labels.with_ignore(settings.ignore_index)
        return _prepared(
            labels.name,
            lambda: prepare_label_inputs(
                labels, image.pixels, settings.scale, settings.label_degrade, channels
            ),
        )
    if settings.train_labels:
        raise InputError("--train-labels", "is for label runs: give --labels too")
    guide_pixels = None
    if guide is not None:
        _check_guide(image, guide)
        guide_pixels = guide.pixels
    return _prepared(
        image.name,
        lambda: prepare_inputs(image.pixels, settings.scale, settings.degradation(), guide_pixels),
    )


def _prepared(name: str, prepare) -> Inputs:
    try:
        return prepare()
    except ValueError as error:
        raise InputError(name, str(error)) from error


def _check_label_run(image: LoadedImage, settings: Settings, labels: LabelMap) -> None:
    if image.value_range is not None:
        raise InputError(labels.name, "a label map goes with its photo, not with a feature map")
    check_label_settings(settings)
    check_matches(labels, *image.pixels.shape[:2], image.name)


def check_label_settings(settings: Settings) -> None:
    """The settings a label run refuses, whatever its files (a folder run asks up front)."""
    if settings.protocol == "sr":
        raise InputError("--protocol", "sr is the photo protocol; it does not apply to labels")
    if settings.train_on and not settings.train_labels:
        raise InputError(
            "--train-on",
            "a label run trains on label maps: give the training images' label folder "
            "with --train-labels (or leave --train-on out to train on the opened labels)",
        )
    if settings.train_labels and not settings.train_on:
        raise InputError("--train-labels", "goes with --train-on, the images they label")


def channel_classes(settings: Settings, found: np.ndarray) -> np.ndarray:
    """A data set's class channels: 0 to --classes - 1 (ignore excluded), or the classes
    `found` in its label maps; InputError when a map holds a class over --classes."""
    if not settings.classes:
        return found
    over = found[found >= settings.classes]
    if over.size:
        raise InputError(
            "--classes", f"the label maps hold class {over[0]}, over {settings.classes} classes"
        )
    every = np.arange(settings.classes)
    return every[every != settings.ignore_index]


def _check_guide(image: LoadedImage, guide: LoadedImage) -> None:
    if image.value_range is None:
        raise InputError(
            guide.name, "--guide is for feature maps: for an image the guide is the answer itself"
        )
    if guide.size != image.size:
        (gw, gh), (iw, ih) = guide.size, image.size
        raise InputError(guide.name, f"the guide is {gw}x{gh} but the feature map is {iw}x{ih}")
