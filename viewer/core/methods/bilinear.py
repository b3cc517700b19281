from viewer.core.methods._interpolate import interpolate_method

METHOD = interpolate_method(
    "bilinear",
    "Bilinear",
    order=20,
    summary="Linear blend of the 2x2 nearest low-res pixels (half-pixel centres, like OpenCV).",
    artifacts="blur; smooths jagged edges (the article's default Upsample).",
)
