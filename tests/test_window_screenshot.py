"""`--screenshot` saves what the window will show: a comparison file's derived views drawn,
its zoom and centre applied (issue 22 item 10). It saved the plain results at the fit zoom
with a colour bar of ±1, before the views were computed."""

import json
import os

import numpy as np

from tests.main_py import run_main


def comparison(tmp_path, **view) -> str:
    path = tmp_path / "signed.upsample.json"
    document = {
        "format": "upsample-viewer-comparison",
        "version": 1,
        "input": "chart:star:256",
        "settings": {},
        "methods": ["nearest", "bicubic"],
        "view": view,
    }
    path.write_text(json.dumps(document))
    return str(path)


def screenshot(tmp_path, opened: str) -> np.ndarray:
    import cv2

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path)}
    shot = tmp_path / "shot.png"
    done = run_main(opened, "--screenshot", shot, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    return cv2.cvtColor(cv2.imread(str(shot)), cv2.COLOR_BGR2RGB).astype(int)


def signed_colours(rgb: np.ndarray) -> tuple[int, int]:
    """How many pixels are the signed map's saturated red and blue (a black-and-white chart
    and the window's own colours have next to none)."""
    red, green, blue = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    reds = (red > 140) & (green < 90) & (blue < 100)
    blues = (blue > 150) & (red < 110) & (green < 120)
    return int(reds.sum()), int(blues.sum())


def test_a_signed_comparison_at_400_percent_is_shot_as_shown(tmp_path):
    view = {"mode": "signed", "centre": [128, 128], "zoom": 4.0}
    reds, blues = signed_colours(screenshot(tmp_path, comparison(tmp_path, **view)))
    assert reds > 5000 and blues > 5000, (reds, blues)  # the colour bar alone: about 1500
