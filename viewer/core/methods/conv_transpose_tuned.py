import numpy as np

from viewer.core.method import Context, Method, Operator
from viewer.core.methods.conv_transpose import kernel_and_padding
from viewer.core.run.training import trained

CALL = "nn.Conv2DTranspose(C, C, k, r, p)(F.pad(x, 1, 'replicate'))"


def bilinear_kernel(kernel: int, scale: int) -> np.ndarray:
    """The 1-D tent that makes a stride-r transposed conv do half-pixel bilinear (FCN)."""
    factor = (kernel + 1) // 2
    centre = factor - 1 if kernel % 2 == 1 else factor - 0.5
    taps = 1 - np.abs(np.arange(kernel) - centre) / factor
    return taps.astype(np.float32)


def build(ctx: Context) -> Operator:
    import paddle
    import paddle.nn.functional as F

    paddle.seed(ctx.settings.seed)
    scale, channels = ctx.scale, ctx.channels
    kernel, padding = kernel_and_padding(scale)

    class TunedTranspose(paddle.nn.Layer):
        """The article's layer; a 1-pixel replicate border in and r pixels cropped out give
        the outermost pixels their missing neighbours (else they come out too dark)."""

        def __init__(self) -> None:
            super().__init__()
            self.up = paddle.nn.Conv2DTranspose(channels, channels, kernel, scale, padding)
            taps = bilinear_kernel(kernel, scale)
            weight = np.zeros((channels, channels, kernel, kernel), np.float32)
            for c in range(channels):
                weight[c, c] = np.outer(taps, taps)
            self.up.weight.set_value(weight)
            self.up.bias.set_value(np.zeros(channels, np.float32))

        def forward(self, x):
            padded = F.pad(x, [1, 1, 1, 1], mode="replicate")
            return self.up(padded)[:, :, scale:-scale, scale:-scale]

    return trained(TunedTranspose(), ctx, halo=kernel // scale + 2)


METHOD = Method(
    id="conv_transpose_tuned",
    name="Conv2DTranspose (tuned)",
    summary="The article's transposed convolution trained fairly: bilinear initial kernel, "
    "values in [0, 1], Adam with a decaying learning rate on seeded patch batches.",
    info=f"Paddle: {CALL}\nThe article's nn.Conv2DTranspose(C, C, k, r, p) (k = 2r, p = r/2 for "
    "even r), on the input with a 1-pixel replicate border (cropped off again).\n"
    "Initialised as bilinear upsampling (the FCN tent kernel per channel), so it starts where "
    "bilinear is and can only learn from there; trained with the shared recipe.\n"
    "Input: the low-res image.\n"
    "Artifacts: little checkerboard, since it starts from an even kernel overlap; what it "
    "learns beyond bilinear is mild sharpening.",
    paddle_call=CALL,
    build=build,
    order=62,
    learned=True,
)
