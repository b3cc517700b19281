"""Panes: filled from the worker, laid out, hidden, maximised and built lazily."""

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from window_helpers import RUN, assert_one_view, photo_methods

from viewer.core.inputs.image_io import load_image
from viewer.model.panes import best_columns


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


def test_panes_hide_maximise_and_take_a_column_count_without_a_rerun(loaded, qtbot):
    grid = loaded.grid
    count = len(grid.panes)
    bicubic = grid.pane("bicubic")
    before = bicubic.pixels
    loaded.panel.set_selected_methods([m for m in photo_methods() if m != "bicubic"])
    assert (
        "bicubic" in grid.model.layout.hidden and not bicubic.isVisible()
    )  # unticked: hidden at once
    assert bicubic.pixels is before  # its result is kept
    assert len(grid.visible_panes()) == count - 1
    grid.set_hidden("original", True)  # the lead: the others must still follow one view
    grid.zoom_to(4)
    x, y, factor = grid.region()
    assert_one_view(grid.visible_panes())
    assert factor == pytest.approx(4, rel=1e-3)
    grid.toggle_maximised("nearest")
    qtbot.waitUntil(lambda: grid.pane("nearest").width() > 0.8 * grid.width())
    assert grid.visible_panes() == [grid.pane("nearest")] and grid.lead.key == "nearest"
    centre = grid.region()[:2]
    assert centre == pytest.approx((x, y), abs=1)  # the same place, larger
    grid.toggle_maximised()
    grid.show_all()
    loaded.panel.set_selected_methods(photo_methods())
    assert len(grid.visible_panes()) == count and grid.model.layout.maximised is None
    grid.set_columns(2)
    assert grid.columns() == 2
    grid.set_columns(None)
    assert grid.columns() >= 3


def test_every_pane_keeps_the_same_size_while_a_run_streams_in(make_window, small_image, qtbot):
    window = make_window(steps=100_000)
    with qtbot.waitSignal(
        window.progressShown, timeout=RUN, check_params_cb=lambda p: p.method == "conv_transpose"
    ):
        window.inputs.open_path(small_image)
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
    window.runs.cancel()
    qtbot.waitUntil(lambda: not window.runs.running, timeout=RUN)
    assert equal_cells(sizes())
    assert "cancelled" in window.grid.pane("grid_sample").message.text()


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
    worker.run_job(RunJob(1, str(path), lambda: load_image(path), Settings(), ("nearest",)))
    (result,) = results
    assert threading.get_ident() not in threads  # made on the engine's measuring thread
    expected = levels_ahead(result.image)
    assert len(result.ahead) == len(expected) >= 1
    for made, level in zip(result.ahead, expected, strict=True):
        np.testing.assert_array_equal(made, level)
    pane = Pane("nearest", "Nearest")
    qtbot.addWidget(pane)
    pane.set_pixels(result.image, ahead=result.ahead)
    assert pane.image.pyramid.level(1) is result.ahead[0]


def test_a_removed_pane_never_shows_up_as_a_window_of_its_own(loaded, qtbot):

    from viewer.ui.pane import Pane

    kept = [(p.key, p.title, p.tooltip) for p in loaded.model.panes[:4]]
    loaded.grid.set_panes(kept)  # the other panes go (another input runs fewer methods)
    QApplication.processEvents()
    strays = [w for w in QApplication.topLevelWidgets() if isinstance(w, Pane) and w.isVisible()]
    assert strays == [] and QApplication.activeWindow() is loaded


def elided_titles(qtbot, width: int) -> list[str]:
    """Every method's pane title as a label `width` px wide shows it (never wider)."""
    from viewer.core.methods import all_methods
    from viewer.ui.elided_label import ElidedLabel

    titles = []
    for method in all_methods():
        label = ElidedLabel(method.name, bold=True)
        qtbot.addWidget(label)
        label.resize(width, label.sizeHint().height())
        titles.append(label.elided())
        assert label.fontMetrics().horizontalAdvance(titles[-1]) <= width
    return titles


