"""Your upsampler file in the window: it joins the list marked as yours, runs alone, re-runs
alone on each save (an editor's save by rename included), shows its errors with file and
line while the other panes stay, and a forward that never returns is cancelled."""

import os
from pathlib import Path

from PySide6.QtCore import Qt
from window_helpers import RUN, run

from tests.main_py import run_main
from tests.user_layers import BILINEAR, layer
from viewer.ui.file_watch import FileWatch
from viewer.ui.side_panel import USER_MARK


def save(path: Path, body: str) -> None:
    """As editors save: a new file renamed over the old (the watcher loses the path)."""
    fresh = path.with_suffix(".tmp")
    fresh.write_text(layer(body))
    os.replace(fresh, path)


def test_a_save_by_rename_is_one_signal_and_the_file_stays_watched(qtbot, tmp_path):
    path = tmp_path / "mine.py"
    save(path, BILINEAR)
    watch = FileWatch()
    watch.watch(str(path))
    for body in ("return x", BILINEAR):
        with qtbot.waitSignal(watch.saved, timeout=5_000) as blocker:
            save(path, body)
        assert blocker.args == [str(path)]
        assert str(path) in watch.watcher.files()


def test_your_upsampler_runs_alone_and_re_runs_on_each_save(loaded, qtbot, tmp_path):
    window, path = loaded, tmp_path / "mine.py"
    save(path, BILINEAR)
    before = window.grid.pane("bicubic").pixels
    report = run(qtbot, window, lambda: window.inputs.upsamplers.add(str(path)))
    assert [r.method for r in report.results][-1] == "mine"
    [item] = [i for i in window.panel.items() if i.data(256) == "mine"]
    assert item.text().startswith(USER_MARK)
    assert window.grid.pane("mine").pixels is not None
    assert window.grid.pane("bicubic").pixels is before  # nothing else re-ran

    broken = "return x * undefined_name"  # line 11 of the file
    with qtbot.waitSignal(window.runFinished, timeout=RUN):
        save(path, broken)
    label = window.grid.pane("mine").message
    assert f"{path}, line 11" in label.text() and "NameError" in label.text()
    # The tooltip quotes the traceback's last frame in the file, and the label takes the
    # mouse so that hovering it shows the tooltip.
    assert label.text().startswith(f"<span style='color:#c0392b'>{path}")  # no class name
    assert f"File &quot;{path}&quot;, line 11, in forward" in label.toolTip()
    assert broken in label.toolTip()
    assert not label.testAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
    [row] = [r for r, m in enumerate(window.table.method_ids()) if m == "mine"]
    assert broken in window.table.item(row, 0).toolTip()  # the table's row says it too
    assert window.grid.pane("bicubic").pixels is before

    with qtbot.waitSignal(window.runFinished, timeout=RUN):
        save(path, BILINEAR)  # fixed: the pane runs again
    assert window.grid.pane("mine").pixels is not None


def test_a_forward_that_never_returns_is_cancelled(loaded, qtbot, tmp_path):
    window, path = loaded, tmp_path / "loops.py"
    save(path, "while True:\n            pass")
    with qtbot.waitSignal(window.progressShown, timeout=RUN):
        window.inputs.upsamplers.add(str(path))
    report = run(qtbot, window, window.runs.cancel)
    assert report.cancelled and not window.runs.running


def test_the_window_takes_methods_that_name_your_upsampler(tmp_path):
    """`--methods` is checked after the --upsampler files are known: it refused their ids."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path)}
    mine = Path(__file__).resolve().parents[1] / "resources" / "upsamplers" / "bilinear_user.py"
    shot = tmp_path / "shot.png"
    done = run_main(
        "--chart", "star", "--chart-size", "64", "--methods", "nearest,bilinear_user",
        "--upsampler", mine,
        "--screenshot", shot, env=env, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert shot.stat().st_size > 0
