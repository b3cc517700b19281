"""The window on a screen: the first window fits, a remembered larger geometry is clamped,
the bottom docks open readable and keep the size the user gives them."""

import json
import os
import shutil
import subprocess
import sys

import pytest
from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMainWindow

from tests.main_py import ROOT


def new_window(qtbot, store):
    from viewer.ui.main_window import MainWindow

    window = MainWindow(store)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def inside_the_screen(window) -> bool:
    area = QGuiApplication.primaryScreen().availableGeometry()
    return area.contains(window.frameGeometry())


def test_the_first_window_fits_the_screen(qtbot, settings_store):
    window = new_window(qtbot, settings_store)  # offscreen: an 800 x 800 screen
    assert inside_the_screen(window)
    assert window.minimumSizeHint().height() <= window.height()


def test_a_geometry_remembered_from_a_larger_screen_is_clamped(qtbot, settings_store):
    from viewer.ui.main_window import MainWindow

    big = MainWindow(settings_store)
    qtbot.addWidget(big)
    big.setGeometry(300, 200, 2600, 1600)  # as saved on a large monitor
    geometry = big.saveGeometry()
    settings_store.setValue("window/geometry", geometry)
    assert isinstance(settings_store.value("window/geometry"), QByteArray)
    window = new_window(qtbot, settings_store)
    assert inside_the_screen(window)


def test_a_geometry_saved_on_a_screen_of_another_width_still_fills_this_one(qtbot, settings_store):
    """Qt's restoreGeometry refuses a geometry saved on a screen of another width (it
    returns False): the window stayed 640 x 480 (then as narrow as its layout allows)."""
    from viewer.ui.main_window import MainWindow

    big = MainWindow(settings_store)
    qtbot.addWidget(big)
    big.setGeometry(4, 85, 700, 500)
    saved = bytearray(bytes(big.saveGeometry()))
    saved[46:50] = (1920).to_bytes(4, "big")  # the screen width it was saved on
    assert not QMainWindow().restoreGeometry(QByteArray(bytes(saved)))
    settings_store.setValue("window/geometry", QByteArray(bytes(saved)))
    window = new_window(qtbot, settings_store)
    area = QGuiApplication.primaryScreen().availableGeometry()
    assert inside_the_screen(window) and window.frameGeometry().width() > 0.95 * area.width()


def test_a_bottom_dock_size_the_user_chose_is_kept(qtbot, tmp_path):
    store = QSettings(str(tmp_path / "kept.ini"), QSettings.Format.IniFormat)
    first = new_window(qtbot, store)
    metrics = first.table.parentWidget()
    first.resizeDocks([metrics], [150], Qt.Orientation.Vertical)  # the tabs take a part
    qtbot.waitUntil(lambda: metrics.height() < 150)
    chosen = metrics.height()
    first.close()
    again = new_window(qtbot, QSettings(str(tmp_path / "kept.ini"), QSettings.Format.IniFormat))
    kept = again.table.parentWidget()
    qtbot.waitUntil(lambda: kept.height() == chosen)


def test_a_dock_of_the_last_sessions_dataset_does_not_open_over_one_image(qtbot, tmp_path):
    """A session that ended in a dataset saved its Dataset dock open; the next window,
    with one image or none, opened it again: an empty table under a stray header."""
    store = QSettings(str(tmp_path / "state.ini"), QSettings.Format.IniFormat)
    first = new_window(qtbot, store)
    first.dataset_dock.show()
    first.dataset_dock.raise_()  # as a dataset run raises it
    first.profile_dock.show()
    first.close()
    again = new_window(qtbot, QSettings(str(tmp_path / "state.ini"), QSettings.Format.IniFormat))
    metrics, losses = again.table.parentWidget(), again.loss_plot.parentWidget()
    qtbot.waitUntil(lambda: not metrics.visibleRegion().isEmpty())  # not the tab beside it
    assert losses.visibleRegion().isEmpty()
    assert not again.dataset_dock.isVisible() and not again.profile_dock.isVisible()


def under_openbox(command: str, screen: str) -> subprocess.CompletedProcess:
    """`command` (bash) in a fresh X server of `screen` pixels with openbox managing its
    windows (their frames count); skipped where they are missing, unless CI requires them."""
    if shutil.which("xvfb-run") is None or shutil.which("openbox") is None:
        if os.environ.get("REQUIRE_REAL_WINDOW"):
            pytest.fail("xvfb-run or openbox is missing")
        pytest.skip("xvfb-run or openbox is not installed")
    return subprocess.run(
        ["xvfb-run", "-a", "-s", f"-screen 0 {screen}x24", "bash", "-c", f"openbox & {command}"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "xcb", "PYTHONPATH": str(ROOT)},
        timeout=120,
    )


PROBE = """
import json, sys
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication
app = QApplication([])
from viewer.ui.main_window import MainWindow
window = MainWindow(QSettings(sys.argv[1], QSettings.Format.IniFormat))
window.show()
def measure():
    area = app.primaryScreen().availableGeometry()
    table = window.table
    print(json.dumps({
        "fits": area.contains(window.frameGeometry()),
        "rows": table.viewport().height() / table.verticalHeader().defaultSectionSize(),
        "status": window.statusBar().isVisible() and area.contains(
            window.statusBar().mapToGlobal(window.statusBar().rect().bottomRight())),
    }))
    window.close()
    app.quit()
QTimer.singleShot(2500, measure)
app.exec()
"""


@pytest.mark.realwindow
@pytest.mark.parametrize("screen, rows", [("1920x1080", 8), ("1024x700", 3)])
def test_a_real_screen_shows_the_whole_window_and_readable_metrics(tmp_path, screen, rows):
    """In X with a window manager (its frame counts): the window, its status bar and eight
    metric rows at 1080 px (fewer on a small screen, but never a strip)."""
    script = tmp_path / "probe.py"
    script.write_text(PROBE)
    done = under_openbox(f"{sys.executable} {script} {tmp_path / 'fresh.ini'}", screen)
    measured = json.loads(done.stdout.strip().splitlines()[-1])
    assert measured["fits"] and measured["status"]
    assert measured["rows"] >= rows


PLACE = """
import sys
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication
app = QApplication([])
from viewer.ui.main_window import MainWindow
window = MainWindow(QSettings(sys.argv[1], QSettings.Format.IniFormat))
window.show()
def measure():
    frame = window.frameGeometry()
    print(frame.x(), frame.y(), frame.width(), frame.height())
    window.close()
    app.quit()
QTimer.singleShot(2000, measure)
app.exec()
"""


@pytest.mark.realwindow
def test_a_restarted_window_opens_where_it_was_closed(tmp_path):
    """Under a window manager, the remembered window was moved by its frame's guess before
    it was shown: it crept down by the title bar's height at every start."""
    script = tmp_path / "place.py"
    script.write_text(PLACE)
    start = f"{sys.executable} {script} {tmp_path / 'placed.ini'}"
    done = under_openbox(f"sleep 1; {start}; {start}; {start}", "1920x1080")
    places = [line for line in done.stdout.splitlines() if line[:1].isdigit()]
    assert len(places) == 3, done.stderr[-2000:]
    assert places[1] == places[2], places  # the first start places a new window
