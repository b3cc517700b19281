import numpy as np

from viewer.core.inputs.matlab_resize import imresize
from viewer.core.method import Context, Method, Operator
from viewer.core.methods._numpy_operator import numpy_operator

CALL = "imresize(img, r, 'bicubic') (MATLAB, in numpy: viewer/core/inputs/matlab_resize.py)"


def build(ctx: Context) -> Operator:
    """A photo's low-res pixels are whole numbers: resized as uint8, rounded after each pass
    as MATLAB does; a feature map's as floats."""
    photo = ctx.lowres.dtype == np.uint8

    def upsample(image: np.ndarray) -> np.ndarray:
        source = np.clip(np.rint(image), 0, 255).astype(np.uint8) if photo else image
        return imresize(source, ctx.scale)

    return numpy_operator(upsample)


METHOD = Method(
    id="bicubic_matlab",
    name="Bicubic (MATLAB reference)",
    summary="MATLAB's imresize bicubic (a = -0.5): the 'Bicubic' row of every "
    "super-resolution paper's table, reproduced outside Paddle.",
    info=f"Not Paddle: {CALL}\n"
    "Input: the low-res image.\n"
    "The classical baseline of the super-resolution literature; with --protocol sr its "
    "PSNR-Y / SSIM-Y match the published bicubic figures (Set5 x2: 33.66 dB).\n"
    "Artifacts: softer than Paddle's bicubic (a = -0.75), less ringing.",
    paddle_call=CALL,
    build=build,
    order=36,
    backend="numpy",
)
