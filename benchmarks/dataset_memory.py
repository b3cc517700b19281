"""The window's dataset run stays within bounded memory however many images: a folder of
0.5 MP photos (816 x 612, resized crops of scikit-image's photos), every fixed method, run
through the window's own path without a window (EngineLink, the runs and dataset
controllers, a QCoreApplication), in a fresh process that reports its resident memory.

    python benchmarks/dataset_memory.py [--count 1000] [--device cpu]

Prints the resident memory (VmRSS) after the 1st, 10th, ... image and the peak (VmHWM) of
the whole run, then of picking rows afterwards (read back from the run folder). Target
(issue 24 item 4): under 1.5 GB from the first image to the last, flat in the count.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image
from skimage import data

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.folder_run import FIXED  # noqa: E402

SIZE = (816, 612)  # 0.50 MP


def make_folder(folder: Path, count: int) -> None:
    """`count` different 0.5 MP photos: random crops of two photos, resized."""
    rng = np.random.default_rng(0)
    photos = [data.astronaut(), data.coffee()]
    for index in range(count):
        photo = photos[index % len(photos)]
        top, left = rng.integers(0, 64), rng.integers(0, 64)
        crop = Image.fromarray(photo[top : top + 300, left : left + 400])
        crop.resize(SIZE, Image.Resampling.BICUBIC).save(folder / f"{index:04d}.png")


def memory(field: str) -> int:
    """This process's VmRSS or VmHWM (bytes), from /proc/self/status."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"no {field} in /proc/self/status")


class Quiet:
    """A view that draws nothing: every call is accepted and forgotten."""

    def __getattr__(self, name: str):
        return lambda *args: None


def child(folder: Path, device: str) -> None:
    """The window's path on `folder`; one line per measured point on stdout."""
    from PySide6.QtCore import QCoreApplication, QTimer

    from viewer.controllers.datasets import DatasetController
    from viewer.controllers.runs import RunsController
    from viewer.core.inputs.image_io import DEFAULT_MAX_PIXELS
    from viewer.core.settings import Settings
    from viewer.model.session import Session
    from viewer.ui.engine_link import EngineLink

    class RunView(Quiet):
        def settings(self) -> Settings:
            return Settings()

        def selected_methods(self) -> list[str]:
            return FIXED.split(",")

    class DatasetView(Quiet):
        selected: int | None = None

        def selected_image(self) -> int | None:
            return self.selected

        def select_image(self, index: int) -> None:
            self.selected = index

        def dataset_finished(self, cancelled: bool) -> None:
            app.quit()

    app = QCoreApplication([])
    link = EngineLink(device=device)
    timer = QTimer(singleShot=True, interval=50)
    runs = RunsController(RunView(), link, timer, Session(), DEFAULT_MAX_PIXELS)
    timer.timeout.connect(runs.draw_pending)
    link.deliver = runs.arrived
    datasets = DatasetController(DatasetView(), runs)
    count = len(list(folder.iterdir()))
    marks = {1, 10, 20, 50, count} | set(range(100, count, 50))
    arrived = []
    started = time.perf_counter()

    def image(done) -> None:
        shown(done)
        arrived.append(done.index)
        if len(arrived) in marks:
            elapsed = time.perf_counter() - started
            print(f"image {len(arrived)} rss {memory('VmRSS')} at {elapsed:.0f}", flush=True)

    shown, runs.handlers["dataset_image"] = runs.handlers["dataset_image"], image
    datasets.open_folder(folder)
    app.exec()
    print(f"run hwm {memory('VmHWM')} held {datasets.cache.held}", flush=True)
    for index in np.random.default_rng(1).choice(count, size=min(count, 20), replace=False):
        datasets.show(int(index))
    print(f"picked hwm {memory('VmHWM')} held {datasets.cache.held}", flush=True)
    link.worker.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.device)
        return
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work) / "images"
        folder.mkdir()
        make_folder(folder, args.count)
        env = {**os.environ, "XDG_CACHE_HOME": str(Path(work) / "cache")}
        command = [sys.executable, __file__, "--child", str(folder), "--device", args.device]
        process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env)
        print(f"{args.count} photos of {SIZE[0]}x{SIZE[1]}, methods {FIXED}")
        print("| after | resident | wall |")
        print("|---|---|---|")
        for line in process.stdout:
            words = line.split()
            if words[0] == "image":
                resident = int(words[3]) / 2**20
                print(f"| image {words[1]} | {resident:.0f} MiB | {words[5]} s |", flush=True)
            else:
                what = "the run" if words[0] == "run" else "then 20 rows picked"
                peak, held = int(words[2]) / 2**20, int(words[4]) / 2**20
                print(f"| peak of {what} | {peak:.0f} MiB | (cache {held:.0f} MiB) |")
        if process.wait() != 0:
            raise SystemExit(f"the run failed ({process.returncode})")


if __name__ == "__main__":
    main()
