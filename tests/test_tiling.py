"""Row tiles give exactly the untiled result, at every scale and at tile edges."""

import numpy as np
import paddle
import pytest

from viewer.core.methods.conv_transpose import kernel_and_padding
from viewer.core.run import tiling


@pytest.fixture
def tiny_tiles(monkeypatch):
    monkeypatch.setattr(tiling, "TILE_VALUES", 3 * 40 * 5)  # a few rows per tile


@pytest.mark.parametrize("scale", [2, 3, 4])
def test_transposed_conv_tiles_equal_the_whole(scale, tiny_tiles):
    paddle.seed(0)
    kernel, padding = kernel_and_padding(scale)
    layer = paddle.nn.Conv2DTranspose(3, 3, kernel, scale, padding)
    x = paddle.to_tensor(np.random.default_rng(0).random((1, 3, 23, 40 // scale), np.float32))
    with paddle.no_grad():
        whole = layer(x).numpy()
        tiled = tiling.transposed_conv_by_rows(layer, x, scale, kernel).numpy()
    assert tiled.shape == whole.shape == (1, 3, 23 * scale, 40 // scale * scale)
    np.testing.assert_allclose(tiled, whole, atol=1e-5)


def test_grid_sample_tiles_equal_the_whole(tiny_tiles):
    import paddle.nn.functional as F

    rng = np.random.default_rng(1)
    x = paddle.to_tensor(rng.random((1, 3, 20, 30), np.float32))
    grid = paddle.to_tensor(rng.uniform(-1.1, 1.1, (1, 41, 40, 2)).astype(np.float32))
    whole = F.grid_sample(x, grid).numpy()
    tiled = tiling.by_row_tiles(
        lambda top, bottom: F.grid_sample(x, grid[:, top:bottom]), (1, 3, 41, 40)
    ).numpy()
    np.testing.assert_array_equal(tiled, whole)
