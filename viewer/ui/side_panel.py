"""The steering panel: an editor per schema option, the methods to run; Run and Cancel."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from viewer.core.method import unavailable
from viewer.core.methods import all_methods, get_method
from viewer.core.settings import RUN_OPTIONS, Settings
from viewer.ui.option_editors import OptionEditor

USER_MARK = "✎"  # before the name of an upsampler from your own file


class SidePanel(QWidget):
    runRequested = Signal()
    cancelRequested = Signal()
    methodTicked = Signal(str, bool)
    removeRequested = Signal(str)  # a user upsampler's id, from the list's context menu

    def __init__(self) -> None:
        super().__init__()
        self.editors = {option.name: OptionEditor(option) for option in RUN_OPTIONS}
        self.editors["train_on"].field.setPlaceholderText("the input image (as the article)")
        self.methods = QListWidget()
        self.ticked: dict[str, bool] = {}  # each method's tick, as last said by methodTicked
        for method in all_methods():
            self.add_method(method)
        self.methods.itemChanged.connect(self._item_changed)
        self.info = QTextBrowser()
        self.info.setMinimumHeight(120)
        self.methods.currentItemChanged.connect(self._show_info)
        self.methods.itemEntered.connect(self._show_info)
        self.methods.setMouseTracking(True)
        self.methods.setCurrentRow(0)
        self.methods.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.methods.customContextMenuRequested.connect(self._method_menu)
        self.run_button = QPushButton("Run")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setEnabled(False)
        self.run_button.clicked.connect(self.runRequested)
        self.cancel_button.clicked.connect(self.cancelRequested)

        form = QFormLayout()
        for option in RUN_OPTIONS:
            form.addRow(option.label, self.editors[option.name])
        buttons = QHBoxLayout()
        buttons.addWidget(self.run_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.methods, stretch=2)
        layout.addWidget(self.info, stretch=1)
        layout.addLayout(buttons)

    def settings(self) -> Settings:
        return Settings(**{name: editor.value() for name, editor in self.editors.items()})

    def set_settings(self, settings: Settings) -> None:
        for name, value in settings.as_dict().items():
            self.editors[name].set_value(value)

    def add_method(self, method) -> None:
        """List one more method (an added result), ticked."""
        if method.id in [item.data(Qt.ItemDataRole.UserRole) for item in self.items()]:
            return
        mine = method.backend == "user"  # your own upsampler file: marked as yours
        item = QListWidgetItem(f"{USER_MARK} {method.name}" if mine else method.name)
        item.setData(Qt.ItemDataRole.UserRole, method.id)
        item.setToolTip(method.info)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked)
        self.ticked[method.id] = True
        self.methods.addItem(item)

    def remove_method(self, method_id: str) -> None:
        """Take a method (a user upsampler) off the list."""
        for row, item in enumerate(self.items()):
            if item.data(Qt.ItemDataRole.UserRole) == method_id:
                self.methods.takeItem(row)
                self.ticked.pop(method_id, None)
                return

    def _method_menu(self, position) -> None:
        """A user upsampler's entry offers to remove it."""
        item = self.methods.itemAt(position)
        if item is None or not item.text().startswith(USER_MARK):
            return
        method_id = item.data(Qt.ItemDataRole.UserRole)
        self.menu = QMenu(self)
        remove = self.menu.addAction(f"Remove {get_method(method_id).name}")
        remove.triggered.connect(lambda: self.removeRequested.emit(method_id))
        self.menu.popup(self.methods.viewport().mapToGlobal(position))

    def _item_changed(self, item: QListWidgetItem) -> None:
        """Only a tick that changed is news: greying an entry out (no guide) or renaming it
        changes the item too, and must not show a pane the user hid."""
        method_id = item.data(Qt.ItemDataRole.UserRole)
        ticked = item.checkState() == Qt.CheckState.Checked
        if self.ticked.get(method_id) != ticked:
            self.ticked[method_id] = ticked
            self.methodTicked.emit(method_id, ticked)

    def set_guide_available(self, available: bool) -> None:
        """Guided methods can run only with a guide image: without one they are greyed out,
        saying why (they stay ticked for the next input that has one)."""
        for item in self.items():
            method = get_method(item.data(Qt.ItemDataRole.UserRole))
            reason = unavailable(method, available)
            flags = item.flags()
            enabled = flags | Qt.ItemFlag.ItemIsEnabled
            item.setFlags(enabled if reason is None else flags & ~Qt.ItemFlag.ItemIsEnabled)
            item.setText(method.name if reason is None else f"{method.name} (needs a guide)")
            item.setToolTip(method.info if reason is None else f"Unavailable: {reason}")

    def items(self) -> list[QListWidgetItem]:
        return [self.methods.item(i) for i in range(self.methods.count())]

    def selected_methods(self) -> list[str]:
        return [
            item.data(Qt.ItemDataRole.UserRole)
            for item in self.items()
            if item.checkState() == Qt.CheckState.Checked
        ]

    def set_selected_methods(self, ids: list[str]) -> None:
        for item in self.items():
            checked = item.data(Qt.ItemDataRole.UserRole) in ids
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def set_running(self, running: bool) -> None:
        self.cancel_button.setEnabled(running)

    def _show_info(self, item: QListWidgetItem | None, *_) -> None:
        if item is not None:
            method = get_method(item.data(Qt.ItemDataRole.UserRole))
            self.info.setPlainText(f"{method.name} ({method.id})\n\n{method.info}")
