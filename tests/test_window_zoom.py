"""Zoom, pan and paint: linked panes move, minify and paint together."""

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication
from window_helpers import (
    RUN,
    assert_one_view,
    drag,
    luma_differences,
    record_calls,
    view_ranges,
)


def test_wheel_in_one_pane_zooms_every_pane(loaded, qtbot):
    before = view_ranges(loaded)
    target = loaded.grid.pane("bicubic").view
    centre = QPointF(target.viewport().rect().center())
    event = QWheelEvent(
        centre,
        QPointF(target.viewport().mapToGlobal(centre.toPoint())),
        QPoint(0, 0),
        QPoint(0, 240),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(target.viewport(), event)
    qtbot.waitUntil(lambda: view_ranges(loaded) != before)
    after = view_ranges(loaded)
    assert_one_view(loaded.grid.panes)
    assert after[0][0][1] - after[0][0][0] < before[0][0][1] - before[0][0][0]


@pytest.fixture
def image_grid(qtbot):
    """Four linked panes showing a 1600 x 1200 image below 100 %, cropped by the view."""
    from grids import noise_grid

    grid = noise_grid(4, 1600, 1200)
    qtbot.addWidget(grid)
    grid.resize(900, 600)
    grid.show()
    qtbot.waitExposed(grid)
    grid.show_region(400, 300, 0.5)
    QApplication.processEvents()
    return grid


@pytest.mark.parametrize("where", ["lead", "follower"])
def test_a_linked_zoom_minifies_each_pane_once(image_grid, monkeypatch, where):
    """Linked panes follow x and y in one range change: each pane computes one area view
    per zoom step (pyqtgraph's axis-by-axis following computed a discarded half-way one)."""
    from viewer.core.views.minify import Pyramid

    calls = record_calls(monkeypatch, Pyramid, "area_view")
    pane = image_grid.lead if where == "lead" else image_grid.panes[2]
    pane.viewbox.scaleBy(s=(1.25, 1.25))
    pyramids = [args[0] for args in calls]
    assert len(pyramids) == len(image_grid.panes) == len(set(pyramids))
    assert_one_view(image_grid.panes)


def test_a_zoom_step_paints_each_pane_once(image_grid, qtbot):
    """The new range reaches the items at once, not when painting (which asked pyqtgraph
    for a second paint of every view)."""
    from PySide6.QtCore import QObject

    paints = []

    class CountPaints(QObject):
        def eventFilter(self, watched, event):
            if event.type() == QEvent.Type.Paint:
                paints.append(watched)
            return False

    counter = CountPaints()
    for pane in image_grid.panes:
        pane.view.viewport().installEventFilter(counter)
    image_grid.zoom_by(1.25)
    qtbot.waitUntil(lambda: len(paints) >= len(image_grid.panes))
    for _ in range(5):
        QApplication.processEvents()
    assert sorted(map(id, paints)) == sorted(id(p.view.viewport()) for p in image_grid.panes)


def test_a_zoom_step_moves_each_follower_once(image_grid, monkeypatch):
    """A follower hears of a zoom once per axis; it follows both axes on the first signal
    and leaves the second alone."""
    from viewer.ui.linked_view_box import LinkedViewBox

    calls = record_calls(monkeypatch, LinkedViewBox, "setRange")
    image_grid.zoom_by(1.25)
    moved = [args[0] for args in calls]
    assert sorted(map(id, moved)) == sorted(id(p.viewbox) for p in image_grid.panes)
    assert_one_view(image_grid.panes)


def test_a_zoom_step_minifies_the_panes_together(image_grid, monkeypatch):
    """The panes' area views of one zoom step are made in one batch on two threads
    (viewer.core.run.parallel), sharing one view's budget for the finer level, and are in place
    when the step returns; each equals the view made alone with that budget."""
    from viewer.core.views.minify import FINE_BUDGET, Pyramid
    from viewer.ui import faithful_image

    batches = record_calls(monkeypatch, faithful_image, "map_on_threads")
    views = record_calls(monkeypatch, Pyramid, "area_view")
    image_grid.zoom_by(1.25)
    panes = image_grid.panes
    assert [len(jobs) for _work, jobs in batches] == [len(panes)]
    share = FINE_BUDGET / len(panes)  # a grid costs what one view may cost
    assert [args[7] for args in views] == [share] * len(panes)  # (pyramid, box, size, budget)
    for pane in panes:
        shown = pane.image_item.image.copy()
        pane.image.shown = None  # as if never shown: plan the view again
        np.testing.assert_array_equal(pane.image.plan().make(share)[0].pixels, shown)


def test_a_view_that_fails_to_minify_leaves_later_zoom_steps_working(image_grid, monkeypatch):
    from viewer.core.views.minify import Pyramid

    def failing(pyramid, *args):
        raise RuntimeError("out of memory")

    monkeypatch.setattr(Pyramid, "area_view", failing)
    with pytest.raises(RuntimeError, match="out of memory"):
        image_grid.zoom_by(1.25)
    monkeypatch.undo()  # the real area_view again
    calls = record_calls(monkeypatch, Pyramid, "area_view")
    image_grid.zoom_by(1.25)
    assert len(calls) == len(image_grid.panes)  # refreshed at once, not left waiting


def test_minified_panes_paint_from_qts_own_format_with_the_same_pixels(image_grid, qtbot):
    """Below 100 % a pane draws a 32-bit copy made beside its area view; what reaches the
    screen is exactly what pyqtgraph's own drawing of the RGB view gives."""
    from PySide6.QtGui import QImage

    def painted(pane) -> np.ndarray:
        image = pane.view.grab().toImage().convertToFormat(QImage.Format.Format_RGB888)
        rows = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), -1)
        return rows[:, : image.width() * 3].copy()

    pane = image_grid.panes[1]
    assert pane.image.screen_pixels_per_pixel() < 1
    assert pane.image_item.paints_native()
    fast = painted(pane)
    pane.image_item.setLevels(None)  # anything that restyles the item drops the copy
    assert not pane.image_item.paints_native()
    slow = painted(pane)
    assert fast.std() > 20  # the noise is on screen, not a blank view
    np.testing.assert_array_equal(fast, slow)


