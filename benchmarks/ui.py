"""Window speed and memory (issues 3 and 12); prints measured figures.

    python benchmarks/ui.py            # all four, each in a fresh process
    python benchmarks/ui.py startup|frames|memory|window_run

- startup: process start to the first painted window (target <= 1.0 s under Xvfb; Paddle
  must not be imported before it).
- frames: median time of one synchronized zoom or pan step, painted, with 9 panes of
  2048 x 2048 (target < 16 ms).
- memory: peak resident memory of a window run on a 12-megapixel photo at r = 2 with every
  method, heatmaps shown (target < 2.5 GB).
- window_run: a re-run whose results all come from the cache, and event-loop gaps while the
  user zooms, idle and during a run (target p99 <= 50 ms, max <= 150 ms).

Uses a real X server when DISPLAY is set (e.g. under xvfb-run), else Qt's offscreen platform.
"""

from __future__ import annotations

import json
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

    from viewer.ui.first_paint import after_first_paint
    from viewer.ui.main_window import MainWindow

    class FirstPaint(QObject):
        def eventFilter(self, watched, event):
            if event.type() == QEvent.Type.Paint:
                report({"painted": time.time(), "paddle_before_show": paddle_before_show})
                QTimer.singleShot(0, window.close)
            return False

    app = QApplication([])
    window = MainWindow(settings_store())
    painted = FirstPaint()
    window.grid.lead.view.viewport().installEventFilter(painted)
    paddle_before_show = "paddle" in sys.modules
    window.show()
    after_first_paint(window, window.runs.rerun)  # as viewer/ui/application.py starts its run
    app.exec()


def frames() -> None:
    """Each step changes the shared view, then the event loop paints it, as for a user. The
    image paints are counted: a frame that paints nothing would measure nothing."""
    from PySide6.QtWidgets import QApplication

    from tests.grids import noise_grid
    from viewer.ui.screen_image import ScreenImage

    paints = []
    paint = ScreenImage.paint

    def counted_paint(item, *args):
        paints.append(item)
        return paint(item, *args)

    ScreenImage.paint = counted_paint
    app = QApplication([])
    grid = noise_grid(9, 2048, 2048)
    grid.resize(1800, 1000)
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
    report(
        {
            "median_ms": statistics.median(times),
            "worst_ms": max(times),
            "steps": len(times),
            "paints_per_step": len(paints) / len(steps),
        }
    )


def memory() -> None:
    import cv2
    from PySide6.QtWidgets import QApplication

    from viewer.core.inputs.image_io import LoadedImage
    from viewer.core.inputs.samples import load_sample
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
    window.runs.start(lambda: photo, photo.name, None)
    while not done:
        app.processEvents()
        time.sleep(0.01)
    elapsed = time.perf_counter() - started
    window.heat.set_mode("abs")
    method_panes = window.grid.panes[2:]
    while window.grid.views.pending() or not all(p.showing_heat() for p in method_panes):
        app.processEvents()  # heatmaps are computed on demand: wait until all are shown
        time.sleep(0.01)
    window.repaint()
    app.processEvents()
    window.close()
    peak_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    failed = [r.method for r in done[0].results if r.error]
    report({"peak_gb": peak_gb, "run_s": elapsed, "failed": failed})


