import cv2
import numpy as np

from viewer.core.inputs.degrade import CV_MAX_CHANNELS
from viewer.core.method import Context, Method, Operator
from viewer.core.methods._numpy_operator import numpy_operator

CALL = "cv2.resize(img, None, fx=r, fy=r, interpolation=cv2.INTER_LANCZOS4)"


def lanczos(image: np.ndarray, scale: int) -> np.ndarray:
    """OpenCV's Lanczos (8x8 taps) on H x W x C float32, any channel count."""
    height, width = image.shape[:2]
    size = (width * scale, height * scale)
    parts = [
        cv2.resize(image[..., c : c + CV_MAX_CHANNELS], size, interpolation=cv2.INTER_LANCZOS4)
        for c in range(0, image.shape[2], CV_MAX_CHANNELS)
    ]
    return np.concatenate([p.reshape(size[1], size[0], -1) for p in parts], axis=2)


def build(ctx: Context) -> Operator:
    return numpy_operator(lambda image: lanczos(image, ctx.scale))


METHOD = Method(
    id="lanczos",
    name="Lanczos (OpenCV reference)",
    summary="Lanczos-4 resampling from OpenCV: a classical reference outside Paddle, "
    "sharper than bicubic.",
    info=f"OpenCV, not Paddle: {CALL}\n"
    "Input: the low-res image.\n"
    "A classical reference (no deep-learning framework has it as an upsampling layer).\n"
    "Artifacts: the sharpest of the fixed kernels, with more ringing than bicubic near edges.",
    paddle_call=CALL,
    build=build,
    order=35,
    backend="opencv",
)
