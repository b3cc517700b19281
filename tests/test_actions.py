"""The actions table (Qt-free): one key, one meaning in each mode; every entry is reachable;
the help rows are the keyed entries, in menu order."""

from viewer.controllers.actions import (
    ACTIONS,
    MENUS,
    Action,
    Submenu,
    actions,
    by_id,
    clashes,
    shortcut_rows,
)
from viewer.core.inputs.charts import chart_names
from viewer.core.inputs.samples import sample_names

TARGETS = {
    "inputs",
    "export",
    "runs",
    "window",
    "view",
    "grid",
    "compare",
    "heat",
    "panes",
    "menus",
}


def test_no_key_means_two_things_in_one_mode():
    assert clashes() == {}


def test_a_key_given_twice_in_one_mode_is_found():
    anywhere = (*ACTIONS, Action("view", "Another C", "window.close", keys=("c",)))
    assert clashes(anywhere) == {"panes": ["c"], "compare": ["c"]}
    compare_only = (*ACTIONS, Action("view", "x", "view.fit", keys=("Left",), where=("compare",)))
    assert clashes(compare_only) == {"compare": ["left"]}


def test_up_and_down_pan_the_panes_and_step_b_in_compare():
    meaning = {
        (key, where): action.text
        for action in actions()
        for key in action.keys
        for where in action.where
    }
    assert meaning[("Up", "panes")] == "Pan up"
    assert meaning[("Up", "compare")] == "Compare: previous B"
    assert meaning[("Down", "compare")] == "Compare: next B"
    assert meaning[("Shift+Up", "compare")] == "Pan shift+up"


def test_every_entry_is_in_a_menu_made_before_it():
    made = set(MENUS)
    for entry in ACTIONS:
        assert entry.menu in made, entry
        if isinstance(entry, Submenu):
            made.add(entry.id)


def test_every_command_names_a_known_target_and_a_method():
    for action in actions():
        target, method = action.target()
        assert target in TARGETS and method, action


def test_every_sample_and_chart_has_an_entry():
    opened = {(a.command, a.args) for a in actions()}
    for name in sample_names():
        assert ("inputs.open_sample", (name,)) in opened
    for name in chart_names():
        assert ("inputs.open_chart", (name,)) in opened


def test_the_window_can_name_its_checkable_entries():
    ids = by_id()
    assert {"compare", "profile", "order_panes"} <= set(ids)
    assert all(ids[i].checkable for i in ("compare", "profile", "order_panes"))


def test_the_help_rows_are_every_keyed_entry_in_menu_order():
    rows = shortcut_rows()
    keyed = [a for a in actions() if a.keys]
    assert len(rows) == len(keyed) + 1  # and Space, held in Compare
    assert rows[-1] == ("Space (hold)", "Compare: show B while held", "Compare")
    assert rows[0] == ("Ctrl+O", "Open", "anywhere")
    assert ("Return, Enter", "Maximise / restore the pane", "the panes") in rows
    assert ("Left", "Pan left", "the panes and Compare") in rows
    assert ("F1", "Keyboard shortcuts", "anywhere") in rows
