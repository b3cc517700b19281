"""The window's difference views of feature maps and label maps are of their data, at every
zoom: an error the PCA colours hide, or a swap of two classes drawn in one colour, shows in
|Diff| at the fit zoom; the exported heat file is the window's view; the value beside the
crosshair is the inspector's, and stays inside the pane."""

import numpy as np
import pytest
from PIL import Image
from window_helpers import RUN, run

from tests.test_honest_differences import CHANNELS, HIDDEN, pca_blind_pair
from viewer.core.output import names
from viewer.core.output.export import DerivedViews, export_run
from viewer.core.settings import Settings
from viewer.core.views.derived import colour_index

SIDE = 512  # larger than a pane: the fit zoom minifies


@pytest.fixture
def feature_window(make_window, qtbot, tmp_path):
    original, _ = pca_blind_pair(SIDE)
    path = tmp_path / "decoder.npy"
    np.save(path, np.moveaxis(original, -1, 0))  # C x H x W, as decoders write them
    window = make_window()
    window.panel.set_settings(Settings(scale=4))
    window.panel.set_selected_methods(["nearest"])
    report = run(qtbot, window, lambda: window.inputs.open_path(path))
    assert report.inputs.is_features and report.inputs.original.shape[2] == CHANNELS
    return window, report


def shown_heat(qtbot, window, key: str):
    pane = window.grid.pane(key)
    views = window.grid.views
    qtbot.waitUntil(lambda: pane.showing_heat() and not views.pending(), timeout=RUN)
    return pane


def test_an_error_in_a_channel_the_pca_leaves_out_shows_at_the_fit_zoom(feature_window, qtbot):
    window, _ = feature_window
    nearest = window.grid.pane("nearest")
    original = window.feature_values["original"]
    output = window.feature_values["nearest"]
    error = np.abs(output - original)
    assert error[..., HIDDEN].min() > 1 and np.delete(error, HIDDEN, axis=2).max() < 1e-3
    # The PCA colours are the original's: a difference of colours saw no error at all.
    np.testing.assert_array_equal(nearest.pixels, window.grid.pane("original").pixels)
    assert window.feature_channel() is None
    window.heat.set_mode("abs")
    shown_heat(qtbot, window, "nearest")
    assert nearest.heat.screen_pixels_per_pixel() < 1  # fit: minified
    rms = np.sqrt(np.mean((output - original) ** 2, axis=-1))
    np.testing.assert_allclose(nearest.heat.data, rms, rtol=1e-5)
    high = nearest.heat_item.getLevels()[1]
    minified = nearest.heat_item.image
    assert minified.shape[0] < SIDE and minified.min() > 0.5 * high  # visible everywhere
    assert window.colour_bar.title().startswith(f"RMS difference over {CHANNELS} channels")
    # The PCA view has no signed difference; one channel has.
    assert not window.heat.mode_actions["signed"].isEnabled()
    assert "choose one channel" in window.heat.mode_actions["signed"].toolTip()
    window.feature_view.choose(HIDDEN)
    assert window.heat.mode_actions["signed"].isEnabled()
    window.heat.set_mode("signed")
    qtbot.waitUntil(lambda: nearest.heat.data is not None and nearest.heat.data.min() < 0)
    shown_heat(qtbot, window, "nearest")
    expected = output[..., HIDDEN] - original[..., HIDDEN]
    np.testing.assert_allclose(nearest.heat.data, expected, rtol=1e-5)
    assert window.colour_bar.title().startswith(f"channel {HIDDEN} difference")
    window.feature_view.choose(None)  # back to PCA: signed falls back to |Diff|
    assert window.model.display.mode == "abs"


def test_the_exported_heat_view_is_the_windows(feature_window, qtbot, tmp_path):
    window, report = feature_window
    window.heat.set_mode("abs")
    nearest = shown_heat(qtbot, window, "nearest")
    (result,) = report.results
    exported = DerivedViews(report.inputs).get("abs:all", result)
    np.testing.assert_array_equal(exported.values, nearest.heat.data)
    folder = export_run(report, "decoder", tmp_path / "out")
    indices = np.asarray(Image.open(folder / names.diff_file("nearest")))
    levels = window.grid.views.pane_levels("nearest")
    np.testing.assert_array_equal(indices, colour_index(nearest.heat.data, *levels))
    assert indices.min() > 0  # the hidden channel's error, everywhere


