from viewer.core.methods._interpolate import interpolate_method

METHOD = interpolate_method(
    "bicubic",
    "Bicubic",
    order=30,
    summary="Cubic convolution over 4x4 low-res pixels (a = -0.75, like OpenCV and PyTorch).",
    artifacts="sharper than bilinear, but rings at edges and overshoots below 0 and above 255 "
    "(clipped, counted as 'clipped').",
)
