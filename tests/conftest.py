"""Shared fixtures. Qt runs offscreen so the whole suite works without a display."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
import pytest
from skimage import data


@pytest.fixture(scope="session")
def photo() -> np.ndarray:
    """A real photo that ships with scikit-image, cut to an odd size (101 x 75) to test crops."""
    return np.ascontiguousarray(data.astronaut()[150:251, 180:255])


@pytest.fixture(scope="session")
def coffee() -> np.ndarray:
    return np.ascontiguousarray(data.coffee()[100:196, 200:344])


@pytest.fixture(autouse=True, scope="session")
def garbage_collected_only_between_tests():
    """As the app does (viewer/ui/application.py): Python's cyclic GC triggered inside a Qt
    call (QObject::disconnect holds a Qt mutex) can destroy a dead QObject that needs the
    same mutex and deadlock the process; it hung a window test. So the collector runs only
    between tests, never inside Qt."""
    import gc

    gc.disable()
    yield
    gc.enable()


@pytest.fixture(autouse=True)
def collect_garbage_after_qt_tests(request):
    """Collect after each test that made Qt objects (the others leave none to destroy)."""
    import gc

    yield
    if "qtbot" in request.fixturenames:
        gc.collect()


@pytest.fixture(autouse=True)
def user_cache_apart(monkeypatch, tmp_path_factory):
    """The window's dataset runs keep their folders in the user's cache: a test's go to a
    folder of its own, never to the user's."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture(autouse=True)
def no_dangling_threads():
    """Fail any test that leaves a thread of its own running (set up first, checked last)."""
    import threading

    before = set(threading.enumerate())
    yield
    leftover = [t.name for t in threading.enumerate() if t not in before and t.is_alive()]
    assert not leftover, f"threads left running: {leftover}"


@pytest.fixture
def own_signals():
    """`main` installs its signal handlers; give pytest its own back afterwards."""
    import signal

    from viewer.core.run.interrupts import SIGNALS

    saved = {signum: signal.getsignal(signum) for signum in SIGNALS}
    yield
    signal.set_wakeup_fd(-1)
    for signum, handler in saved.items():
        signal.signal(signum, handler)


@pytest.fixture
def settings_store(tmp_path):
    """A QSettings file private to the test, so tests never read or write the user's."""
    from PySide6.QtCore import QSettings

    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def small_image(tmp_path, photo) -> str:
    """A real photo as a PNG file (101 x 75, odd sides)."""
    from PIL import Image

    path = tmp_path / "small.png"
    Image.fromarray(photo).save(path)
    return str(path)


@pytest.fixture
def make_window(qtbot, settings_store):
    """Build a MainWindow with few training steps; qtbot closes it (closeEvent) at teardown."""
    from viewer.ui.main_window import MainWindow

    def make(steps: int = 3, store=None):
        window = MainWindow(store or settings_store)
        window.panel.editors["steps"].set_value(steps)
        window.resize(1200, 800)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        return window

    return make


@pytest.fixture(scope="session")
def shared_run(qapp, tmp_path_factory, photo):
    """One run of every method on the small photo, recorded as the worker sends it: the
    window tests replay it instead of each running Paddle again."""
    from PIL import Image
    from PySide6.QtCore import Qt
    from window_helpers import photo_methods

    from viewer.core.inputs.image_io import load_image
    from viewer.core.methods import method_ids
    from viewer.core.settings import Settings
    from viewer.ui.worker import EngineWorker, RunJob

    path = tmp_path_factory.mktemp("shared") / "small.png"
    Image.fromarray(photo).save(path)
    worker = EngineWorker()
    events = []
    # Direct: results are sent from the engine's measuring thread, and are recorded at once.
    worker.event.connect(
        lambda _run_id, kind, payload: events.append((kind, payload)),
        Qt.ConnectionType.DirectConnection,
    )
    job = RunJob(1, str(path), lambda: load_image(path), Settings(steps=3), tuple(method_ids()))
    worker.run_job(job)  # in this thread: the recorded events are exactly what a run sends
    assert [kind for kind, _ in events].count("result") == len(photo_methods())
    return str(path), events


@pytest.fixture
def loaded(make_window, shared_run):
    """A window showing the shared run, replayed through its controller."""
    from window_helpers import replay

    window = make_window()
    replay(window, shared_run)
    assert window.model.session.report is not None and not window.runs.running
    return window
