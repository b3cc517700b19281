"""A grid of linked panes all showing one seeded noise image: the zoom and paint tests and
the frame benchmark (benchmarks/ui.py) look at the same thing."""

from __future__ import annotations

import numpy as np


def noise_grid(panes: int, width: int, height: int):
    """A PaneGrid (not shown) of `panes` panes, each showing the same width x height noise."""
    from viewer.ui.pane_grid import PaneGrid

    grid = PaneGrid()
    grid.set_panes([(f"p{i}", f"Pane {i}", "") for i in range(panes)])
    image = np.random.default_rng(0).integers(0, 256, (height, width, 3), dtype=np.uint8)
    for pane in grid.panes:
        pane.set_pixels(image)
    grid.set_image_size(width, height)
    return grid
