"""The metric columns, defined once: their key (the name in metrics.json, metrics.csv and
summary.csv), their title and explanation in the window, how a value reads, and which kinds
of input have them. The metrics table, the dataset view, the report and the summary all
take their columns from here.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from viewer.core.run.results import MethodResult
from viewer.core.settings import Settings

KINDS = frozenset({"image", "features", "labels"})  # what a run upsamples (Inputs.kind)
UNDEFINED = "—"


def _fixed(digits: int) -> Callable[[float], str]:
    return lambda value: f"{value:.{digits}f}"


def _decibels(value: float) -> str:
    return "inf" if math.isinf(value) else f"{value:.2f}"


def _percent(value: float) -> str:
    return f"{value:.2%}"


def _small(value: float) -> str:
    return f"{value:.2e}" if 0 < abs(value) < 1e-3 else f"{value:.4f}"


def _count(value: float) -> str:
    return f"{value:,}"


@dataclass(frozen=True)
class MetricColumn:
    """One number a result has: `key` names it in the files and on the result's `source`
    (its metrics, its artifact scores, or the result itself); `digits`: its rounding in the
    files (None: as it is); `setting`: the option value that turns it on (None: always on)."""

    key: str
    title: str
    tip: str
    source: str
    shown: Callable[[float], str]
    kinds: frozenset[str] = KINDS
    digits: int | None = 9
    setting: tuple[str, str] | None = None  # (option, value) it needs, e.g. opt-in FLIP

    def value(self, result: MethodResult) -> float | None:
        """The result's number (None where the result has none, e.g. a failed method)."""
        holder = result if self.source == "result" else getattr(result, self.source)
        return None if holder is None else getattr(holder, self.key)

    def text(self, value: float | None) -> str:
        """How the number reads in the window: '—' when undefined."""
        return UNDEFINED if is_undefined(value) else self.shown(value)

    def for_file(self, value: float | None) -> float | None:
        """The number as JSON holds it: null for undefined or infinite, rounded."""
        if value is None or not math.isfinite(value):
            return None
        return value if self.digits is None else round(value, self.digits)


def is_undefined(value: float | None) -> bool:
    return value is None or math.isnan(value)


_LABELS = frozenset({"labels"})
_PHOTOS = frozenset({"image"})

METRICS: tuple[MetricColumn, ...] = (
    MetricColumn(
        "pixel_acc",
        "Pixel acc",
        "Label maps: the fraction of pixels given their true class (ignore pixels left out)",
        "metrics",
        _fixed(4),
        _LABELS,
    ),
    MetricColumn(
        "miou",
        "mIoU",
        "Label maps: intersection over union per class, averaged over the classes in the "
        "ground truth or the prediction",
        "metrics",
        _fixed(4),
        _LABELS,
    ),
    MetricColumn(
        "boundary_iou",
        "Boundary IoU",
        "Label maps: IoU of the bands within d = 2 % of the diagonal of each class's edges "
        "(Cheng et al. 2021), averaged over classes: how well the boundaries are placed",
        "metrics",
        _fixed(4),
        _LABELS,
    ),
    MetricColumn(
        "boundary_f",
        "Boundary F",
        "Label maps: F-score of thinned one-pixel class boundaries, each matched at most "
        "once within 0.75 % of the diagonal (the BSDS500 benchmark's measure)",
        "metrics",
        _fixed(4),
        _LABELS,
    ),
    MetricColumn(
        "psnr",
        "PSNR dB",
        "Peak signal-to-noise ratio against the original (peak 255); higher is better",
        "metrics",
        _decibels,
    ),
    MetricColumn(
        "ssim",
        "SSIM",
        "Structural similarity (scikit-image, all channels); 1 is identical",
        "metrics",
        _fixed(4),
    ),
    MetricColumn(
        "psnr_y",
        "PSNR-Y",
        "The super-resolution papers' PSNR: on BT.601 Y (16..235), r pixels shaved from each "
        "border. Compare with published tables under the sr protocol",
        "metrics",
        _decibels,
        _PHOTOS,
    ),
    MetricColumn(
        "ssim_y",
        "SSIM-Y",
        "The super-resolution papers' SSIM: on Y, r pixels shaved, 11x11 Gaussian window "
        "(sigma 1.5) over the valid region",
        "metrics",
        _fixed(4),
        _PHOTOS,
    ),
    MetricColumn(
        "flip",
        "FLIP",
        "Photos, with --perceptual flip: NVIDIA FLIP's mean error (LDR, 67 pixels per degree; "
        "Andersson et al. 2020), what a person sees flipping between the original and the "
        "result: 0 identical, 1 the largest",
        "metrics",
        _fixed(4),
        _PHOTOS,
        setting=("perceptual", "flip"),
    ),
    MetricColumn(
        "mae", "MAE", "Mean absolute error of the uint8 result, 0..255", "metrics", _fixed(2)
    ),
    MetricColumn("max_abs", "Max err", "Largest absolute error of any value", "metrics", _fixed(0)),
    MetricColumn(
        "clipped",
        "Clipped",
        "Fraction of float values outside [0, 255] before clipping",
        "metrics",
        _percent,
    ),
    MetricColumn(
        "checkerboard",
        "Checkerboard",
        "Energy at the replica frequencies k·N/r (DC excluded) over all non-DC "
        "energy of the output: the periodic pattern of transposed convolutions. 0 for nearest",
        "artifacts",
        _small,
    ),
    MetricColumn(
        "phase_cv",
        "Phase CV",
        "Response to a constant image: spread of the r² polyphase means over their "
        "mean. 0 for a shift-invariant upsampler; large means a pattern even on flat areas",
        "artifacts",
        _small,
    ),
    MetricColumn(
        "overshoot",
        "Overshoot",
        "Ringing: fraction of output values more than 1 level outside the range of the 2x2 "
        "low-res pixels around them (those bilinear reads)",
        "artifacts",
        _percent,
    ),
    MetricColumn(
        "overshoot_max",
        "Overshoot max",
        "Largest excursion beyond the local 2x2 low-res range, in levels (0 when none "
        "passes 1 level)",
        "artifacts",
        _fixed(1),
    ),
    MetricColumn(
        "hf_energy",
        "HF energy",
        "Fraction of non-DC luma energy above the low-res Nyquist frequency: "
        "detail the input could not hold (sharpness, aliasing or invented texture)",
        "artifacts",
        _percent,
    ),
    MetricColumn(
        "ms",
        "ms",
        "Time of the method: build and training, the Paddle call, conversion back",
        "result",
        _fixed(1),
        digits=3,
    ),
    MetricColumn("params", "Params", "Learned parameters", "result", _count, digits=None),
)

BY_KEY = {column.key: column for column in METRICS}
# A metrics row: the method, every number, and why the method failed (None when it ran).
ROW_KEYS = ("method", *BY_KEY, "error")


def columns_for(kind: str, settings: Settings | None = None) -> tuple[MetricColumn, ...]:
    """The columns an input of this kind has numbers in: opt-in ones only where `settings`
    turn them on."""
    return tuple(column for column in METRICS if kind in column.kinds and is_on(column, settings))


def is_on(column: MetricColumn, settings: Settings | None) -> bool:
    """Whether `settings` give `column` numbers (an opt-in column needs its option's value)."""
    if column.setting is None:
        return True
    name, value = column.setting
    return settings is not None and getattr(settings, name) == value


def headline(kind: str) -> str:
    """The metric a run of this kind is judged by first (the dataset view opens on it)."""
    return "miou" if kind == "labels" else "psnr"
