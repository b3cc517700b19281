"""A folder run in the window: images x methods, one metric at a time, the mean on top."""

from __future__ import annotations

import math
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from viewer.core.methods import get_method
from viewer.core.output.summary import summarize
from viewer.core.presentation.columns import (
    UNDEFINED,
    MetricColumn,
    columns_for,
    headline,
    is_undefined,
)
from viewer.core.settings import Settings

MEAN_ROW = -1  # the image index the mean row stands for


class DatasetItem(QTableWidgetItem):
    """A cell that sorts by its value; the mean row's cells stay on top in either order."""

    def __init__(self, text: str, value: float | str, pinned: bool = False) -> None:
        super().__init__(text)
        self.value, self.pinned = value, pinned
        if pinned:
            font = self.font()
            font.setBold(True)
            self.setFont(font)
        if not isinstance(value, str):
            self.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def __lt__(self, other: QTableWidgetItem) -> bool:
        if isinstance(other, DatasetItem) and self.pinned != other.pinned:
            order = self.tableWidget().horizontalHeader().sortIndicatorOrder()
            return self.pinned == (order == Qt.SortOrder.AscendingOrder)
        if isinstance(other, DatasetItem) and type(self.value) is type(other.value):
            return self.value < other.value
        return super().__lt__(other)


def number(value: float | None, column: MetricColumn | None) -> tuple[str, float]:
    """(text, sort value) of a metric, written as the Metrics table writes it (2.58%,
    5.23e-06, 29.50): undefined values (or no metric chosen) read '—' and sort last."""
    if column is None or is_undefined(value):
        return UNDEFINED, math.inf
    return column.text(value), float(value)


class DatasetTable(QWidget):
    """`imageSelected(index)` when the user picks an image's row."""

    imageSelected = Signal(int)

    def __init__(self) -> None:
        super().__init__()
        self.metric = QComboBox()
        self.columns: dict[str, MetricColumn] = {}
        self._offer(columns_for("image"))
        self.metric.setToolTip("The metric every cell shows")
        self.metric.currentIndexChanged.connect(lambda _: self._fill())
        self.summary_label = QLabel()
        self.table = QTableWidget(0, 1)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        rows = self.table.verticalHeader()
        rows.setDefaultSectionSize(self.table.fontMetrics().height() + 6)  # compact rows
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        top = QHBoxLayout()
        top.addWidget(QLabel("Metric"))
        top.addWidget(self.metric)
        top.addWidget(self.summary_label, stretch=1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addLayout(top)
        layout.addWidget(self.table)
        self.files: list[Path] = []
        self.methods: list[str] = []
        self.documents: dict[int, dict] = {}
        self.failed: dict[int, str] = {}

    def start(self, files: list[Path], methods: list[str], metric: str) -> None:
        """A new dataset: its files and methods, no results yet."""
        self.files, self.methods = files, methods
        self.documents, self.failed = {}, {}
        self.metric.blockSignals(True)
        self.metric.setCurrentIndex(self.metric.findData(metric))
        self.metric.blockSignals(False)
        self._fill()

    def clear(self) -> None:
        """No dataset: no rows to pick."""
        self.start([], [], self.metric.currentData())

    def set_kind(self, kind: str, settings: Settings | None = None) -> None:
        """The metrics an input of this kind has under `settings` (opt-in ones such as FLIP
        only when on: viewer.core.presentation.columns), its headline one chosen."""
        self.metric.blockSignals(True)
        self._offer(columns_for(kind, settings))
        self.metric.setCurrentIndex(self.metric.findData(headline(kind)))
        self.metric.blockSignals(False)
        self._fill()

    def _offer(self, columns: tuple[MetricColumn, ...]) -> None:
        self.metric.clear()
        self.columns = {column.key: column for column in columns}
        for index, column in enumerate(columns):
            self.metric.addItem(column.title, column.key)
            tip = f"{column.tip} ({column.key} in metrics.json)"
            self.metric.setItemData(index, tip, Qt.ItemDataRole.ToolTipRole)

    def add(self, index: int, document: dict | None, reason: str | None) -> None:
        """Image `index` is done: its metrics document, or why it was skipped."""
        if document is None:
            self.failed[index] = reason or "skipped"
        else:
            self.documents[index] = document
        self._fill()

    def summary(self) -> dict | None:
        """The folder's summary.json so far (the headless run's definition), or None."""
        if not self.documents:
            return None
        failed = [{"file": str(self.files[i]), "reason": r} for i, r in self.failed.items()]
        return summarize([self.documents[i] for i in sorted(self.documents)], failed)

    def _fill(self) -> None:
        metric = self.metric.currentData()
        table = self.table
        selected = self.selected_index()
        table.setSortingEnabled(False)
        table.clear()
        table.setColumnCount(1 + len(self.methods))
        table.setHorizontalHeaderLabels(["Image", *(get_method(m).name for m in self.methods)])
        rows = [(MEAN_ROW, self._mean_cells(metric))]
        rows += [(i, self._image_cells(i, metric)) for i in sorted({*self.documents, *self.failed})]
        table.setRowCount(len(rows))
        for row, (index, cells) in enumerate(rows):
            for column, item in enumerate(cells):
                item.setData(Qt.ItemDataRole.UserRole, index)
                table.setItem(row, column, item)
        table.setSortingEnabled(True)
        done = len(self.documents) + len(self.failed)
        skipped = f", {len(self.failed)} skipped" if self.failed else ""
        self.summary_label.setText(f"  {done} of {len(self.files)} images{skipped}")
        if selected is not None:
            self.select(selected)

    def _mean_cells(self, metric: str) -> list[DatasetItem]:
        summary = self.summary()
        means = {row["method"]: row for row in summary["methods"]} if summary else {}
        count = len(self.documents)
        plural = "" if count == 1 else "s"
        cells = [DatasetItem(f"Mean of {count} image{plural}", "", pinned=True)]
        column = self.columns.get(metric)
        for method in self.methods:
            entry = means.get(method)
            text, value = number(entry and entry.get(metric), column)
            if entry and entry.get(f"{metric}_std") is not None and text != UNDEFINED:
                text += f" ± {column.text(entry[f'{metric}_std'])}"
            cells.append(DatasetItem(text, value, pinned=True))
        return cells

    def _image_cells(self, index: int, metric: str) -> list[DatasetItem]:
        name = DatasetItem(self.files[index].name, self.files[index].name)
        if index in self.failed:
            name.setToolTip(f"skipped: {self.failed[index]}")
            return [name] + [DatasetItem("skipped", math.inf) for _ in self.methods]
        rows = {row["method"]: row for row in self.documents[index]["methods"]}
        cells, column = [name], self.columns.get(metric)
        for method in self.methods:
            row = rows.get(method, {})
            text, value = number(row.get(metric), column)
            cell = DatasetItem("failed" if row.get("error") else text, value)
            cell.setToolTip(row.get("error") or "")
            cells.append(cell)
        return cells

    def selected_index(self) -> int | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.table.item(rows[0].row(), 0).data(Qt.ItemDataRole.UserRole) if rows else None

    def select(self, index: int) -> None:
        for row in range(self.table.rowCount()):
            if self.table.item(row, 0).data(Qt.ItemDataRole.UserRole) == index:
                self.table.blockSignals(True)
                self.table.selectRow(row)
                self.table.blockSignals(False)
                return

    def _selection_changed(self) -> None:
        index = self.selected_index()
        if index is not None and index in self.documents:
            self.imageSelected.emit(index)
