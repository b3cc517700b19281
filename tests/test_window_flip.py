"""The FLIP view in the window: computed off the GUI thread, kept per result, photos only
(label maps: tests/test_window_labels.py)."""

import threading

import numpy as np
from window_helpers import RUN, run

from viewer.core.measure.flip import flip_map, mean_flip
from viewer.core.presentation.columns import METRICS
from viewer.core.settings import Settings
from viewer.core.views import derived
from viewer.ui.dataset_table import DatasetTable


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
    assert not nearest.showing_heat() and loaded.grid.views.pending()  # the GUI went on
    qtbot.waitUntil(lambda: not loaded.grid.views.pending(), timeout=RUN)
    assert threads and threading.main_thread() not in threads
    original = loaded.grid.pane("original").pixels
    np.testing.assert_array_equal(nearest.heat.data, flip_map(original, nearest.pixels))
    assert list(nearest.heat_item.getLevels()) == [0.0, 1.0]
    assert not loaded.grid.pane("original").showing_heat()
    assert loaded.colour_bar.title() == "FLIP error"  # FLIP's own 0..1: no scale policy
    computed = len(threads)
    loaded.heat.set_mode("image")
    loaded.heat.set_mode("flip")
    assert nearest.showing_heat() and not loaded.grid.views.pending()  # kept, not recomputed
    assert len(threads) == computed


def test_closing_the_window_mid_flip_ends_flips_process(
    make_window, qtbot, small_image, monkeypatch
):
    """FLIP runs in a process of its own; closing the window kills it, so the background
    thread that waits on it is joined at once, not after a 3 MP evaluation."""
    from viewer.core.measure import flip
    from viewer.ui import main_window

    stopped = []
    monkeypatch.setattr(main_window, "stop_flip", lambda: stopped.append(flip.stop_flip()))
    window = make_window()
    window.panel.set_selected_methods(["nearest"])
    with qtbot.waitSignal(window.runFinished, timeout=RUN):
        window.inputs.open_path(small_image)
    window.heat.mode_actions["flip"].trigger()
    assert window.grid.views.pending()
    window.close()
    assert len(stopped) == 1
    image = np.zeros((8, 8, 3), np.uint8)
    assert flip.flip_map(image, image).shape == (8, 8)  # the next view starts a new process


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


def test_the_table_shows_flip_only_for_a_run_that_measured_it(make_window, qtbot, small_image):
    window = make_window()
    column = 1 + [c.key for c in METRICS].index("flip")
    window.panel.set_selected_methods(["nearest"])
    run(qtbot, window, lambda: window.inputs.open_path(small_image))
    assert window.table.isColumnHidden(column)
    window.panel.set_settings(Settings(perceptual="flip"))
    report = run(qtbot, window, window.runs.rerun)
    assert not window.table.isColumnHidden(column)
    nearest = report.results[0]
    assert nearest.metrics.flip == mean_flip(report.inputs.original, nearest.image)
    assert window.table.item(0, column).text() == f"{nearest.metrics.flip:.4f}"


def test_the_dataset_view_offers_flip_when_it_was_measured(qtbot):
    table = DatasetTable()
    qtbot.addWidget(table)
    table.set_kind("image")
    assert table.metric.findData("flip") == -1
    table.set_kind("image", Settings(perceptual="flip"))
    assert table.metric.findData("flip") >= 0
    table.set_kind("labels", Settings(perceptual="flip"))
    assert table.metric.findData("flip") == -1
