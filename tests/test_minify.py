"""Minified views are area averages: a fine pattern below 100 % becomes its mean, never a
false coarse pattern. Core tests (no Qt) and what a real pane paints."""

import cv2
import numpy as np
import pytest
from skimage import data

from viewer.core.views.minify import Pyramid, halve


def checkerboard(size: int, square: int) -> np.ndarray:
    index = np.arange(size) // square
    board = ((index[:, None] + index[None, :]) % 2 * 255).astype(np.uint8)
    return np.repeat(board[:, :, None], 3, axis=2)


def test_halving_is_the_exact_mean_of_each_block():
    image = np.random.default_rng(0).integers(0, 256, (64, 48, 3)).astype(np.uint8)
    pyramid = Pyramid(image)
    for number in (1, 2, 3):
        size = 2**number
        blocks = image.reshape(64 // size, size, 48 // size, size, 3).astype(np.float64)
        np.testing.assert_allclose(pyramid.level(number), blocks.mean(axis=(1, 3)), atol=1e-4)


def test_odd_sides_repeat_the_last_row_and_column():
    image = np.arange(15, dtype=np.float32).reshape(3, 5)
    half = halve(image)
    assert half.shape == (2, 3)
    assert half[1, 2] == image[2, 4]  # the corner block is the corner pixel four times
    assert half[0, 0] == pytest.approx(image[:2, :2].mean())


@pytest.mark.parametrize("square", [1, 2, 3])
@pytest.mark.parametrize("factor", [2.0, 3.0, 3.3, 5.7, 8.0])
def test_a_fine_checkerboard_minifies_to_flat_grey(square, factor):
    board = checkerboard(600, square)
    size = round(600 / factor)
    view = Pyramid(board).area_view(0, 0, 600, 600, size, size)
    inner = view.pixels[2:-2, 2:-2].astype(float)
    # Each output pixel covers `factor` pixels; a partial square adds at most
    # square/factor of a full swing, which the averaging over several squares shrinks.
    assert abs(inner.mean() - 127.5) < 2
    if factor >= 4 * square:
        assert inner.std() < 12, inner.std()


def test_sampling_would_have_lied():
    """The failure we prevent: taking every n-th pixel of a 1-px checkerboard is all black."""
    board = checkerboard(600, 1)
    assert board[::4, ::4].std() == 0 and board[::4, ::4].mean() == 0


def test_an_area_view_agrees_with_opencv_inter_area_on_a_photo():
    photo = data.astronaut()
    for factor in (2, 4, 5.3):
        size = round(512 / factor)
        view = Pyramid(photo).area_view(0, 0, 512, 512, size, size)
        direct = cv2.resize(photo, view.pixels.shape[1::-1], interpolation=cv2.INTER_AREA)
        assert np.abs(view.pixels.astype(int) - direct).mean() < 1.5


def test_the_finer_level_is_used_only_within_its_budget():
    """A small view is made from the level one finer than needed (box edges cut closer);
    without budget, from the level just finer than the screen."""
    photo = data.astronaut()
    pyramid = Pyramid(photo)
    exact = cv2.resize(photo.astype(np.float32), (100, 100), interpolation=cv2.INTER_AREA)
    fine = pyramid.area_view(0, 0, 512, 512, 100, 100).pixels  # 5.12 px per output pixel
    coarse = pyramid.area_view(0, 0, 512, 512, 100, 100, fine_budget=0).pixels
    from_level_2 = cv2.resize(pyramid.level(2), (100, 100), interpolation=cv2.INTER_AREA)
    np.testing.assert_array_equal(coarse, np.clip(np.rint(from_level_2), 0, 255))
    assert np.abs(fine - exact).mean() < np.abs(coarse - exact).mean()


def test_a_part_of_the_image_covers_at_least_what_was_asked():
    view = Pyramid(data.camera()).area_view(100.5, 30.2, 300.7, 200.1, 50, 42)
    assert view.x0 <= 100.5 and view.y0 <= 30.2 and view.x1 >= 300.7 and view.y1 >= 200.1
    per_pixel = (view.x1 - view.x0) / view.pixels.shape[1]
    assert 3.5 < per_pixel < 4.5  # about 200 / 50 image pixels per output pixel


def test_a_painted_pane_is_flat_grey_below_100_percent_and_sharp_above(qtbot):
    """A real pane, painted offscreen: a 1-px checkerboard at ~29 % is grey everywhere; at
    800 % the squares are there, sharp."""
    from PySide6.QtCore import QRectF

    from viewer.ui.pane import Pane

    pane = Pane("original", "Original")
    qtbot.addWidget(pane)
    pane.resize(320, 340)
    pane.show()
    qtbot.waitExposed(pane)
    pane.set_pixels(checkerboard(1024, 1))
    pane.viewbox.setRange(QRectF(0, 0, 1024, 1024), padding=0)
    qtbot.waitUntil(lambda: pane.image.screen_pixels_per_pixel() < 0.5)
    painted = grab(pane.view)[20:-20, 20:-20].astype(float)
    assert abs(painted.mean() - 127.5) < 3 and painted.std() < 3, (painted.mean(), painted.std())
    pane.viewbox.setRange(QRectF(100, 100, 40, 40), padding=0)
    qtbot.waitUntil(lambda: pane.image.screen_pixels_per_pixel() > 6)
    sharp = grab(pane.view)[20:-20, 20:-20]
    share_extreme = np.mean((sharp < 10) | (sharp > 245))
    assert share_extreme > 0.9  # black or white squares, not a blur


def grab(widget) -> np.ndarray:
    """The widget's painted pixels as grey levels."""
    from PySide6.QtGui import QImage

    image = widget.grab().toImage().convertToFormat(QImage.Format.Format_Grayscale8)
    width, height, stride = image.width(), image.height(), image.bytesPerLine()
    return np.frombuffer(image.constBits(), np.uint8).reshape(height, stride)[:, :width].copy()


def test_levels_made_ahead_are_the_levels_made_on_demand():
    """The engine's thread makes the levels; the views from them are the same views."""
    from viewer.core.views.minify import SMALLEST_AHEAD, levels_ahead

    image = data.astronaut()
    ahead = levels_ahead(image)
    assert max(ahead[-1].shape[:2]) <= SMALLEST_AHEAD < max(ahead[-2].shape[:2])
    on_demand, prebuilt = Pyramid(image), Pyramid(image, ahead)
    for number, level in enumerate(ahead, start=1):
        np.testing.assert_array_equal(on_demand.level(number), level)
    for box in [(0, 0, 512, 512, 40, 40), (100.5, 30.2, 300.7, 200.1, 50, 42)]:
        np.testing.assert_array_equal(
            prebuilt.area_view(*box).pixels, on_demand.area_view(*box).pixels
        )
