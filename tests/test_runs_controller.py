"""The runs and dataset controllers with fake views, a fake worker and a fake timer: the
stale-result rule, appended runs, progress drawn at most once per period, and the status
lines. No Qt, no Paddle."""

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from fake_views import (
    FakeClock,
    FakeDatasetView,
    FakeRunView,
    FakeTimer,
    Recorder,
    loaded_input,
)

from viewer.controllers.datasets import DatasetController, folder_kind, folder_progress
from viewer.controllers.runs import RunsController, appended, progress_text, run_summary
from viewer.core.inputs.image_io import LoadedImage
from viewer.core.run.results import MethodResult, Progress, RunReport
from viewer.core.settings import Settings
from viewer.model.session import Session

PHOTO = LoadedImage("photo", np.zeros((8, 8, 3), np.uint8))


@pytest.fixture
def parts():
    view, worker, timer, clock = FakeRunView(), Recorder(), FakeTimer(), FakeClock()
    return view, worker, timer, RunsController(view, worker, timer, Session(), 1000, clock)


def started_run(controller, image=PHOTO):
    controller.start(lambda: image, image.name, None)
    return controller.latest.ticket


def report(*methods, settings=None, cancelled=False, errors=()):
    results = [MethodResult(m, error="boom" if m in errors else None) for m in methods]
    return RunReport(None, settings or Settings(), results, cancelled=cancelled)


def test_a_run_goes_to_the_worker_with_a_new_ticket(parts):
    view, worker, _, controller = parts
    first = started_run(controller)
    second = started_run(controller)
    [run_one, run_two] = worker.told("run")
    assert (run_one[0], run_two[0]) == (first, second) and second > first
    assert run_two[4] == ("nearest", "bicubic") and run_two[5] == 1000
    assert controller.running and view.told("set_running")[-1] == (True,)
    assert view.told("save_choices")[-1] == (Settings(), ["nearest", "bicubic"])
    assert view.said()[-1] == "Preparing…"


def test_what_a_superseded_run_sends_is_dropped_in_one_place(parts):
    view, _, _, controller = parts
    old = started_run(controller)
    current = started_run(controller)
    controller.arrived(old, "loaded", loaded_input(PHOTO))
    controller.arrived(old, "result", MethodResult("nearest"))
    controller.arrived(old, "finished", report("nearest"))
    assert view.calls[-1] == ("busy", "Preparing…")  # nothing of the old run was drawn
    controller.arrived(current, "result", MethodResult("nearest"))
    assert view.told("show_result") == [(MethodResult("nearest"),)]


def test_a_loaded_input_becomes_what_is_shown_and_a_file_is_remembered(parts, tmp_path):
    view, _, _, controller = parts
    path = tmp_path / "photo.png"
    path.write_bytes(b"")
    companions = SimpleNamespace(labels=SimpleNamespace(name="labels.png"), guide=None)
    controller.start(lambda: PHOTO, str(path), companions)
    controller.loaded(loaded_input(PHOTO, notes=("bicubic left out",), companions=companions))
    assert controller.shown.image is PHOTO and controller.shown.path == str(path)
    assert controller.shown.companions is companions and controller.shown.name() == str(path)
    session = controller.session  # what a comparison file will name
    assert session.input == str(path.resolve()) and session.guide is None
    assert session.labels == str(Path("labels.png").absolute())
    # Open recent reopens the image with its label map
    assert view.told("remember_file") == [(str(path), session.labels, None)]
    assert view.told("show_loaded")[0][1] is True  # a new image: the view fits it
    assert view.said()[-1] == "bicubic left out"
    controller.start(lambda: PHOTO, "sample:photo", None)
    controller.loaded(loaded_input(PHOTO))
    assert view.told("show_loaded")[1][1] is False and controller.shown.path is None


def test_finishing_says_how_it_went_and_runs_what_waited_for_it(parts):
    view, _, _, controller = parts
    applied = []
    controller.after_run = lambda: applied.append(True)
    started_run(controller)
    controller.clock.now += 2.5
    controller.finished(report("nearest", "bicubic", errors=("bicubic",)))
    assert view.said()[-1] == "Done in 2.5 s; failed: bicubic"
    assert applied == [True] and controller.after_run is None and not controller.running
    assert view.told("run_finished")[0][0].results[0].method == "nearest"


def test_a_cancelled_run_marks_its_unfinished_panes_and_keeps_what_waits(parts):
    view, worker, _, controller = parts
    controller.cancel()
    assert worker.told("cancel") == []  # idle: nothing to cancel
    started_run(controller)
    controller.cancel()
    assert worker.told("cancel") == [()] and view.said()[-1] == "Cancelling…"
    controller.after_run = waiting = lambda: None
    controller.finished(report("nearest", cancelled=True))
    assert view.told("mark_unfinished") == [()] and view.said()[-1] == "Cancelled"
    assert controller.after_run is waiting


def test_a_run_that_cannot_start_keeps_the_image_on_show(parts):
    view, _, _, controller = parts
    started_run(controller)
    controller.failed("photo.png: not an image")
    assert not controller.running and view.told("mark_unfinished") == [()]
    assert view.told("show_error") == view.told("load_failed") == [("photo.png: not an image",)]


