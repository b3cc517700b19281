from functools import partial

import cv2
import numpy as np

from viewer.core.method import Context, Method, Operator
from viewer.core.methods._sampling import sample_planes
from viewer.core.run.training import trained

CALL = "F.grid_sample(x, grid + offsets, padding_mode='border', align_corners=False)"
SCOPE = 0.5  # offsets stay within half a low-res pixel (DySample's bounded scope)


def build(ctx: Context) -> Operator:
    import paddle
    import paddle.nn.functional as F

    paddle.seed(ctx.settings.seed)
    scale, channels = ctx.scale, ctx.channels

    class DySample(paddle.nn.Layer):
        """Liu et al. 2023: a 1x1 conv predicts r² (dx, dy) offsets per low-res pixel; the
        output samples the input at the bilinear positions plus those offsets."""

        def __init__(self) -> None:
            super().__init__()
            self.offset = paddle.nn.Conv2D(channels, 2 * scale * scale, 1)
            self.offset.weight.set_value(np.zeros(self.offset.weight.shape, np.float32))
            self.offset.bias.set_value(np.zeros(2 * scale * scale, np.float32))

        def forward(self, x):
            if self.training:
                # Paddle 3.3's CPU grid_sample backward writes the input's gradient without
                # checking that one is wanted, and segfaults when it is not (input patches
                # need none). Asking for it costs a little and avoids the crash.
                x.stop_gradient = False
            # tanh commutes with pixel_shuffle (a permutation): the shifts stay in the
            # conv's low-res layout, [N, 2r², h, w], until the sampler needs them.
            shifts = SCOPE * paddle.tanh(self.offset(x))
            if self.training or not x.place.is_cpu_place():
                return sample_with_grid(x, F.pixel_shuffle(shifts, scale), scale)
            return sample_with_opencv(x, shifts, scale)

    return trained(DySample(), ctx, halo=2)


def centres(size: int, scale: int) -> np.ndarray:
    """Where each output pixel's centre falls in the input's pixels (bilinear's positions)."""
    return (np.arange(size * scale, dtype=np.float32) + 0.5) / scale - 0.5


def sample_with_grid(x, offsets, scale: int):
    """grid_sample at the positions plus offsets ([N, 2, H·r, W·r]): differentiable, and
    fast on a GPU."""
    import paddle
    import paddle.nn.functional as F

    height, width = x.shape[2], x.shape[3]
    px = paddle.to_tensor(centres(width, scale))[None, None, :] + offsets[:, 0]
    py = paddle.to_tensor(centres(height, scale))[None, :, None] + offsets[:, 1]
    grid = paddle.stack([(2 * px + 1) / width - 1, (2 * py + 1) / height - 1], axis=-1)
    return F.grid_sample(x, grid, mode="bilinear", padding_mode="border", align_corners=False)


def sample_with_opencv(x, shifts, scale: int):
    """The same sampling on the CPU, about 4x faster than Paddle's CPU grid_sample, band by
    band (see band_positions)."""
    import paddle

    batch, channels, height, width = x.shape
    size = (height * scale, width * scale)
    images = np.from_dlpack(x)
    planes = np.from_dlpack(shifts).reshape(batch, 2, scale, scale, height, width)
    output = np.empty((batch, channels, *size), np.float32)
    for n in range(batch):
        positions = partial(
            band_positions, planes[n], centres(width, scale), centres(height, scale)
        )
        sample_planes(images[n], positions, size, scale, output[n])
    return paddle.from_dlpack(output)


def band_positions(shifts: np.ndarray, xs: np.ndarray, ys: np.ndarray, band: slice):
    """The sampling positions of the output rows `band`, from the shifts' rows in their
    low-res layout [2, r, r, h, w]: merging the r planes of sub-row i interleaves them into
    output row y·r + i, as pixel_shuffle orders them, without shuffling the whole tensor."""
    scale = shifts.shape[1]
    low = slice(band.start // scale, band.stop // scale)
    px = np.empty((low.stop - low.start, scale, len(xs)), np.float32)
    py = np.empty_like(px)
    for i in range(scale):
        np.add(cv2.merge(list(shifts[0, i, :, low])).reshape(-1, len(xs)), xs, out=px[:, i])
        np.add(
            cv2.merge(list(shifts[1, i, :, low])).reshape(-1, len(xs)),
            ys[band][i::scale, None],
            out=py[:, i],
        )
    return px.reshape(-1, len(xs)), py.reshape(-1, len(xs))


METHOD = Method(
    id="dysample",
    name="DySample",
    summary="Learned per-pixel sampling offsets, sampled with grid_sample (Liu et al. 2023): "
    "content-aware, few parameters.",
    info=f"Paddle: {CALL}, where offsets = 0.5·tanh(pixel_shuffle(Conv2D(C, 2r², 1)(x), r)) "
    "in low-res pixels, added to the bilinear sampling positions.\n"
    "On the CPU, inference samples the same positions with OpenCV (four exact gathers, "
    "blended bilinearly; equal to grid_sample within 1e-4), about 4x faster than Paddle's "
    "CPU kernel; training and GPUs use grid_sample.\n"
    "Offsets start at zero, so it starts as bilinear; trained with the shared recipe.\n"
    "Input: the low-res image.\n"
    "Artifacts: wobbly edges where offsets are wrong; no checkerboard from the sampling.",
    paddle_call=CALL,
    build=build,
    order=68,
    learned=True,
)
