"""Inputs: bad files, drops, samples, charts, added results, settings and comparison files."""

import numpy as np
import pytest
from PIL import Image
from window_helpers import RUN, drop_event, photo_methods, run


@pytest.mark.parametrize("content", [b"not an image", None])
def test_a_bad_file_shows_one_message_and_keeps_the_image(loaded, tmp_path, qtbot, content):
    before = loaded.grid.pane("bicubic").pixels.copy()
    bad = tmp_path / "broken.png"
    if content is not None:
        bad.write_bytes(content)
    with qtbot.waitSignal(loaded.loadFailed, timeout=RUN) as blocker:
        loaded.inputs.open_path(bad)
    message = blocker.args[0]
    assert message.startswith(str(bad)) and (
        "not a readable image" in message or "no such file" in message
    )
    assert loaded.error_box.isVisible() and loaded.error_box.text() == message
    np.testing.assert_array_equal(loaded.grid.pane("bicubic").pixels, before)
    assert loaded.table.rowCount() == len(photo_methods())
    assert loaded.runs.shown.image.pixels.shape == (101, 75, 3)


def test_settings_round_trip(make_window, settings_store, small_image, qtbot):
    window = make_window()
    window.panel.editors["scale"].set_value(3)
    window.panel.editors["seed"].set_value(7)
    window.panel.editors["grid_noise"].set_value(0.02)
    window.panel.editors["lr"].set_value(0.02)
    window.panel.editors["degrade"].set_value("area")
    window.panel.set_selected_methods(["nearest", "bicubic"])
    run(qtbot, window, lambda: window.inputs.open_path(small_image))
    window.resize(1000, 700)
    window.close()
    again = make_window(store=settings_store)
    settings = again.panel.settings()
    assert (settings.scale, settings.seed, settings.grid_noise, settings.steps) == (3, 7, 0.02, 3)
    assert (settings.degrade, settings.lr, settings.train_on) == ("area", 0.02, None)
    assert again.panel.selected_methods() == ["nearest", "bicubic"]
    assert again.settings.recent_files()[0].endswith("small.png")
    assert again.settings.last_folder() == str(__import__("pathlib").Path(small_image).parent)
    assert again.recent_menu.actions()[0].text().endswith("small.png")


def test_dropping_a_file_opens_it(make_window, small_image, qtbot):
    window = make_window()
    event = drop_event(small_image)
    report = run(qtbot, window, lambda: window.dropEvent(event))
    assert report.inputs.original.shape == (100, 74, 3)
    assert window.runs.shown.image.name == small_image


def test_samples_menu_opens_a_scikit_image_photo(make_window, qtbot):
    window = make_window()
    samples = next(a.menu() for a in window.menuBar().actions() if a.text() == "&File")
    coffee = next(
        action
        for menu_action in samples.actions()
        if menu_action.menu() is not None
        for action in menu_action.menu().actions()
        if action.text() == "coffee"
    )
    report = run(qtbot, window, coffee.trigger)
    assert report.inputs.original.shape == (400, 600, 3)
    assert window.runs.shown.image.name == "sample:coffee"


def test_charts_are_in_the_samples_menu(make_window, qtbot):
    window = make_window()
    files = next(a.menu() for a in window.menuBar().actions() if a.text() == "&File")
    samples = next(a.menu() for a in files.actions() if a.text() == "&Samples")
    charts = next(a.menu() for a in samples.actions() if a.text() == "Test &charts")
    names = [a.text() for a in charts.actions()]
    assert names == ["zoneplate", "star", "checker", "lines", "step"]
    report = run(qtbot, window, charts.actions()[0].trigger)
    assert window.runs.shown.image.name == "chart:zoneplate" and report.inputs.original.shape == (
        512,
        512,
        3,
    )


def test_an_added_result_joins_the_results_without_a_rerun(loaded, tmp_path, qtbot):
    original = loaded.grid.pane("original").pixels
    mine = np.ascontiguousarray(original[:, ::-1])  # some other image of the same size
    Image.fromarray(mine).save(tmp_path / "mine.png")
    nearest_before = loaded.grid.pane("nearest").pixels
    with qtbot.waitSignal(loaded.runFinished, timeout=RUN) as done:
        loaded.inputs.add_result_file(tmp_path / "mine.png", "Mine")
    report = done.args[0]
    assert loaded.grid.pane("nearest").pixels is nearest_before  # not run again
    assert {r.method for r in report.results} == {*photo_methods(), "added_mine"}
    np.testing.assert_array_equal(loaded.grid.pane("added_mine").pixels, mine)
    assert "added_mine" in loaded.table.method_ids()
    assert "added_mine" in loaded.panel.selected_methods()


def test_a_saved_comparison_opens_as_it_was(loaded, make_window, settings_store, tmp_path, qtbot):
    loaded.heat.set_mode("abs")
    loaded.grid.set_hidden("bilinear", True)
    loaded.grid.set_columns(3)
    loaded.grid.show_region(30, 40, 4)
    loaded.toggle_compare()
    loaded.compare.choose(a="nearest", b="bicubic")
    loaded.compare.set_mode("flicker")
    path = tmp_path / "saved.upsample.json"
    loaded.inputs.save_comparison(path)
    saved = loaded.inputs_port.comparison()
    again = make_window(store=settings_store)
    with qtbot.waitSignal(again.runFinished, timeout=RUN):
        again.inputs.open_path(path)
    assert again.runs.shown.path == loaded.runs.shown.path
    assert again.settings.recent_files()[0] == str(path.absolute())  # Open recent has it
    assert again.grid.display.mode == "abs" and again.model.layout.hidden == ("bilinear",)
    assert again.model.layout.columns == 3 and again.comparing()
    assert (again.compare.key_a(), again.compare.key_b(), again.compare.mode) == (
        "nearest",
        "bicubic",
        "flicker",
    )
    assert again.inputs_port.comparison() == saved


def test_open_recent_reopens_an_image_with_its_labels_a_folder_and_a_comparison(
    make_window, tmp_path
):
    from pathlib import Path

    window = make_window()
    image, labels, folder = tmp_path / "a.png", tmp_path / "a_labels.png", tmp_path / "set"
    comparison = tmp_path / "c.upsample.json"
    window.run_port.remember_file(str(image), str(labels), None)
    window.datasets.view.remember_folder(folder, None)
    window.inputs_port.remember_file(str(comparison))
    opened = []
    window.inputs.open_path = lambda *args: opened.append(args)
    entries = window.recent_menu.actions()
    assert [e.data() for e in entries] == [str(comparison), str(folder), str(image)]
    assert "labels a_labels.png" in entries[2].text()
    for entry in entries:
        entry.trigger()
    assert opened == [
        (str(comparison), None, None),
        (str(folder), None, None),
        (str(image), str(labels), None),
    ]
    assert Path(window.settings.recent()[2].labels) == labels
