"""Derived views and inspection: difference, heat, spectrum, SSIM, feature maps, readout."""

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from window_helpers import RUN, hover, luma_differences, run


def test_crosshair_and_readout_follow_the_cursor(loaded, qtbot):
    pane = loaded.grid.pane("bicubic")
    loaded.grid.zoom_to(4)
    centre = pane.viewbox.viewRect().center()
    x, y = int(centre.x()) + 3, int(centre.y()) - 5

    def shown() -> bool:
        # Re-map on every try: the layout may still settle after the zoom on a busy machine.
        hover(pane, x + 0.5, y + 0.5)
        return f"x {x}  y {y}" in loaded.readout.text()

    qtbot.waitUntil(shown)
    for other in loaded.grid.panes:
        assert other.vline.isVisible() and other.vline.value() == pytest.approx(x + 0.5, abs=0.3)
        assert other.hline.value() == pytest.approx(y + 0.5, abs=0.3)
    shown_values = loaded.inspector.values()
    assert len(shown_values) == len(loaded.grid.panes)  # every pane, not the first few
    original = loaded.grid.pane("original").pixels[y, x]
    assert shown_values["Original"] == " ".join(map(str, original))
    lowres = loaded.grid.pane("lowres").pixels[y // 2, x // 2]
    assert shown_values["Low-res input"] == " ".join(map(str, lowres))
    bicubic = pane.pixels[y, x]
    assert loaded.readout.text().endswith(f"Bicubic: {' '.join(map(str, bicubic))}")
    loaded.heat.set_mode("signed")
    qtbot.waitUntil(pane.showing_heat, timeout=RUN)
    qtbot.waitUntil(shown)
    expected = luma_differences(loaded)["bicubic"][y, x]
    assert float(loaded.inspector.values()["Bicubic"]) == pytest.approx(expected, abs=0.07)
    assert "luma difference (levels)" in loaded.inspector.where.text()


def test_difference_switch_changes_every_method_pane(loaded, qtbot):
    loaded.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is loaded)
    method_panes = loaded.grid.panes[2:]
    qtbot.keyClick(loaded, Qt.Key.Key_D)
    assert loaded.grid.display.mode == "abs"
    qtbot.waitUntil(lambda: all(p.showing_heat() for p in method_panes), timeout=RUN)
    qtbot.waitUntil(lambda: not loaded.grid.views.pending(), timeout=RUN)
    assert not loaded.grid.pane("original").showing_heat()
    # The shared scale: the median over methods of each one's 99th-percentile |error|.
    scale = np.median([np.percentile(np.abs(d), 99) for d in luma_differences(loaded).values()])
    assert scale < max(np.abs(d).max() for d in luma_differences(loaded).values()) / 2
    for pane in method_panes:
        assert pane.heat_item.getLevels() == pytest.approx((0, scale), abs=0.2)
    assert loaded.colour_bar.isVisible()
    assert loaded.colour_bar.levels() == pytest.approx((0, scale), abs=0.2)
    qtbot.keyClick(loaded, Qt.Key.Key_D)
    assert loaded.grid.display.mode == "signed"
    qtbot.waitUntil(lambda: all(p.showing_heat() for p in method_panes), timeout=RUN)
    qtbot.waitUntil(lambda: not loaded.grid.views.pending(), timeout=RUN)
    assert loaded.colour_bar.levels() == pytest.approx((-scale, scale), abs=0.2)
    loaded.heat.channel.setCurrentText("red")
    bicubic = loaded.grid.pane("bicubic")
    red = bicubic.pixels[..., 0].astype(int) - loaded.grid.pane("original").pixels[..., 0]
    qtbot.waitUntil(lambda: bicubic.showing_heat() and bicubic.heat.data.dtype == np.int16)
    np.testing.assert_array_equal(bicubic.heat.data, red)
    loaded.heat.policy.setCurrentIndex(loaded.heat.policy.findData("fixed"))
    loaded.heat.scale.setValue(10)
    qtbot.waitUntil(lambda: all(p.showing_heat() for p in method_panes), timeout=RUN)
    qtbot.waitUntil(lambda: not loaded.grid.views.pending(), timeout=RUN)  # the red maps
    # (below 100 % a signed map is coloured before drawing: the item holds RGB, no levels)
    assert all(p.heat.options["levels"] == pytest.approx((-10, 10)) for p in method_panes)
    assert "red difference" in loaded.colour_bar.title()
    assert "blue where it is darker" in loaded.colour_bar.meaning()
    loaded.heat.policy.setCurrentIndex(loaded.heat.policy.findData("per_pane"))
    own = np.percentile(np.abs(red), 99)
    qtbot.waitUntil(lambda: bicubic.heat.options["levels"][1] == pytest.approx(own, abs=0.01))
    assert loaded.colour_bar.levels() == pytest.approx((-1, 1))
    assert "own p99" in loaded.colour_bar.title()
    qtbot.keyClick(loaded, Qt.Key.Key_D)
    assert not any(p.showing_heat() for p in method_panes)
    assert not loaded.colour_bar.isVisible()
    assert all(p.heat.data is None for p in method_panes)  # the maps are freed


