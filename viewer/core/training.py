"""Training learned upsamplers on the image itself, at a cost bounded by the crop size."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from viewer.core.method import Context

CROP = 256


def to_nchw(image: np.ndarray) -> np.ndarray:
    """H x W x C uint8 (or float) to a float32 1 x C x H x W array, values unchanged."""
    return np.ascontiguousarray(image.transpose(2, 0, 1)[None], dtype=np.float32)


def training_pairs(ctx: Context, crop: int = CROP) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Endless (low-res, original) NCHW pairs; seeded random crops once the image is bigger
    than `crop` x `crop` low-res pixels, else the whole image every step."""
    low, high, scale = ctx.lowres, ctx.original, ctx.scale
    height, width = low.shape[:2]
    if height <= crop and width <= crop:
        pair = to_nchw(low), to_nchw(high)
        while True:
            yield pair
    ch, cw = min(height, crop), min(width, crop)
    ctx.notes.append(f"trained on seeded random {cw}x{ch} low-res crops")
    rng = np.random.default_rng(ctx.settings.seed)
    while True:
        top = int(rng.integers(0, height - ch + 1))
        left = int(rng.integers(0, width - cw + 1))
        low_crop = low[top : top + ch, left : left + cw]
        high_crop = high[top * scale : (top + ch) * scale, left * scale : (left + cw) * scale]
        yield to_nchw(low_crop), to_nchw(high_crop)


def fit(layer: Any, optimizer: Any, ctx: Context, pairs: Iterator, steps: int) -> None:
    """Minimise the MSE to the original for `steps` steps; records each loss in ctx.losses."""
    import paddle
    import paddle.nn.functional as F

    layer.train()
    for step in range(steps):
        ctx.check_cancel()
        low, high = next(pairs)
        loss = F.mse_loss(layer(paddle.to_tensor(low)), paddle.to_tensor(high))
        loss.backward()
        optimizer.step()
        optimizer.clear_grad()
        ctx.losses.append(float(loss))
        ctx.report_step(step + 1, steps)
    layer.eval()
