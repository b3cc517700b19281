"""Errors the user can act on, kept apart from bugs."""


class InputError(Exception):
    """Bad input: `what` names the file or option, `why` says what is wrong with it."""

    def __init__(self, what: str, why: str) -> None:
        super().__init__(f"{what}: {why}")
        self.what = what
        self.why = why


class Cancelled(Exception):
    """Raised inside a run when the user asked it to stop."""
