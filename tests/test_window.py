"""The window: panes fill from the worker, views stay in sync, runs cancel and close cleanly."""

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QMouseEvent, QWheelEvent
from PySide6.QtWidgets import QApplication

from viewer.core.inputs.image_io import load_image
from viewer.core.method import Method
from viewer.core.methods import get_method, method_ids
from viewer.core.run import engine
from viewer.core.run.results import MethodResult
from viewer.ui.pane_grid import best_columns


def photo_methods() -> list[str]:
    """Every method that runs on a photo: the guided ones need a guide image."""
    return [m for m in method_ids() if not get_method(m).guided]


RUN = 60_000  # generous: a slow machine must not fail a test, only take longer


def run(qtbot, window, action):
    with qtbot.waitSignal(window.runFinished, timeout=RUN) as blocker:
        action()
    return blocker.args[0]


@pytest.fixture(scope="session")
def shared_run(qapp, tmp_path_factory, photo):
    """One run of every method on the small photo, recorded as the worker sends it: the
    window tests replay it instead of each running Paddle again."""
    from viewer.core.inputs.image_io import load_image
    from viewer.core.settings import Settings
    from viewer.ui.worker import EngineWorker, RunJob

    path = tmp_path_factory.mktemp("shared") / "small.png"
    Image.fromarray(photo).save(path)
    worker = EngineWorker()
    events = []
    # Direct: results are sent from the engine's measuring thread, and are recorded at once.
    worker.event.connect(
        lambda _run_id, kind, payload: events.append((kind, payload)),
        Qt.ConnectionType.DirectConnection,
    )
    job = RunJob(1, str(path), lambda: load_image(path), Settings(steps=3), tuple(method_ids()))
    worker._run(job)  # in this thread: the recorded events are exactly what a run sends
    assert [kind for kind, _ in events].count("result") == len(photo_methods())
    return str(path), events


def replay(window, recorded) -> None:
    """Show a recorded run in `window` through its controller, as if its worker sent it."""
    path, events = recorded
    window.open_id += 1
    window.runs.run_id += 1
    window._pending_path = path
    window._set_running(True)
    for kind, payload in events:
        window.runs.arrived(window.runs.run_id, kind, payload)


@pytest.fixture
def loaded(make_window, shared_run):
    window = make_window()
    replay(window, shared_run)
    assert window.report is not None and not window.running
    return window


def view_ranges(window):
    return [pane.viewbox.viewRange() for pane in window.grid.panes]


def assert_all_equal(ranges):
    first = np.array(ranges[0])
    for other in ranges[1:]:
        np.testing.assert_allclose(np.array(other), first, atol=1e-6)


def record_calls(monkeypatch, owner, name: str) -> list[tuple]:
    """`owner.name` still runs, and each call's positional arguments (a method's object
    first) are kept in the returned list."""
    real, calls = getattr(owner, name), []

    def recorded(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, recorded)
    return calls


def test_every_pane_fills_with_its_result(loaded):
    keys = [pane.key for pane in loaded.grid.panes]
    assert keys == ["original", "lowres", *photo_methods()]
    assert loaded.grid.pane("original").pixels.shape == (100, 74, 3)
    assert loaded.grid.pane("lowres").pixels.shape == (50, 37, 3)
    for method in photo_methods():
        pane = loaded.grid.pane(method)
        assert pane.pixels.shape == (100, 74, 3)
        assert "dB" in pane.caption.text() and "ms" in pane.caption.text()
        assert pane.title.text() == pane.name
    assert loaded.table.method_ids() == photo_methods()
    assert loaded.status.text().startswith("Done")
    assert "small.png: cropped 75x101 to 74x100" in loaded.image_info.text()


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
    assert_all_equal(after)
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
    assert_all_equal([p.viewbox.viewRange() for p in image_grid.panes])


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
    assert_all_equal([p.viewbox.viewRange() for p in image_grid.panes])


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
        pane.image._shown = None  # as if never shown: plan the view again
        np.testing.assert_array_equal(pane.image._plan().make(share)[0].pixels, shown)


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


def test_a_new_window_builds_only_what_its_first_paint_shows(make_window):
    """Startup (issue 12): the loss and profile plots, the colour bar's bar and the panes'
    crosshairs are made when first used, not before the window first paints."""
    window = make_window()
    assert "plot" not in vars(window.loss_plot) and "plot" not in vars(window.profile_plot)
    assert "bar" not in vars(window.colour_bar)
    assert all("vline" not in vars(pane) for pane in window.grid.panes)
    window.loss_plot.add("resize_conv", 1.0)
    assert window.loss_plot.isAncestorOf(window.loss_plot.plot)


def test_a_pane_makes_its_crosshair_on_the_first_hover(qtbot):
    """A window starts with 22 panes: their crosshairs and value tags wait for a hover."""
    from viewer.ui.pane import Pane

    pane = Pane("p", "P")
    qtbot.addWidget(pane)
    pane.set_pixels(np.zeros((8, 8, 3), np.uint8))
    pane.set_crosshair(None, None)  # the cursor left another pane
    assert not {"vline", "hline", "value_tag"} & set(vars(pane))
    pane.set_crosshair(3.5, 4.5)
    assert pane.vline.isVisible() and pane.vline.value() == 3.5 and pane.hline.value() == 4.5
    assert pane.vline.getViewBox() is pane.viewbox is pane.hline.getViewBox()
    pane.set_crosshair(None, None)
    assert not pane.vline.isVisible() and not pane.hline.isVisible()


