"""A settings-panel editor for each schema option: its range, step and help come from the
schema, so the window can never offer a value the command line refuses."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from viewer.core.settings import DEGRADATIONS, Option


class OptionEditor(QWidget):
    """One option's widget, read and written as the option's own value."""

    def __init__(self, option: Option) -> None:
        super().__init__()
        self.option = option
        self.setToolTip(f"{option.help} ({option.describe()})")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.field = self._make_field()
        self.field.setToolTip(self.toolTip())
        layout.addWidget(self.field, stretch=1)
        if option.kind == "path":
            browse = QPushButton("…")
            browse.setToolTip("Choose a file (or, after Cancel, a folder)")
            browse.clicked.connect(self._choose_path)
            layout.addWidget(browse)
        self.set_value(option.default)

    def _make_field(self) -> QWidget:
        option = self.option
        if option.choices:
            combo = QComboBox()
            for choice in option.choices:
                combo.addItem(f"x{choice}" if option.name == "scale" else str(choice), choice)
                if choice in DEGRADATIONS:
                    combo.setItemData(
                        combo.count() - 1, DEGRADATIONS[choice], Qt.ItemDataRole.ToolTipRole
                    )
            return combo
        if option.kind is int:
            return QSpinBox(
                minimum=int(option.low), maximum=int(option.high), singleStep=option.step
            )
        if option.kind is float:
            decimals = 6 if option.low and option.low < 1e-4 else 4
            return QDoubleSpinBox(
                decimals=decimals,
                minimum=option.low,
                maximum=option.high,
                singleStep=option.step,
            )
        field = QLineEdit()
        field.setPlaceholderText("(default)" if option.optional else "")
        return field

    def value(self) -> Any:
        field = self.field
        if isinstance(field, QComboBox):
            return field.currentData()
        if isinstance(field, QSpinBox | QDoubleSpinBox):
            return field.value()
        return field.text().strip() or None

    def set_value(self, value: Any) -> None:
        field = self.field
        if isinstance(field, QComboBox):
            field.setCurrentIndex(max(0, field.findData(value)))
        elif isinstance(field, QSpinBox | QDoubleSpinBox):
            field.setValue(value)
        else:
            field.setText("" if value is None else str(value))

    def _choose_path(self) -> None:
        """A file, or (if cancelled) a folder: QFileDialog cannot offer both at once."""
        path, _ = QFileDialog.getOpenFileName(self, self.option.label, "", "Images (*)")
        if not path:
            path = QFileDialog.getExistingDirectory(self, f"{self.option.label}: a folder")
        if path:
            self.set_value(path)
