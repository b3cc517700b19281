"""Artifact scores on cases with known answers, and against a plain FFT."""

import numpy as np
import pytest

from viewer.core.inputs.charts import step
from viewer.core.inputs.degrade import prepare_inputs
from viewer.core.measure import artifacts
from viewer.core.run.engine import run_methods
from viewer.core.settings import Settings
from viewer.core.views.spectrum import log_spectrum


def fft_checkerboard(output: np.ndarray, scale: int) -> float:
    """The definition, computed the slow way: the full 2-D spectrum of every channel."""
    height, width = output.shape[:2]
    replica, total = 0.0, 0.0
    for channel in np.moveaxis(output.astype(np.float64), -1, 0):
        power = np.abs(np.fft.fft2(channel)) ** 2
        rows = np.arange(scale) * height // scale
        cols = np.arange(scale) * width // scale
        at_replicas = power[np.ix_(rows, cols)]
        replica += at_replicas.sum() - power[0, 0]
        total += power.sum() - power[0, 0]
    return replica / total


@pytest.mark.parametrize("scale", [2, 3, 4])
def test_checkerboard_equals_the_fft_definition(scale):
    rng = np.random.default_rng(scale)
    output = rng.random((12 * scale, 10 * scale, 3)).astype(np.float32) * 255
    output[::scale, ::scale] += 60  # a periodic pattern with replica energy
    expected = fft_checkerboard(output, scale)
    assert artifacts.checkerboard(output, scale) == pytest.approx(expected, rel=1e-9)
    assert expected > 0.01
    # The engine's outputs are views of Paddle's channels-first memory: the same answer.
    planes = np.ascontiguousarray(output.transpose(2, 0, 1)).transpose(1, 2, 0)
    assert artifacts.checkerboard(planes, scale) == pytest.approx(expected, rel=1e-9)


def test_checkerboard_of_a_pure_period_r_pattern_is_one():
    pattern = np.zeros((16, 16, 1), np.float32)
    pattern[::2, ::2] = 1.0
    pattern -= pattern.mean()  # no DC: all energy at the replicas
    assert artifacts.checkerboard(pattern, 2) == pytest.approx(1.0)


def test_phase_cv_of_known_polyphase_means():
    response = np.zeros((80, 80, 1), np.float32)
    response[0::2, 0::2] = 4
    response[0::2, 1::2] = 2
    response[1::2, :] = 3  # phase means 4, 2, 3, 3
    means = np.array([4, 2, 3, 3])
    assert artifacts.phase_cv(response, 2) == pytest.approx(means.std() / means.mean())
    assert artifacts.phase_cv(np.full((80, 80, 3), 7.0, np.float32), 2) == 0


def reference_overshoot(output, lowres, scale):
    """The definition gathered pixel by pixel: the 2x2 low-res pixels bilinear reads for each
    output pixel (half-pixel centres, clamped), their min and max, excursions over 1 level."""

    def reads(size_out, size_in):
        first = np.floor((np.arange(size_out) + 0.5) / scale - 0.5).astype(int)
        return np.clip(first, 0, size_in - 1), np.clip(first + 1, 0, size_in - 1)

    rows, cols = reads(output.shape[0], lowres.shape[0]), reads(output.shape[1], lowres.shape[1])
    corners = [lowres.astype(np.float64)[y][:, x] for y in rows for x in cols]
    low, high = np.minimum.reduce(corners), np.maximum.reduce(corners)
    excursion = np.maximum(output - high, low - output)
    beyond = excursion > 1
    return beyond.mean(), (excursion.max() if beyond.any() else 0.0)


@pytest.mark.parametrize(("scale", "channels"), [(2, 3), (3, 1), (4, 5), (8, 3)])
@pytest.mark.parametrize("strip_values", [artifacts.STRIP_VALUES, 20])
def test_overshoot_equals_a_pixel_by_pixel_gather(scale, channels, strip_values, monkeypatch):
    monkeypatch.setattr(artifacts, "STRIP_VALUES", strip_values)  # 20: strips of 1 or 2 rows
    rng = np.random.default_rng(scale)
    lowres = rng.integers(0, 256, (7, 9, channels)).astype(np.uint8)
    output = rng.normal(128, 80, (7 * scale, 9 * scale, channels)).astype(np.float32)
    expected = reference_overshoot(output, lowres, scale)
    assert 0.1 < expected[0] < 0.9
    assert artifacts.overshoot(output, lowres, scale) == pytest.approx(expected)
    planes = np.ascontiguousarray(output.transpose(2, 0, 1)).transpose(1, 2, 0)
    assert artifacts.overshoot(planes, lowres, scale) == pytest.approx(expected)


