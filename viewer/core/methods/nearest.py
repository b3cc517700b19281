from viewer.core.methods._interpolate import interpolate_method

METHOD = interpolate_method(
    "nearest",
    "Nearest",
    order=10,
    summary="Copies each low-res pixel into an r x r block (source pixel floor(dst / r)).",
    artifacts="blocks and staircase edges; no new values, so no ringing or clipping.",
)