def drag(view, start: QPoint, end: QPoint):
    viewport = view.viewport()

    def send(kind, pos, buttons):
        button = (
            Qt.MouseButton.LeftButton if kind != QEvent.Type.MouseMove else Qt.MouseButton.NoButton
        )
        event = QMouseEvent(
            kind,
            QPointF(pos),
            QPointF(viewport.mapToGlobal(pos)),
            button,
            buttons,
            Qt.KeyboardModifier.NoModifier,
        )
        QApplication.sendEvent(viewport, event)

    send(QEvent.Type.MouseButtonPress, start, Qt.MouseButton.LeftButton)
    for t in np.linspace(0, 1, 6)[1:]:
        point = QPoint(
            round(start.x() + t * (end.x() - start.x())),
            round(start.y() + t * (end.y() - start.y())),
        )
        send(QEvent.Type.MouseMove, point, Qt.MouseButton.LeftButton)
    send(QEvent.Type.MouseButtonRelease, end, Qt.MouseButton.NoButton)


def test_drag_in_one_pane_pans_every_pane(loaded, qtbot):
    loaded.grid.zoom_to(4)
    before = view_ranges(loaded)
    view = loaded.grid.pane("nearest").view
    centre = view.viewport().rect().center()
    drag(view, centre, centre + QPoint(40, 25))
    qtbot.waitUntil(lambda: view_ranges(loaded) != before)
    after = view_ranges(loaded)
    assert_all_equal(after)
    width = lambda r: r[0][1] - r[0][0]  # noqa: E731
    assert width(after[0]) == pytest.approx(width(before[0]))
    assert after[0][0][0] < before[0][0][0]  # dragging right shows what lies to the left


def test_zoom_keys_set_exact_zoom_and_fit(loaded, qtbot):
    loaded.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is loaded)
    for key, factor in ((Qt.Key.Key_1, 1), (Qt.Key.Key_4, 4), (Qt.Key.Key_8, 8)):
        qtbot.keyClick(loaded, key)
        assert loaded.grid.zoom_factor() == pytest.approx(factor, rel=1e-3)
        assert_all_equal(view_ranges(loaded))
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


def hover(pane, x: float, y: float) -> None:
    """A real mouse move over image coordinate (x, y) of `pane`, mapped at the current zoom."""
    view, viewport = pane.view, pane.view.viewport()
    local = view.mapFromScene(pane.viewbox.mapViewToScene(QPointF(x, y)))
    event = QMouseEvent(
        QEvent.Type.MouseMove,
        QPointF(local),
        QPointF(viewport.mapToGlobal(local)),
        Qt.MouseButton.NoButton,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(viewport, event)


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


def luma_differences(window) -> dict[str, np.ndarray]:
    """Each method pane's luma difference to the original, computed here independently."""
    original = window.grid.pane("original").pixels.astype(float)
    weights = np.array([0.299, 0.587, 0.114])
    return {p.key: (p.pixels.astype(float) - original) @ weights for p in window.grid.panes[2:]}


def test_difference_switch_changes_every_method_pane(loaded, qtbot):
    loaded.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is loaded)
    method_panes = loaded.grid.panes[2:]
    qtbot.keyClick(loaded, Qt.Key.Key_D)
    assert loaded.grid.display.mode == "abs"
    qtbot.waitUntil(lambda: all(p.showing_heat() for p in method_panes), timeout=RUN)
    qtbot.waitUntil(lambda: not loaded.grid.views_pending(), timeout=RUN)
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
    qtbot.waitUntil(lambda: not loaded.grid.views_pending(), timeout=RUN)
    assert loaded.colour_bar.levels() == pytest.approx((-scale, scale), abs=0.2)
    loaded.heat.channel.setCurrentText("red")
    bicubic = loaded.grid.pane("bicubic")
    red = bicubic.pixels[..., 0].astype(int) - loaded.grid.pane("original").pixels[..., 0]
    qtbot.waitUntil(lambda: bicubic.showing_heat() and bicubic.heat.data.dtype == np.int16)
    np.testing.assert_array_equal(bicubic.heat.data, red)
    loaded.heat.policy.setCurrentIndex(loaded.heat.policy.findData("fixed"))
    loaded.heat.scale.setValue(10)
    qtbot.waitUntil(lambda: all(p.showing_heat() for p in method_panes), timeout=RUN)
    qtbot.waitUntil(lambda: not loaded.grid.views_pending(), timeout=RUN)  # the red maps
    assert all(p.heat_item.getLevels() == pytest.approx((-10, 10)) for p in method_panes)
    assert "red difference" in loaded.colour_bar.title()
    assert "blue where it is darker" in loaded.colour_bar.meaning()
    loaded.heat.policy.setCurrentIndex(loaded.heat.policy.findData("per_pane"))
    own = np.percentile(np.abs(red), 99)
    qtbot.waitUntil(lambda: bicubic.heat_item.getLevels()[1] == pytest.approx(own, abs=0.01))
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


def test_selecting_a_table_row_highlights_its_pane(loaded):
    loaded.table.select_method("bicubic")
    assert "2a82da" in loaded.grid.pane("bicubic").styleSheet()
    assert "2a82da" not in loaded.grid.pane("nearest").styleSheet()


def test_table_shows_artifact_scores_with_explanations(loaded):
    headers = [loaded.table.horizontalHeaderItem(c) for c in range(loaded.table.columnCount())]
    titles = [h.text() for h in headers]
    for name in ("Checkerboard", "Phase CV", "Overshoot", "HF energy"):
        column = titles.index(name)
        assert len(headers[column].toolTip()) > 40
    row = loaded.table.method_ids().index("nearest")
    assert loaded.table.item(row, titles.index("Checkerboard")).value == pytest.approx(0, abs=1e-6)


def test_table_sorts_numerically(loaded):
    titles = [
        loaded.table.horizontalHeaderItem(c).text() for c in range(loaded.table.columnCount())
    ]
    psnr_column = titles.index("PSNR dB")
    loaded.table.sortItems(psnr_column, Qt.SortOrder.DescendingOrder)
    psnr = [loaded.table.item(r, psnr_column).value for r in range(loaded.table.rowCount())]
    assert psnr == sorted(psnr, reverse=True)


def test_grid_reflows_with_the_window(loaded, qtbot):
    loaded.resize(1800, 700)
    qtbot.waitUntil(lambda: loaded.grid.columns() >= 5)
    wide = loaded.grid.columns()
    loaded.resize(700, 1200)
    qtbot.waitUntil(lambda: loaded.grid.columns() < wide)


