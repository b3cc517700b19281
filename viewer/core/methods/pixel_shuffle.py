from viewer.core.method import Context, Method, Operator

CALL = "F.pixel_shuffle(paddle.concat([x] * r * r, axis=1), r)"


def build(ctx: Context) -> Operator:
    import paddle
    import paddle.nn.functional as F

    scale = ctx.scale
    return lambda x: F.pixel_shuffle(paddle.concat([x] * scale * scale, axis=1), scale)


METHOD = Method(
    id="pixel_shuffle",
    name="PixelShuffle (article)",
    summary="The article's demo: the low-res image concatenated r² times along channels, "
    "then PixelShuffle (ESPCN's rearrangement, Shi et al. 2016).",
    info="PixelShuffle moves input channel c·r² + k to sub-position k of output channel c.\n"
    f"Paddle: {CALL}\n"
    "Input: the low-res image, repeated as [R, G, B, R, G, B, ...].\n"
    "Artifacts: a colour mosaic. With that channel order, output red receives R, G, B, R at "
    "its r x r sub-positions, so colours mix inside every block. The mosaic comes from the "
    "channel order, not from PixelShuffle: repeating each channel r² times instead makes it "
    "exactly nearest-neighbour upsampling. In a network a conv to C·r² channels comes first.",
    paddle_call=CALL,
    build=build,
    order=40,
)
