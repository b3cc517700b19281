"""The line profile: values under the line, legend, CSV, and a line shared by every pane."""

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt


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


def test_profile_csv_opens_in_the_last_folder_and_says_where_it_went(
    loaded, qtbot, tmp_path, monkeypatch
):
    from viewer.ui import profile

    loaded.settings.set_last_folder(tmp_path)
    asked = []
    target = tmp_path / "line.csv"

    def save_dialog(parent, title, start, filter):
        asked.append(start)
        return str(target), filter

    monkeypatch.setattr(profile.QFileDialog, "getSaveFileName", save_dialog)
    loaded.toggle_profile()
    loaded.profile_tool.set_line((2.5, 10.5), (60.5, 10.5))
    with qtbot.waitSignal(loaded.profile_plot.exported):
        qtbot.mouseClick(loaded.profile_plot.export_button, Qt.MouseButton.LeftButton)
    assert asked == [str(tmp_path / "profile.csv")]
    assert target.exists() and str(target) in loaded.status.text()


def test_legend_names_are_in_the_text_colour_beside_a_swatch(loaded):
    """A near-white "Original" must not look disabled: the colour is an icon, not the text."""
    loaded.toggle_profile()
    loaded.profile_tool.set_line((2.5, 10.5), (60.5, 10.5))
    legend = loaded.profile_plot.legend
    for i in range(legend.count()):
        item = legend.item(i)
        assert item.foreground().style() == Qt.BrushStyle.NoBrush
        assert not item.icon().isNull()
    assert legend.item(0).text() == "Original"
    loaded.inspector.show_values("x 1  y 1", [("Original", "#f0f0f0", "1 2 3")])
    cell = loaded.inspector.table.item(0, 0)
    assert cell.text() == "Original" and cell.foreground().style() == Qt.BrushStyle.NoBrush
    assert not cell.icon().isNull()
