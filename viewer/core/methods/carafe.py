from functools import partial

import numpy as np

from viewer.core.method import Context, Method, Operator
from viewer.core.methods._bands import in_bands
from viewer.core.run.training import trained

CALL = "Σ over the 5x5 window: shifted F.pad(x, 2, 'replicate') · softmax(predicted kernels)"
KERNEL_UP = 5  # reassembly window
KERNEL_ENCODER = 3
BORDER = KERNEL_UP // 2  # replicate, not unfold's zeros: no dark frame
COMPRESSED = 64  # the paper's, for decoder features of 256+ channels
# Low-res pixels per band of the CPU reassembly: its weights (r²·k² values a pixel) then stay
# within the CPU's cache.
BAND_PIXELS = 1 << 13


def compressed_channels(channels: int) -> int:
    """64, but never a 'compressor' that expands: a 3-channel photo gets 16."""
    return min(COMPRESSED, max(16, channels))


def build(ctx: Context) -> Operator:
    import paddle

    paddle.seed(ctx.settings.seed)
    scale, channels = ctx.scale, ctx.channels
    window = KERNEL_UP * KERNEL_UP

    class Carafe(paddle.nn.Layer):
        """Wang et al. 2019: predict a softmax-normalised 5x5 kernel for every output pixel
        from the content, then reassemble the input neighbourhood with it."""

        def __init__(self) -> None:
            super().__init__()
            middle = compressed_channels(channels)
            self.compress = paddle.nn.Conv2D(channels, middle, 1)
            self.encode = paddle.nn.Conv2D(
                middle, scale * scale * window, KERNEL_ENCODER, padding=KERNEL_ENCODER // 2
            )
            # The paper draws the encoder from N(0, 0.001): nearly flat kernels. Zero makes them
            # exactly flat, so CARAFE starts as a 5x5 mean placed like nearest.
            self.encode.weight.set_value(paddle.zeros(self.encode.weight.shape))

        def forward(self, x):
            logits = self.encode(self.compress(x))  # [N, k²·r², h, w]: window-major
            if self.training or not x.place.is_cpu_place():
                return reassemble_with_paddle(x, logits, scale)
            return reassemble_on_cpu(x, logits, scale)

    return trained(Carafe(), ctx, halo=KERNEL_UP // 2 + KERNEL_ENCODER // 2 + 1)


def reassemble_with_paddle(x, logits, scale: int):
    """One batched matrix product per low-res pixel: its r² kernels (softmax over the last
    axis, where it is fast) times its 5x5 neighbourhood; pixel_shuffle then places the r²
    results. Differentiable, and fast on a GPU."""
    import paddle
    import paddle.nn.functional as F

    batch, channels, height, width = x.shape
    cells, window = height * width, KERNEL_UP * KERNEL_UP
    logits = logits.reshape([batch, window, scale * scale, cells])
    kernels = F.softmax(logits.transpose([0, 3, 2, 1]), axis=-1)  # [N, HW, r², k²]
    padded = F.pad(x, [BORDER] * 4, mode="replicate")
    windows = F.unfold(padded, KERNEL_UP).reshape([batch, channels, window, cells])
    mixed = paddle.matmul(kernels, windows.transpose([0, 3, 2, 1]))  # [N, HW, r², C]
    folded = mixed.transpose([0, 3, 2, 1]).reshape([batch, -1, height, width])
    return F.pixel_shuffle(folded, scale)


def reassemble_on_cpu(x, logits, scale: int):
    """The same reassembly with numpy, about 5x faster on the CPU: k² shifted multiply-adds
    over bands of rows, in place, with the softmax's division done once on the sums."""
    import paddle

    batch, channels, height, width = x.shape
    images = np.from_dlpack(x)
    logits = np.from_dlpack(logits).reshape(batch, -1, scale * scale, height, width)
    output = np.empty((batch, channels, height * scale, width * scale), np.float32)
    for n in range(batch):
        padded = np.pad(images[n], ((0, 0), (BORDER, BORDER), (BORDER, BORDER)), mode="edge")
        # output pixel (y·r + i, x·r + j) is result i·r + j of low-res pixel (y, x)
        placed = output[n].reshape(channels, height, scale, width, scale).transpose(0, 2, 4, 1, 3)
        band = partial(reassemble_band, padded, logits[n], placed)
        in_bands(height, max(1, BAND_PIXELS // width), band)
    return paddle.from_dlpack(output)


def reassemble_band(padded: np.ndarray, logits: np.ndarray, placed: np.ndarray, band: slice):
    """Rows `band` of the reassembly: Σ_k exp(logit_k - max)·x_k / Σ_k exp(logit_k - max)."""
    channels, width = padded.shape[0], logits.shape[-1]
    scale = placed.shape[1]
    weights = logits[:, :, band]  # [k², r², rows, w]
    weights = np.exp(weights - weights.max(axis=0), dtype=np.float32)
    mixed = np.zeros((channels, *weights.shape[1:]), np.float32)
    term = np.empty_like(mixed)
    for k, weight in enumerate(weights):
        dy, dx = divmod(k, KERNEL_UP)
        shifted = padded[:, band.start + dy : band.stop + dy, dx : dx + width]
        mixed += np.multiply(weight, shifted[:, None], out=term)
    mixed /= weights.sum(axis=0)
    placed[..., band, :] = mixed.reshape(channels, scale, scale, *mixed.shape[2:])


METHOD = Method(
    id="carafe",
    name="CARAFE",
    summary="Content-aware reassembly of features (Wang et al. 2019): a predicted, "
    "softmax-normalised 5x5 kernel per output pixel.",
    info=f"Paddle: {CALL}, with kernels = softmax(Conv2D(m, r²·25, 3)(Conv2D(C, m, 1)(x))): each "
    "output pixel weights the 5x5 window of its source pixel, then pixel_shuffle places the "
    "r² results.\n"
    "Training and GPUs reassemble with batched Paddle matmuls; CPU inference with 25 shifted "
    "multiply-adds in numpy over bands of rows (equal within 1e-6, about 5x faster).\n"
    "Defaults: k_up 5, encoder kernel 3, 64 compressed channels (min(64, max(16, C)): a photo's "
    "3 channels are not 'compressed' to 64). Trained with the shared recipe. Input: the "
    "low-res image.\n"
    "Artifacts: outputs are convex combinations of input pixels, so no overshoot; blur where "
    "the predicted kernels stay flat.",
    paddle_call=CALL,
    build=build,
    order=69,
    learned=True,
)
