"""The sortable metrics table; selecting a row names the method whose pane to highlight."""

from __future__ import annotations

import math

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from viewer.core.engine import MethodResult
from viewer.core.methods import get_method

COLUMNS = [
    ("Method", "The upsampler"),
    ("PSNR dB", "Peak signal-to-noise ratio against the original (peak 255); higher is better"),
    ("SSIM", "Structural similarity (scikit-image, all channels); 1 is identical"),
    ("MAE", "Mean absolute error of the uint8 result, 0..255"),
    ("Max err", "Largest absolute error of any value"),
    ("Clipped", "Fraction of float values outside [0, 255] before clipping (overshoot)"),
    ("ms", "Time of the method: build and training, the Paddle call, conversion back"),
    ("Params", "Learned parameters"),
]


class NumberItem(QTableWidgetItem):
    """Sorts by number (errors and undefined values last), shows a formatted text."""

    def __init__(self, value: float | None, text: str) -> None:
        super().__init__(text)
        self.value = math.inf if value is None or math.isnan(value) else value
        self.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def __lt__(self, other: QTableWidgetItem) -> bool:
        if isinstance(other, NumberItem):
            return self.value < other.value
        return super().__lt__(other)


def number_cells(result: MethodResult) -> list[NumberItem]:
    m = result.metrics
    if m is None:
        return [NumberItem(None, "—") for _ in COLUMNS[1:]]
    return [
        NumberItem(m.psnr, "inf" if math.isinf(m.psnr) else f"{m.psnr:.2f}"),
        NumberItem(m.ssim, f"{m.ssim:.4f}"),
        NumberItem(m.mae, f"{m.mae:.2f}"),
        NumberItem(m.max_abs, f"{m.max_abs:.0f}"),
        NumberItem(m.clipped, f"{m.clipped:.2%}"),
        NumberItem(result.ms, f"{result.ms:.1f}"),
        NumberItem(result.params, f"{result.params:,}"),
    ]


class MetricsTable(QTableWidget):
    methodSelected = Signal(str)

    def __init__(self) -> None:
        super().__init__(0, len(COLUMNS))
        for column, (title, tip) in enumerate(COLUMNS):
            header = QTableWidgetItem(title)
            header.setToolTip(tip)
            self.setHorizontalHeaderItem(column, header)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.verticalHeader().hide()
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.setSortingEnabled(True)
        self.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.itemSelectionChanged.connect(self._selection_changed)

    def clear_rows(self) -> None:
        self.setRowCount(0)

    def add_result(self, result: MethodResult) -> None:
        self.setSortingEnabled(False)
        row = self.rowCount()
        self.insertRow(row)
        name = QTableWidgetItem(get_method(result.method).name)
        name.setData(Qt.ItemDataRole.UserRole, result.method)
        name.setToolTip(result.error or get_method(result.method).summary)
        self.setItem(row, 0, name)
        for column, cell in enumerate(number_cells(result), start=1):
            cell.setToolTip(result.error or "")
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
