from viewer.core.method import Context, Method, Operator
from viewer.core.training import trained

CALL = "Σ over the 5x5 window: shifted F.pad(x, 2, 'replicate') · softmax(predicted kernels)"
KERNEL_UP = 5  # reassembly window
KERNEL_ENCODER = 3
COMPRESSED = 64  # the paper's, for decoder features of 256+ channels


def compressed_channels(channels: int) -> int:
    """64, but never a 'compressor' that expands: a 3-channel photo gets 16."""
    return min(COMPRESSED, max(16, channels))


def build(ctx: Context) -> Operator:
    import paddle
    import paddle.nn.functional as F

    paddle.seed(ctx.settings.seed)
    scale, channels = ctx.scale, ctx.channels
    window = KERNEL_UP * KERNEL_UP

    class Carafe(paddle.nn.Layer):
        """Wang et al. 2019: predict a softmax-normalised 5x5 kernel for every output pixel
        from the content, then reassemble the input neighbourhood with it."""

        def __init__(self) -> None:
            super().__init__()
            middle = compressed_channels(channels)
            self.compress = paddle.nn.Conv2D(channels, middle, 1)
            self.encode = paddle.nn.Conv2D(
                middle, scale * scale * window, KERNEL_ENCODER, padding=KERNEL_ENCODER // 2
            )
            # The paper draws the encoder from N(0, 0.001): nearly flat kernels. Zero makes them
            # exactly flat, so CARAFE starts as a 5x5 mean placed like nearest.
            self.encode.weight.set_value(paddle.zeros(self.encode.weight.shape))

        def forward(self, x):
            """Reassembles at low resolution, one batched matrix product per low-res pixel:
            its r² kernels (softmax over the last axis, where it is fast) times its 5x5
            neighbourhood; pixel_shuffle then places the r² results."""
            batch, _, height, width = x.shape
            cells = height * width
            logits = self.encode(self.compress(x)).reshape([batch, window, scale * scale, cells])
            kernels = F.softmax(logits.transpose([0, 3, 2, 1]), axis=-1)  # [N, HW, r², k²]
            border = KERNEL_UP // 2  # replicate, not unfold's zeros: no dark frame
            padded = F.pad(x, [border] * 4, mode="replicate")
            windows = F.unfold(padded, KERNEL_UP).reshape([batch, channels, window, cells])
            mixed = paddle.matmul(kernels, windows.transpose([0, 3, 2, 1]))  # [N, HW, r², C]
            folded = mixed.transpose([0, 3, 2, 1]).reshape([batch, -1, height, width])
            return F.pixel_shuffle(folded, scale)

    return trained(Carafe(), ctx, halo=KERNEL_UP // 2 + KERNEL_ENCODER // 2 + 1)


METHOD = Method(
    id="carafe",
    name="CARAFE",
    summary="Content-aware reassembly of features (Wang et al. 2019): a predicted, "
    "softmax-normalised 5x5 kernel per output pixel.",
    info=f"Paddle: {CALL}, with kernels = softmax(Conv2D(m, r²·25, 3)(Conv2D(C, m, 1)(x))): each "
    "output pixel weights the 5x5 window of its source pixel, then pixel_shuffle places the "
    "r² results.\n"
    "Defaults: k_up 5, encoder kernel 3, 64 compressed channels (min(64, max(16, C)): a photo's "
    "3 channels are not 'compressed' to 64). Trained with the shared recipe. Input: the "
    "low-res image.\n"
    "Artifacts: outputs are convex combinations of input pixels, so no overshoot; blur where "
    "the predicted kernels stay flat.",
    paddle_call=CALL,
    build=build,
    order=69,
    learned=True,
)
