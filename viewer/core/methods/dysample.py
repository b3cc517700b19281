import numpy as np

from viewer.core.method import Context, Method, Operator
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
            height, width = x.shape[2], x.shape[3]
            offsets = SCOPE * paddle.tanh(F.pixel_shuffle(self.offset(x), scale))
            ys = (paddle.arange(height * scale, dtype="float32") + 0.5) / scale - 0.5
            xs = (paddle.arange(width * scale, dtype="float32") + 0.5) / scale - 0.5
            grid_y, grid_x = paddle.meshgrid(ys, xs)
            px = grid_x.unsqueeze(0) + offsets[:, 0]
            py = grid_y.unsqueeze(0) + offsets[:, 1]
            grid = paddle.stack([(2 * px + 1) / width - 1, (2 * py + 1) / height - 1], axis=-1)
            return F.grid_sample(
                x, grid, mode="bilinear", padding_mode="border", align_corners=False
            )

    return trained(DySample(), ctx, halo=2)


METHOD = Method(
    id="dysample",
    name="DySample",
    summary="Learned per-pixel sampling offsets, sampled with grid_sample (Liu et al. 2023): "
    "content-aware, few parameters.",
    info=f"Paddle: {CALL}, where offsets = 0.5·tanh(pixel_shuffle(Conv2D(C, 2r², 1)(x), r)) "
    "in low-res pixels, added to the bilinear sampling positions.\n"
    "Offsets start at zero, so it starts as bilinear; trained with the shared recipe.\n"
    "Input: the low-res image.\n"
    "Artifacts: wobbly edges where offsets are wrong; no checkerboard from the sampling.",
    paddle_call=CALL,
    build=build,
    order=68,
    learned=True,
)