def test_drag_in_one_pane_pans_every_pane(loaded, qtbot):
    loaded.grid.zoom_to(4)
    before = view_ranges(loaded)
    view = loaded.grid.pane("nearest").view
    centre = view.viewport().rect().center()
    drag(view, centre, centre + QPoint(40, 25))
    qtbot.waitUntil(lambda: view_ranges(loaded) != before)
    after = view_ranges(loaded)
    assert_one_view(loaded.grid.panes)
    width = lambda r: r[0][1] - r[0][0]  # noqa: E731
    assert width(after[0]) == pytest.approx(width(before[0]))
    assert after[0][0][0] < before[0][0][0]  # dragging right shows what lies to the left


def test_zoom_keys_set_exact_zoom_and_fit(loaded, qtbot):
    loaded.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is loaded)
    for key, factor in ((Qt.Key.Key_1, 1), (Qt.Key.Key_4, 4), (Qt.Key.Key_8, 8)):
        qtbot.keyClick(loaded, key)
        assert loaded.grid.zoom_factor() == pytest.approx(factor, rel=1e-3)
        assert_one_view(loaded.grid.panes)
    qtbot.keyClick(loaded, Qt.Key.Key_Minus)
    assert loaded.grid.zoom_factor() == pytest.approx(8 / 2**0.5, rel=1e-3)
    qtbot.keyClick(loaded, Qt.Key.Key_F)
    x_range, y_range = loaded.grid.lead.viewbox.viewRange()
    assert x_range[0] <= 0 and x_range[1] >= 74 and y_range[0] <= 0 and y_range[1] >= 100