def test_overshoot_is_local_and_ignores_sub_level_excursions():
    lowres = np.array([[10, 20], [30, 40]], np.uint8)[:, :, None]
    output = lowres.repeat(2, 0).repeat(2, 1).astype(np.float32)  # nearest: inside every range
    assert artifacts.overshoot(output, lowres, 2) == (0.0, 0.0)
    output[0, 0] = 13  # the corner reads low-res (0, 0) only: 3 levels above its range 10..10
    output[1, 1] = 40.5  # reads all four (10..40): half a level, not counted
    assert artifacts.overshoot(output, lowres, 2) == (1 / 16, 3.0)
    output[3, 3] = 36  # reads (1, 1) only: 4 below; 13 is no longer the largest
    assert artifacts.overshoot(output, lowres, 2) == (2 / 16, 4.0)


@pytest.mark.parametrize(("cycles", "expected"), [(3, 0.0), (40, 1.0)])
def test_hf_energy_of_a_cosine_below_and_above_the_lowres_nyquist(cycles, expected):
    x = np.arange(128)
    wave = 128 + 100 * np.cos(2 * np.pi * cycles * x / 128)
    image = np.repeat(np.tile(wave, (128, 1))[:, :, None], 3, axis=2).astype(np.float32)
    assert artifacts.hf_energy(image, 2) == pytest.approx(expected, abs=1e-6)


def test_spectrum_of_a_pure_cosine_peaks_at_its_frequency():
    x, y = np.meshgrid(np.arange(64), np.arange(48))
    wave = np.cos(2 * np.pi * (5 * x / 64 + 3 * y / 48))
    spectrum = log_spectrum(wave)
    peak = np.unravel_index(np.argmax(spectrum), spectrum.shape)
    centre = (24, 32)
    assert {peak} <= {(centre[0] + 3, centre[1] + 5), (centre[0] - 3, centre[1] - 5)}


@pytest.fixture(scope="module")
def scores(request):
    from skimage import data

    inputs = prepare_inputs(np.ascontiguousarray(data.astronaut()[100:228, 150:278]), 2)
    methods = ["nearest", "bilinear", "bicubic", "lanczos", "conv_transpose"]
    report = run_methods(inputs, methods, Settings(steps=0))
    return {r.method: r.artifacts for r in report.results}


def test_nearest_scores_zero(scores):
    nearest = scores["nearest"]
    assert nearest.checkerboard == pytest.approx(0, abs=1e-6)
    assert nearest.phase_cv == pytest.approx(0, abs=1e-6)
    assert nearest.overshoot == 0 and nearest.overshoot_max == 0


def test_on_a_photo_bicubic_and_lanczos_ring_bilinear_does_not(scores):
    assert scores["bilinear"].overshoot == 0 and scores["bilinear"].overshoot_max == 0
    for method in ("bicubic", "lanczos"):
        assert scores[method].overshoot > 0.005 and scores[method].overshoot_max > 10
    assert scores["lanczos"].overshoot > scores["bicubic"].overshoot  # its lobes are larger


def test_bicubic_overshoots_the_step_chart_by_about_20_levels():
    inputs = prepare_inputs(step(128), 2)
    report = run_methods(inputs, ["bilinear", "bicubic"], Settings(steps=0))
    found = {r.method: r.artifacts for r in report.results}
    assert found["bilinear"].overshoot_max == 0
    assert 15 < found["bicubic"].overshoot_max < 25
    assert 0 < found["bicubic"].overshoot < 0.05  # only beside the edge


def test_untrained_transposed_conv_scores_worse_than_bilinear(scores):
    untrained, bilinear = scores["conv_transpose"], scores["bilinear"]
    assert untrained.checkerboard > 0.05 > 1000 * bilinear.checkerboard
    assert untrained.phase_cv > 0.1 > 1000 * bilinear.phase_cv