@pytest.mark.parametrize(
    ("count", "area", "image", "columns"),
    [
        (9, (900, 900), (100, 100), 3),
        (9, (1800, 600), (100, 100), 5),
        (2, (400, 900), (100, 100), 1),
    ],
)
def test_best_columns(count, area, image, columns):
    assert best_columns(count, area, image) == columns


def test_cancel_stops_the_run(make_window, small_image, qtbot):
    window = make_window(steps=100_000)
    with qtbot.waitSignal(
        window.progressShown,
        timeout=RUN,
        check_params_cb=lambda p: p.steps > 0 and p.step >= 2,
    ):
        window.open_path(small_image)
    report = run(qtbot, window, window.cancel)
    assert report.cancelled
    assert "conv_transpose" not in [r.method for r in report.results]
    assert window.status.text() == "Cancelled"
    assert "cancelled" in window.grid.pane("conv_transpose").message.text()


def test_closing_mid_run_twenty_times_joins_the_worker(make_window, small_image, qtbot):
    for _ in range(20):
        window = make_window(steps=100_000)
        with qtbot.waitSignal(window.progressShown, timeout=RUN):
            window.open_path(small_image)
        window.close()
        assert not window.worker.is_running()


def test_a_new_image_mid_run_drops_the_old_results(make_window, small_image, tmp_path, qtbot):
    window = make_window(steps=100_000)
    with qtbot.waitSignal(
        window.progressShown, timeout=RUN, check_params_cb=lambda p: p.method == "conv_transpose"
    ):
        window.open_path(small_image)
    # nearest is measured on the engine's second thread while conv_transpose trains
    qtbot.waitUntil(lambda: window.grid.pane("nearest").pixels is not None, timeout=RUN)
    first_run = window.runs.run_id
    stale = replace(first_nearest(window), method="nearest")
    other = tmp_path / "other.png"
    Image.fromarray(np.full((64, 48, 3), 90, np.uint8)).save(other)
    window.panel.editors["steps"].set_value(2)
    report = run(qtbot, window, lambda: window.open_path(other))
    assert not report.cancelled and report.inputs.original.shape == (64, 48, 3)
    # what the superseded run still sends, arriving late, goes through the one check:
    window.runs.arrived(first_run, "result", stale)
    window.runs.arrived(first_run, "loaded", replace(window.loaded, methods=("nearest",)))
    assert window.grid.pane("nearest").pixels.shape == (64, 48, 3)
    assert [pane.key for pane in window.grid.panes][2:] == photo_methods()
    assert window.table.method_ids() == photo_methods()
    assert window.image.name == str(other)


def first_nearest(window):
    """A finished result of the running (soon superseded) run: the nearest pane's content."""
    pixels = window.grid.pane("nearest").pixels
    assert pixels.shape == (100, 74, 3)
    return MethodResult("nearest", image=pixels)


@pytest.mark.parametrize("content", [b"not an image", None])
def test_a_bad_file_shows_one_message_and_keeps_the_image(loaded, tmp_path, qtbot, content):
    before = loaded.grid.pane("bicubic").pixels.copy()
    bad = tmp_path / "broken.png"
    if content is not None:
        bad.write_bytes(content)
    with qtbot.waitSignal(loaded.loadFailed, timeout=RUN) as blocker:
        loaded.open_path(bad)
    message = blocker.args[0]
    assert message.startswith(str(bad)) and (
        "not a readable image" in message or "no such file" in message
    )
    assert loaded._error_box.isVisible() and loaded._error_box.text() == message
    np.testing.assert_array_equal(loaded.grid.pane("bicubic").pixels, before)
    assert loaded.table.rowCount() == len(photo_methods())
    assert loaded.image.pixels.shape == (101, 75, 3)


def test_a_failing_method_shows_its_error_and_the_others_go_on(
    make_window, small_image, qtbot, monkeypatch
):
    def build(ctx):
        raise RuntimeError("kernel exploded")

    broken = Method("bilinear", "Bilinear", "x", "x", "x", build, order=20)
    monkeypatch.setattr(
        engine, "get_method", lambda m: broken if m == "bilinear" else get_method(m)
    )
    window = make_window()
    report = run(qtbot, window, lambda: window.open_path(small_image))
    pane = window.grid.pane("bilinear")
    assert "RuntimeError: kernel exploded" in pane.message.text() and pane.message.isVisible()
    assert window.grid.pane("bicubic").pixels is not None
    assert "failed: bilinear" in window.status.text()
    assert [r.method for r in report.results] == photo_methods()


def test_progress_names_the_method_and_training_step(make_window, small_image, qtbot):
    """Training progress is drawn at most every PROGRESS_MS: a long training shows its step."""
    window = make_window(steps=100_000)
    with qtbot.waitSignal(
        window.progressShown, timeout=RUN, check_params_cb=lambda p: p.step >= 2
    ) as shown:
        window.open_path(small_image)
    progress = shown.args[0]
    assert progress.method == "conv_transpose"
    assert f"Conv2DTranspose (article) (step {progress.step}/100000)" in window.status.text()
    assert window.grid.pane("conv_transpose").progress.value() == progress.step
    run(qtbot, window, window.cancel)


def test_a_burst_of_training_steps_is_drawn_once_with_every_loss(loaded, qtbot):
    """Steps that arrive faster than PROGRESS_MS are drawn once, as the latest; the loss
    curve still gets every step."""
    shown = []
    loaded.progressShown.connect(shown.append)
    loaded.loss_plot.clear()
    steps = [
        engine.Progress("resize_conv", 3, 9, step, 200, loss=1.0 / step) for step in range(1, 201)
    ]
    for progress in steps:
        loaded._on_progress(progress)
    qtbot.waitUntil(lambda: len(shown) == 1)
    assert shown == [steps[-1]]
    assert "(step 200/200)" in loaded.status.text()
    assert len(loaded.loss_plot.losses["resize_conv"]) == 200
    assert len(loaded.loss_plot.curves["resize_conv"].getData()[0]) == 200
    loaded._drop_pending_progress()


