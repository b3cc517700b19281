import numpy as np

from viewer.core.method import Context, Method, Operator

CALL = "F.grid_sample(x, identity_grid + noise)  # bilinear, zeros, align_corners=True"


def identity_grid(height: int, width: int) -> np.ndarray:
    """The article's grid: (x, y) from linspace(-1, 1) over the output's width and height."""
    xs = np.linspace(-1.0, 1.0, width, dtype=np.float32)
    ys = np.linspace(-1.0, 1.0, height, dtype=np.float32)
    grid = np.empty((height, width, 2), np.float32)
    grid[..., 0] = xs[None, :]
    grid[..., 1] = ys[:, None]
    return grid


def build(ctx: Context) -> Operator:
    import paddle
    import paddle.nn.functional as F

    height, width = (side * ctx.scale for side in ctx.lowres.shape[:2])
    grid = identity_grid(height, width)
    if ctx.settings.grid_noise:
        noise = np.random.default_rng(ctx.settings.seed).standard_normal(grid.shape, np.float32)
        noise *= ctx.settings.grid_noise
        grid += noise
    grid_tensor = paddle.to_tensor(grid[None])
    return lambda x: F.grid_sample(x, grid_tensor)


METHOD = Method(
    id="grid_sample",
    name="grid_sample",
    summary="Samples the low-res image at an irregular grid: the identity grid plus seeded "
    "Gaussian noise (std grid_noise, default 1/200).",
    info="Paddle: " + CALL + "\n"
    "Input: the low-res image and a sampling grid at the output size. Paddle's defaults are "
    "bilinear, zero padding and align_corners=True (PyTorch's default is False).\n"
    "Artifacts: jitter and wobbly edges from the noise; with zero noise it equals bilinear "
    "with align_corners=True, which shifts content towards the corners. Stands for flow-guided "
    "upsampling (optical flow, edge flow, DySample).",
    paddle_call=CALL,
    build=build,
    order=70,
)
