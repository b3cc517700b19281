"""The rules of a run, before anything is read or computed: which inputs go together, which
methods can run on them and why the others cannot. Light to import: the command line checks
its arguments with them before Paddle starts."""

from __future__ import annotations

from dataclasses import dataclass, field

from viewer.core.errors import InputError
from viewer.core.inputs.image_io import LoadedImage
from viewer.core.inputs.label_maps import LabelMap
from viewer.core.method import unavailable
from viewer.core.methods import get_method
from viewer.core.settings import DEFAULT_MAX_PIXELS, Settings

LABELS_WITH_GUIDE = "a label run's guide is its image: give --labels or --guide"


@dataclass(frozen=True)
class Companions:
    """What is opened beside the image: its label map, or a feature map's guide."""

    labels: LabelMap | None = None
    guide: LoadedImage | None = None


def check_companions(labels: object, guide: object) -> None:
    """A label run's guide is its own image, so a label map and a guide together are refused,
    with the same words on the command line (before reading either) and in the window."""
    if labels and guide:
        raise InputError("--guide", LABELS_WITH_GUIDE)


@dataclass(frozen=True)
class MethodChoice:
    """The methods that run, in order, and each one left out with why it cannot run."""

    run: tuple[str, ...]
    left_out: dict[str, str] = field(default_factory=dict)

    @property
    def notes(self) -> tuple[str, ...]:
        """One note per reason, naming the methods it leaves out."""
        return tuple(
            f"{', '.join(methods)} left out: each {reason}" for reason, methods in self._by_reason()
        )

    def _by_reason(self) -> list[tuple[str, list[str]]]:
        grouped: dict[str, list[str]] = {}
        for method, reason in self.left_out.items():
            grouped.setdefault(reason, []).append(method)
        return list(grouped.items())

    def refuse_left_out(self) -> None:
        """For methods the user named: one that cannot run is an InputError, not a note."""
        if self.left_out:
            reasons = (f"{', '.join(methods)}: {why}" for why, methods in self._by_reason())
            raise InputError("--methods", "; ".join(reasons))


def choose_methods(method_ids: list[str] | tuple[str, ...], has_guide: bool) -> MethodChoice:
    """Which of `method_ids` can run on inputs with (or without) a guide image."""
    left_out = {}
    for method_id in method_ids:
        reason = unavailable(get_method(method_id), has_guide)
        if reason:
            left_out[method_id] = reason
    return MethodChoice(tuple(m for m in method_ids if m not in left_out), left_out)


@dataclass(frozen=True)
class RunRequest:
    """What the user asked for. `named`: the methods were named by the user (--methods),
    so one that cannot run is refused rather than left out with a note. `added`: results
    added for this run (--add), refused before anything runs when they do not fit."""

    settings: Settings
    methods: tuple[str, ...]
    named: bool = False
    added: tuple[str, ...] = ()
    max_pixels: int = DEFAULT_MAX_PIXELS