def test_export_png_writes_the_panes_as_shown(loaded, tmp_path):
    path = tmp_path / "figure.png"
    loaded.export_png(path)
    picture = np.asarray(Image.open(path))
    ratio = loaded.grid.devicePixelRatioF()
    assert picture.shape[1] == round(loaded.grid.width() * ratio)
    assert picture.shape[0] == round(loaded.grid.height() * ratio)
    assert picture.std() > 10


def test_export_all_writes_the_headless_files(loaded, tmp_path, qtbot):
    target = tmp_path / "all"
    with qtbot.waitSignal(loaded.exportFinished, timeout=RUN):
        loaded.export_all(target)
    names = {p.name for p in target.iterdir()}
    assert {"original.png", "lowres.png", "sheet.png", "metrics.json", "metrics.csv"} <= names
    assert {f"{m}.png" for m in photo_methods()} <= names
    assert {f"diff_{m}.png" for m in photo_methods()} <= names


def test_settings_round_trip(make_window, settings_store, small_image, qtbot):
    window = make_window()
    window.panel.editors["scale"].set_value(3)
    window.panel.editors["seed"].set_value(7)
    window.panel.editors["grid_noise"].set_value(0.02)
    window.panel.editors["lr"].set_value(0.02)
    window.panel.editors["degrade"].set_value("area")
    window.panel.set_selected_methods(["nearest", "bicubic"])
    run(qtbot, window, lambda: window.open_path(small_image))
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