def test_an_added_method_runs_alone_with_the_same_settings_else_everything_again(parts):
    view, worker, _, controller = parts
    started_run(controller)
    controller.loaded(loaded_input(PHOTO))
    controller.finished(report("nearest", "bicubic"))
    controller.add_method("added:mine")
    assert worker.told("run")[-1][4] == ("added:mine",) and controller.appending
    controller.loaded(loaded_input(PHOTO, methods=("added:mine",)))
    assert view.told("add_panes") == [(["added:mine"],)]
    controller.finished(report("added:mine"))
    methods = [r.method for r in controller.session.report.results]
    assert methods == ["nearest", "bicubic", "added:mine"]
    view.chosen_settings = Settings(scale=4)
    controller.add_method("added:other")
    assert worker.told("run")[-1][4] == ("nearest", "bicubic") and not controller.appending


def test_rerun_with_nothing_open_runs_the_first_sample(parts):
    _, worker, _, controller = parts
    controller.rerun()
    assert worker.told("run")[-1][1].startswith("sample:")


def test_a_burst_of_progress_is_drawn_once_as_the_latest(parts):
    view, _, timer, controller = parts
    steps = [Progress("resize_conv", 1, 3, step, 50, loss=1 / step) for step in range(1, 51)]
    for progress in steps:
        controller.progress(progress)
    assert timer.starts == 1 and len(view.told("add_loss")) == 50
    assert view.told("show_progress") == []
    controller.draw_pending()
    [(shown, done, total, text)] = view.told("show_progress")
    assert shown is steps[-1] and (done, total) == (2000, 3000)
    assert text == "Running Resize-convolution (step 50/50)"
    controller.progress(steps[0])
    controller.result(MethodResult("resize_conv"))  # the waiting progress is stale now
    controller.draw_pending()
    assert len(view.told("show_progress")) == 1 and not timer.active


def test_the_texts_of_a_run():
    assert progress_text(Progress("nearest", 2, 4)) == (2000, 4000, "Running Nearest")
    cached = report("nearest", "bicubic")
    cached.results[0].cached = True
    assert run_summary(cached, 1.0) == "Done in 1.0 s; 1 of 2 results from the cache"
    merged = appended(report("nearest", "bicubic"), report("bicubic", "mine"))
    assert [r.method for r in merged.results] == ["nearest", "bicubic", "mine"]


def dataset_image(index, document=True):
    loaded = loaded_input(PHOTO) if document else None
    return SimpleNamespace(
        index=index,
        loaded=loaded,
        report=report("nearest"),
        document={"methods": []} if document else None,
        reason=None if document else "unreadable",
    )


def test_a_dataset_run_fills_its_table_and_shows_the_first_image(parts):
    run_view, worker, _, runs = parts
    view = FakeDatasetView()
    datasets = DatasetController(view, runs)
    datasets.open_folder("/data/set")
    [(ticket, folder, labels, *_rest)] = worker.told("run_folder")
    assert folder == Path("/data/set") and labels is None
    assert view.told("remember_folder") == [(Path("/data/set"), None)]
    files = [Path("/data/set/a.png"), Path("/data/set/b.png")]
    runs.arrived(ticket, "dataset_started", (files, ("nearest",), ("a note",)))
    assert view.told("start_table") == [(files, ["nearest"], "image")]
    runs.arrived(ticket, "dataset_image", dataset_image(0, document=False))
    runs.arrived(ticket, "dataset_image", dataset_image(1))
    assert [first for _, first in view.told("add_row")] == [False, True]
    assert view.told("select_image") == [(1,)]
    assert run_view.told("show_loaded") and runs.session.report.results[0].method == "nearest"
    runs.clock.now += 3
    runs.arrived(ticket, "dataset_finished", False)
    assert view.said()[-1] == "Done: 1 images, 1 skipped, in 3.0 s; pick a row to see one"
    assert view.told("dataset_finished") == [(False,)] and not runs.running
    runs.arrived(ticket - 1, "dataset_finished", True)  # stale: dropped
    assert view.told("dataset_finished") == [(False,)]


def test_a_folders_kind_is_known_before_its_first_image():
    assert folder_kind([Path("a.png"), Path("b.npy")], labelled=True) == "labels"
    assert folder_kind([Path("a.npy"), Path("b.npz")], labelled=False) == "features"
    assert folder_kind([Path("a.png"), Path("b.npy")], labelled=False) == "image"


def test_a_folders_progress_names_the_image_and_the_step():
    files = [Path("a.png"), Path("b.png")]
    value, text = folder_progress(1, files, Progress("resize_conv", 0, 2, 50, 100))
    assert value == 1250 and text == "Image 2/2 b.png: Resize-convolution (step 50/100)"


def test_the_controllers_import_no_qt_and_no_paddle():
    import subprocess
    import sys

    code = (
        "import sys, importlib, pkgutil, viewer.controllers as c;"
        "[importlib.import_module(i.name) for i in"
        " pkgutil.walk_packages(c.__path__, 'viewer.controllers.')];"
        "heavy = ('PySide6', 'pyqtgraph', 'shiboken6', 'paddle');"
        "bad = [k for k in sys.modules if k.split('.')[0] in heavy];"
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_cached_result_brings_its_training_curve(parts):
    """No training happens for a result from the cache: its stored losses are drawn."""
    view, _, _, controller = parts
    started_run(controller)
    controller.result(MethodResult("resize_conv", losses=(4.0, 2.0, 1.0), cached=True))
    assert view.told("add_loss") == [
        ("resize_conv", 4.0),
        ("resize_conv", 2.0),
        ("resize_conv", 1.0),
    ]
    controller.result(MethodResult("pixel_shuffle", losses=(3.0,)))  # trained live: drawn then
    assert len(view.told("add_loss")) == 3
    controller.show_done(
        loaded_input(PHOTO), RunReport(None, Settings(), [MethodResult("a", losses=(1.0, 0.5))])
    )
    assert view.told("add_loss")[-2:] == [("a", 1.0), ("a", 0.5)]
