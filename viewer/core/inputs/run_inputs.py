"""From what the user opened (an image or feature map, perhaps a label map or a guide) to
the engine's inputs and the methods that can run on them: one set of rules for the window,
the command line and folder runs."""

from __future__ import annotations

from viewer.core.errors import InputError
from viewer.core.inputs.degrade import Inputs, prepare_inputs, prepare_label_inputs
from viewer.core.inputs.image_io import LoadedImage
from viewer.core.inputs.label_maps import LabelMap, check_matches
from viewer.core.method import unavailable
from viewer.core.methods import get_method
from viewer.core.settings import Settings


def make_inputs(
    image: LoadedImage,
    settings: Settings,
    labels: LabelMap | None = None,
    guide: LoadedImage | None = None,
) -> Inputs:
    """The run's inputs; InputError names the file or option that does not fit."""
    if labels is not None:
        _check_label_run(image, settings, labels)
        return _prepared(
            labels.name,
            lambda: prepare_label_inputs(
                labels, image.pixels, settings.scale, settings.label_degrade
            ),
        )
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
    if settings.protocol == "sr":
        raise InputError("--protocol", "sr is the photo protocol; it does not apply to labels")
    if settings.train_on:
        raise InputError(
            "--train-on",
            "held-out training is not available for label maps yet: learned methods "
            "train on the opened labels",
        )
    check_matches(labels, *image.pixels.shape[:2], image.name)


def _check_guide(image: LoadedImage, guide: LoadedImage) -> None:
    if image.value_range is None:
        raise InputError(
            guide.name, "--guide is for feature maps: for an image the guide is the answer itself"
        )
    if guide.size != image.size:
        (gw, gh), (iw, ih) = guide.size, image.size
        raise InputError(guide.name, f"the guide is {gw}x{gh} but the feature map is {iw}x{ih}")


def usable_methods(
    method_ids: list[str], has_guide: bool, chosen: bool
) -> tuple[list[str], list[str]]:
    """(the methods to run, notes). A method the user `chosen` by name that cannot run is
    an InputError; from the default list it is left out with a note."""
    left_out = [m for m in method_ids if unavailable(get_method(m), has_guide)]
    if not left_out:
        return method_ids, []
    reason = unavailable(get_method(left_out[0]), has_guide)
    if chosen:
        raise InputError("--methods", f"{', '.join(left_out)}: {reason}")
    kept = [m for m in method_ids if m not in left_out]
    return kept, [f"{', '.join(left_out)} left out: each {reason}"]