def window_run() -> None:
    """A window running every method on a 1-megapixel photo. Measures the re-run of the same
    image and settings (every result from the cache), then event-loop gaps: the time between
    firings of a 5 ms heartbeat timer on the GUI thread while another timer zooms every pane
    every 50 ms (each step painted), first idle, then during a run of new content (training
    included)."""
    import cv2
    import numpy as np
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from viewer.core.inputs.image_io import LoadedImage
    from viewer.core.inputs.samples import load_sample
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

    def run_to_end(image: LoadedImage) -> float:
        done.clear()
        started = time.perf_counter()
        window.runs.start(lambda: image, image.name, None)
        while not done:
            app.processEvents()
            time.sleep(0.001)
        return time.perf_counter() - started

    run_to_end(photo)  # brings Paddle in and fills the result cache
    rerun_s = run_to_end(photo)  # the same image and settings: every result from the cache
    cached = sum(r.cached for r in done[0].results)
    idle = measure(3.0, [])
    done.clear()
    flipped = LoadedImage("flipped", np.ascontiguousarray(photo.pixels[:, ::-1]))
    # new content: nothing comes from the cache
    window.runs.start(lambda: flipped, flipped.name, None)
    running = measure(None, done)
    window.close()

    def figures(values: list[float]) -> dict:
        p50, p99 = np.percentile(values, [50, 99])
        return {"p50": float(p50), "p99": float(p99), "max": float(max(values))}

    report(
        {
            "rerun_s": rerun_s,
            "cached": cached,
            "methods": len(done[0].results),
            "idle": figures(idle),
            "running": figures(running),
            "panes": len(window.grid.panes),
        }
    )


def report(figures: dict) -> None:
    """A child's figures, as the last line of its output."""
    print(json.dumps(figures), flush=True)


CHILDREN = {"startup": startup, "frames": frames, "memory": memory, "window_run": window_run}


def run_child(name: str) -> dict:
    """Run one measurement in a fresh interpreter; its figures (startup: seconds from before
    the process started to the first painted window)."""
    started = time.time()
    env = {**os.environ, "UPSAMPLE_BENCH_CHILD": "1"}
    # Measure what a user's Python does: it caches compiled modules after the first start.
    # A shell that forbids writing them (PYTHONDONTWRITEBYTECODE) would compile every module
    # of the package again at every start, about 0.1 s here.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    done = subprocess.run(
        [sys.executable, __file__, name], capture_output=True, text=True, timeout=900, env=env
    )
    if done.returncode != 0:
        raise SystemExit(f"{name} failed:\n{done.stderr[-3000:]}")
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    if name == "startup":
        figures["startup_s"] = figures["painted"] - started
    return figures


def display_server() -> str:
    """Where windows were drawn, for the record."""
    if os.environ.get("QT_QPA_PLATFORM") == "offscreen":
        return "Qt offscreen (no display)"
    server = os.environ.get("UPSAMPLE_DISPLAY_SERVER", "an X server")
    return f"{server} on display {os.environ.get('DISPLAY')}"


def describe(name: str, figures: dict) -> str:
    if name == "startup":
        return (
            f"startup: first painted window {figures['startup_s']:.2f} s after process start "
            f"(Paddle imported before show: {figures['paddle_before_show']}; target <= 1.0 s)"
        )
    if name == "frames":
        return (
            f"frames: median {figures['median_ms']:.1f} ms, worst {figures['worst_ms']:.1f} ms "
            f"over {figures['steps']} zoom/pan steps, 9 panes of 2048x2048, "
            f"{figures['paints_per_step']:.0f} image paints a step (target median < 16 ms)"
        )
    if name == "memory":
        return (
            f"memory: peak RSS {figures['peak_gb']:.2f} GB for a 12 MP run at r = 2 with every "
            f"method ({figures['run_s']:.1f} s, failed: {figures['failed'] or 'none'}; "
            "target < 2.5 GB)"
        )
    gaps = "; ".join(
        f"{phase} p50 {g['p50']:.0f} ms, p99 {g['p99']:.0f} ms, max {g['max']:.0f} ms"
        for phase, g in (("idle", figures["idle"]), ("during a run", figures["running"]))
    )
    return (
        f"window run: re-run from the cache {figures['rerun_s']:.2f} s "
        f"({figures['cached']} of {figures['methods']} results cached); event-loop gaps with "
        f"{figures['panes']} panes zoomed every 50 ms: {gaps}"
    )


def main() -> None:
    chosen = sys.argv[1:] or list(CHILDREN)
    if len(chosen) == 1 and os.environ.get("UPSAMPLE_BENCH_CHILD"):
        CHILDREN[chosen[0]]()
        return
    print(f"windows drawn by: {display_server()}")
    for name in chosen:
        print(describe(name, run_child(name)), flush=True)


if __name__ == "__main__":
    main()
