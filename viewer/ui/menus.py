"""The window's menus and shortcuts, made from the actions table (viewer/controllers/actions),
and the Help → Keyboard shortcuts window made from the same table."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHeaderView,
    QMainWindow,
    QMenu,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from viewer.controllers.actions import (
    ACTIONS,
    MENUS,
    Action,
    Entry,
    Separator,
    Submenu,
    shortcut_rows,
)


class Menus:
    """The menu bar of `window` as the table says. `resolve(target)` is the object a
    command's target names, asked each time an entry is triggered (the view keys move
    whichever view is on show). `owners[mode]` is the widget whose focus a mode's keys need."""

    def __init__(
        self,
        window: QMainWindow,
        resolve: Callable[[str], object],
        owners: dict[str, QWidget],
        entries: tuple[Entry, ...] = ACTIONS,
    ) -> None:
        self.window, self.resolve, self.owners = window, resolve, owners
        self.menus: dict[str, QMenu] = {}
        self.made: list[tuple[Action, QAction]] = []  # every entry, in menu order
        self.groups: dict[str, QActionGroup] = {}
        self.shortcuts: ShortcutsWindow | None = None
        for menu_id, title in MENUS.items():
            self.menus[menu_id] = window.menuBar().addMenu(title)
        for entry in entries:
            parent = self.menus[entry.menu]
            if isinstance(entry, Separator):
                parent.addSeparator()
            elif isinstance(entry, Submenu):
                self.menus[entry.id] = parent.addMenu(entry.text)
            else:
                parent.addAction(self._make(entry))

    def _make(self, entry: Action) -> QAction:
        action = QAction(entry.text, self.window)
        action.setShortcuts([QKeySequence(key) for key in entry.keys])
        action.setCheckable(entry.checkable)
        action.setChecked(entry.checked)
        target, method = entry.target()
        action.triggered.connect(lambda _=False: getattr(self.resolve(target), method)(*entry.args))
        for widget in [self.owners[mode] for mode in entry.where] or [self.window]:
            widget.addAction(action)
        if entry.where:
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        if entry.group is not None:
            self.groups.setdefault(entry.group, QActionGroup(self.window)).addAction(action)
        self.made.append((entry, action))
        return action

    def show_shortcuts(self) -> None:
        """Help → Keyboard shortcuts: made from the same table as the menus."""
        self.shortcuts = ShortcutsWindow(self.window)
        self.shortcuts.show()

    def action(self, action_id: str) -> QAction:
        return next(action for entry, action in self.made if entry.id == action_id)

    def fill(self, menu_id: str, entries: list[tuple[str, object, Callable]]) -> None:
        """Refill dynamic menu `menu_id` with (text, data, slot) entries."""
        menu = self.menus[menu_id]
        menu.clear()
        for text, data, slot in entries:
            action = menu.addAction(text)
            action.setData(data)
            action.triggered.connect(lambda _=False, s=slot: s())
        menu.setEnabled(bool(entries))

    def fill_checkable(
        self, menu_id: str, entries: list[tuple[str, str, bool]], toggled: Callable
    ) -> None:
        """One checkable entry per (text, key, checked); `toggled(key, on)` on a change.
        Entries are updated in place when the keys are the same: this runs while one of
        them emits, which clear() would delete."""
        menu = self.menus[menu_id]
        actions = menu.actions()
        if [action.data() for action in actions] == [key for _, key, _ in entries]:
            for action, (_, _, checked) in zip(actions, entries, strict=True):
                action.blockSignals(True)
                action.setChecked(checked)
                action.blockSignals(False)
            return
        menu.clear()
        for text, key, checked in entries:
            action = menu.addAction(text)
            action.setData(key)
            action.setCheckable(True)
            action.setChecked(checked)
            action.toggled.connect(lambda on, k=key: toggled(k, on))


class ShortcutsWindow(QDialog):
    """Help → Keyboard shortcuts: every key of the actions table, what it does and where."""

    def __init__(self, parent: QWidget | None = None, entries: tuple[Entry, ...] = ACTIONS):
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        rows = shortcut_rows(entries)
        self.table = QTableWidget(len(rows), 3)
        self.table.setHorizontalHeaderLabels(["Keys", "Does", "Works in"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        for row, cells in enumerate(rows):
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        self.resize(560, 620)

    def rows(self) -> list[tuple[str, ...]]:
        """What the table shows, row by row."""
        return [
            tuple(self.table.item(r, c).text() for c in range(3))
            for r in range(self.table.rowCount())
        ]
