"""One smoke test in a real X window (Xvfb): `main.py --screenshot` paints a non-blank PNG."""

import os
import shutil

import numpy as np
import pytest
from PIL import Image

from tests.main_py import run_main


@pytest.mark.realwindow
def test_screenshot_of_a_real_window_is_not_blank(tmp_path):
    if shutil.which("xvfb-run") is None:
        if os.environ.get("REQUIRE_REAL_WINDOW"):
            pytest.fail("xvfb-run is missing, but .ci/run requires the real-window test")
        pytest.skip("xvfb-run is not installed (.ci/run installs it)")
    shot = tmp_path / "window.png"
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "xcb",
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    done = run_main(
        "--screenshot",
        shot,
        "--steps",
        5,
        prefix=("xvfb-run", "-a", "-s", "-screen 0 1600x1000x24"),
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    picture = np.asarray(Image.open(shot).convert("RGB"))
    assert picture.shape[0] > 300 and picture.shape[1] > 500
    assert picture.std() > 20  # a painted window with photos, not a blank rectangle
    assert len(np.unique(picture.reshape(-1, 3), axis=0)) > 1000