def drop_event(path):
    """What Qt delivers when the file `path` is dropped on a window."""
    from PySide6.QtCore import QMimeData, QUrl
    from PySide6.QtGui import QDropEvent

    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(
        QPointF(50, 50),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    event.mime = mime  # the event does not own its data: freed with the helper, it crashes
    return event


def test_dropping_a_file_opens_it(make_window, small_image, qtbot):
    window = make_window()
    event = drop_event(small_image)
    report = run(qtbot, window, lambda: window.dropEvent(event))
    assert report.inputs.original.shape == (100, 74, 3)
    assert window.image.name == small_image


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
    assert window.image.name == "sample:coffee"


def test_charts_are_in_the_samples_menu(make_window, qtbot):
    window = make_window()
    files = next(a.menu() for a in window.menuBar().actions() if a.text() == "&File")
    samples = next(a.menu() for a in files.actions() if a.text() == "&Samples")
    charts = next(a.menu() for a in samples.actions() if a.text() == "Test &charts")
    names = [a.text() for a in charts.actions()]
    assert names == ["zoneplate", "star", "checker", "lines", "step"]
    report = run(qtbot, window, charts.actions()[0].trigger)
    assert window.image.name == "chart:zoneplate" and report.inputs.original.shape == (512, 512, 3)


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
    low, high = loaded.grid.levels()
    assert nearest.heat_item.getLevels() == pytest.approx((low, high)) and low < high
    assert loaded.colour_bar.levels() == pytest.approx((low, high))
    loaded.heat.set_mode("diff_spectrum")
    method_panes = loaded.grid.panes[2:]
    qtbot.waitUntil(lambda: all(p.showing_heat() for p in method_panes), timeout=RUN)
    assert not loaded.grid.pane("original").showing_heat()
    qtbot.keyClick(loaded, Qt.Key.Key_D)
    assert loaded.grid.display.mode == "image"


def test_swipe_and_flicker_show_the_chosen_a_and_b(loaded, qtbot):
    loaded.grid.zoom_to(4)
    x, y, factor = loaded.grid.region()
    loaded.toggle_compare()
    compare = loaded.compare
    assert loaded.comparing() and compare.region() == pytest.approx((x, y, factor), rel=1e-3)
    compare.choose(a="original", b="bicubic")
    np.testing.assert_array_equal(compare.item_a.image, loaded.grid.pane("original").pixels)
    np.testing.assert_array_equal(compare.item_b.image, loaded.grid.pane("bicubic").pixels)
    compare.divider.setValue(30)
    assert compare.b_region() == QRectF(30, 0, 74 - 30, 100)  # A left of the divider, B right
    assert compare.clip.rect() == compare.b_region()
    before = compare.viewbox.viewRange()
    compare.choose(b="nearest")
    np.testing.assert_array_equal(compare.item_b.image, loaded.grid.pane("nearest").pixels)
    compare.set_mode("flicker")
    assert compare.b_region().isEmpty() and not compare.divider.isVisible()
    assert not compare.item_b.isVisible()
    qtbot.keyPress(compare, Qt.Key.Key_Space)
    assert compare.clip.rect() == QRectF(0, 0, 74, 100)  # B everywhere while Space is held
    qtbot.keyRelease(compare, Qt.Key.Key_Space)
    assert compare.clip.rect().isEmpty() and not compare.item_b.isVisible()
    compare.show_b_button.setChecked(True)
    assert compare.clip.rect() == QRectF(0, 0, 74, 100)
    assert compare.viewbox.viewRange() == before  # zoom and position kept throughout
    compare.choose(b="lowres")
    assert compare.item_b.boundingRect().width() == 37  # drawn at output size: 37 px x 2
    assert compare.item_b.mapRectToParent(compare.item_b.boundingRect()).width() == 74
    loaded.toggle_compare()
    assert not loaded.comparing()
    assert loaded.grid.region() == pytest.approx(compare.region(), rel=1e-3)


def test_line_profile_values_are_the_pixels_under_the_line(loaded, qtbot):
    loaded.toggle_profile()
    tool, plot = loaded.profile_tool, loaded.profile_plot
    assert loaded.profile_dock.isVisible()
    assert all(tool.roi(p.key).isVisible() for p in loaded.grid.panes)
    tool.set_line((2.5, 10.5), (60.5, 10.5))  # a horizontal line along row 10
    original = loaded.grid.pane("original").pixels.astype(float)
    luma = original[10, 2:61] @ np.array([0.299, 0.587, 0.114])
    np.testing.assert_allclose(plot.values("original"), luma)
    plot.channel.setCurrentText("green")
    bicubic = loaded.grid.pane("bicubic").pixels
    np.testing.assert_array_equal(plot.values("bicubic"), bicubic[10, 2:61, 1])
    lowres = loaded.grid.pane("lowres").pixels
    np.testing.assert_array_equal(plot.values("lowres"), lowres[5, np.arange(2, 61) // 2, 1])
    assert set(plot.curves) == {p.key for p in loaded.grid.panes}
    qtbot.waitUntil(lambda: loaded.profile_dock.height() >= 200)  # a usable size


def test_profile_legend_toggles_highlight_and_csv(loaded, qtbot, tmp_path):
    import csv

    loaded.toggle_profile()
    plot = loaded.profile_plot
    loaded.profile_tool.set_line((2.5, 10.5), (60.5, 10.5))
    assert plot.legend.count() == len(loaded.grid.panes)  # outside the plot, one entry each
    nearest = next(
        plot.legend.item(i)
        for i in range(plot.legend.count())
        if "Nearest" in plot.legend.item(i).text()
    )
    nearest.setCheckState(Qt.CheckState.Unchecked)
    assert not plot.curves["nearest"].isVisible()
    nearest.setCheckState(Qt.CheckState.Checked)
    assert plot.curves["nearest"].isVisible()
    loaded.table.select_method("bicubic")
    assert plot.curves["bicubic"].opts["pen"].width() == 4
    assert plot.curves["nearest"].opts["pen"].width() == 1
    path = tmp_path / "profile.csv"
    with qtbot.waitSignal(plot.exported):
        plot.export_csv(str(path))
    with open(path, newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 59 and float(rows[0]["x"]) == 2.5 and float(rows[-1]["x"]) == 60.5
    bicubic = loaded.grid.pane("bicubic").pixels[10, 2:61].astype(float) @ [0.299, 0.587, 0.114]
    np.testing.assert_allclose([float(r["Bicubic"]) for r in rows], bicubic, atol=1e-3)


def test_dragging_the_line_in_one_pane_moves_it_everywhere(loaded):
    loaded.toggle_profile()
    tool = loaded.profile_tool
    roi = tool.roi("nearest")
    roi.movePoint(roi.getHandles()[1], QPointF(40.0, 70.0))  # what a handle drag does
    assert tool.end == pytest.approx((40.0, 70.0))
    for pane in loaded.grid.panes:
        other = tool.roi(pane.key)
        ends = [other.mapToParent(p) for _, p in other.getLocalHandlePositions()]
        assert (ends[1].x(), ends[1].y()) == pytest.approx((40.0, 70.0))
        assert (ends[0].x(), ends[0].y()) == pytest.approx(tool.start)
    assert len(loaded.profile_plot.values("original")) == len(
        __import__("viewer.core.views.profile", fromlist=["x"]).line_positions(tool.start, tool.end)
    )
    loaded.toggle_profile()
    assert not loaded.profile_dock.isVisible() and not tool.roi("nearest").isVisible()


def rendered(view, width: int = 74, height: int = 100) -> np.ndarray:
    """What the view's scene draws over image coordinates [0, width) x [0, height), as RGB."""
    from PySide6.QtGui import QImage, QPainter

    target = QImage(width * 4, height * 4, QImage.Format.Format_RGB32)
    target.fill(0)
    painter = QPainter(target)
    source = view.viewbox.mapViewToScene(QRectF(0, 0, width, height)).boundingRect()
    view.view.scene().render(painter, QRectF(target.rect()), source)
    painter.end()
    bits = np.frombuffer(target.constBits(), np.uint8).reshape(height * 4, width * 4, 4)
    # pixel centres, BGRA -> RGB; copied: the QImage's memory is freed when it goes
    return bits[2::4, 2::4, 2::-1].copy()


def matching(shown: np.ndarray, expected: np.ndarray) -> float:
    """Fraction of pixels drawn as `expected` (within 2 levels in every channel)."""
    return float(np.mean(np.abs(shown.astype(int) - expected.astype(int)).max(axis=-1) <= 2))


def test_swipe_draws_a_left_of_the_divider_and_b_right_of_it(loaded, qtbot):
    loaded.toggle_compare()
    compare = loaded.compare
    compare.choose(a="original", b="max_unpool")
    compare.divider.setValue(40)
    qtbot.waitUntil(lambda: compare.clip.rect().left() == 40)
    shown = rendered(compare)
    original = loaded.grid.pane("original").pixels
    unpooled = loaded.grid.pane("max_unpool").pixels
    assert matching(unpooled[:, :38], original[:, :38]) < 0.5  # the two really differ
    assert matching(shown[:, :38], original[:, :38]) > 0.99
    assert matching(shown[:, 42:], unpooled[:, 42:]) > 0.99
    compare.set_mode("flicker")
    assert matching(rendered(compare), original) > 0.99
    compare.show_b_button.setChecked(True)
    assert matching(rendered(compare), unpooled) > 0.99


def test_feature_maps_show_pca_or_one_channel(make_window, tmp_path, qtbot):
    y, x = np.mgrid[0:40, 0:48] / 6.0
    features = np.stack([np.sin(x + c) * np.cos(y * (1 + c % 3)) for c in range(8)])
    path = tmp_path / "decoder.npy"
    np.save(path, features.astype(np.float32))
    window = make_window()
    report = run(qtbot, window, lambda: window.open_path(path))
    assert report.inputs.is_features and not any(r.error for r in report.results)
    assert window.feature_view_action.isVisible() and window.feature_view.count() == 9
    pca = window.grid.pane("bicubic").pixels.copy()
    window.feature_view.setCurrentIndex(window.feature_view.findData(5))
    output = window.feature_values["bicubic"]
    expected = np.rint(np.clip(output[..., 5], 0, 255)).astype(np.uint8)
    np.testing.assert_array_equal(window.grid.pane("bicubic").pixels[..., 0], expected)
    assert not np.array_equal(window.grid.pane("bicubic").pixels, pca)
    original = window.grid.pane("original").pixels[..., 0]
    window.heat.set_mode("signed")
    window.heat.channel.setCurrentText("red")
    bicubic = window.grid.pane("bicubic")
    qtbot.waitUntil(lambda: bicubic.showing_heat() and bicubic.heat.data.dtype == np.int16)
    np.testing.assert_array_equal(bicubic.heat.data, expected.astype(int) - original)
    info = window.image_info.text()
    assert "read as C x H x W (8 channels)" in info and "scaled to 0..255" in info


def test_a_photo_hides_the_feature_selector(loaded):
    assert not loaded.feature_view_action.isVisible() and loaded.feature_channel() is None


def test_training_options_loss_curves_and_held_out_images(
    make_window, small_image, tmp_path, qtbot, coffee
):
    other = tmp_path / "other.png"
    Image.fromarray(coffee).save(other)
    window = make_window(steps=12)
    window.panel.set_selected_methods(["bilinear", "dysample", "resize_conv"])
    window.panel.editors["degrade"].set_value("area")
    window.panel.editors["lr"].set_value(0.01)
    window.panel.editors["train_on"].set_value(str(other))
    report = run(qtbot, window, lambda: window.open_path(small_image))
    assert report.inputs.degradation == "area" and report.settings.lr == 0.01
    assert len(report.train_pairs) == 1 and report.train_pairs[0][1].shape == (96, 144, 3)
    info = window.image_info.text()
    assert f"learned methods trained on {other}" in info and "degraded: area" in info
    assert "CPU" in info or "GPU" in info
    assert set(window.loss_plot.losses) == {"dysample", "resize_conv"}
    assert all(len(v) == 12 for v in window.loss_plot.losses.values())
    result = next(r for r in report.results if r.method == "dysample")
    first = result.losses[0]
    assert window.loss_plot.losses["dysample"] == pytest.approx(list(result.losses))
    shown = 10 ** window.loss_plot.curves["dysample"].getData()[1]  # a log-scale plot
    assert shown == pytest.approx([loss / first for loss in result.losses])  # relative to step 1
    pen = window.loss_plot.curves["dysample"].opts["pen"]
    assert pen.color().name() == window.grid.pane("dysample").colour  # one colour everywhere


def test_a_missing_training_folder_is_one_message(make_window, small_image, tmp_path, qtbot):
    window = make_window()
    window.panel.editors["train_on"].set_value(str(tmp_path / "nowhere"))
    with qtbot.waitSignal(window.loadFailed, timeout=RUN) as blocker:
        window.open_path(small_image)
    assert blocker.args[0] == f"{tmp_path / 'nowhere'}: no such file: nothing to train on"


def test_an_unexpected_failure_is_one_message_and_the_worker_survives(
    make_window, small_image, qtbot, monkeypatch
):
    from viewer.ui import worker

    window = make_window()
    real = worker.make_inputs

    def exhausted(*args, **kwargs):
        raise MemoryError("out of memory while degrading")

    monkeypatch.setattr(worker, "make_inputs", exhausted)
    with qtbot.waitSignal(window.loadFailed, timeout=RUN) as blocker:
        window.open_path(small_image)
    assert blocker.args[0] == (
        f"{small_image}: the run failed (MemoryError: out of memory while degrading)"
    )
    monkeypatch.setattr(worker, "make_inputs", real)
    report = run(qtbot, window, lambda: window.open_path(small_image))
    assert not report.cancelled and window.worker.is_running()


def test_export_into_an_unwritable_place_is_one_message(loaded, tmp_path, qtbot):
    blocker_file = tmp_path / "file"
    blocker_file.write_text("a file where a folder is expected")
    loaded.export_all(blocker_file / "inside")
    qtbot.waitUntil(lambda: loaded.last_error.startswith(str(blocker_file / "inside")), timeout=RUN)
    assert loaded._error_box.isVisible()


def test_panes_hide_maximise_and_take_a_column_count_without_a_rerun(loaded, qtbot):
    grid = loaded.grid
    count = len(grid.panes)
    bicubic = grid.pane("bicubic")
    before = bicubic.pixels
    loaded.panel.set_selected_methods([m for m in photo_methods() if m != "bicubic"])
    assert (
        "bicubic" in grid.state.view.hidden and not bicubic.isVisible()
    )  # unticked: hidden at once
    assert bicubic.pixels is before  # its result is kept
    assert len(grid.visible_panes()) == count - 1
    grid.set_hidden("original", True)  # the lead: the others must still follow one view
    grid.zoom_to(4)
    x, y, factor = grid.region()
    assert all(p.viewbox.viewRange() == grid.lead.viewbox.viewRange() for p in grid.visible_panes())
    assert factor == pytest.approx(4, rel=1e-3)
    grid.toggle_maximised("nearest")
    qtbot.waitUntil(lambda: grid.pane("nearest").width() > 0.8 * grid.width())
    assert grid.visible_panes() == [grid.pane("nearest")] and grid.lead.key == "nearest"
    centre = grid.region()[:2]
    assert centre == pytest.approx((x, y), abs=1)  # the same place, larger
    grid.toggle_maximised()
    grid.show_all()
    loaded.panel.set_selected_methods(photo_methods())
    assert len(grid.visible_panes()) == count and grid.state.view.maximised is None
    grid.set_columns(2)
    assert grid.columns() == 2
    grid.set_columns(None)
    assert grid.columns() >= 3


def test_every_dock_can_be_brought_back_from_the_view_menu(loaded):
    from PySide6.QtWidgets import QDockWidget

    docks = [d for d in loaded.findChildren(QDockWidget) if d is not loaded.profile_dock]
    assert len(docks) == 5  # the profile dock comes and goes with the line profile (L)
    for dock in docks:
        dock.close()
        assert dock.toggleViewAction() in loaded.docks_menu.actions()
        dock.toggleViewAction().trigger()
        assert dock.isVisible()


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


def test_the_inspector_shows_a_feature_maps_own_values(make_window, tmp_path, qtbot):
    features = np.linspace(-3.0, 5.0, 4 * 12 * 16).reshape(4, 12, 16).astype(np.float32)
    path = tmp_path / "map.npy"
    np.save(path, features)
    window = make_window()
    window.panel.set_selected_methods(["nearest"])
    run(qtbot, window, lambda: window.open_path(path))
    original = window.grid.pane("original")
    text = window.pixel_text(original, 5.5, 3.5)
    assert text.startswith(", ".join(f"{v:.4g}" for v in features[:3, 3, 5]))
    assert text.endswith("(4 channels)")
    window.feature_view.setCurrentIndex(window.feature_view.findData(2))
    assert window.pixel_text(original, 5.5, 3.5) == f"channel 2: {features[2, 3, 5]:.5g}"


def test_compare_takes_the_view_keys_labels_a_and_b_and_steps_b(loaded, qtbot):
    loaded.grid.fit()
    loaded.toggle_compare()
    compare = loaded.compare
    qtbot.waitUntil(lambda: compare.viewbox.width() > 100)
    compare.fit()
    assert camera_shows_whole(compare)  # entering from the overview: fitted
    compare.choose(a="original", b="bicubic")
    assert compare.shown_label() == "A: Original | B: Bicubic"
    compare.view.setFocus()
    qtbot.keyClick(compare.view, Qt.Key.Key_1)
    assert compare.region()[2] == pytest.approx(1.0, rel=1e-3)
    x_before = compare.region()[0]
    qtbot.keyClick(compare.view, Qt.Key.Key_Right)
    assert compare.region()[0] > x_before
    qtbot.keyClick(compare.view, Qt.Key.Key_F)
    assert camera_shows_whole(compare)
    qtbot.keyClick(compare.view, Qt.Key.Key_Down)
    assert (
        compare.key_b()
        == loaded.grid.panes[[p.key for p in loaded.grid.panes].index("bicubic") + 1].key
    )
    qtbot.keyClick(compare.view, Qt.Key.Key_Up)
    assert compare.key_b() == "bicubic"
    compare.set_mode("flicker")
    assert compare.shown_label() == "showing A: Original"
    compare.mode_choice.setCurrentIndex(0)  # using a control must not take the keys
    qtbot.keyPress(compare.view, Qt.Key.Key_Space)
    assert compare.showing_b()
    qtbot.keyRelease(compare.view, Qt.Key.Key_Space)
    assert compare.focusPolicy() != Qt.FocusPolicy.NoFocus
    assert compare.mode_choice.focusPolicy() == Qt.FocusPolicy.NoFocus


def camera_shows_whole(compare) -> bool:
    from viewer.ui import camera

    return camera.shows_whole(compare.viewbox, 74, 100)


def test_the_loupe_shows_sharp_pixels_of_a_and_b_around_the_cursor():
    from viewer.ui.compare_view import loupe_crop

    pixels = np.arange(10 * 12 * 3, dtype=np.uint8).reshape(10, 12, 3)
    crop = loupe_crop(("A", pixels, 1), 5.5, 4.5, side=40, zoom=8)
    assert crop.shape == (40, 40, 3)
    # 5 x 5 image pixels, each an 8 x 8 block; the cursor's pixel (4, 5) in the middle
    np.testing.assert_array_equal(
        crop[16 + 2 : 24 - 2, 16 + 2 : 24 - 2], np.broadcast_to(pixels[4, 5], (4, 4, 3))
    )
    np.testing.assert_array_equal(crop[1:7, 1:7], np.broadcast_to(pixels[2, 3], (6, 6, 3)))
    corner = loupe_crop(("A", pixels, 1), 0.5, 0.5, side=40, zoom=8)
    assert (corner[:8, :8] == 128).all()  # outside the image: grey
    lowres = loupe_crop(("L", pixels, 2), 11.0, 9.0, side=40, zoom=8)  # step 2: output coords
    np.testing.assert_array_equal(lowres[20, 20], pixels[4, 5])


def test_export_region_writes_each_visible_pane_as_shown_at_full_resolution(
    loaded, tmp_path, qtbot
):
    grid = loaded.grid
    grid.set_hidden("bilinear", True)
    loaded.heat.set_mode("abs")
    qtbot.waitUntil(lambda: not grid.views_pending() and grid.pane("nearest").showing_heat())
    grid.show_region(30, 40, 8)  # 800 %: a small part of the image
    rect = grid.lead.viewbox.viewRect()
    x0, y0 = max(0, int(rect.left())), max(0, int(rect.top()))
    with qtbot.waitSignal(loaded.exportFinished, timeout=RUN) as done:
        loaded.export_region(tmp_path)
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
    np.testing.assert_array_equal(nearest, colorize(view, "abs", *grid.pane_levels("nearest")))
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
    loaded.grid._hover(10, 10)
    loaded.choose_export_png()
    assert asked["suggested"] == str(tmp_path / "small_panes.png")
    assert (tmp_path / "panes.png").exists()
    assert loaded.grid.pane("bicubic").highlighted  # restored after the picture
    assert not loaded.grid.pane("nearest").vline.isVisible()  # no crosshair in the picture


def test_an_added_result_joins_the_results_without_a_rerun(loaded, tmp_path, qtbot):
    original = loaded.grid.pane("original").pixels
    mine = np.ascontiguousarray(original[:, ::-1])  # some other image of the same size
    Image.fromarray(mine).save(tmp_path / "mine.png")
    nearest_before = loaded.grid.pane("nearest").pixels
    with qtbot.waitSignal(loaded.runFinished, timeout=RUN) as done:
        loaded.add_result_file(tmp_path / "mine.png", "Mine")
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
    loaded.save_comparison(path)
    saved = loaded.comparison()
    again = make_window(store=settings_store)
    with qtbot.waitSignal(again.runFinished, timeout=RUN):
        again.open_path(path)
    assert again.image_path == loaded.image_path
    assert again.grid.display.mode == "abs" and again.state.view.hidden == ["bilinear"]
    assert again.state.view.columns == 3 and again.comparing()
    assert (again.compare.key_a(), again.compare.key_b(), again.compare.mode) == (
        "nearest",
        "bicubic",
        "flicker",
    )
    assert again.comparison() == saved


def test_panes_can_follow_the_tables_sort(loaded):
    loaded.order_action.setChecked(True)
    loaded._order_panes()
    column = next(
        c
        for c in range(loaded.table.columnCount())
        if loaded.table.horizontalHeaderItem(c).text() == "PSNR dB"
    )
    loaded.table.sortItems(column, Qt.SortOrder.DescendingOrder)  # best first
    keys = [pane.key for pane in loaded.grid.panes]
    assert keys[:2] == ["original", "lowres"]  # the references stay first
    assert keys[2:] == loaded.table.method_ids()
    psnr = {r: loaded.table.item(i, column).value for i, r in enumerate(loaded.table.method_ids())}
    assert psnr[keys[2]] == max(psnr.values())


def test_the_panes_menu_hides_and_shows_a_pane(loaded):
    entry = next(a for a in loaded.panes_menu.actions() if a.data() == "bicubic")
    entry.trigger()  # unticks: the pane hides, the menu is updated in place
    assert "bicubic" in loaded.state.view.hidden
    assert not next(a for a in loaded.panes_menu.actions() if a.data() == "bicubic").isChecked()
    entry.trigger()
    assert "bicubic" not in loaded.state.view.hidden and loaded.grid.pane("bicubic").isVisible()


def test_every_pane_writes_its_value_beside_the_crosshair_from_800_percent(loaded, qtbot):
    grid = loaded.grid
    grid.show_region(30, 40, 8)
    qtbot.waitUntil(lambda: grid.lead.values.spacing_px() == pytest.approx(8, rel=0.01))
    grid._hover(30.5, 40.5)
    original = grid.pane("original")
    assert all(pane.value_tag.isVisible() for pane in grid.visible_panes())  # every pane
    assert original.value_tag.isVisible()
    assert original.value_tag.toPlainText() == " ".join(map(str, original.pixels[40, 30]))
    lowres = grid.pane("lowres")
    assert lowres.value_tag.toPlainText() == " ".join(map(str, lowres.pixels[20, 15]))
    grid.show_region(30, 40, 2)  # 200 %: no tag
    qtbot.waitUntil(lambda: grid.lead.values.spacing_px() < 3)
    grid._hover(30.5, 40.5)
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


def test_every_pane_keeps_the_same_size_while_a_run_streams_in(make_window, small_image, qtbot):
    window = make_window(steps=100_000)
    with qtbot.waitSignal(
        window.progressShown, timeout=RUN, check_params_cb=lambda p: p.method == "conv_transpose"
    ):
        window.open_path(small_image)
    panes = window.grid.visible_panes()
    assert any(p.message.isVisible() for p in panes) and any(p.pixels is not None for p in panes)

    def sizes():
        widths = [p.view.width() for p in window.grid.visible_panes()]
        heights = [p.view.height() for p in window.grid.visible_panes()]
        return min(widths), max(widths), min(heights), max(heights)

    def equal_cells(found) -> bool:
        """Equal cells (layout rounding allows one pixel): no collapsed or stretched row."""
        narrow, wide, short, tall = found
        return wide - narrow <= 1 and tall - short <= 1 and short > 60

    assert equal_cells(sizes())
    window.cancel()
    qtbot.waitUntil(lambda: not window.running, timeout=RUN)
    assert equal_cells(sizes())
    assert "cancelled" in window.grid.pane("grid_sample").message.text()


def test_heat_values_carry_a_sign_only_in_the_signed_view(loaded, qtbot):
    nearest = loaded.grid.pane("nearest")
    for mode, signed in (("signed", True), ("abs", False)):
        loaded.heat.set_mode(mode)
        qtbot.waitUntil(lambda: nearest.showing_heat() and not loaded.grid.views_pending())
        text, _ = nearest.describe_pixel(10, 10)
        assert text.startswith(("+", "-")) == signed, (mode, text)


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


def test_results_come_with_their_mipmap_levels_made_off_the_gui_thread(tmp_path, qtbot):
    """Showing a result builds no levels on the GUI thread: the engine's thread made them."""
    import threading

    from viewer.core.settings import Settings
    from viewer.core.views.minify import levels_ahead
    from viewer.ui.pane import Pane
    from viewer.ui.worker import EngineWorker, RunJob

    path = tmp_path / "photo.png"
    Image.fromarray(np.random.default_rng(1).integers(0, 256, (260, 300, 3), np.uint8)).save(path)
    worker, results, threads = EngineWorker(), [], set()

    def record(_run_id, kind, payload):
        if kind == "result":
            results.append(payload)
            threads.add(threading.get_ident())

    worker.event.connect(record, Qt.ConnectionType.DirectConnection)
    worker._run(RunJob(1, str(path), lambda: load_image(path), Settings(), ("nearest",)))
    (result,) = results
    assert threading.get_ident() not in threads  # made on the engine's measuring thread
    expected = levels_ahead(result.image)
    assert len(result.ahead) == len(expected) >= 1
    for made, level in zip(result.ahead, expected, strict=True):
        np.testing.assert_array_equal(made, level)
    pane = Pane("nearest", "Nearest")
    qtbot.addWidget(pane)
    pane.set_pixels(result.image, ahead=result.ahead)
    assert pane.image._pyramid.level(1) is result.ahead[0]
