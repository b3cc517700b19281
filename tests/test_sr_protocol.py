"""The super-resolution protocol: MATLAB's bicubic imresize in numpy, checked on cases
derived by hand, and PSNR-Y / SSIM-Y as the papers' scripts compute them."""

import json
import math

import numpy as np
import pytest
from PIL import Image
from skimage.metrics import peak_signal_noise_ratio, structural_similarity
from test_cli import headless

from viewer.core.inputs.matlab_resize import contributions, cubic, imresize
from viewer.core.measure.metrics import luma_y, y_metrics


def test_the_kernel_is_keys_cubic_with_a_minus_half():
    assert cubic(np.array([0.0]))[0] == 1.0
    assert cubic(np.array([1.0, 2.0, 2.5])).tolist() == [0.0, 0.0, 0.0]
    # at 0.5 and 1.5: (1.5/8 - 2.5/4 + 1) and (-0.5 * 27/8 + 2.5 * 9/4 - 6 + 2)
    np.testing.assert_allclose(cubic(np.array([0.5, 1.5])), [0.5625, -0.0625])


def test_upsampling_by_two_uses_the_quarter_pixel_weights():
    """Output pixel 9 (1-based) of x2 sits at u = 9/2 + 0.25 = 4.75: input pixels 3, 4, 5, 6
    (1-based) at distances 1.75, 0.75, -0.25, -1.25 get the kernel's weights there."""
    weights, indices = contributions(8, 16, 2.0)
    expected = cubic(np.array([1.75, 0.75, -0.25, -1.25]))
    got = {}
    for index, weight in zip(indices[8].tolist(), weights[8].tolist(), strict=True):
        got[index] = got.get(index, 0.0) + weight
    np.testing.assert_allclose([got[i] for i in (2, 3, 4, 5)], expected / expected.sum())


def test_downsampling_stretches_the_kernel_and_mirrors_the_border():
    weights, indices = contributions(12, 6, 0.5)
    np.testing.assert_allclose(weights.sum(axis=1), 1.0)
    # ceil(4 / 0.5) + 2 = 10 taps at distances 4.5 ... -4.5: the two at +-4.5 weigh nothing
    assert weights.shape[1] == 8
    # output 1 sits at u = 2 + 0.5 * (1 - 2) = 1.5: taps left of pixel 1 mirror onto it
    assert indices[0].min() == 0 and sorted(set(indices[0].tolist()))[:2] == [0, 1]


@pytest.mark.parametrize("scale", [0.5, 1 / 3, 0.25, 2, 3, 4])
def test_a_constant_image_stays_constant(scale):
    image = np.full((24, 36, 3), 137, np.uint8)
    resized = imresize(image, scale)
    assert resized.shape == (math.ceil(24 * scale), math.ceil(36 * scale), 3)
    assert (resized == 137).all()


def test_a_ramp_is_reproduced_away_from_the_borders():
    """Cubic convolution reproduces linear functions: downscaling a ramp by 2 gives the ramp
    at the output pixels' centres (the mean of each pair), upscaling interpolates it."""
    ramp = np.tile(np.arange(32, dtype=np.float64) * 3.0, (16, 1))
    small = imresize(ramp, 0.5)
    expected = (np.arange(16) * 2 + 0.5) * 3.0
    np.testing.assert_allclose(small[4, 3:-3], expected[3:-3], atol=1e-9)
    big = imresize(ramp, 2)
    np.testing.assert_allclose(
        big[8, 6:-6], ((np.arange(64) + 0.5) / 2 - 0.5)[6:-6] * 3.0, atol=1e-9
    )


def test_uint8_comes_back_rounded():
    """On a smooth image (no overshoot for the uint8 pass to clip, as MATLAB does)."""
    y, x = np.mgrid[0:41, 0:30]
    smooth = np.stack([100 + 50 * np.sin(x / 7) * np.cos(y / 9)] * 3, axis=2)
    image = np.rint(smooth).astype(np.uint8)
    small = imresize(image, 0.5)
    assert small.dtype == np.uint8 and small.shape == (21, 15, 3)
    as_float = imresize(image.astype(np.float64), 0.5)
    # rounded after each pass: the first pass's half-level error, carried by the second
    # pass's weights (their absolute sum is about 1.2), plus the final rounding
    assert np.abs(small.astype(float) - as_float).max() <= 1.2


def test_y_metrics_are_psnr_and_gaussian_ssim_on_the_shaved_y():
    rng = np.random.default_rng(1)
    reference = rng.integers(0, 256, (40, 44, 3)).astype(np.uint8)
    image = np.clip(reference + rng.normal(0, 8, reference.shape), 0, 255).astype(np.uint8)
    psnr_y, ssim_y = y_metrics(reference, image, 3)
    a, b = luma_y(reference)[3:-3, 3:-3], luma_y(image)[3:-3, 3:-3]
    assert psnr_y == pytest.approx(peak_signal_noise_ratio(a, b, data_range=255))
    expected = structural_similarity(
        a, b, data_range=255, gaussian_weights=True, sigma=1.5, use_sample_covariance=False
    )
    assert ssim_y == pytest.approx(expected, abs=1e-4)
    assert luma_y(np.array([[[255, 255, 255]]], np.uint8))[0, 0] == pytest.approx(235.0, abs=0.01)
    assert math.isnan(y_metrics(reference[:20, :20], image[:20, :20], 5)[0])  # too little left


def test_the_sr_protocol_end_to_end(tmp_path, photo):
    original = photo[:100, :72]
    Image.fromarray(original).save(tmp_path / "hr.png")
    out = tmp_path / "out"
    done = headless(
        tmp_path / "hr.png",
        "--out",
        out,
        "--protocol",
        "sr",
        "--scale",
        4,
        "--methods",
        "bicubic_matlab",
    )
    assert done.returncode == 0, done.stderr
    document = json.loads((out / "metrics.json").read_text())
    assert document["degradation"] == "matlab" and document["settings"]["protocol"] == "sr"
    lowres = np.asarray(Image.open(out / "lowres.png"))
    np.testing.assert_array_equal(lowres, imresize(original, 0.25))
    result = np.asarray(Image.open(out / "bicubic_matlab.png"))
    np.testing.assert_array_equal(result, imresize(imresize(original, 0.25), 4))
    row = document["methods"][0]
    assert row["psnr_y"] == pytest.approx(y_metrics(original, result, 4)[0], abs=1e-6)
