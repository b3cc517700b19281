"""What the window shows, as plain data: the panes and their status, the display choice, the
camera, which panes are on screen, and Compare's A and B.

The Qt widgets render this and change it only through its methods; a comparison file is
this state written down. Qt-free, so its rules are tested in milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

REFERENCES = ("original", "lowres")  # what every method is compared with: always first


@dataclass
class ViewState:
    """The display choice and the camera. `centre` / `zoom` None: the whole image (fit)."""

    mode: str = "image"
    channel: str = "luma"
    scale_policy: str = "shared"
    fixed_scale: float = 64.0
    centre: tuple[float, float] | None = None
    zoom: float | None = None
    columns: int | None = None  # None: the count that shows the panes largest
    hidden: list[str] = field(default_factory=list)
    maximised: str | None = None


@dataclass
class CompareState:
    active: bool = False
    a: str | None = None
    b: str | None = None
    mode: str = "swipe"


@dataclass
class PaneState:
    """One pane: what it is, where its run is (`status`: empty, waiting, running, done,
    failed or cancelled), what its title's second line and its message say (`message` is
    an error when `status` is "failed")."""

    key: str
    title: str
    tooltip: str = ""
    status: str = "empty"
    step: int = 0
    steps: int = 0
    caption: str = ""
    message: str = ""


@dataclass
class WindowState:
    panes: list[PaneState] = field(default_factory=list)
    view: ViewState = field(default_factory=ViewState)
    compare: CompareState = field(default_factory=CompareState)
    current: str | None = None  # the pane last under the cursor: Enter maximises it

    def pane_keys(self) -> list[str]:
        return [pane.key for pane in self.panes]

    def pane(self, key: str) -> PaneState:
        return next(pane for pane in self.panes if pane.key == key)

    def set_panes(self, specs: list[tuple[str, str, str]]) -> None:
        """(key, title, tooltip) per pane, in order; a pane that stays keeps its state.
        Panes that go are forgotten by every other choice too."""
        existing = {pane.key: pane for pane in self.panes}
        self.panes = [existing.get(key) or PaneState(key, title, tip) for key, title, tip in specs]
        keys = set(self.pane_keys())
        self.view.hidden = [key for key in self.view.hidden if key in keys]
        if self.view.maximised not in keys:
            self.view.maximised = None

    def visible(self) -> list[str]:
        """The panes on screen, in order: the maximised one alone, else all but the hidden."""
        if self.view.maximised is not None:
            return [self.view.maximised]
        return [key for key in self.pane_keys() if key not in self.view.hidden]

    def hide(self, key: str, hidden: bool) -> None:
        if hidden and key not in self.view.hidden:
            self.view.hidden.append(key)
            if self.view.maximised == key:
                self.view.maximised = None
        elif not hidden and key in self.view.hidden:
            self.view.hidden.remove(key)

    def show_all(self) -> None:
        self.view.hidden.clear()
        self.view.maximised = None

    def toggle_maximised(self, key: str | None = None) -> None:
        """Pane `key` (else the current one) alone; called again, back to the grid."""
        key = key or self.current
        if self.view.maximised is not None or key is None:
            self.view.maximised = None
        elif key in self.pane_keys():
            self.view.maximised = key
            self.hide(key, False)

    def order(self, keys: list[str]) -> None:
        """Method panes in the order of `keys` (a table's sort); references stay first,
        panes not named keep their place after the named ones."""
        references = [pane for pane in self.panes if pane.key in REFERENCES]
        ranked = [pane for key in keys for pane in self.panes if pane.key == key]
        rest = [pane for pane in self.panes if pane not in references and pane not in ranked]
        self.panes = [*references, *ranked, *rest]

    def unfinished(self) -> list[str]:
        """Method panes still waiting or running."""
        return [p.key for p in self.panes if p.status in ("waiting", "running")]
