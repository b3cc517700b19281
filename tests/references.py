"""Independent numpy/OpenCV references for every Paddle operator the methods run."""

import cv2
import numpy as np

CV2_MODES = {
    "nearest": cv2.INTER_NEAREST,
    "bilinear": cv2.INTER_LINEAR,
    "bicubic": cv2.INTER_CUBIC,
}


def resize_reference(lowres: np.ndarray, scale: int, mode: str) -> np.ndarray:
    image = lowres.astype(np.float32)
    return cv2.resize(image, None, fx=scale, fy=scale, interpolation=CV2_MODES[mode])


def pixel_shuffle_reference(lowres: np.ndarray, scale: int) -> np.ndarray:
    """Concatenate r² copies along channels, then the documented reshape of PixelShuffle."""
    height, width, channels = lowres.shape
    stacked = np.concatenate([lowres.transpose(2, 0, 1)] * scale * scale, axis=0)
    blocks = stacked.reshape(channels, scale, scale, height, width)
    shuffled = blocks.transpose(0, 3, 1, 4, 2).reshape(channels, height * scale, width * scale)
    return shuffled.transpose(1, 2, 0).astype(np.float32)


def max_unpool_reference(original: np.ndarray, scale: int) -> np.ndarray:
    """Keep each channel's first maximum in every r x r block, zero the rest."""
    height, width, channels = original.shape
    blocks = original.reshape(height // scale, scale, width // scale, scale, channels)
    blocks = blocks.transpose(0, 2, 4, 1, 3).reshape(height // scale, width // scale, channels, -1)
    winner = blocks.argmax(axis=-1)
    kept = np.zeros_like(blocks)
    np.put_along_axis(
        kept, winner[..., None], np.take_along_axis(blocks, winner[..., None], -1), -1
    )
    kept = kept.reshape(height // scale, width // scale, channels, scale, scale)
    return kept.transpose(0, 3, 1, 4, 2).reshape(height, width, channels).astype(np.float32)


def bilinear_align_corners_reference(lowres: np.ndarray, scale: int) -> np.ndarray:
    """Bilinear sampling with src = dst · (in - 1) / (out - 1), written out in numpy."""
    height, width = lowres.shape[:2]
    image = lowres.astype(np.float64)
    ys = np.linspace(0, height - 1, height * scale)
    xs = np.linspace(0, width - 1, width * scale)
    y0 = np.clip(np.floor(ys).astype(int), 0, height - 2 if height > 1 else 0)
    x0 = np.clip(np.floor(xs).astype(int), 0, width - 2 if width > 1 else 0)
    y1, x1 = np.minimum(y0 + 1, height - 1), np.minimum(x0 + 1, width - 1)
    wy, wx = (ys - y0)[:, None, None], (xs - x0)[None, :, None]
    top = image[y0][:, x0] * (1 - wx) + image[y0][:, x1] * wx
    bottom = image[y1][:, x0] * (1 - wx) + image[y1][:, x1] * wx
    return (top * (1 - wy) + bottom * wy).astype(np.float32)


def straightforward_carafe(net, x):
    """CARAFE's reassembly as its paper writes it: F.unfold's k²-times copy of the input,
    the kernels' softmax over the window axis, a broadcast product summed over the window."""
    import paddle.nn.functional as F

    batch, channels, height, width = x.shape
    scale = round((net.encode.weight.shape[0] // 25) ** 0.5)
    shape = [batch, 25, scale * scale, height, width]
    kernels = F.softmax(net.encode(net.compress(x)).reshape(shape), axis=1)
    patches = F.unfold(F.pad(x, [2] * 4, mode="replicate"), 5)
    patches = patches.reshape([batch, channels, 25, 1, height, width])
    assembled = (patches * kernels.unsqueeze(1)).sum(axis=2)
    return F.pixel_shuffle(assembled.reshape([batch, -1, height, width]), scale)


def straightforward_dysample(net, x):
    """DySample as it first ran: offsets pixel-shuffled to full resolution, added to the
    bilinear positions, and one Paddle grid_sample (border padding, align_corners=False)."""
    import paddle
    import paddle.nn.functional as F

    height, width = x.shape[2], x.shape[3]
    scale = round((net.offset.weight.shape[0] // 2) ** 0.5)
    offsets = 0.5 * paddle.tanh(F.pixel_shuffle(net.offset(x), scale))
    ys = (paddle.arange(height * scale, dtype="float32") + 0.5) / scale - 0.5
    xs = (paddle.arange(width * scale, dtype="float32") + 0.5) / scale - 0.5
    grid_y, grid_x = paddle.meshgrid(ys, xs)
    px, py = grid_x.unsqueeze(0) + offsets[:, 0], grid_y.unsqueeze(0) + offsets[:, 1]
    grid = paddle.stack([(2 * px + 1) / width - 1, (2 * py + 1) / height - 1], axis=-1)
    return F.grid_sample(x, grid, mode="bilinear", padding_mode="border", align_corners=False)
