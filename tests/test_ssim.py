"""The fast SSIM equals scikit-image's: same windows, constants and borders, within 1e-4."""

import cv2
import numpy as np
import pytest
from skimage import data
from skimage.metrics import structural_similarity

from viewer.core.measure.metrics import ssim
from viewer.core.measure.ssim import mean_ssim, ssim_maps


def pairs():
    photo = data.astronaut()[:180, :220]
    rng = np.random.default_rng(3)
    noisy = np.clip(photo + rng.normal(0, 12, photo.shape), 0, 255).astype(np.uint8)
    flat = np.full((40, 50, 3), 200, np.uint8)  # zero variance: only the constants keep it finite
    return [
        ("blurred photo", photo, cv2.GaussianBlur(photo, (5, 5), 1.3)),
        ("noisy photo", photo, noisy),
        ("grey", data.camera()[:100, :90], data.camera()[3:103, 1:91]),
        ("flat vs flat+1", flat, flat + 1),
        ("float map", rng.random((30, 40, 6)) * 255, rng.random((30, 40, 6)) * 255),
    ]


@pytest.mark.parametrize(("name", "a", "b"), pairs(), ids=[p[0] for p in pairs()])
def test_the_mean_equals_scikit_image_for_both_windows(name, a, b):
    axis = -1 if a.ndim == 3 else None
    expected = structural_similarity(a, b, channel_axis=axis, data_range=255)
    assert mean_ssim(a, b) == pytest.approx(expected, abs=1e-4)
    expected_gaussian = structural_similarity(
        a,
        b,
        channel_axis=axis,
        data_range=255,
        gaussian_weights=True,
        sigma=1.5,
        use_sample_covariance=False,
    )
    assert mean_ssim(a, b, gaussian=True) == pytest.approx(expected_gaussian, abs=1e-4)


def test_the_full_map_equals_scikit_images_borders_included():
    photo = data.astronaut()[100:200, 150:260]
    other = cv2.GaussianBlur(photo, (3, 3), 0.9)
    _, full = structural_similarity(photo, other, channel_axis=-1, data_range=255, full=True)
    np.testing.assert_allclose(ssim_maps(photo, other), full, atol=1e-4)


@pytest.mark.parametrize("side", [4, 5, 6, 9])
def test_small_images_shrink_the_window_as_before(side):
    """The metric's window shrinks to the image (odd, at least 3), as it did with skimage."""
    rng = np.random.default_rng(side)
    a = rng.integers(0, 256, (side, side + 3, 3)).astype(np.uint8)
    b = rng.integers(0, 256, (side, side + 3, 3)).astype(np.uint8)
    window = min(7, side if side % 2 else side - 1)
    expected = structural_similarity(a, b, channel_axis=-1, data_range=255, win_size=window)
    assert ssim(a, b) == pytest.approx(expected, abs=1e-4)
