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
