"""The panes: what each one is and where its run is, and which of them are on screen."""

from __future__ import annotations

from dataclasses import dataclass

from psygnal import evented

REFERENCES = ("original", "lowres")  # what every method is compared with: always first


@evented
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


@evented
@dataclass
class Layout:
    """How the panes are laid out: `columns` None is the count that shows them largest;
    `hidden` panes keep their results; a `maximised` pane is shown alone."""

    columns: int | None = None
    hidden: tuple[str, ...] = ()
    maximised: str | None = None
