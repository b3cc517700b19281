"""The pixel inspector: for the pixel under the cursor, every pane's value in the units of
what the panes show (RGB, a difference in levels, 1 - SSIM, a spectrum's log magnitude, or
a feature map's own values)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from viewer.ui.swatch import swatch_icon


class PixelInspector(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.where = QLabel("Hover over a pane")
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels(["Pane", "Value"])
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.where)
        layout.addWidget(self.table)

    def show_values(self, where: str, rows: list[tuple[str, str, str]]) -> None:
        """`where` heads the table; rows are (pane name, its colour, its value as text)."""
        self.where.setText(where)
        self.table.setRowCount(len(rows))
        for row, (name, colour, value) in enumerate(rows):
            label = QTableWidgetItem(swatch_icon(colour), name)  # text in the normal colour
            self.table.setItem(row, 0, label)
            self.table.setItem(row, 1, QTableWidgetItem(value))

    def values(self) -> dict[str, str]:
        """What the table shows, by pane name (for tests and export)."""
        return {
            self.table.item(row, 0).text(): self.table.item(row, 1).text()
            for row in range(self.table.rowCount())
        }
