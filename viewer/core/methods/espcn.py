from viewer.core.methods._espcn import espcn_method

METHOD = espcn_method(
    "espcn",
    "ESPCN",
    order=66,
    icnr=False,
    artifacts="checkerboard from the start: the r² sub-positions get unrelated random "
    "kernels, and training removes it only slowly.",
)
