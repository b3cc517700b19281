"""Issue 5's methods: exact sizes, exact starting points, falling losses, cancel."""

import cv2
import numpy as np
import pytest
from test_engine import cancel_at_step

from viewer.core.inputs.degrade import prepare_inputs
from viewer.core.methods import all_methods
from viewer.core.run import engine
from viewer.core.settings import Settings

NEW = [
    "bilinear_ac",
    "pixel_shuffle_repeat",
    "lanczos",
    "conv_transpose_tuned",
    "resize_conv",
    "espcn",
    "espcn_icnr",
    "dysample",
    "carafe",
]
LEARNED = ["conv_transpose_tuned", "resize_conv", "espcn", "espcn_icnr", "dysample", "carafe"]


def run(image, methods, scale=2, **settings):
    inputs = prepare_inputs(image, scale)
    report = engine.run_methods(inputs, methods, Settings(scale=scale, **settings))
    for result in report.results:
        assert result.error is None, (result.method, result.error)
    return inputs, {r.method: r for r in report.results}


def test_the_new_methods_are_registered():
    ids = [m.id for m in all_methods()]
    assert set(NEW) <= set(ids)
    assert {m.id for m in all_methods() if m.learned} >= set(LEARNED)
    assert next(m for m in all_methods() if m.id == "lanczos").backend == "opencv"


@pytest.mark.parametrize("scale", [2, 3, 4])
def test_every_new_method_gives_exactly_h_r_by_w_r(photo, scale):
    inputs, results = run(photo, NEW, scale, steps=2)
    for method in NEW:
        assert results[method].output.shape == inputs.original.shape, method


def test_pixel_shuffle_repeat_is_exactly_nearest(photo):
    _, results = run(photo, ["nearest", "pixel_shuffle_repeat"], 3)
    np.testing.assert_array_equal(results["pixel_shuffle_repeat"].output, results["nearest"].output)


def test_bilinear_align_corners_matches_numpy(photo):
    from references import bilinear_align_corners_reference

    inputs, results = run(photo, ["bilinear_ac"], 2)
    expected = bilinear_align_corners_reference(inputs.lowres, 2)
    np.testing.assert_allclose(results["bilinear_ac"].output, expected, atol=0.02)


def test_lanczos_is_opencvs(photo):
    inputs, results = run(photo, ["lanczos"], 4)
    lowres = inputs.lowres.astype(np.float32)
    expected = cv2.resize(lowres, None, fx=4, fy=4, interpolation=cv2.INTER_LANCZOS4)
    np.testing.assert_allclose(results["lanczos"].output, expected, atol=1e-3)


@pytest.mark.parametrize("scale", [2, 3, 4])
def test_untrained_starting_points_are_exact(photo, scale):
    """Each sensible initialisation is what it claims before any training."""
    inputs, results = run(
        photo,
        ["bilinear", "nearest", "conv_transpose_tuned", "dysample", "resize_conv", "carafe"],
        scale,
        steps=0,
    )
    bilinear, nearest = results["bilinear"].output, results["nearest"].output
    np.testing.assert_allclose(results["conv_transpose_tuned"].output, bilinear, atol=2e-3)
    np.testing.assert_allclose(results["dysample"].output, bilinear, atol=2e-3)
    np.testing.assert_allclose(results["resize_conv"].output, nearest, atol=2e-3)
    box = cv2.blur(inputs.lowres.astype(np.float32), (5, 5), borderType=cv2.BORDER_REPLICATE)
    expected = box.repeat(scale, axis=0).repeat(scale, axis=1)
    np.testing.assert_allclose(results["carafe"].output, expected, atol=2e-3)


def test_icnr_starts_free_of_checkerboard_and_random_init_does_not(photo):
    _, results = run(photo, ["espcn_icnr", "espcn"], 2, steps=0)
    icnr, plain = results["espcn_icnr"].artifacts, results["espcn"].artifacts
    assert icnr.checkerboard == pytest.approx(0, abs=1e-6)
    assert icnr.phase_cv == pytest.approx(0, abs=1e-6)
    assert plain.checkerboard > 1e-4 and plain.phase_cv > 1e-3


@pytest.mark.parametrize("method", LEARNED)
def test_training_lowers_the_loss(coffee, method):
    _, results = run(coffee, [method], 2, steps=40)
    losses = results[method].losses
    assert len(losses) == 40
    assert np.mean(losses[-8:]) < 0.9 * np.mean(losses[:8]), losses


@pytest.mark.parametrize("method", LEARNED)
def test_cancel_stops_training_within_one_step(photo, method):
    report, seen = cancel_at_step(photo, [method], 3, steps=10_000)
    assert report.cancelled and seen == [1, 2, 3]


def test_tuned_transposed_conv_beats_the_articles_and_keeps_up_with_bilinear(coffee):
    _, results = run(coffee, ["bilinear", "conv_transpose", "conv_transpose_tuned"], 2, steps=60)
    tuned, article = results["conv_transpose_tuned"], results["conv_transpose"]
    assert tuned.metrics.psnr >= results["bilinear"].metrics.psnr - 0.05
    assert tuned.artifacts.checkerboard < article.artifacts.checkerboard / 100


