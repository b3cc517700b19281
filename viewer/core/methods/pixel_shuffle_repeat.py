from viewer.core.method import Context, Method, Operator

CALL = "F.pixel_shuffle(paddle.repeat_interleave(x, r * r, axis=1), r)"


def build(ctx: Context) -> Operator:
    import paddle
    import paddle.nn.functional as F

    scale = ctx.scale
    return lambda x: F.pixel_shuffle(paddle.repeat_interleave(x, scale * scale, axis=1), scale)


METHOD = Method(
    id="pixel_shuffle_repeat",
    name="PixelShuffle (repeat)",
    summary="Each channel repeated r² times ([R,R,R,R,G,G,...]) before PixelShuffle: "
    "exactly nearest-neighbour upsampling.",
    info="PixelShuffle sends input channel c·r² + k to sub-position k of output channel c. "
    "With each channel repeated r² times, output channel c receives channel c at every "
    "sub-position: an r x r block of one value, which is nearest-neighbour upsampling.\n"
    f"Paddle: {CALL}\n"
    "Input: the low-res image.\n"
    "Why the article's version mixes colours: concatenating the whole image r² times gives the "
    "order [R,G,B,R,G,B,...], so output red receives R, G, B, R at its sub-positions.",
    paddle_call=CALL,
    build=build,
    order=45,
)