def test_heatmap_values_are_the_difference_to_the_original(loaded, qtbot):
    loaded.heat.set_mode("signed")
    nearest = loaded.grid.pane("nearest")
    qtbot.waitUntil(nearest.showing_heat, timeout=RUN)
    expected = luma_differences(loaded)["nearest"]
    np.testing.assert_allclose(nearest.heat.data, expected, atol=0.07)  # float16


def test_spectrum_view_shows_each_panes_log_spectrum(loaded, qtbot):
    from viewer.core.views.spectrum import log_spectrum

    loaded.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is loaded)
    qtbot.keyClick(loaded, Qt.Key.Key_S)
    assert loaded.grid.display.mode == "spectrum"
    panes = [p for p in loaded.grid.panes if p.key != "lowres"]
    qtbot.waitUntil(lambda: all(p.showing_heat() for p in panes), timeout=RUN)
    nearest = loaded.grid.pane("nearest")
    expected = log_spectrum(nearest.pixels @ np.array([0.299, 0.587, 0.114], np.float32))
    np.testing.assert_allclose(nearest.heat.data, expected, rtol=1e-5)
    low, high = loaded.grid.views.levels()
    assert nearest.heat_item.getLevels() == pytest.approx((low, high)) and low < high
    assert loaded.colour_bar.levels() == pytest.approx((low, high))
    loaded.heat.set_mode("diff_spectrum")
    method_panes = loaded.grid.panes[2:]
    qtbot.waitUntil(lambda: all(p.showing_heat() for p in method_panes), timeout=RUN)
    assert not loaded.grid.pane("original").showing_heat()
    qtbot.keyClick(loaded, Qt.Key.Key_D)
    assert loaded.grid.display.mode == "image"


def test_feature_maps_show_pca_or_one_channel(make_window, tmp_path, qtbot, small_image):
    y, x = np.mgrid[0:40, 0:48] / 6.0
    features = np.stack([np.sin(x + c) * np.cos(y * (1 + c % 3)) for c in range(8)])
    path = tmp_path / "decoder.npy"
    np.save(path, features.astype(np.float32))
    window = make_window()
    window.model.display.channel = "red"  # chosen for a photo
    assert window.heat.channel.currentText() == "red"
    report = run(qtbot, window, lambda: window.inputs.open_path(path))
    assert report.inputs.is_features and not any(r.error for r in report.results)
    choice = window.feature_view
    assert window.feature_bar.isVisible() and choice.channel_count() == 8
    # One channel control, the feature channel's: the difference views' colour Channel box
    # is hidden and they take the difference of the grey channel itself (issue 22 item 8).
    qtbot.waitUntil(lambda: not window.heat.channel.isVisible())
    assert window.model.display.channel == "luma"
    assert not choice.number.isEnabled()  # the PCA view: no channel to choose
    pca = window.grid.pane("bicubic").pixels.copy()
    # One spin box with the name beside it, not a 9-entry drop-down (issue 22 item 8).
    choice.view.setCurrentIndex(1)
    choice.number.setValue(5)
    assert window.feature_channel() == 5 and choice.name.text() == "channel 5 of 8"
    output = window.feature_values["bicubic"]
    expected = np.rint(np.clip(output[..., 5], 0, 255)).astype(np.uint8)
    np.testing.assert_array_equal(window.grid.pane("bicubic").pixels[..., 0], expected)
    assert not np.array_equal(window.grid.pane("bicubic").pixels, pca)
    original = window.feature_values["original"][..., 5]
    window.heat.set_mode("signed")
    bicubic = window.grid.pane("bicubic")
    qtbot.waitUntil(bicubic.showing_heat, timeout=RUN)
    # The channel's values, not the grey levels the pane shows (rounded and clipped).
    np.testing.assert_allclose(bicubic.heat.data, output[..., 5] - original, atol=1e-5)
    info = window.image_info.text()
    assert "read as C x H x W (8 channels)" in info and "scaled to 0..255" in info
    window.panel.set_selected_methods(["bicubic"])
    run(qtbot, window, lambda: window.inputs.open_path(small_image))
    qtbot.waitUntil(window.heat.channel.isVisible)  # a photo has colour channels again
    assert not window.feature_bar.isVisible()
    window.model.display.channel = "green"
    assert window.heat.channel.currentText() == "green"


