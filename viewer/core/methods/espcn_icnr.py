from viewer.core.methods._espcn import espcn_method

METHOD = espcn_method(
    "espcn_icnr",
    "ESPCN (ICNR init)",
    order=67,
    icnr=True,
    artifacts="none at the start (checkerboard and phase_cv are exactly 0 before training); "
    "the same network as ESPCN, so any checkerboard later is learned.",
)
