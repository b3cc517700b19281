"""Derived views are defined once (viewer.core.views.derived): values, scales and colours."""

import numpy as np
import pytest

from viewer.core.views.derived import (
    LUMA,
    View,
    colorize,
    colour_table,
    derive,
    difference_map,
    levels,
    percentile_of_magnitude,
    shared_scale,
)


def test_the_shared_scale_is_the_median_of_typical_errors():
    views = [View(np.zeros(1), 0, 0, typical) for typical in (2.0, 3.0, 250.0)]
    assert shared_scale(views) == 3.0  # one terrible method does not black out the rest
    assert shared_scale([]) == 1.0


def test_a_difference_view_knows_its_peak_and_99th_percentile():
    reference = np.zeros((100, 100, 3), np.uint8)
    image = reference.copy()
    image[0, 0] = 200  # one outlier
    image[1:, :] = 10
    view = derive("diff:red", image, reference)
    assert view.high == 200 and view.low == -200
    assert view.typical == pytest.approx(10)


def test_the_luma_difference_is_bt601_of_the_rgb_difference():
    rng = np.random.default_rng(4)
    reference, image = rng.integers(0, 256, (2, 90, 70, 3), dtype=np.uint8)
    expected = (image.astype(np.float64) - reference) @ LUMA.astype(np.float64)
    signed = difference_map(image, reference, "luma")
    assert signed.shape == (90, 70) and signed.dtype == np.float16
    np.testing.assert_allclose(signed, expected, rtol=2**-11, atol=2**-14)
    assert np.abs(signed).max() > 100  # both signs, large values: not a zero map


@pytest.mark.parametrize("size", [1, 2, 7, 1000, 54321])
@pytest.mark.parametrize("dtype", [np.float16, np.int16, np.float32])
def test_percentile_of_magnitude_is_numpys(size, dtype):
    rng = np.random.default_rng(size)
    values = (rng.normal(0, 30, size)).astype(dtype)
    values[: size // 3] = values[-1]  # ties
    for q in (0, 1, 50, 99, 100):
        expected = np.percentile(np.abs(values.astype(np.float64)), q)
        assert percentile_of_magnitude(values, q) == pytest.approx(expected, rel=1e-6)


def test_colours_run_from_dark_to_bright_and_blue_to_red():
    magma = colour_table("abs").astype(int)
    assert magma[0].sum() < 60 and magma[-1].sum() > 500
    signed = colour_table("signed").astype(int)
    assert signed[0, 2] > signed[0, 0] and signed[-1, 0] > signed[-1, 2]  # blue low, red high
    assert (signed[128] > 200).all()  # white at zero


def test_magnitudes_are_taken_before_any_averaging():
    """A minified |difference| must not let errors of opposite sign cancel: an image that
    is 20 levels off everywhere, alternately brighter and darker, stays bright at 25 %."""
    from viewer.core.views.minify import Pyramid

    reference = np.full((64, 64, 3), 100, np.uint8)
    image = reference.copy()
    image[:, 0::2] += 20
    image[:, 1::2] -= 20
    magnitude = derive("abs:luma", image, reference)
    assert magnitude.values.min() >= 0
    small = Pyramid(magnitude.values).area_view(0, 0, 64, 64, 16, 16).pixels
    np.testing.assert_allclose(small.astype(float), 20, atol=0.1)
    signed = derive("diff:luma", image, reference)
    assert abs(float(Pyramid(signed.values).area_view(0, 0, 64, 64, 16, 16).pixels.mean())) < 0.1


def test_colorize_maps_the_levels_to_the_table_ends():
    values = np.array([[-20.0, 0.0, 20.0]])
    signed = colorize(values, "signed", *levels("signed", 20))
    np.testing.assert_array_equal(signed[0], colour_table("signed")[[0, 127, 255]])
    bright = colorize(np.array([[0.0, 20.0, 40.0]]), "abs", *levels("abs", 20))
    np.testing.assert_array_equal(bright[0], colour_table("abs")[[0, 255, 255]])


def test_the_windows_tables_are_these_colours(qtbot):
    from viewer.ui.colormaps import colour_map, lookup_table

    for mode in ("abs", "signed", "ssim", "spectrum"):
        np.testing.assert_array_equal(lookup_table(mode), colour_table(mode))
    bar = colour_map("signed").getLookupTable(nPts=256, alpha=False)
    np.testing.assert_allclose(bar.astype(int), colour_table("signed").astype(int), atol=1)
