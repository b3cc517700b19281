import math

from viewer.core.method import Context, Method, Operator
from viewer.core.methods._guided import block_means, reassemble_by_distance
from viewer.core.methods.jbu import KERNEL
from viewer.core.run.training import trained

CALL = "Σ over the 5x5 low-res window: softmax(-d²/2σ² - t·||P(g)_p - P(g)‾_q||²) · x_q"
PROJECTED = 16
SIGMA_SPATIAL = 1.0  # low-res pixels, where training starts


def build(ctx: Context) -> Operator:
    import paddle

    paddle.seed(ctx.settings.seed)
    scale = ctx.scale

    class LearnedJbu(paddle.nn.Layer):
        """FeatUp's JBU (Fu et al. 2024): the range kernel compares a learned projection
        of the guide; the range temperature and the spatial σ are learned too."""

        def __init__(self) -> None:
            super().__init__()
            self.project = paddle.nn.Sequential(
                paddle.nn.Conv2D(3, PROJECTED, 1),
                paddle.nn.GELU(),
                paddle.nn.Conv2D(PROJECTED, PROJECTED, 1),
            )
            self.log_temperature = self.create_parameter(
                [1], default_initializer=paddle.nn.initializer.Constant(0.0)
            )
            self.log_sigma = self.create_parameter(
                [1], default_initializer=paddle.nn.initializer.Constant(math.log(SIGMA_SPATIAL))
            )

        def forward(self, x, guide):
            projected = self.project(guide)
            temperature = paddle.exp(self.log_temperature)
            key = block_means(projected, scale)
            spatial = -0.5 * paddle.exp(-2 * self.log_sigma)
            return reassemble_by_distance(x, projected, key, scale, KERNEL, temperature, spatial)

    return trained(LearnedJbu(), ctx, halo=KERNEL // 2 + 1, guided=True)


METHOD = Method(
    id="jbu_learned",
    name="JBU, learned (FeatUp)",
    summary="FeatUp's joint bilateral upsampler (Fu et al. 2024): JBU whose range kernel "
    "compares a learned projection of the guide.",
    info=f"Paddle: {CALL}, P = Conv2D(3, {PROJECTED}, 1) → GELU → Conv2D({PROJECTED}, "
    f"{PROJECTED}, 1) of the guide; t and σ learned.\n"
    "One JBU stage at the full factor (FeatUp stacks x2 stages and adds a learned kernel "
    "fix-up, left out here). Trained with the shared recipe.\n"
    "Input: the low-res map and the full-resolution image (label maps, or --guide).\n"
    "Artifacts: like JBU; training decides which guide edges matter.",
    paddle_call=CALL,
    build=build,
    order=81,
    learned=True,
    guided=True,
)
