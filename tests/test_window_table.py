"""The metrics table: selection, artifact scores, sorting, and panes that follow it."""

import pytest
from PySide6.QtCore import Qt


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


def test_panes_can_follow_the_tables_sort(loaded):
    loaded.order_action.setChecked(True)
    loaded.pane_menus.order()
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
