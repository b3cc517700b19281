"""Feature maps: any channel count through every method, per-channel metrics, bad arrays."""

import json

import numpy as np
import pytest
from skimage.metrics import peak_signal_noise_ratio, structural_similarity
from test_cli import headless

from viewer.core.errors import InputError
from viewer.core.inputs.degrade import prepare_inputs
from viewer.core.inputs.feature_maps import Projection, channel_rgb, load_feature_map
from viewer.core.methods import method_ids
from viewer.core.run.engine import run_methods
from viewer.core.settings import Settings


def smooth_features(channels: int, height: int = 36, width: int = 44) -> np.ndarray:
    """C x H x W floats with structure (not noise) and a range far from 0..255."""
    y, x = np.mgrid[0:height, 0:width] / 7.0
    maps = [np.sin(x * (1 + c % 5) / 3 + c) * np.cos(y * (1 + c % 3) / 2) for c in range(channels)]
    return (np.stack(maps) * 3.5 - 1.25).astype(np.float32)


def save(tmp_path, array, name="features.npy"):
    path = tmp_path / name
    np.save(path, array)
    return path


@pytest.mark.parametrize("channels", [1, 3, 64])
def test_every_method_runs_on_every_channel(tmp_path, channels):
    loaded = load_feature_map(save(tmp_path, smooth_features(channels)))
    assert loaded.pixels.shape == (36, 44, channels) and loaded.pixels.dtype == np.float32
    guide = np.random.default_rng(channels).integers(0, 256, (36, 44, 3), dtype=np.uint8)
    inputs = prepare_inputs(loaded.pixels, 2, guide=guide)  # the guided methods run too
    assert inputs.is_features and inputs.lowres.shape == (18, 22, channels)
    report = run_methods(inputs, method_ids(), Settings(steps=3))
    for result in report.results:
        assert result.error is None, (result.method, result.error)
        assert result.output.shape == (36, 44, channels)
        assert result.image.shape == (36, 44, 3) and result.image.dtype == np.uint8
    conv = next(r for r in report.results if r.method == "conv_transpose")
    assert conv.params == channels * channels * 16 + channels  # C in, C out


def test_metrics_are_per_channel_then_averaged(tmp_path):
    loaded = load_feature_map(save(tmp_path, smooth_features(5)))
    inputs = prepare_inputs(loaded.pixels, 2)
    (result,) = run_methods(inputs, ["bicubic"], Settings()).results
    reference, output = inputs.original, result.output
    psnrs = [
        peak_signal_noise_ratio(reference[..., c], output[..., c], data_range=255) for c in range(5)
    ]
    ssims = [
        structural_similarity(reference[..., c], output[..., c], data_range=255, win_size=7)
        for c in range(5)
    ]
    assert result.metrics.psnr == pytest.approx(np.mean(psnrs))
    assert result.metrics.ssim == pytest.approx(np.mean(ssims))
    assert result.metrics.mae == pytest.approx(np.abs(output - reference).mean(), rel=1e-6)


def test_values_are_scaled_to_0_255_and_the_scaling_is_reported(tmp_path):
    array = smooth_features(2)
    loaded = load_feature_map(save(tmp_path, array))
    assert loaded.pixels.min() == pytest.approx(0) and loaded.pixels.max() == pytest.approx(255)
    assert any("scaled to 0..255" in note for note in loaded.notes)
    expected = (array[1] - array.min()) / (array.max() - array.min()) * 255
    np.testing.assert_allclose(loaded.pixels[..., 1], expected, atol=1e-3)


@pytest.mark.parametrize(
    ("array", "shape"),
    [
        (np.zeros((8, 30, 40)), (30, 40, 8)),  # C x H x W
        (np.zeros((30, 40, 8)), (30, 40, 8)),  # H x W x C
        (np.zeros((30, 40)), (30, 40, 1)),  # H x W
        (np.zeros((1, 4, 30, 40)), (30, 40, 4)),  # N = 1
    ],
)
def test_layouts(tmp_path, array, shape):
    assert load_feature_map(save(tmp_path, array)).pixels.shape == shape


def test_npz_uses_its_first_array(tmp_path):
    path = tmp_path / "f.npz"
    np.savez(path, features=smooth_features(3), other=np.zeros(3))
    loaded = load_feature_map(path)
    assert loaded.pixels.shape == (36, 44, 3)
    assert "used array 'features' of 2" in loaded.notes


@pytest.mark.parametrize(
    ("array", "reason"),
    [
        (np.zeros((2, 3, 4, 5, 6)), "is not C x H x W"),
        (np.zeros(7), "is not C x H x W"),
        (np.zeros((3, 0, 5)), "empty"),
        (np.array([[[1.0, np.nan], [2.0, 3.0]]]), "NaN"),
        (np.zeros((3, 4, 5), dtype=complex), "not supported"),
    ],
)
def test_bad_arrays_get_a_clear_message(tmp_path, array, reason):
    path = save(tmp_path, array)
    with pytest.raises(InputError) as caught:
        load_feature_map(path)
    assert caught.value.what == str(path) and reason in caught.value.why


def test_pickled_and_truncated_files_are_refused(tmp_path):
    pickled = tmp_path / "objects.npy"
    np.save(pickled, np.array([{"a": 1}], dtype=object), allow_pickle=True)
    with pytest.raises(InputError, match="not a plain numeric array"):
        load_feature_map(pickled)
    truncated = tmp_path / "cut.npy"
    truncated.write_bytes(save(tmp_path, smooth_features(3)).read_bytes()[:200])
    with pytest.raises(InputError, match=r"the array data is truncated \(200 of \d+ bytes\)"):
        load_feature_map(truncated)


def test_projection_shows_the_first_principal_components(tmp_path):
    rng = np.random.default_rng(0)
    strong = rng.normal(0, 50, (20, 30))
    values = np.stack([strong, 0.5 * strong, rng.normal(0, 1, (20, 30))], axis=-1) + 128
    projection = Projection(values.astype(np.float32))
    rgb = projection.rgb(values.astype(np.float32))
    assert rgb.shape == (20, 30, 3) and rgb.dtype == np.uint8
    assert abs(np.corrcoef(rgb[..., 0].ravel(), strong.ravel())[0, 1]) > 0.99
    grey = channel_rgb(values.astype(np.float32), 2)
    assert (grey[..., 0] == grey[..., 1]).all()


def test_headless_run_on_a_feature_map(tmp_path):
    path = save(tmp_path, smooth_features(16))
    out = tmp_path / "out"
    done = headless(path, "--out", out, "--steps", 2)
    assert done.returncode == 0, done.stderr
    document = json.loads((out / "metrics.json").read_text())
    assert document["kind"] == "features" and document["channels"] == 16
    assert all(row["error"] is None for row in document["methods"])
    assert (out / "diff_bicubic.png").exists() and (out / "sheet.png").exists()


def test_headless_bad_feature_map_is_one_line(tmp_path):
    path = save(tmp_path, np.zeros(5))
    done = headless(path, "--out", tmp_path / "o")
    assert done.returncode == 2
    assert done.stderr.strip() == f"error: {path}: shape (5,) is not C x H x W, H x W x C or H x W"