@pytest.mark.parametrize("width", [113, 140])
def test_pane_titles_stay_unique_when_elided_and_numbers_are_never_dropped(qtbot, width):
    """At 1024 x 700 a pane is about 113 px wide: "Conv2DTransp…" named two methods."""
    from viewer.ui.elided_label import NumbersLabel

    titles = elided_titles(qtbot, width)
    assert len(set(titles)) == len(titles), titles
    numbers = NumbersLabel("14.05 dB · SSIM 0.3604 · 12302 ms")
    qtbot.addWidget(numbers)
    numbers.resize(width, numbers.sizeHint().height())
    shown = " · ".join(numbers.shown())
    assert "…" not in shown and all(n in shown for n in ("14.05", "0.3604", "12302"))


def test_a_panes_numbers_keep_the_time_beside_the_first_number_when_narrow(qtbot):
    """In the 85-px panes of a 1024 x 700 window the time was cut ('SSIM 0.9191 · 4…'):
    beside the shorter first number it fits."""
    from viewer.ui.elided_label import NumbersLabel

    numbers = NumbersLabel("28.04 dB · SSIM 0.9191 · 447 ms")
    qtbot.addWidget(numbers)
    numbers.resize(75, numbers.sizeHint().height())
    assert numbers.shown() == ["28.04 dB · 447 ms", "SSIM 0.9191"]


@pytest.mark.parametrize("width", [45, 60, 70, 80])
def test_pane_titles_stay_unique_in_the_narrow_panes_of_label_mode(qtbot, width):
    """Label mode at 1024 x 700 (the Labels toolbar takes a row, 22 panes) leaves a title
    about 70 px: "Conv2D…" and "PixelSh…" each named two methods there."""
    titles = elided_titles(qtbot, width)
    assert len(set(titles)) == len(titles), titles


@pytest.mark.parametrize("width", [80, 86])
def test_a_label_panes_numbers_keep_the_time_in_label_mode_at_1024(qtbot, width):
    """'mIoU 0.9627 · BIoU 0.9210 · 4879 ms' lost its time in an 86 px pane."""
    from viewer.core.measure.metrics import Metrics
    from viewer.core.presentation.captions import result_caption
    from viewer.core.run.results import MethodResult
    from viewer.ui.elided_label import NumbersLabel

    labels = {"pixel_acc": 0.99, "miou": 0.9627, "boundary_iou": 0.921, "boundary_f": 0.9}
    scores = Metrics(20.0, 0.5, 1.0, 3.0, 0.0, **labels)
    caption, _ = result_caption(MethodResult("conv_transpose", metrics=scores, ms=4879.0))
    numbers = NumbersLabel(caption)
    qtbot.addWidget(numbers)
    numbers.resize(width, numbers.sizeHint().height())
    shown = " · ".join(numbers.shown())
    assert "…" not in shown and all(n in shown for n in ("0.9627", "0.9210", "4.9 s"))


def test_the_first_grid_has_only_panes_that_can_run_and_no_made_up_zoom(make_window, qtbot):
    from viewer.core.methods import all_methods

    window = make_window()
    guided = {m.id for m in all_methods() if m.guided}
    assert guided and not guided & set(window.model.pane_keys())  # no guide: not made
    window.grid.regionChanged.emit()
    qtbot.waitUntil(lambda: window.zoom_label.text() == "")  # no image: no "Zoom 13132 %"


def test_the_colour_bar_takes_its_place_without_reflowing_the_panes(loaded, qtbot):
    from window_helpers import RUN

    grid = loaded.grid
    width, columns = grid.width(), grid.columns()
    loaded.heat.set_mode("abs")
    qtbot.waitUntil(lambda: grid.pane("bicubic").showing_heat(), timeout=RUN)
    assert loaded.colour_bar.isVisible()
    assert (grid.width(), grid.columns()) == (width, columns)
    shown = f"Zoom {100 * grid.zoom_factor():.0f} %"
    grid.regionChanged.emit()
    qtbot.waitUntil(lambda: loaded.zoom_label.text() == shown)
