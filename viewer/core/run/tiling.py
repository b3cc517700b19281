"""Running an operator over row tiles of its output, so big images need little extra memory.

Paddle's CPU kernels for grid_sample and conv2d_transpose allocate buffers several times
the size of their output; computed a tile at a time, those buffers stay small.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

TILE_VALUES = 1 << 22  # output values per tile: 16 MB of float32


def by_row_tiles(
    compute: Callable[[int, int], Any], shape: tuple[int, int, int, int], step: int = 1
) -> Any:
    """The (N, C, H, W) output whose rows [top, bottom) `compute(top, bottom)` returns.

    Tiles start at multiples of `step`; one tile is the whole output when it is small.
    """
    import paddle

    batch, channels, height, width = shape
    rows = max(step, TILE_VALUES // (batch * channels * width) // step * step)
    if rows >= height:
        return compute(0, height)
    output = paddle.empty(list(shape), dtype="float32")
    for top in range(0, height, rows):
        bottom = min(top + rows, height)
        output[:, :, top:bottom] = compute(top, bottom)
    return output


def upsample_by_rows(
    upsample: Callable[..., Any], x: Any, scale: int, halo: int, channels: int, guide: Any = None
) -> Any:
    """`upsample(x)` (or `upsample(x, guide)`) for an operator whose output is exactly
    H·r x W·r, tile by tile: each tile sees `halo` input rows on either side (and the guide
    rows they cover), enough that its own rows come out exact."""
    batch, _, height, width = x.shape

    def rows(top: int, bottom: int):
        first, last = top // scale, bottom // scale
        low, high = max(0, first - halo), min(height, last + halo)
        guides = () if guide is None else (guide[:, :, low * scale : high * scale],)
        local = upsample(x[:, :, low:high], *guides)
        return local[:, :, (first - low) * scale : (last - low) * scale]

    return by_row_tiles(rows, (batch, channels, height * scale, width * scale), step=scale)


def transposed_conv_by_rows(layer: Any, x: Any, scale: int, kernel: int) -> Any:
    """A stride-`scale` transposed conv by row tiles: output row o takes input rows up to
    ceil(k / r) away, so that many (plus one) halo rows make every tile exact."""
    halo = math.ceil(kernel / scale) + 1
    return upsample_by_rows(layer, x, scale, halo, layer.weight.shape[1])
