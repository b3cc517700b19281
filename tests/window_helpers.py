"""What the window tests share: a recorded run to replay, and real input events to send."""

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from viewer.core.methods import get_method, method_ids
from viewer.core.run.results import MethodResult


def photo_methods() -> list[str]:
    """Every method that runs on a photo: the guided ones need a guide image."""
    return [m for m in method_ids() if not get_method(m).guided]


RUN = 60_000  # generous: a slow machine must not fail a test, only take longer


def run(qtbot, window, action):
    with qtbot.waitSignal(window.runFinished, timeout=RUN) as blocker:
        action()
    return blocker.args[0]


def replay(window, recorded) -> None:
    """Show a recorded run in `window` through its controller, as if its worker sent it."""
    path, events = recorded
    window.inputs.latest.next()  # a file still being read is superseded too
    ticket = window.runs.latest.next()
    window.runs.pending_path = path
    window.runs.set_running(True)
    for kind, payload in events:
        window.runs.arrived(ticket, kind, payload)


def view_ranges(window):
    return [pane.viewbox.viewRange() for pane in window.grid.panes]


def assert_one_view(panes) -> None:
    """Linked panes show one view: the same centre at the same scale (a cell a pixel smaller
    than the lead's shows that pixel less, with square pixels)."""
    rects = [pane.viewbox.viewRect() for pane in panes]
    scales = [pane.viewbox.width() / rect.width() for pane, rect in zip(panes, rects, strict=True)]
    for rect, scale in zip(rects[1:], scales[1:], strict=True):
        assert (rect.center().x(), rect.center().y()) == pytest.approx(
            (rects[0].center().x(), rects[0].center().y()), abs=0.01
        )
        assert scale == pytest.approx(scales[0], rel=1e-3)


def record_calls(monkeypatch, owner, name: str) -> list[tuple]:
    """`owner.name` still runs, and each call's positional arguments (a method's object
    first) are kept in the returned list."""
    real, calls = getattr(owner, name), []

    def recorded(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, recorded)
    return calls


def drag(view, start: QPoint, end: QPoint):
    viewport = view.viewport()

    def send(kind, pos, buttons):
        button = (
            Qt.MouseButton.LeftButton if kind != QEvent.Type.MouseMove else Qt.MouseButton.NoButton
        )
        event = QMouseEvent(
            kind,
            QPointF(pos),
            QPointF(viewport.mapToGlobal(pos)),
            button,
            buttons,
            Qt.KeyboardModifier.NoModifier,
        )
        QApplication.sendEvent(viewport, event)

    send(QEvent.Type.MouseButtonPress, start, Qt.MouseButton.LeftButton)
    for t in np.linspace(0, 1, 6)[1:]:
        point = QPoint(
            round(start.x() + t * (end.x() - start.x())),
            round(start.y() + t * (end.y() - start.y())),
        )
        send(QEvent.Type.MouseMove, point, Qt.MouseButton.LeftButton)
    send(QEvent.Type.MouseButtonRelease, end, Qt.MouseButton.NoButton)


def hover(pane, x: float, y: float) -> None:
    """A real mouse move over image coordinate (x, y) of `pane`, mapped at the current zoom."""
    view, viewport = pane.view, pane.view.viewport()
    local = view.mapFromScene(pane.viewbox.mapViewToScene(QPointF(x, y)))
    event = QMouseEvent(
        QEvent.Type.MouseMove,
        QPointF(local),
        QPointF(viewport.mapToGlobal(local)),
        Qt.MouseButton.NoButton,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(viewport, event)


def luma_differences(window) -> dict[str, np.ndarray]:
    """Each method pane's luma difference to the original, computed here independently."""
    original = window.grid.pane("original").pixels.astype(float)
    weights = np.array([0.299, 0.587, 0.114])
    return {p.key: (p.pixels.astype(float) - original) @ weights for p in window.grid.panes[2:]}


def first_nearest(window):
    """A finished result of the running (soon superseded) run: the nearest pane's content."""
    pixels = window.grid.pane("nearest").pixels
    assert pixels.shape == (100, 74, 3)
    return MethodResult("nearest", image=pixels)


def drop_event(path):
    """What Qt delivers when the file `path` is dropped on a window."""
    from PySide6.QtCore import QMimeData, QUrl
    from PySide6.QtGui import QDropEvent

    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(
        QPointF(50, 50),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    event.mime = mime  # the event does not own its data: freed with the helper, it crashes
    return event


def rendered(view, width: int = 74, height: int = 100) -> np.ndarray:
    """What the view's scene draws over image coordinates [0, width) x [0, height), as RGB."""
    from PySide6.QtGui import QImage, QPainter

    target = QImage(width * 4, height * 4, QImage.Format.Format_RGB32)
    target.fill(0)
    painter = QPainter(target)
    source = view.viewbox.mapViewToScene(QRectF(0, 0, width, height)).boundingRect()
    view.view.scene().render(painter, QRectF(target.rect()), source)
    painter.end()
    bits = np.frombuffer(target.constBits(), np.uint8).reshape(height * 4, width * 4, 4)
    # pixel centres, BGRA -> RGB; copied: the QImage's memory is freed when it goes
    return bits[2::4, 2::4, 2::-1].copy()


def matching(shown: np.ndarray, expected: np.ndarray) -> float:
    """Fraction of pixels drawn as `expected` (within 2 levels in every channel)."""
    return float(np.mean(np.abs(shown.astype(int) - expected.astype(int)).max(axis=-1) <= 2))


def camera_shows_whole(compare) -> bool:
    from viewer.ui import camera

    return camera.shows_whole(compare.viewbox, 74, 100)
