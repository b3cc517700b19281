"""How the user picks which panes show, and in what order: the View → Panes entries, a
pane's context menu, the panel's method ticks and the option to follow the table's sort."""

from __future__ import annotations

from PySide6.QtWidgets import QMenu

from viewer.core.methods import get_method
from viewer.ui.window_parts import WindowParts


class PaneMenus:
    def __init__(self, window: WindowParts) -> None:
        self.window, self.grid, self.model = window, window.grid, window.model
        self.context: QMenu | None = None  # a pane's context menu, kept while open
        window.grid.panesShown.connect(self.refresh)
        window.grid.menuRequested.connect(self.pane_menu)
        window.panel.methodTicked.connect(self.method_ticked)
        window.table.horizontalHeader().sortIndicatorChanged.connect(self.order)

    def order(self, *_args) -> None:
        """With the option on, the method panes follow the metrics table's rows."""
        if self.window.menus.action("order_panes").isChecked():
            self.grid.set_order(self.window.table.method_ids())

    def refresh(self) -> None:
        """One checkable entry per pane: unchecked panes are hidden, results kept."""
        entries = [(p.name, p.key, p.key not in self.model.layout.hidden) for p in self.grid.panes]
        self.window.menus.fill_checkable(
            "panes", entries, lambda key, on: self.grid.set_hidden(key, not on)
        )
        hidden = sum(not shown for _, _, shown in entries)
        title = f"&Panes ({hidden} hidden)" if hidden else "&Panes"
        self.window.menus.menus["panes"].setTitle(title)

    def pane_menu(self, key: str, position) -> None:
        pane = self.grid.pane(key)
        menu = QMenu(self.window)
        restore = self.model.layout.maximised is not None
        maximise = menu.addAction("Back to the grid" if restore else f"Maximise {pane.name}")
        maximise.triggered.connect(lambda: self.grid.toggle_maximised(key))
        hide = menu.addAction(f"Hide {pane.name}")
        hide.triggered.connect(lambda: self.grid.set_hidden(key, True))
        menu.addAction("Show all panes").triggered.connect(self.grid.show_all)
        self.context = menu
        menu.popup(position)

    def method_ticked(self, method_id: str, ticked: bool) -> None:
        """Unticking a method hides its pane at once (its result stays); ticking shows it
        again, or, without a result yet, waits for Run."""
        if any(pane.key == method_id for pane in self.grid.panes):
            self.grid.set_hidden(method_id, not ticked)
        elif ticked:
            self.grid.set_hidden(method_id, False)  # hidden on an earlier image: shown when run
            self.window.status.setText(f"Press Run to compute {get_method(method_id).name}")
