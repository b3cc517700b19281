"""The window's one rule for stale work: each new piece of work takes the next ticket, and
whatever arrives with an older ticket is dropped. Runs, file reads, derived views and label
drawings all come back from other threads after the user may have moved on; each keeps a
`Latest` and asks it, so the rule is written once."""

from __future__ import annotations


class Latest:
    """Tickets for work that a newer piece of work supersedes."""

    def __init__(self) -> None:
        self.ticket = 0

    def next(self) -> int:
        """A ticket for new work; every earlier ticket is stale from now on."""
        self.ticket += 1
        return self.ticket

    def is_current(self, ticket: int) -> bool:
        return ticket == self.ticket
