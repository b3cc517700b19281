"""Label mode in the window: what each view draws, class ids, and the ways labels open."""

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import Qt
from window_helpers import RUN, drop_event, run

from tests.test_label_maps import save
from tests.test_label_runs import blocks_chart
from viewer.core.inputs.label_maps import IGNORE
from viewer.core.settings import Settings
from viewer.core.views.label_views import WRONG

METHODS = ["nearest", "bilinear", "jbu"]


@pytest.fixture
def label_files(tmp_path):
    ids = blocks_chart().astype(np.int32)
    ys, xs = np.mgrid[: ids.shape[0], : ids.shape[1]]
    image = np.stack([ids * 70 % 256, (ids * 30 + ys) % 256, xs], axis=-1).astype(np.uint8)
    Image.fromarray(image).save(tmp_path / "scene.png")
    save(tmp_path / "scene_labels.png", ids, "P")
    return tmp_path / "scene.png", tmp_path / "scene_labels.png", image, ids


def label_window(make_window, qtbot, label_files, ignore_index=IGNORE):
    window = make_window()
    window.panel.set_settings(
        Settings(scale=4, steps=2, label_degrade="soft", ignore_index=ignore_index)
    )
    window.panel.set_selected_methods(METHODS)
    image, labels, *_ = label_files
    run(qtbot, window, lambda: window.inputs.open_path(str(image), str(labels)))
    return window


def settle(qtbot, window):
    """Every drawing the label layer was asked for is on show."""
    qtbot.waitUntil(lambda: window.label_layer.pending == 0, timeout=RUN)


def test_label_run_shows_labels_over_the_image_at_the_chosen_opacity(
    make_window, qtbot, label_files
):
    window = label_window(make_window, qtbot, label_files)
    _, _, image, ids = label_files
    assert [p.key for p in window.grid.panes][2:] == METHODS
    assert not window.table.isColumnHidden(2)  # mIoU shown for label maps
    assert window.label_layer.toolbar.isVisible()
    colours = window.runs.shown.loaded.inputs.classes.truth.colours()
    window.label_layer.opacity.setValue(0)
    settle(qtbot, window)
    np.testing.assert_array_equal(window.grid.pane("nearest").pixels, image)
    window.label_layer.opacity.setValue(100)
    settle(qtbot, window)
    np.testing.assert_array_equal(window.grid.pane("original").pixels, colours[ids])
    np.testing.assert_array_equal(window.grid.pane("nearest").pixels, colours[ids])
    low = window.grid.pane("lowres")
    assert low.pixels.shape == (16, 24, 3) and low.step == 4
    assert "mIoU 1.0000" in window.model.pane("nearest").caption


def test_errors_view_marks_exactly_the_wrong_pixels(make_window, qtbot, label_files):
    window = label_window(make_window, qtbot, label_files)
    _, _, _, ids = label_files
    layer = window.label_layer
    layer.view.setCurrentIndex(layer.view.findData("errors"))
    settle(qtbot, window)
    predicted = next(
        r for r in window.model.session.report.results if r.method == "bilinear"
    ).labels
    wrong = (predicted != ids) & (ids != IGNORE)
    assert wrong.any()
    red = np.all(window.grid.pane("bilinear").pixels == WRONG.astype(np.uint8), axis=-1)
    np.testing.assert_array_equal(red, wrong)
    assert not np.all(window.grid.pane("nearest").pixels == WRONG, axis=-1).any()


def test_inspector_and_pixel_tags_give_class_ids(make_window, qtbot, label_files):
    window = label_window(make_window, qtbot, label_files)
    _, _, _, ids = label_files
    settle(qtbot, window)
    y, x = 30, 50
    text = window.pixel_readout.pixel_text(window.grid.pane("nearest"), x + 0.5, y + 0.5)
    assert text == f"class {ids[y, x]}"
    assert window.pixel_readout.pixel_text(window.grid.pane("original"), 0.5, 0.5) == "ignore (255)"
    tag, _ = window.grid.pane("jbu").describe_pixel(y, x)
    predicted = next(r for r in window.model.session.report.results if r.method == "jbu").labels
    assert tag == f"class\n{predicted[y, x]}"


def test_the_pixel_text_names_the_runs_own_ignore_value(make_window, qtbot, label_files):
    window = label_window(make_window, qtbot, label_files, ignore_index=2)  # as CamVid's 11
    _, _, _, ids = label_files
    settle(qtbot, window)
    pane = window.grid.pane("nearest")  # restores the labels exactly
    assert pane.pixel_layers().ignore == 2
    (y, x), *_ = np.argwhere(ids == 2)
    assert window.pixel_readout.pixel_text(pane, x + 0.5, y + 0.5) == "ignore (2)"
    assert pane.describe_pixel(y, x)[0] == "ignore"
    assert window.pixel_readout.pixel_text(pane, 0.5, 0.5) == "class 255"


