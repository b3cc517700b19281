"""Shared shape of the three `F.interpolate` methods: they differ only in mode and texts."""

from __future__ import annotations

from viewer.core.method import Context, Method, Operator


def interpolate_method(
    mode: str,
    name: str,
    order: int,
    summary: str,
    artifacts: str,
    align_corners: bool = False,
    method_id: str | None = None,
) -> Method:
    """A Method that runs `F.interpolate(x, scale_factor=r, mode=mode, align_corners=...)`."""

    def build(ctx: Context) -> Operator:
        import paddle.nn.functional as F

        scale = ctx.scale
        return lambda x: F.interpolate(
            x, scale_factor=scale, mode=mode, align_corners=align_corners
        )

    call = f"F.interpolate(x, scale_factor=r, mode='{mode}', align_corners={align_corners})"
    return Method(
        id=method_id or mode,
        name=name,
        summary=summary,
        info=f"{summary}\nPaddle: {call}\nInput: the low-res image.\nArtifacts: {artifacts}",
        paddle_call=call,
        build=build,
        order=order,
    )
