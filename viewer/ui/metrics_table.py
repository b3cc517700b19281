"""The sortable metrics table; selecting a row names the method whose pane to highlight."""

from __future__ import annotations

import math

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from viewer.core.methods import get_method
from viewer.core.output.report import LABEL_COLUMNS
from viewer.core.run.results import MethodResult


def _percent(value: float) -> str:
    return f"{value:.2%}"


def _small(value: float) -> str:
    return f"{value:.2e}" if 0 < abs(value) < 1e-3 else f"{value:.4f}"


# (title, tooltip, value of a MethodResult, text of that value)
COLUMNS = [
    ("Method", "The upsampler", None, None),
    (
        "Pixel acc",
        "Label maps: the fraction of pixels given their true class (ignore pixels left out)",
        lambda r: r.metrics.pixel_acc,
        lambda v: f"{v:.4f}",
    ),
    (
        "mIoU",
        "Label maps: intersection over union per class, averaged over the classes in the "
        "ground truth or the prediction",
        lambda r: r.metrics.miou,
        lambda v: f"{v:.4f}",
    ),
    (
        "Boundary IoU",
        "Label maps: IoU of the bands within d = 2 % of the diagonal of each class's edges "
        "(Cheng et al. 2021), averaged over classes: how well the boundaries are placed",
        lambda r: r.metrics.boundary_iou,
        lambda v: f"{v:.4f}",
    ),
    (
        "Boundary F",
        "Label maps: F-score of one-pixel class boundaries matched within 0.75 % of the "
        "diagonal (the BSDS tolerance)",
        lambda r: r.metrics.boundary_f,
        lambda v: f"{v:.4f}",
    ),
    (
        "PSNR dB",
        "Peak signal-to-noise ratio against the original (peak 255); higher is better",
        lambda r: r.metrics.psnr,
        lambda v: "inf" if math.isinf(v) else f"{v:.2f}",
    ),
    (
        "SSIM",
        "Structural similarity (scikit-image, all channels); 1 is identical",
        lambda r: r.metrics.ssim,
        lambda v: f"{v:.4f}",
    ),
    (
        "PSNR-Y",
        "The super-resolution papers' PSNR: on BT.601 Y (16..235), r pixels shaved from each "
        "border. Compare with published tables under the sr protocol",
        lambda r: r.metrics.psnr_y,
        lambda v: "inf" if math.isinf(v) else f"{v:.2f}",
    ),
    (
        "SSIM-Y",
        "The super-resolution papers' SSIM: on Y, r pixels shaved, 11x11 Gaussian window "
        "(sigma 1.5) over the valid region",
        lambda r: r.metrics.ssim_y,
        lambda v: f"{v:.4f}",
    ),
    (
        "MAE",
        "Mean absolute error of the uint8 result, 0..255",
        lambda r: r.metrics.mae,
        lambda v: f"{v:.2f}",
    ),
    (
        "Max err",
        "Largest absolute error of any value",
        lambda r: r.metrics.max_abs,
        lambda v: f"{v:.0f}",
    ),
    (
        "Clipped",
        "Fraction of float values outside [0, 255] before clipping",
        lambda r: r.metrics.clipped,
        _percent,
    ),
    (
        "Checkerboard",
        "Energy at the replica frequencies k·N/r (DC excluded) over all non-DC "
        "energy of the output: the periodic pattern of transposed convolutions. 0 for nearest",
        lambda r: r.artifacts.checkerboard,
        _small,
    ),
    (
        "Phase CV",
        "Response to a constant image: spread of the r² polyphase means over their "
        "mean. 0 for a shift-invariant upsampler; large means a pattern even on flat areas",
        lambda r: r.artifacts.phase_cv,
        _small,
    ),
    (
        "Overshoot",
        "Fraction of output values outside the original's value range (ringing)",
        lambda r: r.artifacts.overshoot,
        _percent,
    ),
    (
        "Overshoot max",
        "Largest excursion beyond the original's value range, 0..255 units",
        lambda r: r.artifacts.overshoot_max,
        lambda v: f"{v:.1f}",
    ),
    (
        "HF energy",
        "Fraction of non-DC luma energy above the low-res Nyquist frequency: "
        "detail the input could not hold (sharpness, aliasing or invented texture)",
        lambda r: r.artifacts.hf_energy,
        _percent,
    ),
    (
        "ms",
        "Time of the method: build and training, the Paddle call, conversion back",
        lambda r: r.ms,
        lambda v: f"{v:.1f}",
    ),
    ("Params", "Learned parameters", lambda r: r.params, lambda v: f"{v:,}"),
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
    if result.metrics is None:
        return [NumberItem(None, "—") for _ in COLUMNS[1:]]
    cells = []
    for _, _, value, text in COLUMNS[1:]:
        number = value(result)
        undefined = number is None or (isinstance(number, float) and math.isnan(number))
        cells.append(NumberItem(number, "—" if undefined else text(number)))
    return cells


class MetricsTable(QTableWidget):
    methodSelected = Signal(str)

    def __init__(self) -> None:
        super().__init__(0, len(COLUMNS))
        for column, (title, tip, _, _) in enumerate(COLUMNS):
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
        self.show_label_columns(False)

    def show_label_columns(self, shown: bool) -> None:
        """The segmentation columns only for label maps (they are empty otherwise)."""
        for column in range(1, 1 + len(LABEL_COLUMNS)):
            self.setColumnHidden(column, not shown)

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
