"""Built-in images: photos that ship with scikit-image, so the app works with no files."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from skimage import data

from viewer.core.inputs.image_io import LoadedImage

PHOTOS: dict[str, Callable[[], np.ndarray]] = {
    "astronaut": data.astronaut,
    "coffee": data.coffee,
    "chelsea": data.chelsea,
}
DEFAULT_SAMPLE = "astronaut"


def sample_names() -> list[str]:
    return list(PHOTOS)


def load_sample(name: str = DEFAULT_SAMPLE) -> LoadedImage:
    """The named sample as a LoadedImage (KeyError names the unknown sample)."""
    pixels = np.ascontiguousarray(PHOTOS[name](), dtype=np.uint8)
    return LoadedImage(name=f"sample:{name}", pixels=pixels)
