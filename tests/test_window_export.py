"""Export: PNGs as shown, the headless files, regions, and refusals."""

from pathlib import Path

import numpy as np
from PIL import Image
from window_helpers import RUN, photo_methods

from viewer.core.inputs.image_io import load_image


def test_export_png_writes_the_panes_as_shown(loaded, tmp_path):
    path = tmp_path / "figure.png"
    loaded.exports.export_png(path)
    picture = np.asarray(Image.open(path))
    ratio = loaded.grid.devicePixelRatioF()
    assert picture.shape[1] == round(loaded.grid.width() * ratio)
    assert picture.shape[0] == round(loaded.grid.height() * ratio)
    assert picture.std() > 10


def test_export_all_writes_the_headless_files(loaded, tmp_path, qtbot):
    target = tmp_path / "all"
    with qtbot.waitSignal(loaded.exportFinished, timeout=RUN):
        loaded.exports.export_all(target)
    names = {p.name for p in target.iterdir()}
    assert {"original.png", "lowres.png", "sheet.png", "metrics.json", "metrics.csv"} <= names
    assert {f"{m}.png" for m in photo_methods()} <= names
    assert {f"diff_{m}.png" for m in photo_methods()} <= names


def test_export_into_an_unwritable_place_is_one_message(loaded, tmp_path, qtbot):
    blocker_file = tmp_path / "file"
    blocker_file.write_text("a file where a folder is expected")
    loaded.exports.export_all(blocker_file / "inside")
    qtbot.waitUntil(lambda: loaded.last_error.startswith(str(blocker_file / "inside")), timeout=RUN)
    assert loaded.error_box.isVisible()


def test_export_region_writes_each_visible_pane_as_shown_at_full_resolution(
    loaded, tmp_path, qtbot
):
    grid = loaded.grid
    grid.set_hidden("bilinear", True)
    loaded.heat.set_mode("abs")
    qtbot.waitUntil(lambda: not grid.views.pending() and grid.pane("nearest").showing_heat())
    grid.show_region(30, 40, 8)  # 800 %: a small part of the image
    rect = grid.lead.viewbox.viewRect()
    x0, y0 = max(0, int(rect.left())), max(0, int(rect.top()))
    with qtbot.waitSignal(loaded.exportFinished, timeout=RUN) as done:
        loaded.exports.export_region(tmp_path)
    folder = Path(done.args[0])
    assert folder.parent == tmp_path and folder.name.startswith("small_region_")
    names = {p.name for p in folder.iterdir()}
    assert "bilinear.png" not in names and {"original.png", "nearest.png", "sheet.png"} <= names
    original = load_image(folder / "original.png").pixels
    full = grid.pane("original").pixels
    height, width = original.shape[:2]
    np.testing.assert_array_equal(original, full[y0 : y0 + height, x0 : x0 + width])
    assert width < 20  # the region, not the whole image
    nearest = load_image(folder / "nearest.png").pixels
    from viewer.core.views.derived import colorize

    view = grid.pane("nearest").heat.data[y0 : y0 + height, x0 : x0 + width]
    np.testing.assert_array_equal(
        nearest, colorize(view, "abs", *grid.views.pane_levels("nearest"))
    )
    lowres = load_image(folder / "lowres.png").pixels  # its own pixels: half the size
    assert lowres.shape[0] in (height // 2, height // 2 + 1)


def test_export_png_suggests_a_name_and_leaves_out_the_crosshair(loaded, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    loaded.settings.set_last_folder(tmp_path)
    asked = {}

    def fake_dialog(parent, title, suggested, kind):
        asked["suggested"] = suggested
        return str(tmp_path / "panes.png"), kind

    monkeypatch.setattr(QFileDialog, "getSaveFileName", fake_dialog)
    loaded.highlight("bicubic")
    loaded.grid.hover(10, 10)
    loaded.exports.choose_png()
    assert asked["suggested"] == str(tmp_path / "small_panes.png")
    assert (tmp_path / "panes.png").exists()
    assert loaded.grid.pane("bicubic").highlighted  # restored after the picture
    assert not loaded.grid.pane("nearest").vline.isVisible()  # no crosshair in the picture


def test_a_heat_views_exports_carry_the_colour_bar(loaded, tmp_path, qtbot):
    """Neither the panes PNG nor the region's sheet had the colour bar (issue 22 item 9)."""
    loaded.heat.set_mode("signed")
    qtbot.waitUntil(lambda: not loaded.grid.views.pending(), timeout=RUN)
    path = tmp_path / "figure.png"
    loaded.exports.export_png(path)
    picture = np.asarray(Image.open(path))
    ratio = loaded.grid.devicePixelRatioF()
    assert picture.shape[1] >= round((loaded.grid.width() + loaded.colour_bar.width()) * ratio)
    with qtbot.waitSignal(loaded.exportFinished, timeout=RUN) as written:
        loaded.exports.export_region(tmp_path)
    folder = Path(written.args[0])
    bar = np.asarray(Image.open(folder / "colour_bar.png"))
    sheet = np.asarray(Image.open(folder / "sheet.png"))
    for picture in (bar, sheet[-bar.shape[0] :]):  # the sheet: under the tiles
        red = (picture[..., 0] > 150) & (picture[..., 1] < 60) & (picture[..., 2] < 80)
        blue = (picture[..., 2] > 150) & (picture[..., 0] < 100)
        assert red.sum() > 20 and blue.sum() > 20
