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


def test_the_first_run_waits_for_the_windows_first_paint(qtbot):
    """The run (and its Paddle import) starts once the window has been painted, once."""
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QWidget

    from viewer.ui.first_paint import after_first_paint

    events = []

    class Painted(QObject):
        def eventFilter(self, watched, event):
            if event.type() == QEvent.Type.Paint:
                events.append("paint")
            return False

    widget = QWidget()
    qtbot.addWidget(widget)
    painted = Painted()
    widget.installEventFilter(painted)
    after_first_paint(widget, lambda: events.append("run"))
    assert events == []
    widget.show()
    qtbot.waitUntil(lambda: "run" in events)
    widget.update()
    qtbot.waitUntil(lambda: events.count("paint") >= 2)
    assert events[0] == "paint" and events.count("run") == 1
