"""ESPCN and its ICNR-initialised twin: they differ only in the initial weight."""

from __future__ import annotations

from viewer.core.method import Context, Method, Operator
from viewer.core.run.training import trained

CALL = "F.pixel_shuffle(nn.Conv2D(C, C·r², 3, padding=1)(x), r)"


def espcn_method(method_id: str, name: str, order: int, icnr: bool, artifacts: str) -> Method:
    def build(ctx: Context) -> Operator:
        import paddle
        import paddle.nn.functional as F

        paddle.seed(ctx.settings.seed)
        scale, channels = ctx.scale, ctx.channels

        class Espcn(paddle.nn.Layer):
            def __init__(self) -> None:
                super().__init__()
                self.conv = paddle.nn.Conv2D(
                    channels, channels * scale * scale, 3, padding=1, padding_mode="replicate"
                )
                if icnr:
                    # ICNR: one C -> C kernel, repeated for the r² sub-positions of each channel,
                    # so pixel_shuffle(conv(x)) starts as nearest(conv0(x)): no checkerboard.
                    base = paddle.nn.Conv2D(channels, channels, 3).weight
                    self.conv.weight.set_value(paddle.repeat_interleave(base, scale * scale, 0))
                    bias = paddle.repeat_interleave(self.conv.bias[:channels], scale * scale, 0)
                    self.conv.bias.set_value(bias)

            def forward(self, x):
                return F.pixel_shuffle(self.conv(x), scale)

        return trained(Espcn(), ctx, halo=2)

    init = (
        "ICNR (Aitken et al. 2017): one C -> C kernel (Paddle's default init) repeated r² times"
        if icnr
        else "Paddle's default random init"
    )
    return Method(
        id=method_id,
        name=name,
        summary=f"ESPCN's sub-pixel convolution (Shi et al. 2016), {init.split(':')[0]} init.",
        info=f"Paddle: {CALL}\nInitialisation: {init}. Trained with the shared recipe.\n"
        f"Input: the low-res image.\nArtifacts: {artifacts}",
        paddle_call=CALL,
        build=build,
        order=order,
        learned=True,
    )
