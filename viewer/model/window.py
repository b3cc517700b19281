"""The whole window's model and its rules: which panes exist, which are on screen, and
every choice the user made. Each field emits `model.events.<field>` (nested parts relay
to `model.events` with their path), once per change."""

from __future__ import annotations

from dataclasses import dataclass, field

from psygnal import evented

from viewer.model.panes import REFERENCES, Layout, PaneState
from viewer.model.session import Session
from viewer.model.tools import Compare, LabelView, ProfileLine
from viewer.model.view import Camera, Display


@evented
@dataclass
class WindowModel:
    """`current` is the pane last under the cursor (Enter maximises it); `selected` the
    method chosen in the metrics table (drawn highlighted); `feature_channel` the channel a
    feature map or class-score input is shown as (None: PCA, or the labels)."""

    panes: tuple[PaneState, ...] = ()
    display: Display = field(default_factory=Display)
    camera: Camera = field(default_factory=Camera)
    layout: Layout = field(default_factory=Layout)
    compare: Compare = field(default_factory=Compare)
    labels: LabelView = field(default_factory=LabelView)
    profile: ProfileLine = field(default_factory=ProfileLine)
    session: Session = field(default_factory=Session)
    feature_channel: int | None = None
    current: str | None = None
    selected: str | None = None

    def pane_keys(self) -> list[str]:
        return [pane.key for pane in self.panes]

    def pane(self, key: str) -> PaneState:
        return next(pane for pane in self.panes if pane.key == key)

    def set_panes(self, specs: list[tuple[str, str, str]]) -> None:
        """(key, title, tooltip) per pane, in order; a pane that stays keeps its state.
        A hidden method stays hidden on the next image too (even one it does not run on),
        until the user shows it; a maximised pane that goes is forgotten."""
        existing = {pane.key: pane for pane in self.panes}
        keys = [key for key, _, _ in specs]
        if self.layout.maximised not in keys:
            self.layout.maximised = None
        self.panes = tuple(
            existing.get(key) or PaneState(key, title, tip) for key, title, tip in specs
        )

    def visible(self) -> list[str]:
        """The panes on screen, in order: the maximised one alone, else all but the hidden."""
        if self.layout.maximised is not None:
            return [self.layout.maximised]
        return [key for key in self.pane_keys() if key not in self.layout.hidden]

    def hide(self, key: str, hidden: bool) -> None:
        if hidden and key not in self.layout.hidden:
            if self.layout.maximised == key:
                self.layout.maximised = None
            self.layout.hidden = (*self.layout.hidden, key)
        elif not hidden and key in self.layout.hidden:
            self.layout.hidden = tuple(k for k in self.layout.hidden if k != key)

    def show_all(self) -> None:
        self.layout.maximised = None
        self.layout.hidden = ()

    def toggle_maximised(self, key: str | None = None) -> None:
        """Pane `key` (else the current one) alone; called again, back to the grid."""
        key = key or self.current
        if self.layout.maximised is not None or key is None:
            self.layout.maximised = None
        elif key in self.pane_keys():
            self.hide(key, False)
            self.layout.maximised = key

    def order(self, keys: list[str]) -> None:
        """Method panes in the order of `keys` (a table's sort); references stay first,
        panes not named keep their place after the named ones."""
        references = [pane for pane in self.panes if pane.key in REFERENCES]
        ranked = [pane for key in keys for pane in self.panes if pane.key == key]
        rest = [pane for pane in self.panes if pane not in references and pane not in ranked]
        self.panes = (*references, *ranked, *rest)

    def unfinished(self) -> list[str]:
        """Method panes still waiting or running."""
        return [p.key for p in self.panes if p.status in ("waiting", "running")]

    def update_pane(self, key: str, **changes) -> None:
        """Change pane `key`'s state: its widget follows (one event per changed field)."""
        state = self.pane(key)
        for name, value in changes.items():
            setattr(state, name, value)
