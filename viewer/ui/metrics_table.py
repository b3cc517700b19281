"""The sortable metrics table; selecting a row names the method whose pane to highlight."""

from __future__ import annotations

import math

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from viewer.core.methods import get_method
from viewer.core.presentation.columns import METRICS, columns_for, is_undefined
from viewer.core.run.results import MethodResult
from viewer.core.settings import Settings

METHOD_TITLE, METHOD_TIP = "Method", "The upsampler"


class NumberItem(QTableWidgetItem):
    """Sorts by number (errors and undefined values last), shows a formatted text."""

    def __init__(self, value: float | None, text: str) -> None:
        super().__init__(text)
        self.value = math.inf if is_undefined(value) else value
        self.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def __lt__(self, other: QTableWidgetItem) -> bool:
        if isinstance(other, NumberItem):
            return self.value < other.value
        return super().__lt__(other)


def number_cells(result: MethodResult) -> list[NumberItem]:
    """One cell a metric column; a failed method's cells all read '—'."""
    values = [None if result.metrics is None else c.value(result) for c in METRICS]
    return [NumberItem(value, c.text(value)) for c, value in zip(METRICS, values, strict=True)]


class MetricsTable(QTableWidget):
    methodSelected = Signal(str)

    def __init__(self) -> None:
        super().__init__(0, 1 + len(METRICS))
        titles = [(METHOD_TITLE, METHOD_TIP), *((c.title, c.tip) for c in METRICS)]
        for column, (title, tip) in enumerate(titles):
            header = QTableWidgetItem(title)
            header.setToolTip(tip)
            self.setHorizontalHeaderItem(column, header)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.verticalHeader().hide()
        # Every header stays readable; the table scrolls sideways when the dock is narrow.
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.setSortingEnabled(True)
        self.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.itemSelectionChanged.connect(self._selection_changed)
        self.show_columns_for("image")

    def show_columns_for(self, kind: str, settings: Settings | None = None) -> None:
        """Only the columns an input of this `kind` has numbers in under `settings` (e.g. the
        segmentation scores for label maps, PSNR-Y for photos, FLIP when asked for): the
        others would be empty."""
        shown = columns_for(kind, settings)
        for column, metric in enumerate(METRICS, start=1):
            self.setColumnHidden(column, metric not in shown)

    def clear_rows(self) -> None:
        self.setRowCount(0)

    def add_result(self, result: MethodResult) -> None:
        """The method's row, replacing the one of its earlier result (a method re-run
        alone: your upsampler after a save)."""
        self.setSortingEnabled(False)
        if result.method in self.method_ids():
            self.removeRow(self.method_ids().index(result.method))
        row = self.rowCount()
        self.insertRow(row)
        name = QTableWidgetItem(get_method(result.method).name)
        name.setData(Qt.ItemDataRole.UserRole, result.method)
        failure = "\n\n".join(text for text in (result.error, result.detail) if text)
        name.setToolTip(failure or get_method(result.method).summary)
        self.setItem(row, 0, name)
        for column, cell in enumerate(number_cells(result), start=1):
            cell.setToolTip(failure)
            self.setItem(row, column, cell)
        self.setSortingEnabled(True)

    def method_ids(self) -> list[str]:
        return [self.item(r, 0).data(Qt.ItemDataRole.UserRole) for r in range(self.rowCount())]

    def select_method(self, method_id: str) -> None:
        self.selectRow(self.method_ids().index(method_id))

    def _selection_changed(self) -> None:
        rows = self.selectionModel().selectedRows()
        if rows:
            self.methodSelected.emit(self.item(rows[0].row(), 0).data(Qt.ItemDataRole.UserRole))