def test_arrow_keys_pan_when_the_panes_have_focus(loaded, qtbot):
    loaded.activateWindow()
    loaded.grid.zoom_to(4)
    loaded.grid.pane("bilinear").view.setFocus()
    qtbot.waitUntil(lambda: loaded.grid.isAncestorOf(QApplication.focusWidget()))
    before = loaded.grid.lead.viewbox.viewRange()[0][0]
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Right)
    assert loaded.grid.lead.viewbox.viewRange()[0][0] > before


def test_pixels_stay_sharp_and_a_grid_appears_at_high_zoom(loaded):
    for pane in loaded.grid.panes:
        assert not pane.view.renderHints() & pane.view.renderHints().SmoothPixmapTransform
    loaded.grid.fit()
    assert loaded.grid.lead.grid.spacing_px() < 12
    loaded.grid.zoom_to(16)
    assert all(pane.grid.spacing_px() >= 12 for pane in loaded.grid.panes)
    # Grid cells may differ by a pixel, so linked panes can differ in zoom by under 1%.
    assert loaded.grid.pane("lowres").grid.spacing_px() == pytest.approx(32, rel=0.02)


def test_overlays_paint_at_the_spacing_the_view_has(loaded, monkeypatch):
    """The grid and the values read their cell size off the painter while painting (cheap);
    it is the view's own, for a full-size and for the low-res pane's r-times larger cells."""
    from viewer.ui.pixel_overlay import PixelOverlay

    painted = {}
    spacing = PixelOverlay.painted_spacing_px

    def record(overlay, painter):
        painted[id(overlay)] = spacing(overlay, painter)
        return painted[id(overlay)]

    monkeypatch.setattr(PixelOverlay, "painted_spacing_px", record)
    loaded.grid.zoom_to(48)
    for pane in (loaded.grid.pane("nearest"), loaded.grid.pane("lowres")):
        pane.view.grab()
        for overlay in (pane.grid, pane.values):
            assert painted[id(overlay)] == pytest.approx(overlay.spacing_px(), rel=1e-3)
    assert painted[id(loaded.grid.pane("lowres").grid)] > 40


