"""Every article method against an independent numpy or OpenCV reference, r = 2, 3, 4."""

import numpy as np
import pytest
from references import (
    bilinear_align_corners_reference,
    max_unpool_reference,
    pixel_shuffle_reference,
    resize_reference,
)

from viewer.core.inputs.degrade import prepare_inputs
from viewer.core.methods import all_methods, get_method, method_ids
from viewer.core.run.engine import run_methods
from viewer.core.settings import Settings

SCALES = (2, 3, 4)


def run_one(image, method, scale, **settings):
    inputs = prepare_inputs(image, scale)
    report = run_methods(inputs, [method], Settings(scale=scale, **settings))
    (result,) = report.results
    assert result.error is None, result.error
    return inputs, result


def test_registry_lists_the_article_methods_in_order():
    assert method_ids()[:3] == ["nearest", "bilinear", "bicubic"]
    assert {"pixel_shuffle", "max_unpool", "conv_transpose", "grid_sample"} <= set(method_ids())
    for method in all_methods():
        assert method.name and method.summary and method.paddle_call in method.info


def test_unknown_method_names_the_known_ones():
    with pytest.raises(KeyError, match="nearest"):
        get_method("lanczos9")


@pytest.mark.parametrize("scale", SCALES)
@pytest.mark.parametrize("mode", ["nearest", "bilinear", "bicubic"])
def test_interpolation_matches_cv2_resize(photo, mode, scale):
    inputs, result = run_one(photo, mode, scale)
    expected = resize_reference(inputs.lowres, scale, mode)
    assert result.output.shape == inputs.original.shape
    np.testing.assert_allclose(result.output, expected, atol=2e-3)


@pytest.mark.parametrize("scale", SCALES)
def test_pixel_shuffle_matches_numpy_reshape(photo, scale):
    inputs, result = run_one(photo, "pixel_shuffle", scale)
    np.testing.assert_array_equal(result.output, pixel_shuffle_reference(inputs.lowres, scale))


@pytest.mark.parametrize("scale", SCALES)
def test_max_unpool_matches_numpy_argmax(coffee, scale):
    inputs, result = run_one(coffee, "max_unpool", scale)
    np.testing.assert_array_equal(result.output, max_unpool_reference(inputs.original, scale))
    kept = np.count_nonzero(result.output) / result.output.size
    assert kept <= 1 / scale**2 + 1e-9


@pytest.mark.parametrize("scale", SCALES)
def test_grid_sample_without_noise_is_bilinear_align_corners(photo, scale):
    inputs, result = run_one(photo, "grid_sample", scale, grid_noise=0.0)
    expected = bilinear_align_corners_reference(inputs.lowres, scale)
    np.testing.assert_allclose(result.output, expected, atol=0.02)


def test_grid_sample_noise_is_seeded(photo):
    _, first = run_one(photo, "grid_sample", 2, seed=3)
    _, again = run_one(photo, "grid_sample", 2, seed=3)
    _, other = run_one(photo, "grid_sample", 2, seed=4)
    np.testing.assert_array_equal(first.output, again.output)
    assert np.abs(first.output - other.output).max() > 1


def test_grid_sample_samples_a_smaller_input_at_its_own_size(photo):
    """The engine's constant test image is small: grid_sample answers it at its own output
    size, with the photo's noise level (a photo-sized answer cost 0.3 s at 3 MP)."""
    import paddle

    from viewer.core.measure.artifacts import CONSTANT_SIDE, constant_image, phase_cv
    from viewer.core.method import Context

    scale = 4
    inputs = prepare_inputs(photo, scale)
    context = Context(Settings(scale=scale, seed=2), inputs.original, inputs.lowres)
    sample = get_method("grid_sample").build(context)
    constant = constant_image(3, scale, 1)
    answer = sample(paddle.to_tensor(constant.transpose(2, 0, 1)[None])).numpy()
    side = CONSTANT_SIDE * scale
    assert answer.shape == (1, 3, side, side)
    np.testing.assert_allclose(answer[..., 8:-8, 8:-8], constant[0, 0, 0], atol=1e-3)
    assert phase_cv(answer[0].transpose(1, 2, 0), scale) < 1e-6
    full = sample(paddle.to_tensor(inputs.lowres.astype(np.float32).transpose(2, 0, 1)[None]))
    _, result = run_one(photo, "grid_sample", scale, seed=2)
    np.testing.assert_array_equal(full.numpy()[0].transpose(1, 2, 0), result.output)


@pytest.mark.parametrize("scale", SCALES)
def test_conv_transpose_gives_exact_size_and_learns(photo, scale):
    inputs, result = run_one(photo, "conv_transpose", scale, steps=30)
    assert result.output.shape == inputs.original.shape
    assert result.params == 3 * 3 * (2 * scale - scale % 2) ** 2 + 3
    assert len(result.losses) == 30
    assert np.mean(result.losses[-5:]) < 0.8 * np.mean(result.losses[:5])


def test_conv_transpose_is_reproducible_with_a_seed(photo):
    _, first = run_one(photo, "conv_transpose", 2, steps=5, seed=1)
    _, again = run_one(photo, "conv_transpose", 2, steps=5, seed=1)
    np.testing.assert_array_equal(first.output, again.output)


def test_conv_transpose_trains_on_crops_beyond_256_lowres_pixels():
    rng = np.random.default_rng(0)
    big = rng.integers(0, 256, (600, 540, 3), dtype=np.uint8)
    _, result = run_one(big, "conv_transpose", 2, steps=2)
    assert any("256x256" in note for note in result.notes)


def test_grid_noise_matches_one_seeded_draw():
    from viewer.core.methods.grid_sample import add_noise, identity_grid

    grid = identity_grid(700, 900)
    add_noise(grid, 0.01, seed=5)
    expected = identity_grid(700, 900)
    expected += np.random.default_rng(5).standard_normal(expected.shape, np.float32) * 0.01
    np.testing.assert_allclose(grid, expected, atol=1e-7)


@pytest.mark.parametrize("scale", [8, 16])
def test_every_method_runs_at_decoder_scales(photo, scale):
    """x8 and x16, as decoders upsample: every method (the guided ones with a guide) gives
    an image of the original's size."""
    image = np.ascontiguousarray(np.tile(photo, (2, 2, 1))[:128, :144])
    inputs = prepare_inputs(image, scale, guide=image)
    report = run_methods(inputs, method_ids(), Settings(scale=scale, steps=1))
    for result in report.results:
        assert result.error is None, (result.method, result.error)
        assert result.image.shape == (128, 144, 3)