def test_dropping_a_label_png_onto_its_image_runs_label_mode(make_window, qtbot, label_files):
    image_path, labels_path, *_ = label_files
    window = make_window()
    window.panel.set_selected_methods(["nearest"])
    window.panel.set_settings(Settings(scale=4, steps=2))
    run(qtbot, window, lambda: window.inputs.open_path(str(image_path)))
    assert window.runs.shown.loaded.inputs.classes is None
    assert not window.label_layer.toolbar.isVisible()
    event = drop_event(labels_path)
    report = run(qtbot, window, lambda: window.dropEvent(event))
    assert report.inputs.kind == "labels" and window.runs.shown.image.name == str(image_path)
    report = run(qtbot, window, window.runs.rerun)  # Run again keeps the labels
    assert report.inputs.kind == "labels"


def test_a_label_map_that_does_not_fit_is_one_message(make_window, qtbot, label_files, tmp_path):
    image_path, *_ = label_files
    window = make_window()
    window.panel.set_selected_methods(["nearest"])
    window.panel.set_settings(Settings(scale=4, steps=2))
    run(qtbot, window, lambda: window.inputs.open_path(str(image_path)))
    Image.new("RGB", (96, 64)).save(tmp_path / "colours.png")
    with qtbot.waitSignal(window.loadFailed, timeout=RUN) as blocker:
        window.inputs.open_labels(tmp_path / "colours.png")
    assert "colours.png" in blocker.args[0] and "not a label map" in blocker.args[0]
    save(tmp_path / "small.png", np.zeros((60, 96)), "L")
    with qtbot.waitSignal(window.loadFailed, timeout=RUN) as blocker:
        window.inputs.open_labels(tmp_path / "small.png")
    assert "small.png" in blocker.args[0] and "96x60" in blocker.args[0]
    assert window.runs.shown.loaded.inputs.classes is None  # the image on show stays as it was


def test_guided_methods_are_greyed_out_without_a_guide(make_window, qtbot, small_image):
    window = make_window()
    window.panel.set_selected_methods(["nearest", "jbu"])
    report = run(qtbot, window, lambda: window.inputs.open_path(small_image))
    assert [r.method for r in report.results] == ["nearest"]
    item = next(i for i in window.panel.items() if i.data(Qt.ItemDataRole.UserRole) == "jbu")
    assert not item.flags() & Qt.ItemFlag.ItemIsEnabled and "guide" in item.toolTip()
    assert "jbu left out" in window.status.text() or "Done" in window.status.text()


def test_a_saved_label_comparison_opens_with_its_labels(
    make_window, qtbot, label_files, tmp_path, settings_store
):
    window = label_window(make_window, qtbot, label_files)
    path = tmp_path / "labels.upsample.json"
    window.inputs.save_comparison(path)
    saved = window.inputs_port.comparison()
    assert saved.labels == str(label_files[1].absolute())
    again = make_window(store=settings_store)
    report = run(qtbot, again, lambda: again.inputs.open_path(path))
    reopened = again.inputs_port.comparison()
    assert report.inputs.kind == "labels" and reopened.labels == saved.labels
    assert (reopened.settings, reopened.methods) == (saved.settings, saved.methods)


def test_compare_follows_the_label_view(make_window, qtbot, label_files):
    window = label_window(make_window, qtbot, label_files)
    _, _, image, _ = label_files
    settle(qtbot, window)
    window.toggle_compare()
    window.compare.choose(a="original", b="nearest")
    window.label_layer.opacity.setValue(0)
    settle(qtbot, window)
    _, pixels, _ = window.compare.sources["nearest"]
    np.testing.assert_array_equal(pixels, image)  # the compare view shows what panes show


def test_label_maps_do_not_offer_the_flip_view(make_window, qtbot, label_files):
    window = label_window(make_window, qtbot, label_files)
    action = window.heat.mode_actions["flip"]
    assert not action.isEnabled()
    assert "label maps" in action.toolTip() and "person" in action.toolTip()
    assert window.heat.mode_actions["abs"].isEnabled()


def test_the_d_key_cycles_past_the_signed_view_a_label_map_has_not(make_window, qtbot, label_files):
    """D went from |Diff| to Signed, disabled for labels, and showed a luma difference."""
    window = label_window(make_window, qtbot, label_files)
    assert not window.heat.mode_actions["signed"].isEnabled()
    seen = []
    for _ in range(4):
        window.heat.cycle_mode()
        seen.append(window.model.display.mode)
    assert seen == ["abs", "image", "abs", "image"]
