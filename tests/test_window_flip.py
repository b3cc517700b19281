"""The FLIP view in the window: computed off the GUI thread, kept per result, photos only
(label maps: tests/test_window_labels.py)."""

import threading

import numpy as np
from window_helpers import RUN, run

from viewer.core.measure.flip import flip_map
from viewer.core.views import derived


def test_the_flip_view_is_computed_off_the_gui_thread_and_kept(loaded, qtbot, monkeypatch):
    threads = []

    def recorded(reference, image):
        threads.append(threading.current_thread())
        return flip_map(reference, image)

    monkeypatch.setattr(derived, "flip_map", recorded)
    action = loaded.heat.mode_actions["flip"]
    assert action.isEnabled()
    nearest = loaded.grid.pane("nearest")
    action.trigger()
    assert loaded.grid.display.mode == "flip"
    assert not nearest.showing_heat() and loaded.grid.views_pending()  # the GUI went on
    qtbot.waitUntil(lambda: not loaded.grid.views_pending(), timeout=RUN)
    assert threads and threading.main_thread() not in threads
    original = loaded.grid.pane("original").pixels
    np.testing.assert_array_equal(nearest.heat.data, flip_map(original, nearest.pixels))
    assert list(nearest.heat_item.getLevels()) == [0.0, 1.0]
    assert not loaded.grid.pane("original").showing_heat()
    assert loaded.colour_bar.title() == "FLIP error"  # FLIP's own 0..1: no scale policy
    computed = len(threads)
    loaded.heat.set_mode("image")
    loaded.heat.set_mode("flip")
    assert nearest.showing_heat() and not loaded.grid.views_pending()  # kept, not recomputed
    assert len(threads) == computed


def test_feature_maps_do_not_offer_the_flip_view(make_window, qtbot, tmp_path):
    path = tmp_path / "features.npy"
    np.save(path, np.random.default_rng(3).normal(size=(5, 24, 32)).astype(np.float32))
    window = make_window()
    window.panel.set_selected_methods(["nearest"])
    window.heat.set_mode("flip")  # chosen for a photo: a feature map falls back to the image
    run(qtbot, window, lambda: window.inputs.open_path(str(path)))
    action = window.heat.mode_actions["flip"]
    assert not action.isEnabled() and "feature maps" in action.toolTip()
    assert window.grid.display.mode == "image"
