"""A folder of images as one comparison: the files, each paired with its label map, the
training set read once and learned methods trained once. The headless folder run and the
window's dataset view both go through here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from viewer.core.errors import InputError
from viewer.core.inputs.degrade import Inputs
from viewer.core.inputs.feature_maps import FEATURE_SUFFIXES, load_file
from viewer.core.inputs.image_io import IMAGE_SUFFIXES, LoadedImage
from viewer.core.inputs.label_maps import LabelMap, load_label_map
from viewer.core.inputs.run_inputs import make_inputs
from viewer.core.run.engine import run_methods
from viewer.core.run.results import RunReport
from viewer.core.run.training_set import training_pairs_for
from viewer.core.settings import DEFAULT_MAX_PIXELS, Settings


def folder_files(folder: Path, labels: Path | None = None) -> list[Path]:
    """The images and feature maps directly in `folder`, sorted by name; the label maps
    themselves are not images when `labels` is the same folder (as in BSDS)."""
    known = (*IMAGE_SUFFIXES, *FEATURE_SUFFIXES)

    def is_label_map(path: Path) -> bool:
        return labels is not None and path.resolve() == (labels / f"{path.stem}.png").resolve()

    files = sorted(
        p
        for p in folder.iterdir()
        if p.is_file() and p.suffix.lower() in known and not is_label_map(p)
    )
    if not files:
        raise InputError(str(folder), "the folder holds no images (" + ", ".join(known) + ")")
    return files


@dataclass
class ImageRun:
    """One image of the folder: its run, or why it was skipped."""

    file: Path
    image: LoadedImage | None = None
    report: RunReport | None = None
    reason: str | None = None
    labels: LabelMap | None = None  # its label map, as read (uncropped)


@dataclass
class Dataset:
    """What every image of a folder run shares."""

    settings: Settings
    methods: list[str]
    labels: Path | None = None  # the folder of label maps (<stem>.png)
    max_pixels: int = DEFAULT_MAX_PIXELS
    trained: dict = field(default_factory=dict)  # with train_on: each learned method once
    pairs: dict = field(default_factory=dict)  # the training set, by channel count: read once

    def label_map(self, file: Path) -> LabelMap | None:
        """The label map of `file` (the same stem, .png, in the labels folder), or None
        without one; InputError when it is missing or unreadable."""
        if self.labels is None:
            return None
        path = self.labels / f"{file.stem}.png"
        if not path.exists():
            raise InputError(str(file), f"no label map {path.name} in {self.labels}")
        return load_label_map(path, self.max_pixels)

    def training_pairs(self, inputs: Inputs) -> list:
        """The train_on pairs made like `inputs`; a training set that cannot be read ends
        the whole run (every image would fail the same way)."""
        channels = inputs.original.shape[2]
        if channels not in self.pairs:
            self.pairs[channels] = training_pairs_for(self.settings, inputs, self.max_pixels)
        return self.pairs[channels]

    def run(self, file: Path, **engine_options: Callable | object) -> ImageRun:
        """Load, prepare and run one image; a file that cannot be run becomes its reason.
        `engine_options` go to `run_methods` (callbacks, cancel, keep_outputs)."""
        try:
            image = load_file(file, self.max_pixels)
            labels = self.label_map(file)
            inputs = make_inputs(image, self.settings, labels)
        except InputError as error:
            return ImageRun(file, reason=error.why)
        except ValueError as error:
            return ImageRun(file, reason=str(error))
        report = run_methods(
            inputs,
            self.methods,
            self.settings,
            train_pairs=self.training_pairs(inputs),
            trained=self.trained,
            **engine_options,
        )
        return ImageRun(file, image, report, labels=labels)
