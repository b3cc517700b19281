from viewer.core.method import Context, Method, Operator, Source

CALL = (
    "y, mask = F.max_pool2d(x, r, r, return_mask=True); "
    "F.max_unpool2d(y, mask, r, r, output_size=[H, W])"
)


def build(ctx: Context) -> Operator:
    import paddle.nn.functional as F

    scale = ctx.scale

    def pool_and_unpool(x):
        pooled, mask = F.max_pool2d(x, scale, scale, return_mask=True)
        return F.max_unpool2d(pooled, mask, scale, scale, output_size=list(x.shape[2:]))

    return pool_and_unpool


METHOD = Method(
    id="max_unpool",
    name="MaxUnPool2D",
    summary="Each r x r block's maximum returns to where it came from; zeros elsewhere.",
    info="Paddle: " + CALL + "\n"
    "Input: the max-pooled ORIGINAL (not the resized low-res image the others get): it needs "
    "the pooling indices, as in SegNet's decoder.\n"
    "Artifacts: mostly black, with colour speckles: each channel's maximum sits at its own "
    "position, so one pixel may keep only red, its neighbour only blue.",
    paddle_call=CALL,
    build=build,
    order=50,
    source=Source.ORIGINAL,
)