@pytest.mark.parametrize("scale", [2, 3])
@pytest.mark.parametrize("band_pixels", [1 << 17, 500])
def test_dysample_samples_exactly_as_grid_sample(photo, scale, band_pixels, monkeypatch):
    """On the CPU, inference samples with OpenCV; it equals Paddle's grid_sample (within
    1e-5 in [0, 1]) for offsets that reach the whole half-pixel scope and the borders, in one
    band or in many (each band's positions come from its own low-res rows)."""
    import paddle
    import paddle.nn.functional as F
    from references import straightforward_dysample

    from viewer.core.method import Context
    from viewer.core.methods import _sampling, dysample
    from viewer.core.settings import Settings

    monkeypatch.setattr(_sampling, "BAND_PIXELS", band_pixels)
    low = np.ascontiguousarray(photo[1::scale, 1::scale][:37, :45])
    net = dysample.build(Context(Settings(steps=0, scale=scale), photo, low)).net
    rng = np.random.default_rng(scale)
    weight = rng.normal(0, 2.0, net.offset.weight.shape).astype(np.float32)
    net.offset.weight.set_value(paddle.to_tensor(weight))
    net.eval()
    x = paddle.to_tensor(low.transpose(2, 0, 1)[None].astype(np.float32) / 255)
    with paddle.no_grad():
        expected = straightforward_dysample(net, x).numpy()
        np.testing.assert_allclose(net(x).numpy(), expected, atol=1e-5)
        bilinear = F.interpolate(x, scale_factor=scale, mode="bilinear").numpy()
        assert np.abs(expected - bilinear).max() > 0.05


def test_bilinear_sampling_equals_grid_sample_for_any_positions_and_channels(monkeypatch):
    """Positions far outside the image clamp to the border, as padding_mode="border" does;
    more channels than OpenCV takes at once go in groups; bands of a few rows on two threads
    each land in their own rows."""
    import paddle
    import paddle.nn.functional as F

    from viewer.core.methods import _sampling

    monkeypatch.setattr(_sampling, "BAND_PIXELS", 64)
    rng = np.random.default_rng(7)
    for channels, (height, width) in [(1, (7, 9)), (3, (40, 50)), (200, (12, 13))]:
        planes = rng.random((channels, height, width), dtype=np.float32)
        px = rng.uniform(-3, width + 2, (2 * height, 2 * width)).astype(np.float32)
        py = rng.uniform(-3, height + 2, (2 * height, 2 * width)).astype(np.float32)
        grid = np.stack([(2 * px + 1) / width - 1, (2 * py + 1) / height - 1], -1)[None]
        expected = F.grid_sample(
            paddle.to_tensor(planes[None]),
            paddle.to_tensor(grid),
            padding_mode="border",
            align_corners=False,
        ).numpy()[0]
        sampled = _sampling.sample_planes(
            planes,
            lambda band, px=px, py=py: (px[band], py[band]),
            px.shape,
            2,
            np.full_like(expected, np.nan),
        )
        np.testing.assert_allclose(sampled, expected, atol=1e-5)


@pytest.mark.parametrize(("scale", "band_pixels"), [(2, 1 << 13), (2, 100), (3, 100)])
def test_carafe_reassembles_exactly_as_the_unfold_form(photo, scale, band_pixels, monkeypatch):
    """Both reassemblies (the batched matrix products that train, and the CPU's shifted
    multiply-adds over bands of rows) equal the straightforward F.unfold form (within 1e-6)
    for content-dependent (not flat) kernels."""
    import paddle
    from references import straightforward_carafe

    from viewer.core.method import Context
    from viewer.core.methods import carafe
    from viewer.core.settings import Settings

    monkeypatch.setattr(carafe, "BAND_PIXELS", band_pixels)
    low = np.ascontiguousarray(photo[::scale, ::scale])
    net = carafe.build(Context(Settings(steps=0, scale=scale), photo, low)).net
    rng = np.random.default_rng(0)
    weight = rng.normal(0, 0.05, net.encode.weight.shape).astype(np.float32)
    net.encode.weight.set_value(paddle.to_tensor(weight))
    x = paddle.to_tensor(low.transpose(2, 0, 1)[None].astype(np.float32) / 255)
    with paddle.no_grad():
        expected = straightforward_carafe(net, x).numpy()
        logits = net.encode(net.compress(x))
        for reassemble in (carafe.reassemble_on_cpu, carafe.reassemble_with_paddle):
            np.testing.assert_allclose(reassemble(x, logits, scale).numpy(), expected, atol=1e-6)
        np.testing.assert_allclose(net(x).numpy(), expected, atol=1e-6)
        nearest = np.repeat(np.repeat(low / 255, scale, 0), scale, 1).transpose(2, 0, 1)
        assert np.abs(expected - nearest).max() > 0.01
