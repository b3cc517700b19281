"""Image-guided upsamplers: JBU against a brute-force numpy JBU, exact row tiles, and the
learned ones training on class maps."""

import math

import numpy as np
import paddle
import pytest

from tests.test_label_maps import label_chart
from viewer.core.inputs.degrade import prepare_label_inputs
from viewer.core.inputs.label_maps import LabelMap
from viewer.core.method import Context
from viewer.core.methods import get_method
from viewer.core.methods.jbu import KERNEL, SIGMA_RANGE, SIGMA_SPATIAL
from viewer.core.run import tiling
from viewer.core.run.engine import run_methods
from viewer.core.run.training import to_nchw
from viewer.core.settings import Settings


def reference_jbu(low, guide, scale):
    """Kopf et al.'s sum, pixel by pixel: neighbours inside the image only, each compared
    with the guide at its own place (the pixel at offset r//2 of its block)."""
    h, w, channels = low.shape
    means = guide[scale // 2 :: scale, scale // 2 :: scale]
    out = np.zeros((h * scale, w * scale, channels))
    radius = KERNEL // 2
    for y in range(h * scale):
        for x in range(w * scale):
            cy, cx = (y + 0.5) / scale - 0.5, (x + 0.5) / scale - 0.5
            total, weights = np.zeros(channels), 0.0
            for qy in range(y // scale - radius, y // scale + radius + 1):
                for qx in range(x // scale - radius, x // scale + radius + 1):
                    if 0 <= qy < h and 0 <= qx < w:
                        spatial = ((cy - qy) ** 2 + (cx - qx) ** 2) / (2 * SIGMA_SPATIAL**2)
                        colour = ((guide[y, x] - means[qy, qx]) ** 2).sum() / (2 * SIGMA_RANGE**2)
                        weight = math.exp(-spatial - colour)
                        total += weight * low[qy, qx]
                        weights += weight
            out[y, x] = total / weights
    return out


def jbu_operator(scale, channels):
    low = np.zeros((4, 4, channels), np.float32)
    ctx = Context(Settings(scale=scale), np.zeros((4 * scale, 4 * scale, channels)), low)
    return get_method("jbu").build(ctx)


@pytest.mark.parametrize("scale", [2, 3])
def test_jbu_is_kopfs_joint_bilateral_upsampling(scale):
    rng = np.random.default_rng(scale)
    low = rng.uniform(0, 255, (5, 6, 2)).astype(np.float32)
    guide = rng.uniform(0, 255, (5 * scale, 6 * scale, 3)).astype(np.float32)
    guide[:, : 3 * scale] -= 60  # an edge in the guide, so the range kernel matters
    guide = np.clip(guide, 0, 255)
    output = jbu_operator(scale, 2)(
        paddle.to_tensor(to_nchw(low)), paddle.to_tensor(to_nchw(guide))
    )
    got = output.numpy()[0].transpose(1, 2, 0)
    np.testing.assert_allclose(got, reference_jbu(low, guide, scale), rtol=1e-4, atol=1e-3)


def test_guided_row_tiles_are_exact(monkeypatch):
    rng = np.random.default_rng(0)
    low = paddle.to_tensor(to_nchw(rng.uniform(0, 255, (24, 10, 3)).astype(np.float32)))
    guide = paddle.to_tensor(to_nchw(rng.uniform(0, 255, (96, 40, 3)).astype(np.float32)))
    operator = jbu_operator(4, 3)
    whole = operator(low, guide).numpy()
    monkeypatch.setattr(tiling, "TILE_VALUES", 3 * 40 * 8)  # tiles of 8 output rows
    np.testing.assert_allclose(operator(low, guide).numpy(), whole, rtol=1e-5, atol=1e-3)


@pytest.fixture(scope="module")
def label_run():
    ids = label_chart(64, 96).astype(np.int32)
    ys, xs = np.mgrid[:64, :96]
    image = np.stack([ids * 90 % 256, (ids * 50 + ys) % 256, xs * 2], axis=-1).astype(np.uint8)
    inputs = prepare_label_inputs(LabelMap("chart", ids, "L"), image, 4, "hard")
    methods = ["nearest", "bilinear", "jbu", "jbu_learned", "sapa"]
    return run_methods(inputs, methods, Settings(scale=4, steps=15, label_degrade="hard"))


def test_guided_methods_predict_labels_and_learned_ones_learn(label_run):
    results = {r.method: r for r in label_run.results}
    for result in results.values():
        assert result.error is None, result.error
        assert result.labels.shape == (64, 96)
        assert 0.5 < result.metrics.miou <= 1 and 0 < result.metrics.boundary_iou <= 1
        # convex weights over class fractions: no score beyond the input's range
        assert result.output.min() >= -1e-3 and result.output.max() <= 255 + 1e-3
    for method in ("jbu_learned", "sapa"):
        losses = results[method].losses
        assert len(losses) == 15 and np.mean(losses[-3:]) < np.mean(losses[:3])
    # the guide's colours follow the classes here: JBU puts the edges back
    assert results["jbu"].metrics.boundary_iou > results["bilinear"].metrics.boundary_iou
