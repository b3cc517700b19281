"""Shared fixtures. Qt runs offscreen so the whole suite works without a display."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
import pytest
from skimage import data


@pytest.fixture(scope="session")
def photo() -> np.ndarray:
    """A real photo that ships with scikit-image, cut to an odd size (101 x 75) to test crops."""
    return np.ascontiguousarray(data.astronaut()[150:251, 180:255])


@pytest.fixture(scope="session")
def coffee() -> np.ndarray:
    return np.ascontiguousarray(data.coffee()[100:196, 200:344])
