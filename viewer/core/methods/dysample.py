import numpy as np

from viewer.core.method import Context, Method, Operator
from viewer.core.methods._sampling import sample_bilinear
from viewer.core.training import trained

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
    """The same sampling on the CPU, about 4x faster than Paddle's CPU grid_sample. `shifts`
    are the offsets before pixel_shuffle; reading them through a strided view shuffles them
    for free."""
    import paddle

    batch, channels, height, width = x.shape
    images = np.from_dlpack(x).transpose(0, 2, 3, 1)
    layout = (2, scale, scale, height, width)  # channel c·r² + i·r + j -> (y·r + i, x·r + j)
    shuffled = shifts.numpy().reshape(batch, *layout).transpose(0, 1, 4, 2, 5, 3)
    xs, ys = centres(width, scale).reshape(width, scale), centres(height, scale)
    output = np.empty((batch, channels, height * scale, width * scale), np.float32)
    for n in range(batch):
        px = np.add(shuffled[n, 0], xs, out=np.empty((height, scale, width, scale), np.float32))
        py = np.add(shuffled[n, 1], ys.reshape(height, scale, 1, 1), out=np.empty_like(px))
        size = (height * scale, width * scale)
        image = np.ascontiguousarray(images[n])
        sample_bilinear(image, px.reshape(size), py.reshape(size), output[n].transpose(1, 2, 0))
    return paddle.from_dlpack(output)


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
