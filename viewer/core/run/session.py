"""One run session: from what the user opened (an image or feature map, with its label map
or guide, and results added to compare), the settings and the methods asked for, to a
prepared run and its streamed results.

The command line, folder runs and the window all prepare their runs here, so they cannot
disagree on which inputs go together, which methods run and why the others do not.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from viewer.core.errors import InputError
from viewer.core.inputs.added_result import check_fits
from viewer.core.inputs.degrade import Inputs
from viewer.core.inputs.image_io import LoadedImage
from viewer.core.inputs.label_maps import LabelMap
from viewer.core.inputs.run_inputs import channel_classes, make_inputs
from viewer.core.run.engine import ProgressCallback, ResultCallback, run_methods
from viewer.core.run.result_cache import ResultCache
from viewer.core.run.results import RunReport
from viewer.core.run.rules import (
    Companions,
    MethodChoice,
    RunRequest,
    check_companions,
    choose_methods,
)
from viewer.core.run.training_set import (
    describe_training,
    label_training_pairs,
    load_training_labels,
    training_pairs_for,
)
from viewer.core.settings import DEFAULT_MAX_PIXELS, Settings


class TrainingSetError(InputError):
    """The training set (--train-on) cannot be read: every image of a folder would fail alike,
    so a folder run ends instead of skipping the image."""


class TrainingPairs:
    """The --train-on pairs, read once for each channel count (label runs: for their class
    channels): a folder's images share them. For label maps it also fixes the class channels
    of a data set, so that an operator trained once fits every test image."""

    def __init__(self, settings: Settings, max_pixels: int = DEFAULT_MAX_PIXELS) -> None:
        self.settings = settings
        self.max_pixels = max_pixels
        self._pairs: dict[object, list] = {}
        self._label_examples: list | None = None
        self._test_classes = np.zeros(0, np.int64)

    def like(self, inputs: Inputs) -> list:
        """The pairs made like `inputs`; [] when learned methods train on the input."""
        classes = inputs.classes
        key = inputs.original.shape[2] if classes is None else tuple(classes.classes.tolist())
        if key not in self._pairs:
            self._pairs[key] = self._guarded(lambda: self._make(inputs))
        return self._pairs[key]

    def _make(self, inputs: Inputs) -> list:
        if inputs.classes is None or not self.settings.train_on:
            return training_pairs_for(self.settings, inputs, self.max_pixels)
        return label_training_pairs(
            self._labelled(), inputs.scale, inputs.degradation, inputs.classes.classes
        )

    def _labelled(self) -> list:
        if self._label_examples is None:
            self._label_examples = load_training_labels(self.settings, self.max_pixels)
        return self._label_examples

    @staticmethod
    def _guarded(make):
        try:
            return make()
        except InputError as error:
            raise TrainingSetError(error.what, error.why) from error

    def add_test_classes(self, labels: Iterable[LabelMap]) -> None:
        """The classes of a folder's test label maps, read up front: a held-out run's
        channels cover every image of the folder, not only the first."""
        for found in labels:
            present = found.with_ignore(self.settings.ignore_index).classes()
            self._test_classes = np.union1d(self._test_classes, present)

    def channels(self, labels: LabelMap | None) -> np.ndarray | None:
        """A label run's class channels: with held-out training the union of the training
        and test maps' classes (or --classes); None (the map's own classes) otherwise."""
        settings = self.settings
        if labels is None or not (settings.train_labels or settings.classes):
            return None
        found = np.union1d(self._test_classes, labels.with_ignore(settings.ignore_index).classes())
        if settings.train_labels and settings.train_on:
            for _, example in self._guarded(self._labelled):
                found = np.union1d(found, example.classes())
        return channel_classes(settings, found)


@dataclass(frozen=True)
class PreparedRun:
    """A run ready to go: its inputs, the methods that run (and those left out, and why),
    what learned methods train on, and what the user opened."""

    image: LoadedImage
    companions: Companions
    inputs: Inputs
    settings: Settings
    choice: MethodChoice
    train_pairs: list = field(default_factory=list)

    @property
    def methods(self) -> tuple[str, ...]:
        return self.choice.run

    @property
    def notes(self) -> tuple[str, ...]:
        """What the user should know about methods left out."""
        return self.choice.notes

    @property
    def training(self) -> dict:
        """What learned methods train on, as metrics.json and the window say it."""
        return describe_training(self.settings, self.train_pairs)

    def run(
        self,
        on_result: ResultCallback | None = None,
        on_progress: ProgressCallback | None = None,
        cancel: threading.Event | None = None,
        keep_outputs: bool = True,
        cache: ResultCache | None = None,
        trained: dict | None = None,
    ) -> RunReport:
        """Run the methods, each result streamed to `on_result` as it is measured (see
        `run_methods`; `trained` keeps learned operators across a folder's images)."""
        return run_methods(
            self.inputs,
            self.methods,
            self.settings,
            on_result=on_result,
            on_progress=on_progress,
            cancel=cancel,
            keep_outputs=keep_outputs,
            train_pairs=self.train_pairs,
            trained=trained,
            cache=cache,
        )


def prepare(
    image: LoadedImage,
    companions: Companions,
    request: RunRequest,
    pairs: TrainingPairs | None = None,
) -> PreparedRun:
    """The run of `request` on `image` and its companions; InputError names the file or
    option that does not fit (a TrainingSetError the training set). `pairs` shares a
    training set read once between runs (a folder's images)."""
    check_companions(companions.labels, companions.guide)
    settings = request.settings
    pairs = pairs or TrainingPairs(settings, request.max_pixels)
    try:
        channels = pairs.channels(companions.labels)
        inputs = make_inputs(image, settings, companions.labels, companions.guide, channels)
    except ValueError as error:
        raise InputError(image.name, str(error)) from error
    choice = choose_methods(request.methods, inputs.guide is not None)
    if request.named:
        choice.refuse_left_out()
    for identifier in request.added:
        check_fits(identifier, inputs.original.shape, inputs.scale)
    choice = MethodChoice((*choice.run, *request.added), choice.left_out)
    return PreparedRun(image, companions, inputs, settings, choice, pairs.like(inputs))
