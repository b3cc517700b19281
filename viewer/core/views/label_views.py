"""How label results are seen, defined once for the window and the exported files: labels
blended over the image, and the wrong pixels (with, optionally, the boundary band that
Boundary IoU scores)."""

from __future__ import annotations

import numpy as np

from viewer.core.inputs.label_maps import IGNORE
from viewer.core.measure.label_metrics import band_width, boundary_band

DEFAULT_OPACITY = 0.5
WRONG = np.array([235, 30, 30], np.float32)  # red: predicted class is not the true one
BAND = np.array([40, 200, 220], np.float32)  # cyan: inside the true boundary band
IGNORED = np.array([60, 60, 90], np.float32)  # slate: no ground truth, not scored
ERROR_LEGEND = (
    "Wrong pixels in red over the dimmed image; pixels without ground truth (the ignore "
    "label, --ignore-index) in slate. "
    "With the band shown, cyan marks the ground truth's boundary band: where Boundary IoU "
    "looks (d = 2 % of the diagonal)."
)


def overlay(image: np.ndarray, colours: np.ndarray, opacity: float) -> np.ndarray:
    """Label colours blended over the image: 0 = image only, 1 = labels only."""
    mixed = image.astype(np.float32) * (1 - opacity) + colours.astype(np.float32) * opacity
    return np.rint(mixed).astype(np.uint8)


def truth_band(truth: np.ndarray, ignore: int = IGNORE) -> np.ndarray:
    """The union over classes of Boundary IoU's band of the ground truth."""
    width = band_width(truth.shape)
    band = np.zeros(truth.shape, bool)
    for class_id in np.unique(truth):
        if class_id != ignore:
            band |= boundary_band(truth == class_id, width)
    return band


def error_map(
    image: np.ndarray,
    truth: np.ndarray,
    predicted: np.ndarray,
    band: np.ndarray | None = None,
    ignore: int = IGNORE,
) -> np.ndarray:
    """The image dimmed to grey, the wrong pixels red, unscored pixels slate, and (given
    `band`) the true boundary band tinted cyan under the red."""
    grey = image.astype(np.float32).mean(axis=2, keepdims=True) * 0.45 + 40
    picture = np.repeat(grey, 3, axis=2)
    if band is not None:
        picture[band] = picture[band] * 0.35 + BAND * 0.65
    picture[(predicted != truth) & (truth != ignore)] = WRONG
    picture[truth == ignore] = IGNORED
    return np.rint(picture).astype(np.uint8)


LABEL_VIEWS = {
    "labels": "Labels over the image",
    "errors": "Wrong pixels",
    "errors_band": "Wrong pixels + boundary band",
}


class LabelScene:
    """What every label pane is drawn over: the guide image (at full and at low resolution,
    for the low-res input's pane) and the ground truth with its boundary band."""

    def __init__(
        self, guide: np.ndarray, truth: np.ndarray, scale: int, ignore: int = IGNORE
    ) -> None:
        import cv2

        height, width = truth.shape
        self.guide, self.truth, self.scale, self.ignore = guide, truth, scale, ignore
        self.guide_low = cv2.resize(guide, (width // scale, height // scale), cv2.INTER_AREA)
        self._band: np.ndarray | None = None

    @property
    def band(self) -> np.ndarray:
        if self._band is None:
            self._band = truth_band(self.truth, self.ignore)
        return self._band

    def picture(
        self, view: str, colours: np.ndarray, ids: np.ndarray, opacity: float
    ) -> np.ndarray:
        """A pane's RGB: its labels over the image, or its wrong pixels (a low-res pane,
        with no full-resolution truth to compare, always shows its labels)."""
        low = colours.shape[:2] != self.truth.shape
        if view == "labels" or low:
            return overlay(self.guide_low if low else self.guide, colours, opacity)
        band = self.band if view == "errors_band" else None
        return error_map(self.guide, self.truth, ids, band, self.ignore)
