"""Every menu entry and keyboard shortcut of the window, as one table of data.

The menus (viewer/ui/menus.py) and the Help → Keyboard shortcuts window are both made from
`ACTIONS`, so a key shown in the help is the key that works. An action names its command as
"target.method" (arguments in `args`); the window says which object each target is. Keys
are Qt's portable key text ("Ctrl+Shift+L"). `where` says in which mode a key works: empty,
anywhere in the window; else only while the panes ("panes") or the Compare view ("compare")
have the keyboard focus, so lists and fields keep their own arrow keys. One key has one
meaning in each mode (`clashes` checks it).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from viewer.core.inputs.charts import chart_names
from viewer.core.inputs.samples import sample_names

MENUS = {"file": "&File", "view": "&View", "run": "&Run", "help": "&Help"}
MODES = ("panes", "compare")
WHERE = {
    (): "anywhere",
    ("panes",): "the panes",
    ("compare",): "Compare",
    ("panes", "compare"): "the panes and Compare",
}
ZOOM_KEYS = {"1": 1, "2": 2, "4": 4, "8": 8}
# Keys held rather than pressed: no menu entry can hold, the view reads them itself.
HELD_KEYS = (("Space (hold)", "Compare: show B while held", ("compare",)),)
COLUMNS = (None, 1, 2, 3, 4, 5, 6)  # None: the count that shows the panes largest


@dataclass(frozen=True)
class Action:
    """One menu entry. `id` names it for the window (a checkable entry's state, a toolbar);
    `group`: checkable entries of one group exclude each other."""

    menu: str
    text: str
    command: str
    args: tuple = ()
    keys: tuple[str, ...] = ()
    where: tuple[str, ...] = ()
    id: str | None = None
    checkable: bool = False
    checked: bool = False
    group: str | None = None

    def target(self) -> tuple[str, str]:
        """(target, method) of the command."""
        target, _, method = self.command.partition(".")
        return target, method

    def plain_text(self) -> str:
        """The text without its mnemonic marker and ellipsis: 'Open', 'Line profile'."""
        return self.text.replace("&", "").removesuffix("…")


@dataclass(frozen=True)
class Separator:
    menu: str


@dataclass(frozen=True)
class Submenu:
    """A menu inside `menu`, addressed as `id` by its entries. A `dynamic` one is filled
    by the window as things change (recent files, panes, docks)."""

    menu: str
    id: str
    text: str
    dynamic: bool = False


Entry = Action | Separator | Submenu


def _file() -> list[Entry]:
    samples = [Action("samples", n, "inputs.open_sample", (n,)) for n in sample_names()]
    charts = [Action("charts", n, "inputs.open_chart", (n,)) for n in chart_names()]
    return [
        Action("file", "&Open…", "inputs.choose_file", keys=("Ctrl+O",)),
        Action("file", "Open a &label map…", "inputs.choose_labels", keys=("Ctrl+Shift+L",)),
        Action(
            "file", "Open a &folder (a dataset)…", "inputs.choose_folder", keys=("Ctrl+Shift+D",)
        ),
        Submenu("file", "recent", "Open &recent", dynamic=True),
        Submenu("file", "samples", "&Samples"),
        *samples,
        Submenu("samples", "charts", "Test &charts"),
        *charts,
        Separator("file"),
        Action("file", "&Export panes as PNG…", "export.choose_png", keys=("Ctrl+E",)),
        Action("file", "A&dd result image…", "inputs.choose_result_file", keys=("Ctrl+Shift+O",)),
        Action("file", "Add an &upsampler (a Python file)…", "inputs.choose_upsampler"),
        Action("file", "Open a &comparison…", "inputs.choose_open_comparison"),
        Action("file", "&Save the comparison…", "inputs.choose_save_comparison", keys=("Ctrl+S",)),
        Separator("file"),
        Action("file", "Export the &region…", "export.choose_region", keys=("Ctrl+Alt+E",)),
        Action("file", "Export &all files…", "export.choose_all", keys=("Ctrl+Shift+E",)),
        Separator("file"),
        Action("file", "&Quit", "window.close", keys=("Ctrl+Q",)),
    ]


def _view() -> list[Entry]:
    both = ("panes", "compare")
    pans = [
        ("Left", -0.2, 0, both),
        ("Right", 0.2, 0, both),
        ("Up", 0, -0.2, ("panes",)),
        ("Down", 0, 0.2, ("panes",)),
        # In Compare, Up / Down step B through the panes (as in tev); Shift pans vertically.
        ("Shift+Up", 0, -0.2, ("compare",)),
        ("Shift+Down", 0, 0.2, ("compare",)),
    ]
    columns = [
        Action(
            "columns",
            "Auto" if n is None else str(n),
            "grid.set_columns",
            (n,),
            checkable=True,
            checked=n is None,
            group="columns",
        )
        for n in COLUMNS
    ]
    return [
        Action("view", "&Fit", "view.fit", keys=("F",)),
        *(
            Action("view", f"{factor * 100}%", "view.zoom_to", (factor,), keys=(key,))
            for key, factor in ZOOM_KEYS.items()
        ),
        Action("view", "Zoom &in", "view.zoom_by", (2**0.5,), keys=("+", "=")),
        Action("view", "Zoom &out", "view.zoom_by", (2**-0.5,), keys=("-",)),
        *(
            Action("view", f"Pan {key.lower()}", "view.pan", (dx, dy), keys=(key,), where=where)
            for key, dx, dy, where in pans
        ),
        Action("view", "Compare: next B", "compare.step_b", (1,), ("Down",), ("compare",)),
        Action("view", "Compare: previous B", "compare.step_b", (-1,), ("Up",), ("compare",)),
        Separator("view"),
        Action("view", "Cycle image / |difference| / signed", "heat.cycle_mode", keys=("D",)),
        Action("view", "Spectrum on / off", "heat.toggle_spectrum", keys=("S",)),
        Action(
            "view",
            "&Compare two panes (swipe / flicker)",
            "window.toggle_compare",
            keys=("C",),
            id="compare",
            checkable=True,
        ),
        Action(
            "view",
            "&Line profile",
            "window.toggle_profile",
            keys=("L",),
            id="profile",
            checkable=True,
        ),
        Separator("view"),
        Submenu("view", "panes", "&Panes", dynamic=True),
        Action(
            "view",
            "&Maximise / restore the pane",
            "grid.toggle_maximised",
            keys=("Return", "Enter"),
            where=("panes",),
        ),
        Action("view", "Show &all panes", "grid.show_all", keys=("Ctrl+Shift+A",)),
        Action(
            "view",
            "&Order panes as the table is sorted",
            "panes.order",
            id="order_panes",
            checkable=True,
        ),
        Submenu("view", "columns", "&Columns"),
        *columns,
        Submenu("view", "docks", "&Docks", dynamic=True),
    ]


def _run_and_help() -> list[Entry]:
    return [
        Action("run", "&Run", "runs.rerun", keys=("Ctrl+R",)),
        Action("run", "&Cancel", "runs.cancel", keys=("Esc",)),
        Action("help", "&Keyboard shortcuts…", "menus.show_shortcuts", keys=("F1",)),
    ]


ACTIONS: tuple[Entry, ...] = (*_file(), *_view(), *_run_and_help())


def actions(entries: tuple[Entry, ...] = ACTIONS) -> list[Action]:
    return [entry for entry in entries if isinstance(entry, Action)]


def by_id(entries: tuple[Entry, ...] = ACTIONS) -> dict[str, Action]:
    return {a.id: a for a in actions(entries) if a.id is not None}


def clashes(entries: tuple[Entry, ...] = ACTIONS) -> dict[str, list[str]]:
    """Keys that mean two things in one mode: {mode: [key, ...]} (empty when none do)."""
    found = {}
    for mode in MODES:
        keys = Counter(
            key.lower()
            for action in actions(entries)
            if not action.where or mode in action.where
            for key in action.keys
        )
        twice = sorted(key for key, count in keys.items() if count > 1)
        if twice:
            found[mode] = twice
    return found


def shortcut_rows(entries: tuple[Entry, ...] = ACTIONS) -> list[tuple[str, str, str]]:
    """(keys, what they do, where they work) for every action that has a key, in menu
    order, then the held keys: the rows of Help → Keyboard shortcuts."""
    rows = [
        (", ".join(action.keys), action.plain_text(), WHERE[action.where])
        for action in actions(entries)
        if action.keys
    ]
    return rows + [(keys, does, WHERE[where]) for keys, does, where in HELD_KEYS]
