"""Feature maps and label maps are compared as data, never as the colours their panes show:
an error in a channel the PCA colours leave out, or a swap of two classes of one brightness,
shows in |Diff|; a single wrong label pixel survives every minified zoom; exported heat views
are the window's. Core tests, without Qt."""

import numpy as np
import pytest

from viewer.core.inputs.degrade import prepare_inputs
from viewer.core.inputs.feature_maps import Display
from viewer.core.output.export import DerivedViews
from viewer.core.presentation.pixel_text import PixelLayers, pixel_text
from viewer.core.run.results import MethodResult
from viewer.core.views.derived import (
    derive,
    log_spectrum,
    own_levels,
    unavailable,
    view_kind,
    view_title,
)
from viewer.core.views.minify import Pyramid

CHANNELS, HIDDEN = 16, 10


def pca_blind_pair(size: int = 64) -> tuple[np.ndarray, np.ndarray]:
    """An original of CHANNELS channels and a result differing from it only in channel
    HIDDEN, by a pattern the original's first three principal components cannot see: the
    other channels are constant on 4x4 blocks and vary widely, channel HIDDEN is a small
    checkerboard summing to 0 in every block, so it is uncorrelated with them."""
    rng = np.random.default_rng(3)
    blocks = rng.uniform(0, 255, (size // 4, size // 4, CHANNELS)).astype(np.float32)
    original = np.repeat(np.repeat(blocks, 4, axis=0), 4, axis=1)
    checker = (np.indices((size, size)).sum(axis=0) % 2) * 2.0 - 1.0
    original[..., HIDDEN] = 128 + 10 * checker
    result = original.copy()
    result[..., HIDDEN] = 128  # the checkerboard lost: an error of 10 at every pixel
    return original, result


def test_an_error_the_pca_colours_hide_shows_in_the_pca_views_difference():
    original, result = pca_blind_pair()
    display = Display(original)
    shown, truth = display.rgb(result), display.rgb(original)
    # The colours the panes show are identical: a difference of them saw nothing.
    assert np.abs(shown.astype(int) - truth).max() == 0
    assert derive("abs:luma", shown, truth).values.max() == 0
    kind = view_kind("abs", "features")
    assert kind == "abs:all"
    rms = derive(kind, result, original).values
    np.testing.assert_allclose(rms, 10 / np.sqrt(CHANNELS), rtol=1e-5)
    channel = derive(view_kind("abs", "features", feature_channel=HIDDEN), result, original)
    np.testing.assert_allclose(channel.values, 10, rtol=1e-6)
    signed = derive(view_kind("signed", "features", feature_channel=HIDDEN), result, original)
    np.testing.assert_allclose(signed.values, 128 - original[..., HIDDEN])
    other = derive(view_kind("abs", "features", feature_channel=3), result, original)
    assert other.values.max() == 0


def test_a_pca_view_offers_no_signed_difference_and_one_channel_does():
    assert "choose one channel" in unavailable("signed", "features")
    assert view_kind("signed", "features") is None
    assert not unavailable("signed", "features", 4)
    assert "no order" in unavailable("signed", "labels")
    assert not unavailable("signed", "image") and not unavailable("abs", "labels")


def test_feature_spectra_never_drop_a_channel():
    original, result = pca_blind_pair()
    spectrum = derive("diff_spectrum:all", result, original).values
    alone = log_spectrum(result[..., HIDDEN] - original[..., HIDDEN])
    # Only channel HIDDEN differs: the RMS over channels is its |FFT| / sqrt(C).
    np.testing.assert_allclose(np.expm1(spectrum), np.expm1(alone) / np.sqrt(CHANNELS), atol=1e-2)
    one = derive("spectrum:c3", result, None).values
    np.testing.assert_allclose(one, log_spectrum(result[..., 3]), rtol=1e-6)


def test_a_swap_of_two_classes_is_wrong_whatever_their_colours():
    truth = np.ones((8, 8), np.int32)
    truth[:, 4:] = 2
    truth[0, 0] = 255  # ignore: not scored
    predicted = truth.copy()
    predicted[2:4, 2:6] = np.where(truth[2:4, 2:6] == 1, 2, 1)  # swapped
    predicted[0, 0] = 1
    view = derive(view_kind("abs", "labels"), predicted, truth, ignore=255)
    assert view.values.dtype == bool
    np.testing.assert_array_equal(np.argwhere(view.values), np.argwhere(predicted != truth)[1:])
    assert own_levels("abs:class") == (0.0, 1.0)
    layers = PixelLayers(heat=view.values)
    assert pixel_text(layers, 2, 2) == "wrong" and pixel_text(layers, 7, 7) == "right"
    assert "wrong class" in view_title("abs", "abs:class")


@pytest.mark.parametrize("side", [512, 300, 130, 64, 37, 9, 2])
def test_a_single_wrong_pixel_survives_every_minified_zoom(side):
    truth = np.zeros((512, 512), np.int32)
    predicted = truth.copy()
    predicted[301, 77] = 3
    wrong = derive("abs:class", predicted, truth).values
    view = Pyramid(wrong).area_view(0, 0, 512, 512, side, side)
    assert view.pixels.sum() == 1  # one screen pixel, fully wrong: never averaged away
    row, column = np.argwhere(view.pixels)[0]
    assert row <= 301 * side / 512 < row + 1 and column <= 77 * side / 512 < column + 1


def test_the_titles_say_what_is_shown():
    assert view_title("abs", "abs:c40") == "|channel 40 difference| (levels)"
    assert view_title("abs", "abs:all", channels=64) == "RMS difference over 64 channels (levels)"
    assert view_title("abs", "abs:luma") == "|luma difference| (levels)"
    assert "64 channels" in view_title("spectrum", "spectrum:all", channels=64)


def test_exported_feature_heat_views_are_of_the_values():
    original, output = pca_blind_pair()
    inputs = prepare_inputs(original, 4)
    image = inputs.display.rgb(output)
    result = MethodResult("nearest", output=output, image=image)
    views = DerivedViews(inputs)
    diff = views.get(views.diff_kind, result)
    assert views.diff_kind == "abs:all"
    np.testing.assert_array_equal(diff.values, derive("abs:all", output, inputs.original).values)
    assert diff.values.min() > 2  # the hidden channel's error, everywhere
