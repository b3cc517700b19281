"""Artifact scores on cases with known answers, and against a plain FFT."""

import numpy as np
import pytest

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


def test_overshoot_fraction_and_excursion():
    reference = np.array([[[10, 200]]], np.uint8)
    output = np.array([[[5.0, 100.0, 230.0, 200.0]]], np.float32)
    fraction, excursion = artifacts.overshoot(output, reference)
    assert fraction == 0.5 and excursion == 30.0


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
    report = run_methods(inputs, ["nearest", "bilinear", "conv_transpose"], Settings(steps=0))
    return {r.method: r.artifacts for r in report.results}


def test_nearest_scores_zero(scores):
    nearest = scores["nearest"]
    assert nearest.checkerboard == pytest.approx(0, abs=1e-6)
    assert nearest.phase_cv == pytest.approx(0, abs=1e-6)
    assert nearest.overshoot == 0 and nearest.overshoot_max == 0


def test_untrained_transposed_conv_scores_worse_than_bilinear(scores):
    untrained, bilinear = scores["conv_transpose"], scores["bilinear"]
    assert untrained.checkerboard > 0.05 > 1000 * bilinear.checkerboard
    assert untrained.phase_cv > 0.1 > 1000 * bilinear.phase_cv
