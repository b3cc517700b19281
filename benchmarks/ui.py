"""Window speed and memory (issue 3's targets); prints measured figures.

    python benchmarks/ui.py            # all three, each in a fresh process
    python benchmarks/ui.py startup|frames|memory

- startup: process start to the first painted window (target < 1.5 s; Paddle must not be
  imported before it).
- frames: median time of one synchronized zoom or pan step, painted, with 9 panes of
  2048 x 2048 (target < 16 ms).
- memory: peak resident memory of a window run on a 12-megapixel photo at r = 2 with every
  method, heatmaps shown (target < 2.5 GB).

Uses a real X server when DISPLAY is set (e.g. under xvfb-run), else Qt's offscreen platform.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
if not os.environ.get("DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def settings_store():
    from PySide6.QtCore import QSettings

    return QSettings(str(Path("/tmp") / f"upsample-bench-{os.getpid()}.ini"), QSettings.IniFormat)


def startup() -> None:
    """Runs in a fresh interpreter; the parent measures from before it started."""
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    from viewer.ui.main_window import MainWindow

    class FirstPaint(QObject):
        def eventFilter(self, watched, event):
            if event.type() == QEvent.Type.Paint:
                print(f"painted {time.time():.6f} {paddle_before_show}", flush=True)
                QTimer.singleShot(0, window.close)
            return False

    app = QApplication([])
    window = MainWindow(settings_store())
    painted = FirstPaint()
    window.grid.lead.view.viewport().installEventFilter(painted)
    paddle_before_show = f"paddle_imported_before_show={'paddle' in sys.modules}"
    window.show()
    QTimer.singleShot(0, window.rerun)
    app.exec()


def frames() -> None:
    """Each step changes the shared view, then the event loop paints it, as for a user. The
    image paints are counted: a frame that paints nothing would measure nothing."""
    import numpy as np
    import pyqtgraph as pg
    from PySide6.QtWidgets import QApplication

    from viewer.ui.pane_grid import PaneGrid

    paints = []
    paint = pg.ImageItem.paint

    def counted_paint(item, *args):
        paints.append(item)
        return paint(item, *args)

    pg.ImageItem.paint = counted_paint
    app = QApplication([])
    grid = PaneGrid()
    grid.resize(1800, 1000)
    grid.set_panes([(f"p{i}", f"Pane {i}", "") for i in range(9)])
    image = np.random.default_rng(0).integers(0, 256, (2048, 2048, 3), dtype=np.uint8)
    for pane in grid.panes:
        pane.set_pixels(image)
    grid.set_image_size(2048, 2048)
    grid.show()
    app.processEvents()
    grid.fit()
    app.processEvents()
    steps = [lambda: grid.zoom_by(1.25)] * 12 + [lambda: grid.pan(0.05, 0.03)] * 24
    steps += [lambda: grid.zoom_by(0.8)] * 12
    times = []
    paints.clear()
    for step in steps:
        start = time.perf_counter()
        step()
        app.processEvents()
        times.append((time.perf_counter() - start) * 1000)
    print(
        f"frames: median {statistics.median(times):.1f} ms, worst {max(times):.1f} ms over "
        f"{len(times)} zoom/pan steps, 9 panes of 2048x2048, {len(paints) / len(steps):.0f} "
        "image paints a step (target median < 16 ms)"
    )


def memory() -> None:
    import cv2
    from PySide6.QtWidgets import QApplication

    from viewer.core.image_io import LoadedImage
    from viewer.core.samples import load_sample
    from viewer.ui.main_window import MainWindow

    app = QApplication([])
    window = MainWindow(settings_store())
    window.resize(1600, 1000)
    window.show()
    big = cv2.resize(load_sample().pixels, (4000, 3000), interpolation=cv2.INTER_CUBIC)
    photo = LoadedImage("astronaut-12MP", big)
    done = []
    window.runFinished.connect(done.append)
    started = time.perf_counter()
    window._start(lambda: photo, photo.name)
    while not done:
        app.processEvents()
        time.sleep(0.01)
    elapsed = time.perf_counter() - started
    window.heat.set_mode("abs")
    method_panes = window.grid.panes[2:]
    while window.grid.views_pending() or not all(p.showing_heat() for p in method_panes):
        app.processEvents()  # heatmaps are computed on demand: wait until all are shown
        time.sleep(0.01)
    window.repaint()
    app.processEvents()
    window.close()
    peak_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    errors = [r.method for r in done[0].results if r.error]
    print(
        f"memory: peak RSS {peak_gb:.2f} GB for a 12 MP run at r = 2 with every method "
        f"({elapsed:.1f} s, failed: {errors or 'none'}; target < 2.5 GB)"
    )


def gaps() -> None:
    """Event-loop gaps: the time between firings of a 5 ms heartbeat timer on the GUI thread
    while another timer zooms every pane every 50 ms (each step painted), first idle, then
    during a run of every method on a 1-megapixel photo (training included)."""
    import cv2
    import numpy as np
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from viewer.core.image_io import LoadedImage
    from viewer.core.samples import load_sample
    from viewer.ui.main_window import MainWindow

    app = QApplication([])
    window = MainWindow(settings_store())
    window.resize(1600, 1000)
    window.show()
    photo = LoadedImage("astronaut-1MP", cv2.resize(load_sample().pixels, (1024, 1024)))
    beats, zooms = [], [0]

    def zoom() -> None:
        zooms[0] += 1
        window.grid.zoom_by(1.2 if zooms[0] % 8 < 4 else 1 / 1.2)

    heartbeat, zoomer = QTimer(), QTimer()
    heartbeat.setTimerType(Qt.TimerType.PreciseTimer)
    heartbeat.timeout.connect(lambda: beats.append(time.perf_counter()))
    zoomer.timeout.connect(zoom)

    def measure(seconds: float | None, done: list) -> list[float]:
        beats.clear()
        heartbeat.start(5)
        zoomer.start(50)
        started = time.perf_counter()
        while (not done) if seconds is None else time.perf_counter() - started < seconds:
            app.processEvents()
            time.sleep(0.001)
        heartbeat.stop()
        zoomer.stop()
        return list(np.diff(beats) * 1000)

    done = []
    window.runFinished.connect(done.append)
    window._start(lambda: photo, photo.name)
    while not done:  # the first run brings Paddle in; the measured one is the second
        app.processEvents()
        time.sleep(0.01)
    idle = measure(3.0, [])
    done.clear()
    flipped = LoadedImage("flipped", np.ascontiguousarray(photo.pixels[:, ::-1]))
    window._start(lambda: flipped, "flipped")  # new content: nothing comes from the cache
    running = measure(None, done)
    window.close()

    def figures(values: list[float]) -> str:
        p50, p99 = np.percentile(values, [50, 99])
        return f"p50 {p50:.0f} ms, p99 {p99:.0f} ms, max {max(values):.0f} ms"

    print(f"gaps: idle {figures(idle)}; during a run {figures(running)}")


def run_child(name: str) -> str:
    started = time.time()
    done = subprocess.run(
        [sys.executable, __file__, name], capture_output=True, text=True, timeout=900
    )
    if done.returncode != 0:
        raise SystemExit(f"{name} failed:\n{done.stderr[-3000:]}")
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    if name == "startup":
        _, stamp, paddle = lines[-1].split()
        return (
            f"startup: first painted window {float(stamp) - started:.2f} s after process start "
            f"({paddle}; target < 1.5 s)"
        )
    return lines[-1]


def main() -> None:
    chosen = sys.argv[1:] or ["startup", "frames", "memory"]
    if len(chosen) == 1 and os.environ.get("UPSAMPLE_BENCH_CHILD"):
        {"startup": startup, "frames": frames, "memory": memory, "gaps": gaps}[chosen[0]]()
        return
    os.environ["UPSAMPLE_BENCH_CHILD"] = "1"
    for name in chosen:
        print(run_child(name), flush=True)


if __name__ == "__main__":
    main()
