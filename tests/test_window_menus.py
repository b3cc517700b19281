"""Menus: docks and panes can be brought back from the View menu."""


def test_every_dock_can_be_brought_back_from_the_view_menu(loaded):
    from PySide6.QtWidgets import QDockWidget

    docks = [d for d in loaded.findChildren(QDockWidget) if d is not loaded.profile_dock]
    assert len(docks) == 5  # the profile dock comes and goes with the line profile (L)
    for dock in docks:
        dock.close()
        assert dock.toggleViewAction() in loaded.docks_menu.actions()
        dock.toggleViewAction().trigger()
        assert dock.isVisible()


def test_the_panes_menu_hides_and_shows_a_pane(loaded):
    entry = next(a for a in loaded.panes_menu.actions() if a.data() == "bicubic")
    entry.trigger()  # unticks: the pane hides, the menu is updated in place
    assert "bicubic" in loaded.model.layout.hidden
    assert not next(a for a in loaded.panes_menu.actions() if a.data() == "bicubic").isChecked()
    entry.trigger()
    assert "bicubic" not in loaded.model.layout.hidden and loaded.grid.pane("bicubic").isVisible()


def test_menus_and_the_shortcuts_window_come_from_one_table(loaded, qtbot):
    from PySide6.QtGui import QKeySequence

    from viewer.controllers.actions import shortcut_rows

    made = loaded.menus.made
    for entry, action in made:
        assert action.text() == entry.text
        assert action.shortcuts() == [QKeySequence(key) for key in entry.keys]
    help_menu = loaded.menus.menus["help"]
    [shortcuts] = [a for a in help_menu.actions() if a.text() == "&Keyboard shortcuts…"]
    shortcuts.trigger()
    window = loaded.menus.shortcuts
    qtbot.waitExposed(window)
    assert window.rows() == shortcut_rows()
    assert ("C", "Compare two panes (swipe / flicker)", "anywhere") in window.rows()


def test_a_view_key_moves_the_compare_view_while_it_is_shown(loaded):
    assert loaded.command_target("view") is loaded.grid
    loaded.toggle_compare()
    assert loaded.command_target("view") is loaded.compare
    assert loaded.command_target("export") is loaded.exports


def test_a_hidden_method_stays_hidden_on_the_next_image(loaded, shared_run):
    from window_helpers import replay

    loaded.grid.set_hidden("bicubic", True)
    replay(loaded, shared_run)  # the next image opens and runs
    assert "bicubic" in loaded.model.layout.hidden
    assert not loaded.grid.pane("bicubic").isVisible()
    assert "1 hidden" in loaded.panes_menu.title()
    loaded.grid.show_all()
    assert loaded.panes_menu.title() == "&Panes"
