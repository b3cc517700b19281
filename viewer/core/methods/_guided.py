"""Image-guided reassembly, shared by JBU, learned JBU and SAPA.

Every output pixel p is a softmax-weighted mix of the k x k low-res pixels q around the
low-res pixel holding p; the weights' logits compare a query at p (from the full-resolution
guide) with a key at q, plus (JBU) a Gaussian of the distance from p to q in low-res pixels.
Neighbours outside the image get no weight, so borders are not pulled toward a repeated edge.

Computed per low-res pixel as one batched matrix product: its r² sub-pixel queries against
its k² neighbours' keys (the keys gathered by `unfold` at low resolution, where they are r²
times cheaper than at full resolution), a softmax over the last axis, and a second product
with the neighbours' values; `pixel_shuffle` places the r² results.
"""

from __future__ import annotations

from typing import Any

import numpy as np

OUTSIDE = -1e4  # the logit of a neighbour beyond the border: weight e^-10000 = 0


def squared_distances(scale: int, kernel: int) -> np.ndarray:
    """[k², r²]: squared distance, in low-res pixels, from each sub-pixel position of a
    low-res pixel (its centre at ((a + 0.5) / r - 0.5)) to each neighbour of the window."""
    centres = (np.arange(scale) + 0.5) / scale - 0.5
    offsets = np.arange(kernel) - kernel // 2
    along = (centres[None, :] - offsets[:, None]) ** 2  # [k, r]
    table = along[:, None, :, None] + along[None, :, None, :]  # [k, k, r, r]
    return table.reshape(kernel * kernel, scale * scale).astype(np.float32)


def unshuffled(high: Any, scale: int) -> Any:
    """[N, D, H·r, W·r] as [N, H·W, r², D]: each low-res pixel's r² sub-pixel vectors."""
    import paddle.nn.functional as F

    batch, depth, height, width = high.shape
    folded = F.pixel_unshuffle(high, scale)
    cells = (height // scale) * (width // scale)
    return folded.reshape([batch, depth, scale * scale, cells]).transpose([0, 3, 2, 1])


def windows(low: Any, kernel: int) -> Any:
    """[N, D, H, W] as [N, H·W, D, k²]: each low-res pixel's k x k neighbours (0 beyond
    the border)."""
    import paddle.nn.functional as F

    batch, depth = low.shape[:2]
    gathered = F.unfold(low, kernel, paddings=kernel // 2)  # [N, D·k², H·W]
    return gathered.reshape([batch, depth, kernel * kernel, -1]).transpose([0, 3, 1, 2])


def reassemble(
    values: Any,
    query: Any,
    key: Any,
    scale: int,
    kernel: int,
    dot: Any,
    key_norm: Any = 0.0,
    spatial: Any = None,
) -> Any:
    """Σ over the window of softmax(dot·q_p·k_q + key_norm·|k_q|² + spatial·d²(p, q)) · x_q.

    values [N, C, H, W] and key [N, D, H, W] are low-res; query [N, D, H·r, W·r] is at full
    resolution. JBU's -t·||q - k||² is dot = 2t, key_norm = -t (|q|² is the same for the
    whole window, so the softmax drops it); SAPA's is dot alone.
    """
    import paddle
    import paddle.nn.functional as F

    batch, channels, height, width = values.shape
    keys = windows(key, kernel)  # [N, HW, D, k²]
    logits = dot * paddle.matmul(unshuffled(query, scale), keys)  # [N, HW, r², k²]
    if not isinstance(key_norm, float) or key_norm:
        logits = logits + key_norm * (keys * keys).sum(axis=2, keepdim=True)
    if spatial is not None:
        logits = logits + spatial * paddle.to_tensor(squared_distances(scale, kernel).T)
    inside = windows(paddle.ones([1, 1, height, width], dtype=values.dtype), kernel)
    weights = F.softmax(logits + (1 - inside) * OUTSIDE, axis=-1)
    neighbours = windows(values, kernel).transpose([0, 1, 3, 2])  # [N, HW, k², C]
    mixed = paddle.matmul(weights, neighbours)  # [N, HW, r², C]
    folded = mixed.transpose([0, 3, 2, 1]).reshape([batch, channels * scale * scale, height, width])
    return F.pixel_shuffle(folded, scale)


def reassemble_by_distance(
    values: Any, query: Any, key: Any, scale: int, kernel: int, range_scale: Any, spatial: Any
) -> Any:
    """JBU's weights: softmax of -range_scale·||q_p - k_q||² + spatial·d²(p, q)."""
    return reassemble(
        values,
        query,
        key,
        scale,
        kernel,
        dot=2 * range_scale,
        key_norm=-range_scale,
        spatial=spatial,
    )


def block_samples(high: Any, scale: int) -> Any:
    """The full-resolution pixel at offset r//2 of each r x r block: the guide at a low-res
    pixel's own place (JBU's q↑)."""
    return high[:, :, scale // 2 :: scale, scale // 2 :: scale]


def block_means(high: Any, scale: int) -> Any:
    """The mean of each r x r block: a full-resolution guide seen at a low-res pixel."""
    import paddle.nn.functional as F

    return F.avg_pool2d(high, scale, scale)
