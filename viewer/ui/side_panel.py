"""The steering panel: scale, methods, training and noise options, seed; Run and Cancel."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from viewer.core.degrade import DEGRADATIONS, SCALES
from viewer.core.method import Settings
from viewer.core.methods import all_methods, get_method


class SidePanel(QWidget):
    runRequested = Signal()
    cancelRequested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.scale = QComboBox()
        for scale in SCALES:
            self.scale.addItem(f"x{scale}", scale)
        self.steps = QSpinBox(maximum=100_000, singleStep=10)
        self.steps.setToolTip("Training steps for learned methods")
        self.grid_noise = QDoubleSpinBox(decimals=4, maximum=1.0, singleStep=0.001)
        self.grid_noise.setToolTip("Std of the Gaussian noise added to grid_sample's grid")
        self.seed = QSpinBox(maximum=2**31 - 1)
        self.degrade = QComboBox()
        for kind, text in DEGRADATIONS.items():
            self.degrade.addItem(kind, kind)
            self.degrade.setItemData(self.degrade.count() - 1, text, Qt.ItemDataRole.ToolTipRole)
        self.degrade.setToolTip("How the low-res input is made from the original")
        self.lr = QDoubleSpinBox(decimals=5, minimum=1e-5, maximum=1.0, singleStep=1e-3)
        self.lr.setToolTip(
            "Starting learning rate of the shared training recipe (Adam, cosine "
            "decay); the article's conv_transpose keeps its own 1e-3"
        )
        self.train_on = QLineEdit()
        self.train_on.setPlaceholderText("the input image (as the article)")
        self.train_on.setToolTip(
            "An image or a folder of images that learned methods train on, "
            "for a held-out comparison; empty trains on the input itself"
        )
        self.train_on_button = QPushButton("…")
        self.train_on_button.setToolTip("Choose a training image or folder")
        self.train_on_button.clicked.connect(self._choose_training)
        self.methods = QListWidget()
        for method in all_methods():
            item = QListWidgetItem(method.name)
            item.setData(Qt.ItemDataRole.UserRole, method.id)
            item.setToolTip(method.info)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.methods.addItem(item)
        self.info = QTextBrowser()
        self.info.setMinimumHeight(120)
        self.methods.currentItemChanged.connect(self._show_info)
        self.methods.itemEntered.connect(self._show_info)
        self.methods.setMouseTracking(True)
        self.methods.setCurrentRow(0)
        self.run_button = QPushButton("Run")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setEnabled(False)
        self.run_button.clicked.connect(self.runRequested)
        self.cancel_button.clicked.connect(self.cancelRequested)

        form = QFormLayout()
        form.addRow("Scale", self.scale)
        form.addRow("Training steps", self.steps)
        form.addRow("Grid noise", self.grid_noise)
        form.addRow("Seed", self.seed)
        form.addRow("Degradation", self.degrade)
        form.addRow("Learning rate", self.lr)
        train_row = QHBoxLayout()
        train_row.addWidget(self.train_on, stretch=1)
        train_row.addWidget(self.train_on_button)
        form.addRow("Train on", train_row)
        buttons = QHBoxLayout()
        buttons.addWidget(self.run_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.methods, stretch=2)
        layout.addWidget(self.info, stretch=1)
        layout.addLayout(buttons)
        self.set_settings(Settings())

    def settings(self) -> Settings:
        return Settings(
            scale=self.scale.currentData(),
            steps=self.steps.value(),
            seed=self.seed.value(),
            grid_noise=self.grid_noise.value(),
            lr=self.lr.value(),
            degrade=self.degrade.currentData(),
            train_on=self.train_on.text().strip() or None,
        )

    def set_settings(self, settings: Settings) -> None:
        self.scale.setCurrentIndex(max(0, self.scale.findData(settings.scale)))
        self.steps.setValue(settings.steps)
        self.seed.setValue(settings.seed)
        self.grid_noise.setValue(settings.grid_noise)
        self.lr.setValue(settings.lr)
        self.degrade.setCurrentIndex(max(0, self.degrade.findData(settings.degrade)))
        self.train_on.setText(settings.train_on or "")

    def _items(self) -> list[QListWidgetItem]:
        return [self.methods.item(i) for i in range(self.methods.count())]

    def selected_methods(self) -> list[str]:
        return [
            item.data(Qt.ItemDataRole.UserRole)
            for item in self._items()
            if item.checkState() == Qt.CheckState.Checked
        ]

    def set_selected_methods(self, ids: list[str]) -> None:
        for item in self._items():
            checked = item.data(Qt.ItemDataRole.UserRole) in ids
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def set_running(self, running: bool) -> None:
        self.cancel_button.setEnabled(running)

    def _choose_training(self) -> None:
        """A file, or (if cancelled) a folder: QFileDialog cannot offer both at once."""
        path, _ = QFileDialog.getOpenFileName(self, "Train on an image", "", "Images (*)")
        if not path:
            path = QFileDialog.getExistingDirectory(self, "…or train on a folder of images")
        if path:
            self.train_on.setText(path)

    def _show_info(self, item: QListWidgetItem | None, *_) -> None:
        if item is not None:
            method = get_method(item.data(Qt.ItemDataRole.UserRole))
            self.info.setPlainText(f"{method.name} ({method.id})\n\n{method.info}")
