"""A minified signed difference never shows "no error" where there is error: the positive
and the negative parts are averaged apart and shown together (issue 22 item 5). Core tests on
stripes and checkerboards at several zooms, and what a real pane paints."""

import numpy as np
import pytest

from viewer.core.views.derived import (
    MEANINGS,
    SIGNED_ENDS,
    colorize,
    colorize_signed_parts,
    colour_table,
)
from viewer.core.views.minify import Pyramid

WHITE = SIGNED_ENDS[1]


def stripes(size: int, width: int, error: int = 127) -> np.ndarray:
    """Vertical stripes of +error and -error, `width` pixels each (int16, as a channel's
    signed difference is)."""
    sign = np.where((np.arange(size) // width) % 2 == 0, 1, -1)
    return np.broadcast_to(sign[None, :] * error, (size, size)).astype(np.int16)


def checkerboard(size: int, square: int, error: float = 127.0) -> np.ndarray:
    """+error and -error squares (float16, as a luma difference is)."""
    index = np.arange(size) // square
    sign = np.where((index[:, None] + index[None, :]) % 2 == 0, 1.0, -1.0)
    return (sign * error).astype(np.float16)


def minified_rgb(values: np.ndarray, side: int, scale: float) -> np.ndarray:
    size = values.shape[0]
    view = Pyramid(values, signed=True).area_view(0, 0, size, size, side, side)
    return colorize_signed_parts(view.pixels, scale)


def distance_from_white(rgb: np.ndarray) -> np.ndarray:
    return np.abs(rgb.astype(np.float32) - WHITE).max(axis=-1)


@pytest.mark.parametrize("side", [300, 180, 100, 37, 9])  # zooms 59 %, 35 %, 20 %, 7 %, 2 %
@pytest.mark.parametrize(
    ("values", "period"),
    [
        (stripes(512, 1), 2),
        (stripes(512, 3), 6),
        (checkerboard(512, 1), 2),
        (checkerboard(512, 2), 4),
    ],
)
def test_opposite_errors_never_cancel_to_white(values, period, side):
    """Every screen pixel covers errors of 127 levels: none may be white; one that covers a
    whole period of the pattern keeps both signs (about 127 / 2 each)."""
    view = Pyramid(values, signed=True).area_view(0, 0, 512, 512, side, side)
    positive, negative = view.pixels[..., 0], view.pixels[..., 1]
    np.testing.assert_allclose(positive + negative, 127, rtol=1e-3)  # no magnitude lost
    if 512 / side >= period:
        assert positive.min() > 20 and negative.min() > 20
    rgb = colorize_signed_parts(view.pixels, scale=127)
    assert distance_from_white(rgb).min() > 60


def test_the_plain_mean_would_have_shown_white():
    """The rule this replaces: a mean of the signed values is 0 on 1-px stripes at 50 %."""
    mean = Pyramid(stripes(512, 1)).area_view(0, 0, 512, 512, 256, 256).pixels
    assert np.abs(mean).max() == 0


def test_one_signed_region_keeps_the_colour_table_colours():
    """Where all errors under a screen pixel share a sign, the minified colour is the colour
    bar's colour of their mean, as at 100 %."""
    values = np.full((64, 64), 50, np.int16)
    values[:, 32:] = -80
    rgb = minified_rgb(values, 16, scale=100)
    expected = colorize(np.array([[50, -80]], np.float32), "signed", -100, 100)[0]
    np.testing.assert_allclose(rgb[:, :8].reshape(-1, 3) - expected[0], 0, atol=2)
    np.testing.assert_allclose(rgb[:, 8:].reshape(-1, 3) - expected[1], 0, atol=2)


def test_parts_are_the_exact_means_of_each_sign():
    rng = np.random.default_rng(1)
    values = rng.integers(-200, 200, (64, 64)).astype(np.int16)
    view = Pyramid(values, signed=True).area_view(0, 0, 64, 64, 16, 16)
    blocks = values.astype(np.float32).reshape(16, 4, 16, 4)
    np.testing.assert_allclose(view.pixels[..., 0], np.maximum(blocks, 0).mean(axis=(1, 3)))
    np.testing.assert_allclose(view.pixels[..., 1], np.maximum(-blocks, 0).mean(axis=(1, 3)))


def test_no_error_stays_white_and_the_ends_are_the_tables_ends():
    parts = np.array([[[0, 0], [300, 0], [0, 300]]], np.float32)
    rgb = colorize_signed_parts(parts, scale=100)[0]
    table = colour_table("signed")
    np.testing.assert_array_equal(rgb[0], WHITE)
    np.testing.assert_array_equal(rgb[1], table[-1])
    np.testing.assert_array_equal(rgb[2], table[0])


def test_the_colour_bar_says_how_minified_pixels_are_formed():
    text = MEANINGS["signed"]
    assert "Below 100 %" in text and "separately" in text and "never cancel" in text


def test_a_painted_signed_pane_shows_errors_at_a_fit_zoom(qtbot):
    """A real pane, painted offscreen: ±127 stripes at ~30 % are far from white; at 800 %
    the stripes are red and blue; a new scale recolours the minified view."""
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QImage

    from viewer.ui.pane import Pane

    pane = Pane("nearest", "Nearest")
    qtbot.addWidget(pane)
    pane.resize(320, 340)
    pane.show()
    qtbot.waitExposed(pane)
    values = stripes(1024, 1)
    pane.set_pixels(np.zeros((1024, 1024, 3), np.uint8))
    pane.set_heat(values, colour_table("signed"), (-127.0, 127.0))
    pane.viewbox.setRange(QRectF(0, 0, 1024, 1024), padding=0)
    qtbot.waitUntil(lambda: pane.heat.screen_pixels_per_pixel() < 0.5)

    def painted() -> np.ndarray:
        image = pane.view.grab().toImage().convertToFormat(QImage.Format.Format_RGB888)
        width, height, stride = image.width(), image.height(), image.bytesPerLine()
        rows = np.frombuffer(image.constBits(), np.uint8).reshape(height, stride)
        return rows[:, : width * 3].reshape(height, width, 3)[20:-20, 20:-20].copy()

    assert distance_from_white(painted()).min() > 60
    pane.set_heat(values, colour_table("signed"), (-1270.0, 1270.0))  # ten times the scale
    faint = distance_from_white(painted())
    assert faint.min() > 5 and faint.max() < 30
    pane.viewbox.setRange(QRectF(100, 100, 40, 40), padding=0)
    pane.set_heat(values, colour_table("signed"), (-127.0, 127.0))
    qtbot.waitUntil(lambda: pane.heat.screen_pixels_per_pixel() > 6)
    sharp = painted().astype(int)
    red = (sharp[..., 0] > 150) & (sharp[..., 2] < 80)
    blue = (sharp[..., 2] > 150) & (sharp[..., 0] < 100)
    assert red.mean() > 0.4 and blue.mean() > 0.4
