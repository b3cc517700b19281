"""The window under hostile conditions: a corrupt settings file, bad files opened during a
run, and signals. It must start, say what happened once, keep the run going and close."""

from __future__ import annotations

import os
import signal
import sys

import pytest
from PySide6.QtCore import QSettings

from viewer.core.settings import Settings

RUN = 60_000


@pytest.fixture
def corrupt_store(tmp_path):
    path = tmp_path / "corrupt.ini"
    path.write_text(
        "[options]\n"
        "scale=abc\n"
        "steps=1e99\n"
        "seed=-4\n"
        "grid_noise=2\n"
        "lr=abc\n"
        "degrade=blur\n"
        f"train_on={tmp_path / 'gone'}\n"
        "methods=nearest,warp\n"
        "[files]\n"
        "recent=5\n"
        "last_folder=relative/folder\n"
        "[window]\n"
        "geometry=not bytes\n"
    )
    return QSettings(str(path), QSettings.Format.IniFormat)


def test_a_corrupt_settings_file_falls_back_to_defaults(make_window, corrupt_store, tmp_path):
    window = make_window(store=corrupt_store)
    expected = Settings()
    got = window.panel.settings()
    assert (got.scale, got.seed, got.grid_noise, got.lr, got.degrade, got.train_on) == (
        expected.scale,
        expected.seed,
        expected.grid_noise,
        expected.lr,
        expected.degrade,
        None,
    )
    notes = window.settings.notes
    for name in ("scale", "steps", "seed", "grid_noise", "lr", "degrade"):
        assert sum(note.startswith(f"stored {name} ignored") for note in notes) == 1, notes
    assert any(str(tmp_path / "gone") in note and "no longer exists" in note for note in notes)
    assert "stored scale ignored" in window.status.text()
    assert window.panel.selected_methods() == ["nearest"]
    assert window.settings.recent_files() == []
    assert os.path.isabs(window.settings.last_folder())


def start_long_run(window, qtbot, image: str) -> None:
    """A run that trains for far longer than any test waits: it is under way afterwards."""
    window.panel.set_selected_methods(["nearest", "conv_transpose"])
    window.panel.editors["steps"].set_value(100_000)
    with qtbot.waitSignal(
        window.progressShown,
        timeout=RUN,
        check_params_cb=lambda progress: progress.method == "conv_transpose" and progress.step,
    ):
        window.inputs.open_path(image)
    # nearest is measured on the engine's second thread while conv_transpose trains
    qtbot.waitUntil(lambda: window.grid.pane("nearest").pixels is not None, timeout=RUN)


@pytest.mark.parametrize("kind", ["fifo", "not an image", "missing"])
def test_a_bad_file_opened_during_a_run_leaves_the_run_going(
    make_window, small_image, qtbot, tmp_path, kind
):
    window = make_window()
    start_long_run(window, qtbot, small_image)
    bad = tmp_path / "bad.png"
    if kind == "fifo":
        os.mkfifo(bad)
    elif kind == "not an image":
        bad.write_text("hello")
    with qtbot.waitSignal(window.loadFailed, timeout=RUN) as failed:
        window.inputs.open_path(bad)
    assert failed.args[0].startswith(f"{bad}: ")
    assert window.runs.running and window.error_box.isVisible()
    assert window.error_box.text() == failed.args[0]
    assert window.grid.pane("nearest").pixels is not None
    assert "cancelled" not in window.grid.pane("conv_transpose").message.text()
    step = window.progress.value()
    with qtbot.waitSignal(
        window.progressShown,
        timeout=RUN,
        check_params_cb=lambda progress: progress.method == "conv_transpose",
    ):
        pass
    qtbot.waitUntil(lambda: window.progress.value() > step, timeout=RUN)
    window.close()
    assert not window.worker.is_running()


def test_a_failed_preparation_marks_the_cancelled_panes(make_window, small_image, qtbot):
    """Opening a good file whose run cannot start (too small for the scale) cancelled the
    run on show: its unfinished panes say so instead of waiting for ever."""
    window = make_window()
    start_long_run(window, qtbot, small_image)
    with qtbot.waitSignal(window.loadFailed, timeout=RUN) as failed:
        from viewer.core.inputs.image_io import LoadedImage

        window.inputs.open_image(LoadedImage("tiny", small_image_pixels()))
    assert failed.args[0].startswith("tiny: ")
    assert not window.runs.running
    assert "cancelled" in window.grid.pane("conv_transpose").message.text()
    assert window.grid.pane("nearest").pixels is not None


def small_image_pixels():
    import numpy as np

    return np.zeros((1, 1, 3), np.uint8)


def test_escape_when_idle_does_nothing(make_window, small_image, qtbot):
    window = make_window()
    window.panel.set_selected_methods(["nearest"])
    with qtbot.waitSignal(window.runFinished, timeout=RUN):
        window.inputs.open_path(small_image)
    status = window.status.text()
    window.runs.cancel()
    assert status.startswith("Done") and window.status.text() == status and not window.runs.running


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_closes_the_window_as_the_user_would(
    make_window, small_image, qtbot, own_signals, signum
):
    """A real signal to this process, mid-run and after Paddle (which installs its own
    SIGTERM handler) is loaded: the window closes and the worker is joined."""
    from viewer.ui.application import close_on_signals

    window = make_window()
    sockets = close_on_signals(window)
    with qtbot.waitSignal(window.workerReady, timeout=RUN):
        start_long_run(window, qtbot, small_image)
    os.kill(os.getpid(), signum)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=RUN)
    assert not window.worker.is_running()
    for end in sockets:
        end.close()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread priority: Linux")
def test_the_engine_runs_below_the_windows_priority(make_window, small_image, qtbot):
    """The engine's thread (and the threads it starts) yield the CPU to the event loop."""
    import threading

    from viewer.ui.worker import THREAD_NAME

    window = make_window()
    with qtbot.waitSignal(window.workerReady, timeout=RUN):
        window.inputs.open_path(small_image)
    engine_thread = next(t for t in threading.enumerate() if t.name == THREAD_NAME).native_id
    window_priority = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    assert os.getpriority(os.PRIO_PROCESS, engine_thread) == min(19, window_priority + 10)
