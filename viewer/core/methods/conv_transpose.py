from viewer.core.method import Context, Method, Operator
from viewer.core.run.tiling import transposed_conv_by_rows
from viewer.core.run.training import fit, training_pairs


def kernel_and_padding(scale: int) -> tuple[int, int]:
    """k, p with (H - 1)·r - 2p + k = H·r: the article's (4, 1) at r = 2."""
    if scale % 2 == 0:
        return 2 * scale, scale // 2
    return 2 * scale - 1, (scale - 1) // 2


def build(ctx: Context) -> Operator:
    import paddle

    paddle.seed(ctx.settings.seed)
    kernel, padding = kernel_and_padding(ctx.scale)
    layer = paddle.nn.Conv2DTranspose(ctx.channels, ctx.channels, kernel, ctx.scale, padding)
    optimizer = paddle.optimizer.AdamW(learning_rate=1e-3, parameters=layer.parameters())
    fit(layer, optimizer, ctx, training_pairs(ctx), ctx.settings.steps, unit=255.0)
    return TiledLayer(layer, ctx.scale, kernel)


class TiledLayer:
    """The trained layer, applied to big images a row tile at a time (same result)."""

    def __init__(self, layer, scale: int, kernel: int) -> None:
        self.layer, self.scale, self.kernel = layer, scale, kernel

    def __call__(self, x):
        return transposed_conv_by_rows(self.layer, x, self.scale, self.kernel)

    def parameters(self):
        return self.layer.parameters()


METHOD = Method(
    id="conv_transpose",
    name="Conv2DTranspose (article)",
    summary="A learned transposed convolution, trained as the article does: AdamW(lr=1e-3), "
    "MSE to the original, 0..255 values, 100 steps by default.",
    info="Paddle: nn.Conv2DTranspose(C, C, k, r, p)(x), k = 2r and p = r/2 for even r "
    "(the article's (4, 2, 1) at r = 2), k = 2r - 1 and p = (r - 1)/2 for odd r.\n"
    "Input: the low-res image. Trained on the image itself; beyond 256x256 low-res pixels "
    "on seeded random 256x256 crops, so the cost does not grow with the image.\n"
    "Artifacts: checkerboard (uneven kernel overlap, Odena et al. 2016) and colour casts: "
    "the article's settings train it only a little.",
    paddle_call="nn.Conv2DTranspose(C, C, k, r, p)(x)",
    build=build,
    order=60,
    learned=True,
    # the article's own learning rate, not --lr
    reads=("steps", "seed", "train_on", "train_labels"),
)
