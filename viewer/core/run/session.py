"""One run session: from what the user opened (an image or feature map, with its label map
or guide, and results added to compare), the settings and the methods asked for, to a
prepared run and its streamed results.

The command line, folder runs and the window all prepare their runs here, so they cannot
disagree on which inputs go together, which methods run and why the others do not.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from viewer.core.errors import InputError
from viewer.core.inputs.added_result import check_fits
from viewer.core.inputs.degrade import Inputs
from viewer.core.inputs.image_io import LoadedImage
from viewer.core.inputs.run_inputs import make_inputs
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
from viewer.core.run.training_set import describe_training, training_pairs_for
from viewer.core.settings import DEFAULT_MAX_PIXELS, Settings


class TrainingSetError(InputError):
    """The training set (--train-on) cannot be read: every image of a folder would fail alike,
    so a folder run ends instead of skipping the image."""


class TrainingPairs:
    """The --train-on pairs, read once for each channel count: a folder's images share them."""

    def __init__(self, settings: Settings, max_pixels: int = DEFAULT_MAX_PIXELS) -> None:
        self.settings = settings
        self.max_pixels = max_pixels
        self._pairs: dict[int, list] = {}

    def like(self, inputs: Inputs) -> list:
        """The pairs made like `inputs`; [] when learned methods train on the input."""
        channels = inputs.original.shape[2]
        if channels not in self._pairs:
            try:
                pairs = training_pairs_for(self.settings, inputs, self.max_pixels)
            except InputError as error:
                raise TrainingSetError(error.what, error.why) from error
            self._pairs[channels] = pairs
        return self._pairs[channels]


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
    try:
        inputs = make_inputs(image, settings, companions.labels, companions.guide)
    except ValueError as error:
        raise InputError(image.name, str(error)) from error
    choice = choose_methods(request.methods, inputs.guide is not None)
    if request.named:
        choice.refuse_left_out()
    for identifier in request.added:
        check_fits(identifier, inputs.original.shape, inputs.scale)
    choice = MethodChoice((*choice.run, *request.added), choice.left_out)
    pairs = pairs or TrainingPairs(settings, request.max_pixels)
    return PreparedRun(image, companions, inputs, settings, choice, pairs.like(inputs))