def test_a_photo_hides_the_feature_selector(loaded):
    assert not loaded.feature_bar.isVisible() and loaded.feature_channel() is None


def test_ssim_map_is_scikit_images_local_ssim(loaded, qtbot):
    from skimage.metrics import structural_similarity

    loaded.heat.set_mode("ssim")
    nearest = loaded.grid.pane("nearest")
    qtbot.waitUntil(nearest.showing_heat, timeout=RUN)
    original = loaded.grid.pane("original").pixels
    _, local = structural_similarity(
        nearest.pixels, original, channel_axis=-1, data_range=255, full=True
    )
    np.testing.assert_allclose(nearest.heat.data, 1 - local.mean(axis=-1), atol=1e-4)
    assert "SSIM" in loaded.colour_bar.title()
    # Its values in the title's units: the bar read 0-400 "(x0.001)" (issue 22 item 8).
    qtbot.waitUntil(lambda: not loaded.grid.views.pending(), timeout=RUN)
    high = loaded.colour_bar.levels()[1]
    assert high < 1 and "x0.001" not in loaded.colour_bar.bar.axis.labelString()
    assert loaded.colour_bar.bar.axis.tickStrings([0.1, 0.2], 1.0, 0.1) == ["0.1", "0.2"]


def test_the_inspector_shows_a_feature_maps_own_values(make_window, tmp_path, qtbot):
    features = np.linspace(-3.0, 5.0, 4 * 12 * 16).reshape(4, 12, 16).astype(np.float32)
    path = tmp_path / "map.npy"
    np.save(path, features)
    window = make_window()
    window.panel.set_selected_methods(["nearest"])
    run(qtbot, window, lambda: window.inputs.open_path(path))
    original = window.grid.pane("original")
    text = window.pixel_readout.pixel_text(original, 5.5, 3.5)
    assert text.startswith(", ".join(f"{v:.4g}" for v in features[:3, 3, 5]))
    assert text.endswith("(4 channels)")
    window.feature_view.choose(2)
    chosen = window.pixel_readout.pixel_text(original, 5.5, 3.5)
    assert chosen == f"channel 2: {features[2, 3, 5]:.5g}"


def test_heat_values_carry_a_sign_only_in_the_signed_view(loaded, qtbot):
    nearest = loaded.grid.pane("nearest")
    for mode, signed in (("signed", True), ("abs", False)):
        loaded.heat.set_mode(mode)
        qtbot.waitUntil(lambda: nearest.showing_heat() and not loaded.grid.views.pending())
        text, _ = nearest.describe_pixel(10, 10)
        assert text.startswith(("+", "-")) == signed, (mode, text)


