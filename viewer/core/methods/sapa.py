import math

from viewer.core.method import Context, Method, Operator
from viewer.core.methods._guided import reassemble
from viewer.core.run.training import trained

CALL = "Σ over the 5x5 low-res window: softmax(q_p · k_q / √d) · x_q"
KERNEL = 5
EMBEDDING = 32


def build(ctx: Context) -> Operator:
    import paddle

    paddle.seed(ctx.settings.seed)
    scale, channels = ctx.scale, ctx.channels
    norm = 1.0 / math.sqrt(EMBEDDING)

    class Sapa(paddle.nn.Layer):
        """Lu et al. 2022: a query from the full-resolution guide, a key from the low-res
        map; each output pixel mixes its low-res neighbours by their similarity."""

        def __init__(self) -> None:
            super().__init__()
            self.query = paddle.nn.Conv2D(3, EMBEDDING, 3, padding=1)
            self.key = paddle.nn.Conv2D(channels, EMBEDDING, 1)

        def forward(self, x, guide):
            return reassemble(
                x,
                self.query(guide),
                self.key(x),
                scale,
                KERNEL,
                dot=norm,
            )

    return trained(Sapa(), ctx, halo=KERNEL // 2 + 1, guided=True)


METHOD = Method(
    id="sapa",
    name="SAPA",
    summary="Similarity-aware point affiliation (Lu et al. 2022): each output pixel mixes "
    "its low-res neighbours by how alike a guide query and their keys are.",
    info=f"Paddle: {CALL}, q = Conv2D(3, {EMBEDDING}, 3) of the guide, k = Conv2D(C, "
    f"{EMBEDDING}, 1) of the low-res map.\n"
    "SAPA's basic form (no gated bilinear branch). Trained with the shared recipe.\n"
    "Input: the low-res map and the full-resolution image (label maps, or --guide).\n"
    "Artifacts: convex weights, so no overshoot; sharp where the guide separates the "
    "classes, blurred like a 5x5 mean where it does not.",
    paddle_call=CALL,
    build=build,
    order=82,
    learned=True,
    guided=True,
)
