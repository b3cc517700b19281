import numpy as np

from viewer.core.method import Context, Method, Operator
from viewer.core.run.device import to_device
from viewer.core.run.tiling import by_row_tiles

CALL = "F.grid_sample(x, identity_grid + noise)  # bilinear, zeros, align_corners=True"


def identity_grid(height: int, width: int) -> np.ndarray:
    """The article's grid: (x, y) from linspace(-1, 1) over the output's width and height."""
    xs = np.linspace(-1.0, 1.0, width, dtype=np.float32)
    ys = np.linspace(-1.0, 1.0, height, dtype=np.float32)
    grid = np.empty((height, width, 2), np.float32)
    grid[..., 0] = xs[None, :]
    grid[..., 1] = ys[:, None]
    return grid


def add_noise(grid: np.ndarray, std: float, seed: int) -> None:
    """Add seeded N(0, std) noise in place, a strip at a time (the same stream as one draw)."""
    rng = np.random.default_rng(seed)
    noise = np.empty((max(1, (1 << 20) // grid[0].size), *grid.shape[1:]), np.float32)
    for top in range(0, grid.shape[0], noise.shape[0]):
        strip = grid[top : top + noise.shape[0]]
        drawn = noise[: strip.shape[0]]
        rng.standard_normal(out=drawn, dtype=np.float32)
        drawn *= std
        strip += drawn


def build(ctx: Context) -> Operator:
    import paddle
    import paddle.nn.functional as F

    def sampling_grid(height: int, width: int):
        grid = identity_grid(height, width)
        if ctx.settings.grid_noise:
            add_noise(grid, ctx.settings.grid_noise, ctx.settings.seed)
        return to_device(paddle.from_dlpack(grid[None]))  # shares the grid's memory on CPU

    output_size = tuple(side * ctx.scale for side in ctx.lowres.shape[:2])
    grids = {output_size: sampling_grid(*output_size)}

    def sample(x):
        """Any input at its own output size's grid: the engine's small constant test image
        then costs a small grid, not one the size of the photo."""
        height, width = (side * ctx.scale for side in x.shape[2:])
        if (height, width) not in grids:
            grids[height, width] = sampling_grid(height, width)
        grid = grids[height, width]
        shape = (x.shape[0], x.shape[1], height, width)
        return by_row_tiles(lambda top, bottom: F.grid_sample(x, grid[:, top:bottom]), shape)

    return sample


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
    reads=("seed", "grid_noise"),
)