def test_the_low_res_pane_shows_its_spectrum_in_the_originals_plane(loaded, qtbot):
    """In Spectrum mode the low-res pane still showed the photo (issue 22 item 8): its
    spectrum now fills the centre 1/r of the original's frequency plane, where the same
    frequencies are, and is empty (0) beyond its Nyquist limit."""
    from viewer.core.views.spectrum import log_spectrum

    loaded.heat.set_mode("spectrum")
    lowres, original = loaded.grid.pane("lowres"), loaded.grid.pane("original")
    qtbot.waitUntil(lowres.showing_heat, timeout=RUN)
    qtbot.waitUntil(lambda: not loaded.grid.views.pending(), timeout=RUN)
    plane = lowres.heat.data
    assert plane.shape == original.pixels.shape[:2]
    height, width = lowres.pixels.shape[:2]
    top, left = plane.shape[0] // 2 - height // 2, plane.shape[1] // 2 - width // 2
    luma = lowres.pixels.astype(np.float32) @ np.array([0.299, 0.587, 0.114], np.float32)
    expected = log_spectrum(luma * np.float32(plane.size / luma.size))
    np.testing.assert_allclose(plane[top : top + height, left : left + width], expected, rtol=1e-5)
    assert plane[:top].max() == 0 and plane[:, :left].max() == 0
    centre = plane.shape[0] // 2, plane.shape[1] // 2  # the same DC as the original's
    assert plane[centre] == pytest.approx(original.heat.data[centre], rel=0.01)
    y, x = 2 * (top + 3), 2 * (left + 5)  # an output point, in the low-res pane's pixel
    text = loaded.pixel_readout.pixel_text(lowres, x + 0.5, y + 0.5)
    assert text.startswith(f"{plane[y // 2 * 2, x // 2 * 2]:.3f}"), text


def test_the_colour_bar_title_stays_on_the_bar(make_window, qtbot):
    """pyqtgraph places an axis label on a resize only: the first heat title was put where
    the empty label had been, half of it above the window's top at 1024 x 700."""
    window = make_window()
    window.resize(1024, 700)
    window.model.display.mode = "abs"
    axis = window.colour_bar.bar.axis
    qtbot.waitUntil(lambda: "shared" in axis.labelString() and axis.size().height() > 100)
    window.model.display.scale_policy = "per_pane"  # a new title, as long again
    qtbot.waitUntil(lambda: "own p99" in axis.labelString())
    length = axis.label.boundingRect().width()  # drawn upwards from its position
    bottom, height = axis.label.pos().y(), axis.size().height()
    assert bottom - length >= 0 and bottom <= height
    assert bottom - length / 2 == pytest.approx(height / 2, abs=1)


def test_compare_opens_with_the_swipe_divider_in_the_middle(loaded, qtbot):
    """Opened from the overview, the divider sat at x = 0.5: the whole image was B."""
    loaded.grid.fit()
    loaded.compare_action.trigger()
    compare = loaded.compare
    qtbot.waitUntil(lambda: compare.isVisible() and compare.divider.isVisible())
    width = loaded.grid.image_size()[0]
    assert compare.divider.value() == pytest.approx(width / 2)
    rect = compare.viewbox.viewRect()
    assert rect.left() <= 0 and rect.right() >= width  # fitted, both halves on screen


def test_the_readout_follows_a_new_view_under_a_still_cursor(loaded, qtbot):
    """D under a still mouse left the RGB in the status bar and the inspector, titled as
    the difference, until the mouse moved."""
    pane = loaded.grid.pane("nearest")
    hover(pane, 20.5, 30.5)
    rgb = " ".join(map(str, pane.pixels[30, 20]))
    qtbot.waitUntil(lambda: loaded.readout.text().endswith(f"Nearest: {rgb}"))
    loaded.heat.set_mode("signed")
    qtbot.waitUntil(lambda: pane.showing_heat() and not loaded.grid.views.pending(), timeout=RUN)
    expected = luma_differences(loaded)["nearest"][30, 20]
    qtbot.waitUntil(lambda: loaded.readout.text().split("Nearest: ")[-1][0] in "+-")
    assert float(loaded.readout.text().split("Nearest: ")[-1]) == pytest.approx(expected, abs=0.07)
    assert float(loaded.inspector.values()["Nearest"]) == pytest.approx(expected, abs=0.07)
