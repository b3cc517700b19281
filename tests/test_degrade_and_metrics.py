"""Mod-crop, the article's degradation, and metrics that agree with scikit-image."""

import math

import cv2
import numpy as np
import pytest
from skimage.metrics import peak_signal_noise_ratio, structural_similarity

from viewer.core.inputs.degrade import mod_crop, prepare_inputs
from viewer.core.measure.metrics import measure, psnr, ssim, to_uint8


@pytest.mark.parametrize(("scale", "kept"), [(2, (74, 100)), (3, (75, 99)), (4, (72, 100))])
def test_mod_crop_keeps_the_largest_multiple(photo, scale, kept):
    cropped, crop = mod_crop(photo, scale)
    assert cropped.shape[:2] == (kept[1], kept[0])
    assert crop.kept == kept and crop.original == (75, 101) and crop.changed
    assert "cropped 75x101" in crop.describe()


def test_degradation_is_the_articles_cv2_resize(photo):
    inputs = prepare_inputs(photo, 2)
    expected = cv2.resize(inputs.original, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_LINEAR)
    np.testing.assert_array_equal(inputs.lowres, expected)
    assert inputs.lowres.dtype == np.uint8


def test_bad_scale_and_tiny_images_are_refused(photo):
    with pytest.raises(ValueError, match="scale"):
        prepare_inputs(photo, 5)
    with pytest.raises(ValueError, match="smaller"):
        prepare_inputs(photo[:2], 3)


def test_metrics_agree_with_scikit_image(photo):
    rng = np.random.default_rng(0)
    output = photo.astype(np.float32) + rng.normal(0, 12, photo.shape).astype(np.float32)
    image = to_uint8(output)
    metrics = measure(photo, output, image)
    assert metrics.psnr == pytest.approx(peak_signal_noise_ratio(photo, image, data_range=255))
    assert metrics.ssim == pytest.approx(
        structural_similarity(photo, image, channel_axis=-1, data_range=255)
    )
    diff = np.abs(photo.astype(float) - image)
    assert metrics.mae == pytest.approx(diff.mean())
    assert metrics.max_abs == diff.max()
    assert metrics.clipped == pytest.approx(np.mean((output < 0) | (output > 255)))
    assert 0 < metrics.clipped < 0.5


def test_identical_images_have_infinite_psnr_and_unit_ssim(photo):
    assert psnr(photo, photo) == math.inf
    assert ssim(photo, photo) == pytest.approx(1.0)


def test_to_uint8_clips_and_rounds():
    values = np.array([-3.0, 0.4, 0.6, 254.5, 300.0], np.float32)
    np.testing.assert_array_equal(to_uint8(values), [0, 0, 1, 254, 255])


def test_ssim_of_tiny_images_is_defined_or_nan():
    tiny = np.zeros((4, 4, 3), np.uint8)
    assert math.isnan(ssim(tiny[:2, :2], tiny[:2, :2]))
    assert ssim(tiny, tiny) == pytest.approx(1.0)


def test_strips_give_exactly_the_whole_image_metrics(photo, monkeypatch):
    """Tiny strips (a few rows) must give scikit-image's numbers for the whole image."""
    from viewer.core.measure import metrics

    rng = np.random.default_rng(1)
    output = photo.astype(np.float32) + rng.normal(0, 20, photo.shape).astype(np.float32)
    whole_image = to_uint8(output)
    whole = measure(photo, output, whole_image)
    monkeypatch.setattr(metrics, "STRIP_VALUES", 3 * 75 * 4)
    assert len(list(metrics.row_strips(photo.shape))) == 26  # 101 rows in strips of 4
    np.testing.assert_array_equal(to_uint8(output), whole_image)
    striped = measure(photo, output, whole_image)
    # float32 filters: strips round a little differently from the whole image (~1e-8)
    assert striped.ssim == pytest.approx(whole.ssim, abs=1e-6)
    assert striped.ssim == pytest.approx(
        structural_similarity(photo, whole_image, channel_axis=-1, data_range=255), abs=1e-4
    )
    assert striped.psnr == pytest.approx(
        peak_signal_noise_ratio(photo, whole_image, data_range=255), abs=1e-12
    )
    assert (striped.mae, striped.max_abs, striped.clipped) == pytest.approx(
        (whole.mae, whole.max_abs, whole.clipped)
    )
