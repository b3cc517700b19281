"""Every derived view a pane can show instead of its image, defined once: the window and the
exported files both call these functions, so a file shows exactly what the screen does.

Kinds: "diff:<channel>" (signed difference to the original, channel luma / red / green /
blue), "abs:<channel>" (its magnitude: computed before any averaging, so that errors of
opposite signs never cancel in a minified view), "ssim" (1 - the local SSIM map), "flip"
(NVIDIA FLIP's error map, photos only), "spectrum" (log spectrum of the pane's luma; the
low-res input's in the original's frequency plane) and "diff_spectrum" (of its luma
difference). Each comes with its value range and a robust "typical" magnitude for shared
scales.

Feature maps and label maps are compared as data, never as the colours their panes show (a
PCA projection hides every channel but three; two classes of one brightness have one luma):
"<view>:c<k>" reads feature channel k's values, "<view>:all" all channels (|difference|: the
RMS over channels; spectra: the RMS of the channels' |FFT|; SSIM: the mean over channels) and
"abs:class" the class ids: 1 where the predicted class is not the true one. `view_kind` says
which kind a mode, an input and its channel choice give; `view_title` what its colour bar says.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache, partial

import cv2
import numpy as np

from viewer.core.inputs.label_maps import IGNORE
from viewer.core.measure.flip import flip_map
from viewer.core.measure.ssim import ssim_maps
from viewer.core.views.spectrum import display_range, embedded_log_spectrum, log_spectrum

LUMA = np.array([0.299, 0.587, 0.114], np.float32)  # BT.601
CHANNELS = ("luma", "red", "green", "blue")
MODES = ("image", "abs", "signed", "ssim", "flip", "spectrum", "diff_spectrum")
SPECTRUM_MODES = ("spectrum", "diff_spectrum")
WHOLE_MODES = (*SPECTRUM_MODES, "ssim", "flip")  # one view of the whole pane, no channel
FIXED_MODES = (*SPECTRUM_MODES, "flip")  # colours the scale policy does not touch
# Modes only some inputs have, with why the others do not (Inputs.kind: image, features,
# labels).
PHOTO_ONLY = {
    "flip": "FLIP models how a person sees two photos: label maps (colours standing for "
    "classes) and feature maps (a projection of many channels) have no such view",
}
# Why a feature map in its PCA view, or a label map shown as labels, has no signed view.
WHOLE_UNSIGNED = {
    "features": "the PCA view stands for every channel, whose differences have no one sign: "
    "choose one channel for its signed difference (|Diff| shows the RMS over all channels)",
    "labels": "classes have no order, so a class difference has no sign: |Diff| shows the "
    "wrong pixels (choose one class's scores for their signed difference)",
}
SCALE_POLICIES = ("shared", "per_pane", "fixed")
# What each colour bar says (short) and means (its tooltip): the colours, the units.
TITLES = {
    "abs": "|{channel} difference| (levels)",
    "signed": "{channel} difference (levels)",
    "ssim": "1 − local SSIM",
    "flip": "FLIP error",
    "spectrum": "log(1 + |FFT|) of luma",
    "diff_spectrum": "log(1 + |FFT|) of the difference",
}
MEANINGS = {
    "abs": "|result − original| of the chosen channel, in levels of 0..255",
    "signed": "result − original of the chosen channel, in levels of 0..255: red where the "
    "result is brighter than the original, blue where it is darker, white where equal. Below "
    "100 % a screen pixel averages the positive and the negative errors under it separately "
    "and shows both: its red is the mean of the positive part, its blue the mean of the "
    "negative part, so errors of both signs show purple to black, never cancel to white",
    "ssim": "1 − scikit-image's local SSIM (7x7 window, averaged over channels): 0 where the "
    "local structure is identical, 1 where it is unrelated",
    "flip": "NVIDIA FLIP's per-pixel error (flip-evaluator, LDR at 67 pixels per degree) in "
    "its own magma colours over 0..1: how visible the difference is to a person flipping "
    "between the original and the result",
    "spectrum": "centred log-magnitude Fourier spectrum of the luma: checkerboard shows as "
    "bright replica peaks at multiples of 1/r of the width and height from the centre",
    "diff_spectrum": "log-magnitude spectrum of the luma difference: which frequencies are wrong",
}
# Feature (or class-score) views of one channel, and of all channels at once.
CHANNEL_TITLES = {
    "abs": "|channel {channel} difference| (levels)",
    "signed": "channel {channel} difference (levels)",
    "ssim": "1 − local SSIM of channel {channel}",
    "spectrum": "log(1 + |FFT|) of channel {channel}",
    "diff_spectrum": "log(1 + |FFT|) of channel {channel}'s difference",
}
CHANNEL_MEANINGS = {
    "abs": "|result − original| of the chosen channel's values (0..255 stands for the map's "
    "own range). Below 100 % a screen pixel is the mean of the magnitudes under it",
    "signed": "result − original of the chosen channel's values (0..255 stands for the map's "
    "own range): red where the result is higher, blue where lower. Below 100 % a screen pixel "
    "averages the positive and the negative errors under it separately and shows both",
    "ssim": "1 − the local SSIM (7x7 window) of the chosen channel's values",
    "spectrum": "centred log-magnitude Fourier spectrum of the chosen channel's values",
    "diff_spectrum": "log-magnitude spectrum of the chosen channel's difference",
}
ALL_TITLES = {
    "abs": "RMS difference over {count} channels (levels)",
    "ssim": "1 − local SSIM, mean of {count} channels",
    "spectrum": "log(1 + RMS |FFT|) of {count} channels",
    "diff_spectrum": "log(1 + RMS |FFT|) of {count} channels' difference",
}
ALL_MEANINGS = {
    "abs": "√(mean over every channel of (result − original)²), in levels of the map's "
    "0..255 scale: an error in any one channel shows, however the PCA colours look. Below "
    "100 % a screen pixel is the mean of the magnitudes under it",
    "ssim": "1 − the local SSIM (7x7 window) averaged over every channel",
    "spectrum": "centred log spectrum of all channels: log(1 + √(mean over channels of "
    "|FFT|²)), so a peak in any one channel shows",
    "diff_spectrum": "log spectrum of all channels' differences: log(1 + √(mean over channels "
    "of |FFT|²)): which frequencies are wrong in any channel",
}
CLASS_TITLE = "wrong class (1) / right (0)"
CLASS_MEANING = (
    "1 where the predicted class is not the true class, 0 where it is or where the truth is "
    "the ignore label. Below 100 % a screen pixel is wrong where any pixel under it is "
    "wrong, so a single wrong pixel still shows at every zoom"
)
TYPICAL_PERCENTILE = 99
# The signed colour table's ends: the colours of -scale, 0 and +scale.
SIGNED_ENDS = np.array([[59, 76, 192], [240, 240, 240], [180, 4, 38]], np.float32)


@dataclass(frozen=True)
class View:
    """Values to colour, their range, and the 99th percentile of their magnitude."""

    values: np.ndarray
    low: float
    high: float
    typical: float


def difference_map(image: np.ndarray, reference: np.ndarray, channel: str) -> np.ndarray:
    """Signed difference of one channel (int16), or of luma (float16: steps of 1/8 at 255,
    finer than any colour table shows)."""
    if channel == "luma":
        signed = cv2.subtract(image, reference, dtype=cv2.CV_32F)
        return cv2.transform(signed, LUMA[None]).reshape(image.shape[:2]).astype(np.float16)
    index = CHANNELS.index(channel) - 1
    return image[..., index].astype(np.int16) - reference[..., index].astype(np.int16)


def ssim_map(image: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """1 - the local SSIM (scikit-image's window and constants), averaged over channels."""
    return 1.0 - ssim_maps(reference, image).mean(axis=-1)


def percentile_of_magnitude(values: np.ndarray, q: float) -> float:
    """np.percentile(|values|, q), with its linear interpolation. Float16 values (luma
    differences) are counted by bit pattern instead of partially sorted: 5x faster."""
    if values.dtype != np.float16:
        return float(np.percentile(np.abs(values.astype(np.float32)), q))
    bits = values.view(np.uint16) & 0x7FFF  # |x|: sign cleared; patterns sort as values do
    counts = np.cumsum(np.bincount(bits.ravel()))
    position = q / 100 * (values.size - 1)
    below = int(position)
    ranks = [below, min(below + 1, values.size - 1)]
    # order statistic k: the first pattern with more than k values at or under it
    low, high = np.searchsorted(counts, ranks, side="right").astype(np.uint16).view(np.float16)
    return float(low) + (float(high) - float(low)) * (position - below)


def derive(
    kind: str, pixels: np.ndarray, reference: np.ndarray | None, ignore: int = IGNORE
) -> View:
    """View `kind` of a pane showing `pixels` (`reference`: the original's). A data kind
    (`data_subject`) takes the data it reads: feature values, or class ids with the label
    map's `ignore` id."""
    if kind == "flip":
        values = flip_map(reference, pixels)
        return View(values, 0.0, 1.0, percentile_of_magnitude(values, TYPICAL_PERCENTILE))
    view, _, subject = kind.partition(":")
    if data_subject(kind) != "pixels":
        return _data_view(view, subject, pixels, reference, ignore)
    if view in ("diff", "abs") or kind == "ssim":
        if kind == "ssim":
            values = ssim_map(pixels, reference)
        else:
            values = difference_map(pixels, reference, subject)
            values = np.abs(values) if view == "abs" else values
        return _difference_view(values)
    if kind == "diff_spectrum":
        source = difference_map(pixels, reference, "luma").astype(np.float32)
    else:
        source = pixels.astype(np.float32) @ LUMA
    return _spectrum_view(kind, source[..., None], reference)


def _difference_view(values: np.ndarray) -> View:
    """A difference-like map with its peak (either sign) and typical magnitude."""
    sample = values[:: max(1, values.shape[0] // 1024)]
    peak = float(np.abs(values).max(initial=0))
    typical = percentile_of_magnitude(sample, TYPICAL_PERCENTILE) if sample.size else 0.0
    return View(values, -peak, peak, typical)


def _spectrum_view(kind: str, channels: np.ndarray, reference: np.ndarray | None) -> View:
    """The log spectrum of H x W x C `channels`: of the one channel, or of the RMS over them
    of |FFT| (a peak in any channel shows). The low-res input's sits in the original's
    frequency plane, its range from its own part (the empty rest must not pull every pane's
    levels to 0)."""
    own = rms_log_spectrum(channels)
    low, high = display_range(own)
    low_res = reference is not None and reference.shape[:2] != channels.shape[:2]
    if kind.startswith("spectrum") and low_res:
        plane = partial(embedded_log_spectrum, shape=reference.shape[:2])
        return View(rms_log_spectrum(channels, plane), low, high, high)
    return View(own, low, high, high)


def rms_log_spectrum(
    channels: np.ndarray, spectrum: Callable[[np.ndarray], np.ndarray] = log_spectrum
) -> np.ndarray:
    """log(1 + √(mean over channels of |FFT|²)) of H x W x C values, `spectrum` giving each
    channel's log spectrum: that channel's own when C is 1."""
    if channels.shape[2] == 1:
        return spectrum(channels[..., 0])
    power = None
    for channel in range(channels.shape[2]):
        magnitude = np.expm1(spectrum(channels[..., channel]).astype(np.float64))
        power = magnitude**2 if power is None else power + magnitude**2
    return np.log1p(np.sqrt(power / channels.shape[2])).astype(np.float32)


def _data_view(
    view: str, subject: str, values: np.ndarray, reference: np.ndarray | None, ignore: int
) -> View:
    """A feature or label map's view of its data (see the module's docstring)."""
    if subject == "class":
        wrong = (values != reference) & (reference != ignore)  # bool: minified by "any"
        return View(wrong, 0.0, 1.0, 1.0)
    chosen = slice(None) if subject == "all" else slice(int(subject[1:]), int(subject[1:]) + 1)
    mine = values[..., chosen].astype(np.float32, copy=False)
    if view.startswith("spectrum"):
        return _spectrum_view(view, mine, reference)
    theirs = reference[..., chosen].astype(np.float32, copy=False)
    if view == "ssim":
        return _difference_view(1.0 - ssim_maps(theirs, mine).mean(axis=-1))
    difference = mine - theirs
    if view == "diff_spectrum":
        return _spectrum_view(view, difference, None)
    if view == "diff":
        return _difference_view(difference[..., 0])
    if difference.shape[2] == 1:
        return _difference_view(np.abs(difference[..., 0]))
    return _difference_view(np.sqrt(np.mean(np.square(difference), axis=-1)))


def shared_scale(views: Iterable[View]) -> float:
    """One scale for the difference views of several methods: the median of their 99th
    percentiles. A typical method's errors span the colours; the worst ones saturate
    instead of turning every decent method black (as the largest error did)."""
    typical = [view.typical for view in views]
    return max(1e-3, statistics.median(typical)) if typical else 1.0


def levels(mode: str, scale: float) -> tuple[float, float]:
    """The value range the colour bar spans for a difference mode at `scale` (FLIP: its own
    0..1 whatever the scale, as its colours are defined)."""
    if mode == "flip":
        return 0.0, 1.0
    return (0.0, scale) if mode in ("abs", "ssim") else (-scale, scale)


def unavailable(mode: str, kind: str, feature_channel: int | None = None) -> str:
    """Why an input of `kind` has no view `mode` ("" when it has); `feature_channel`: the
    channel a feature or label map is shown as (None: all, as PCA or as labels)."""
    if kind == "image":
        return ""
    if mode == "signed" and feature_channel is None:
        return WHOLE_UNSIGNED[kind]
    return PHOTO_ONLY.get(mode, "")


def view_kind(
    mode: str, input_kind: str, colour: str = "luma", feature_channel: int | None = None
) -> str | None:
    """The derived view panes show in `mode` (None: their images): a photo's by its colour
    channel, a feature or label map's of its data (`feature_channel`: one channel, None:
    all channels, or a label map's classes)."""
    if mode == "image" or unavailable(mode, input_kind, feature_channel):
        return None
    if input_kind == "image":
        return mode if mode in WHOLE_MODES else f"{'abs' if mode == 'abs' else 'diff'}:{colour}"
    view = "diff" if mode == "signed" else mode
    if feature_channel is not None:
        return f"{view}:c{feature_channel}"
    return "abs:class" if input_kind == "labels" and mode == "abs" else f"{view}:all"


def data_subject(kind: str) -> str:
    """What view `kind` reads of a pane: "values" (a feature or label map's channels),
    "classes" (class ids) or "pixels" (a photo's RGB, as shown)."""
    subject = kind.partition(":")[2]
    if subject == "class":
        return "classes"
    return "values" if subject == "all" or subject[:1] == "c" else "pixels"


def own_levels(kind: str | None) -> tuple[float, float] | None:
    """The colour bar's range for a view whose values have a fixed meaning (wrong class: 0
    or 1, whatever the scale policy), else None."""
    return (0.0, 1.0) if kind == "abs:class" else None


def view_title(mode: str, kind: str | None, colour: str = "luma", channels: int = 0) -> str:
    """What the colour bar of view `kind` (in `mode`) says: the view and its units ("" for
    the images themselves)."""
    if mode not in TITLES:
        return ""
    subject = (kind or "").partition(":")[2]
    if subject == "class":
        return CLASS_TITLE
    if subject == "all":
        return ALL_TITLES[mode].format(count=channels)
    if subject[:1] == "c":
        return CHANNEL_TITLES[mode].format(channel=subject[1:])
    return TITLES[mode].format(channel=colour)


def view_meaning(mode: str, kind: str | None) -> str:
    """The colour bar's tooltip: what the colours show and how minified pixels are formed."""
    if mode not in MEANINGS:
        return ""
    subject = (kind or "").partition(":")[2]
    if subject == "class":
        return CLASS_MEANING
    if subject == "all":
        return ALL_MEANINGS[mode]
    if subject[:1] == "c":
        return CHANNEL_MEANINGS.get(mode, MEANINGS[mode])
    return MEANINGS[mode]


@cache
def colour_table(mode: str) -> np.ndarray:
    """256 RGB colours from the low to the high end of `mode`'s colour bar: magma (from
    OpenCV) for magnitudes and spectra, blue-white-red for signed differences. FLIP's own
    map is the same magma table (its colours differ from OpenCV's by under 1 level)."""
    if mode == "signed":
        ends = SIGNED_ENDS
        positions = np.linspace(0.0, 2.0, 256)
        lower = np.clip(positions.astype(int), 0, 1)
        fraction = (positions - lower)[:, None]
        return np.rint(ends[lower] * (1 - fraction) + ends[lower + 1] * fraction).astype(np.uint8)
    ramp = np.arange(256, dtype=np.uint8)[:, None]
    return cv2.applyColorMap(ramp, cv2.COLORMAP_MAGMA)[:, 0, ::-1].copy()


def colorize_signed_parts(parts: np.ndarray, scale: float) -> np.ndarray:
    """RGB uint8 of a minified signed map, (H, W, 2): the means of its positive and its
    negative parts (minify.signed_parts). Each part pulls white toward its end of the signed
    colour table by its fraction of `scale`; both pulls add, so a pixel with errors of both
    signs turns purple (dark where both are large) instead of cancelling to white. A part
    alone gives colour_table("signed")'s colour for that value."""
    blue, white, red = SIGNED_ENDS
    fractions = np.clip(parts.astype(np.float32) / max(scale, 1e-12), 0.0, 1.0)
    rgb = white + fractions[..., :1] * (red - white) + fractions[..., 1:2] * (blue - white)
    return np.clip(np.rint(rgb), 0, 255).astype(np.uint8)


def colorize(values: np.ndarray, mode: str, low: float, high: float) -> np.ndarray:
    """RGB uint8 of `values` in `mode`'s colours over [low, high]."""
    return cv2.LUT(cv2.merge([colour_index(values, low, high)] * 3), colour_table(mode)[None])


def colour_index(values: np.ndarray, low: float, high: float) -> np.ndarray:
    """Which of colour_table's 256 colours each value takes over [low, high] (uint8)."""
    span = high - low if high > low else 1.0
    index = values.astype(np.float32)  # a copy: worked on in place
    index -= low
    index *= 255.0 / span
    return np.clip(index, 0, 255, out=index).astype(np.uint8)