def test_pixel_values_appear_inside_pixels_at_extreme_zoom(loaded, qtbot):
    pane = loaded.grid.pane("nearest")
    loaded.grid.zoom_to(20)
    assert pane.values.visible_pixels() == []
    loaded.grid.zoom_to(48)
    cells = pane.values.visible_pixels()
    assert 0 < len(cells) < 200
    row, column = cells[len(cells) // 2]
    text, _ = pane.describe_pixel(row, column)
    assert text.split("\n") == [str(v) for v in pane.pixels[row, column]]
    lowres = loaded.grid.pane("lowres")
    assert len(lowres.values.visible_pixels()) < len(cells)  # its pixels are r times larger
    loaded.heat.set_mode("signed")
    qtbot.waitUntil(pane.showing_heat, timeout=RUN)
    text, _ = pane.describe_pixel(row, column)
    assert float(text) == pytest.approx(luma_differences(loaded)["nearest"][row, column], abs=0.1)


def test_every_pane_writes_its_value_beside_the_crosshair_from_800_percent(loaded, qtbot):
    grid = loaded.grid
    grid.show_region(30, 40, 8)
    qtbot.waitUntil(lambda: grid.lead.values.spacing_px() == pytest.approx(8, rel=0.01))
    grid.hover(30.5, 40.5)
    original = grid.pane("original")
    assert all(pane.value_tag.isVisible() for pane in grid.visible_panes())  # every pane
    assert original.value_tag.isVisible()
    assert original.value_tag.toPlainText() == " ".join(map(str, original.pixels[40, 30]))
    lowres = grid.pane("lowres")
    assert lowres.value_tag.toPlainText() == " ".join(map(str, lowres.pixels[20, 15]))
    grid.show_region(30, 40, 2)  # 200 %: no tag
    qtbot.waitUntil(lambda: grid.lead.values.spacing_px() < 3)
    grid.hover(30.5, 40.5)
    assert not original.value_tag.isVisible()


def test_the_zoom_survives_a_reflow_and_a_fit_stays_a_fit(loaded, qtbot):
    grid = loaded.grid
    grid.zoom_to(8)
    loaded.heat.set_mode("abs")  # the colour bar appears: the panes re-flow
    loaded.resize(1500, 800)
    qtbot.waitUntil(lambda: loaded.colour_bar.isVisible())
    qtbot.waitUntil(lambda: grid.region()[2] == pytest.approx(8, rel=0.01))
    grid.fit()
    loaded.resize(1000, 900)
    qtbot.waitUntil(lambda: grid.lead.viewbox.width() < 300)
    qtbot.waitUntil(grid.shows_whole)


def test_a_cell_a_pixel_narrower_at_800_percent_still_tags_its_value(qtbot, photo):
    """Layout rounding leaves some cells one pixel narrower than the lead's: at "800 %"
    they draw a pixel 7.95 screen pixels wide, and must tag their value all the same."""
    from viewer.ui.pane import Pane

    pane = Pane("nearest", "Nearest")
    qtbot.addWidget(pane)
    pane.resize(165, 200)
    pane.show()
    qtbot.waitExposed(pane)
    pane.set_pixels(photo)
    width = pane.viewbox.width()
    pane.viewbox.setRange(xRange=(10, 10 + width / 7.95), yRange=(10, 30), padding=0)
    qtbot.waitUntil(lambda: pane.values.spacing_px() == pytest.approx(7.95, abs=0.02))
    pane.set_crosshair(12.5, 14.5)
    assert pane.value_tag.isVisible()
    assert pane.value_tag.toPlainText() == " ".join(map(str, photo[14, 12]))


def test_a_pane_added_later_follows_the_zoom(qtbot):
    """A method ticked after the first panes were laid out got a pane linked to nothing: at
    800 % it went on showing the whole image (seen on the real window)."""
    from grids import noise_grid

    grid = noise_grid(3, 64, 48)
    qtbot.addWidget(grid)
    grid.resize(600, 400)
    grid.show()
    qtbot.waitExposed(grid)
    grid.set_panes([(f"p{i}", f"Pane {i}", "") for i in range(5)])
    for pane in grid.panes[3:]:
        pane.set_pixels(grid.panes[0].pixels)
    grid.show_region(20, 20, 8)
    for pane in grid.panes[1:]:
        assert pane.viewbox.linkedView(0) is grid.lead.viewbox, pane.key
    qtbot.waitUntil(lambda: assert_one_view(grid.panes))  # once the new cells are laid out
    assert grid.panes[-1].viewbox.viewRect().width() < 64 / 2


@pytest.mark.parametrize("size", [(275, 150), (260, 700)], ids=["wide", "tall"])
def test_every_pane_draws_square_pixels_at_fit_and_after_a_zoom_step(qtbot, size):
    """Layout rounding leaves some cells a pixel narrower or shorter than the lead's: a
    follower copied the lead's range and, in small panes, drew a 3:2 image up to 3 % off
    square. Each pane keeps the lead's scale at its own size."""
    from grids import noise_grid

    grid = noise_grid(6, 480, 320)
    qtbot.addWidget(grid)
    grid.resize(*size)
    grid.show()
    qtbot.waitExposed(grid)
    sizes = {(pane.viewbox.width(), pane.viewbox.height()) for pane in grid.panes}
    assert len(sizes) > 1  # cells a pixel apart (127 and 128 x 36 wide): the case that failed

    def assert_square() -> None:
        for pane in grid.panes:
            x, y = pane.viewbox.viewPixelSize()
            assert x == pytest.approx(y, rel=0.002), (pane.key, x, y)
            assert x == pytest.approx(grid.lead.viewbox.viewPixelSize()[0], rel=0.002)

    grid.fit()
    assert_square()
    grid.zoom_by(1.25)
    assert_square()
