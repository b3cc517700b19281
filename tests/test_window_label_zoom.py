"""Label panes below 100 % in the window: only the classes that are there, mixed blocks
visibly mixed (never the colour mean of two classes, which can be a third class's colour)."""

import numpy as np
import pytest
from PIL import Image
from PySide6.QtWidgets import QApplication
from window_helpers import RUN, run

from viewer.core.settings import Settings

# VOC's colours: the mean of aeroplane (128,0,0) and background (0,0,0) is cat's (64,0,0).
VOC = np.array([[0, 0, 0], [128, 0, 0], [0, 128, 0], [128, 128, 0], [0, 0, 128]], np.uint8)
VOC_CAT = (64, 0, 0)
GREY = 100


def voc_files(tmp_path, ids: np.ndarray):
    palette = np.zeros((256, 3), np.uint8)
    palette[: len(VOC)] = VOC
    palette[8] = VOC_CAT
    labels = Image.fromarray(ids.astype(np.uint8))
    labels.putpalette(palette.tobytes())
    labels.save(tmp_path / "scene_labels.png")
    Image.fromarray(np.full((*ids.shape, 3), GREY, np.uint8)).save(tmp_path / "scene.png")
    return tmp_path / "scene.png", tmp_path / "scene_labels.png"


def label_window(make_window, qtbot, files, opacity: int = 100):
    window = make_window()
    window.panel.set_settings(Settings(scale=4, steps=2, label_degrade="soft"))
    window.panel.set_selected_methods(["nearest"])
    run(qtbot, window, lambda: window.inputs.open_path(*(str(f) for f in files)))
    window.label_layer.opacity.setValue(opacity)
    qtbot.waitUntil(lambda: window.label_layer.pending == 0, timeout=RUN)
    return window


def shown(pane) -> np.ndarray:
    """The pixels the pane's image item draws now (its area view below 100 %)."""
    QApplication.processEvents()
    return pane.image_item.image


def colours(pixels: np.ndarray) -> set[tuple[int, ...]]:
    return {tuple(int(v) for v in c) for c in pixels.reshape(-1, 3)}


def checker_ids(size: int = 256) -> np.ndarray:
    ys, xs = np.mgrid[:size, :size]
    return ((ys + xs) % 2).astype(np.int32)


@pytest.fixture
def checker_window(make_window, qtbot, tmp_path):
    return label_window(make_window, qtbot, voc_files(tmp_path, checker_ids()))


def test_a_checker_of_two_classes_shows_both_and_no_third_below_100_percent(checker_window):
    pane = checker_window.grid.pane("original")
    for zoom in (0.5, 0.25, 0.125):
        checker_window.grid.zoom_to(zoom)
        pixels = shown(pane)
        assert pixels.shape[1] < 256 * zoom + 4  # a minified view, at the screen's size
        assert colours(pixels) == {tuple(VOC[0]), tuple(VOC[1])}, zoom  # no cat, not one


def test_compare_shows_a_label_checker_as_the_pane_does(checker_window, qtbot):
    """Compare drew the panes' colours minified as a photo's: cat's colour again."""
    window = checker_window
    window.toggle_compare()
    compare = window.compare
    compare.choose(a="original", b="nearest")
    compare.zoom_to(0.25)
    qtbot.waitUntil(lambda: compare.item_a.image is not None)
    QApplication.processEvents()
    assert compare.image_a.pyramid is window.grid.pane("original").image.pyramid
    pixels = compare.item_a.image
    assert pixels.shape[1] < 256  # minified
    assert colours(pixels) == {tuple(VOC[0]), tuple(VOC[1])}


@pytest.mark.parametrize("zoom", [1, 8])
def test_at_100_and_800_percent_label_panes_show_their_exact_colours(checker_window, zoom):
    pane = checker_window.grid.pane("original")
    checker_window.grid.zoom_to(zoom)
    np.testing.assert_array_equal(shown(pane), VOC[checker_ids()])


def test_labels_over_the_image_blend_the_true_classes_when_minified(make_window, qtbot, tmp_path):
    window = label_window(make_window, qtbot, voc_files(tmp_path, checker_ids()), opacity=50)
    window.grid.zoom_to(0.25)
    blended = {tuple(int(v) for v in np.rint(GREY * 0.5 + c * 0.5)) for c in VOC[:2]}
    assert colours(shown(window.grid.pane("original"))) == blended


def test_uniform_regions_keep_their_exact_colours_and_their_border_no_blend(
    make_window, qtbot, tmp_path
):
    ids = np.full((256, 256), 3, np.int32)
    ids[:, 130:] = 4  # a border inside a screen pixel at 12.5 %
    window = label_window(make_window, qtbot, voc_files(tmp_path, ids))
    window.grid.zoom_to(0.125)
    pixels = shown(window.grid.pane("original"))
    assert colours(pixels) == {tuple(VOC[3]), tuple(VOC[4])}
    assert colours(pixels[:, :15]) == {tuple(VOC[3])}
    assert colours(pixels[:, 18:]) == {tuple(VOC[4])}


def test_a_sparse_map_at_fit_still_shows_its_dots(make_window, qtbot, tmp_path):
    ids = np.zeros((512, 512), np.int32)
    ids[::4, ::4] = 2
    window = label_window(make_window, qtbot, voc_files(tmp_path, ids))
    window.grid.fit()
    assert window.grid.zoom_factor() < 0.5
    pixels = shown(window.grid.pane("original"))
    assert colours(pixels) == {tuple(VOC[0]), tuple(VOC[2])}
    assert np.all(pixels == VOC[2], axis=-1).mean() > 0.3  # the dots: everywhere, not lost


def test_a_lone_wrong_pixel_stays_red_in_the_wrong_pixels_view_at_12_percent(
    make_window, qtbot, tmp_path
):
    from viewer.core.views.label_views import WRONG

    ids = np.zeros((256, 256), np.int32)
    ids[101, 150] = 2  # 1/16 of its 4 x 4 block: the low-res input's argmax loses it
    window = label_window(make_window, qtbot, voc_files(tmp_path, ids))
    layer = window.label_layer
    layer.view.setCurrentIndex(layer.view.findData("errors"))
    qtbot.waitUntil(lambda: layer.pending == 0, timeout=RUN)
    pane = window.grid.pane("nearest")
    assert np.all(pane.pixels == WRONG, axis=-1).sum() == 1
    window.grid.zoom_to(0.125)
    red = np.all(shown(pane) == WRONG, axis=-1)
    assert red.sum() == 1
