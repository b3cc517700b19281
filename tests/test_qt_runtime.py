"""Guards against known defects of the Qt bindings we depend on."""

import sys

from PySide6.QtCore import QObject, Signal


class Emitter(QObject):
    carried = Signal(object)

    def receive(self, value) -> None:
        self.last = value


def test_signals_do_not_leak_references_to_true():
    """PySide6 6.12.0 decremented True's refcount on each emission: the app aborted after a
    few thousand signals with 'bool_dealloc: deallocating True or False'."""
    emitter = Emitter()
    emitter.carried.connect(emitter.receive)
    before = sys.getrefcount(True)
    for _ in range(200):
        emitter.carried.emit(1)
    assert sys.getrefcount(True) - before > -10