def test_the_crosshair_tag_says_what_the_inspector_says(feature_window, qtbot):
    window, _ = feature_window
    grid = window.grid
    grid.show_region(30, 40, 8)
    qtbot.waitUntil(lambda: grid.lead.values.spacing_px() == pytest.approx(8, rel=0.01))
    nearest = grid.pane("nearest")
    for channel in (None, HIDDEN):
        window.feature_view.choose(channel)
        grid.hover(30.5, 40.5)
        inspector = window.pixel_readout.pixel_text(nearest, 30.5, 40.5)
        assert nearest.value_tag.toPlainText() == inspector
        assert window.inspector.values()["Nearest"] == inspector
    assert inspector.startswith(f"channel {HIDDEN}: ")
    # Near the right edge the tag sits left of the cursor, inside the pane.
    right = nearest.viewbox.viewRect().right()
    grid.hover(right - 1.5, 40.5)
    tag = nearest.value_tag.sceneBoundingRect()
    assert nearest.value_tag.isVisible()
    assert tag.right() <= nearest.viewbox.sceneBoundingRect().right() + 0.5
    grid.show_region(30, 40, 48)  # in-pixel numbers: the channel's value
    qtbot.waitUntil(lambda: grid.lead.values.spacing_px() >= nearest.values.min_px)
    text, _ = nearest.describe_pixel(40, 30)
    value = window.runs.shown.image.real_value(window.feature_values["nearest"][40, 30, HIDDEN])
    assert text == f"{value:.4g}"


@pytest.fixture
def label_files(tmp_path):
    """Classes 1 and 2 in one colour (so of one luma): a 1-px line of class 2 inside class
    1, and one class-2 pixel, both lost at x4 (each block's majority is class 1)."""
    ids = np.ones((SIDE, SIDE), np.uint8)
    ids[:, SIDE // 2 :] = 2
    ids[100:400, 200] = 2
    ids[301, 77] = 2
    palette = np.zeros((256, 3), np.uint8)
    palette[1] = palette[2] = (120, 60, 200)
    labels = Image.fromarray(ids)
    labels.putpalette(palette.tobytes())
    labels.save(tmp_path / "scene_labels.png")
    guide = np.full((SIDE, SIDE, 3), 90, np.uint8)
    Image.fromarray(guide).save(tmp_path / "scene.png")
    return tmp_path / "scene.png", tmp_path / "scene_labels.png", ids


def test_swapped_classes_of_one_colour_are_wrong_at_every_zoom(make_window, qtbot, label_files):
    image, labels, ids = label_files
    window = make_window()
    window.panel.set_settings(Settings(scale=4, label_degrade="soft"))
    window.panel.set_selected_methods(["nearest"])
    report = run(qtbot, window, lambda: window.inputs.open_path(str(image), str(labels)))
    (result,) = report.results
    truth_wrong = result.labels != ids
    assert truth_wrong[301, 77] and truth_wrong[100:400, 200].all()
    assert not window.heat.mode_actions["signed"].isEnabled()  # classes have no order
    window.heat.set_mode("abs")
    qtbot.waitUntil(lambda: window.label_layer.pending == 0, timeout=RUN)
    nearest = shown_heat(qtbot, window, "nearest")
    # The pane's colours are equal where the classes are swapped: their luma saw nothing.
    original = window.grid.pane("original").pixels
    assert np.array_equal(nearest.pixels[truth_wrong], original[truth_wrong])
    np.testing.assert_array_equal(nearest.heat.data, truth_wrong)
    assert window.colour_bar.levels() == pytest.approx((0, 1))
    assert "wrong class" in window.colour_bar.title()
    # At the fit zoom the single wrong pixel still fills its screen pixel.
    assert nearest.heat.screen_pixels_per_pixel() < 1
    minified = nearest.heat_item.image
    height, width = minified.shape[:2]
    row, column = int(301 * height / SIDE), int(77 * width / SIDE)
    assert minified[row - 1 : row + 2, column - 1 : column + 2].max() == 1
    assert minified[:, : int(190 * width / SIDE)].sum() == 1  # that pixel, not a blur of it
