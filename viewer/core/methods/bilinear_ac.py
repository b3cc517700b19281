from viewer.core.methods._interpolate import interpolate_method

METHOD = interpolate_method(
    "bilinear",
    "Bilinear (align_corners)",
    order=32,
    method_id="bilinear_ac",
    align_corners=True,
    summary="Bilinear with align_corners=True: corner pixels map onto corner pixels "
    "(src = dst·(in-1)/(out-1)), as many decoders (DeepLab, early PSPNet) use.",
    artifacts="content shifts by up to half a low-res pixel towards the corners, so the "
    "result no longer lines up with the original: a lower PSNR than align_corners=False "
    "and misplaced edges in segmentation masks.",
)
