"""Every chart has the promised size and range, and shows what it promises."""

import numpy as np
import pytest

from viewer.core.inputs.charts import chart_names, load_chart


@pytest.mark.parametrize("name", chart_names())
@pytest.mark.parametrize("size", [64, 257, 512])
def test_chart_size_type_and_range(name, size):
    pixels = load_chart(name, size).pixels
    assert pixels.shape == (size, size, 3) and pixels.dtype == np.uint8
    assert pixels.min() < 60 and pixels.max() > 200
    assert (pixels[..., 0] == pixels[..., 2]).all()  # grey


def test_zoneplate_is_the_promised_formula():
    size = 128
    pixels = load_chart("zoneplate", size).pixels[..., 0].astype(float)
    y, x = np.mgrid[0:size, 0:size] - (size - 1) / 2
    expected = 127.5 + 127.5 * np.cos(np.pi * (x**2 + y**2) / size)
    assert np.abs(pixels - expected).max() <= 1


def test_step_leaves_room_for_ringing():
    pixels = load_chart("step", 100).pixels[..., 0]
    assert set(np.unique(pixels)) == {40, 215}
    assert (pixels[:, :50] == 40).all() and (pixels[:, 50:] == 215).all()


def test_star_has_the_promised_spokes():
    pixels = load_chart("star", 400).pixels[..., 0]
    ring = [
        pixels[int(200 + 150 * np.sin(t)), int(200 + 150 * np.cos(t))]
        for t in np.linspace(0, 2 * np.pi, 2000)
    ]
    changes = np.count_nonzero(np.diff(np.array(ring, int)) != 0)
    assert changes == pytest.approx(72, abs=2)  # 36 spokes: 72 edges around a circle


def test_checker_alternates_cells():
    pixels = load_chart("checker", 64).pixels[..., 0]
    assert pixels[0, 0] == 0 and pixels[0, 8] == 255 and pixels[8, 8] == 0


def test_unknown_chart_is_refused():
    with pytest.raises(KeyError):
        load_chart("rainbow")
