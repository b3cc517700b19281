"""Training learned upsamplers, at a cost that does not grow with the image.

Two recipes share one loop (`fit`): the article's (0..255 values, AdamW 1e-3, 256x256 crops),
kept for `conv_transpose`, and a fair one for every other learned method (`train`): values
in [0, 1], Adam with a cosine-decayed learning rate, seeded batches of low-res patches.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from viewer.core.method import Context
from viewer.core.run.tiling import upsample_by_rows

CROP = 256  # the article recipe's crop, in low-res pixels
PATCH = 32  # the fair recipe's patch side, in low-res pixels
GUIDED_SIDE = 128  # guided methods work at full resolution: patches of at most this side there
BATCH = 4


def to_nchw(image: np.ndarray) -> np.ndarray:
    """H x W x C uint8 (or float) to a float32 1 x C x H x W array, values unchanged."""
    return np.ascontiguousarray(image.transpose(2, 0, 1)[None], dtype=np.float32)


def _random_window(rng, low: np.ndarray, rows: int, columns: int) -> tuple[int, int]:
    top = int(rng.integers(0, low.shape[0] - rows + 1))
    left = int(rng.integers(0, low.shape[1] - columns + 1))
    return top, left


def _cut(pair, top: int, left: int, rows: int, columns: int, scale: int):
    """The low-res window and the full-resolution crops (original, guide) it stands for."""
    low, *full = pair
    rows_full = slice(top * scale, (top + rows) * scale)
    columns_full = slice(left * scale, (left + columns) * scale)
    crops = (None if image is None else image[rows_full, columns_full] for image in full)
    return (low[top : top + rows, left : left + columns], *crops)


def training_pairs(ctx: Context, crop: int = CROP) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """The article recipe: one (low-res, original) NCHW pair a step, 0..255; seeded random
    crops once an image is bigger than `crop` x `crop` low-res pixels."""
    pairs = ctx.pairs()
    if len(pairs) == 1 and max(pairs[0][0].shape[:2]) <= crop:
        pair = to_nchw(pairs[0][0]), to_nchw(pairs[0][1])
        while True:
            yield pair
    ctx.notes.append(f"trained on seeded random {crop}x{crop} low-res crops (at most)")
    rng = np.random.default_rng(ctx.settings.seed)
    while True:
        pair = pairs[int(rng.integers(len(pairs)))]
        rows, columns = min(crop, pair[0].shape[0]), min(crop, pair[0].shape[1])
        top, left = _random_window(rng, pair[0], rows, columns)
        low, high, _ = _cut(pair, top, left, rows, columns, ctx.scale)
        yield to_nchw(low), to_nchw(high)


def patch_batches(ctx: Context, guided: bool = False) -> Iterator[tuple[np.ndarray, ...]]:
    """The fair recipe: seeded batches of BATCH low-res patches and their originals (and,
    `guided`, the guide's crops), [0, 1]."""
    pairs = ctx.pairs()
    if guided and any(guide is None for *_, guide in pairs):
        raise ValueError("the training images carry no guide: train on the input instead")
    side = max(4, min(PATCH, GUIDED_SIDE // ctx.scale)) if guided else PATCH
    rows = min(side, *(low.shape[0] for low, *_ in pairs))
    columns = min(side, *(low.shape[1] for low, *_ in pairs))
    rng = np.random.default_rng(ctx.settings.seed)
    while True:
        crops = []
        for _ in range(BATCH):
            pair = pairs[int(rng.integers(len(pairs)))]
            top, left = _random_window(rng, pair[0], rows, columns)
            crops.append(_cut(pair, top, left, rows, columns, ctx.scale)[: 3 if guided else 2])
        yield tuple(
            np.stack([crop.transpose(2, 0, 1) for crop in part]).astype(np.float32) / 255.0
            for part in zip(*crops, strict=True)
        )


def class_map_loss(output, target, unit: float):
    """Cross-entropy of the predicted class scores (as logits, 1/TEMPERATURE per unit of
    score) against the true class fractions; ignore pixels (no true class) add nothing."""
    import paddle.nn.functional as F

    log_p = F.log_softmax(output / (unit * TEMPERATURE), axis=1)
    return -(target / unit * log_p).sum(axis=1).mean()


TEMPERATURE = 0.1  # a score difference of 0.1 (of 1) is a factor e in probability


def fit(
    layer: Any,
    optimizer: Any,
    ctx: Context,
    pairs: Iterator,
    steps: int,
    after_step: Callable[[], None] = lambda: None,
    unit: float = 1.0,
) -> None:
    """Minimise the MSE to the original (class maps: the cross-entropy) for `steps` steps;
    each step checks for cancel, records its loss in ctx.losses and reports progress.
    `unit` is the value standing for 1 (255 in the article's recipe); a batch with a guide
    passes it to the layer as a second input."""
    import paddle
    import paddle.nn.functional as F

    layer.train()
    for step in range(steps):
        ctx.check_cancel()
        low, high, *guide = (paddle.to_tensor(part) for part in next(pairs))
        output = layer(low, *guide)
        loss = class_map_loss(output, high, unit) if ctx.class_maps else F.mse_loss(output, high)
        loss.backward()
        optimizer.step()
        optimizer.clear_grad()
        after_step()
        ctx.losses.append(float(loss))
        ctx.report_step(step + 1, steps)
    layer.eval()


def train(net: Any, ctx: Context, guided: bool = False) -> None:
    """The fair recipe for a network from [0, 1] low-res (and guide) to [0, 1] output."""
    import paddle

    steps = ctx.settings.steps
    schedule = paddle.optimizer.lr.CosineAnnealingDecay(ctx.settings.lr, T_max=max(steps, 1))
    optimizer = paddle.optimizer.Adam(learning_rate=schedule, parameters=net.parameters())
    fit(net, optimizer, ctx, patch_batches(ctx, guided), steps, after_step=schedule.step)


class Trained:
    """A trained [0, 1] network as an engine operator on 0..255 tensors (and guide), run
    over row tiles (each sees `halo` extra input rows, enough for its receptive field)."""

    def __init__(self, net: Any, ctx: Context, halo: int) -> None:
        self.net, self.scale, self.halo, self.channels = net, ctx.scale, halo, ctx.channels

    def __call__(self, x, guide=None):
        def forward(strip, *guide_strip):
            return self.net(strip / 255.0, *(g / 255.0 for g in guide_strip)) * 255.0

        return upsample_by_rows(forward, x, self.scale, self.halo, self.channels, guide)

    def parameters(self):
        return self.net.parameters()


def trained(net: Any, ctx: Context, halo: int, guided: bool = False) -> Trained:
    """Seed, train with the fair recipe, and wrap as an operator."""
    train(net, ctx, guided)
    return Trained(net, ctx, halo)
