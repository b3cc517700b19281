import numpy as np

from viewer.core.method import Context, Method, Operator
from viewer.core.run.training import trained

CALL = "nn.Conv2D(C, C, 3, padding=1)(F.interpolate(x, scale_factor=r, mode='nearest'))"


def dirac(channels: int, size: int = 3) -> np.ndarray:
    """A conv weight that copies each channel: the identity filter."""
    weight = np.zeros((channels, channels, size, size), np.float32)
    for c in range(channels):
        weight[c, c, size // 2, size // 2] = 1.0
    return weight


def build(ctx: Context) -> Operator:
    import paddle
    import paddle.nn.functional as F

    paddle.seed(ctx.settings.seed)
    scale, channels = ctx.scale, ctx.channels

    class ResizeConv(paddle.nn.Layer):
        def __init__(self) -> None:
            super().__init__()
            self.conv = paddle.nn.Conv2D(channels, channels, 3, padding=1, padding_mode="replicate")
            self.conv.weight.set_value(dirac(channels))
            self.conv.bias.set_value(np.zeros(channels, np.float32))

        def forward(self, x):
            return self.conv(F.interpolate(x, scale_factor=scale, mode="nearest"))

    return trained(ResizeConv(), ctx, halo=2)


METHOD = Method(
    id="resize_conv",
    name="Resize-convolution",
    summary="Nearest x r, then a learned 3x3 convolution (Odena, Dumoulin, Olah 2016): the "
    "checkerboard-free alternative to transposed convolution.",
    info=f"Paddle: {CALL}\n"
    "Initialised as the identity filter, so it starts as nearest; trained with the shared "
    "recipe. Input: the low-res image.\n"
    "Artifacts: no checkerboard by construction (every output pixel sees the same kind of "
    "neighbourhood); some blockiness may remain from the nearest step.",
    paddle_call=CALL,
    build=build,
    order=64,
    learned=True,
)
