"""The window's engine thread: an unexpected failure during a run, a folder's included, is
reported and the thread lives on for the next run."""

import numpy as np
import pytest
from failing_methods import probe_exploding
from PIL import Image

from viewer.core.inputs.label_maps import LabelMap
from viewer.core.inputs.samples import load_sample
from viewer.core.method import Method
from viewer.core.output import export
from viewer.core.settings import Settings
from viewer.ui.worker import Companions, EngineWorker, FolderJob, RunJob

WAIT = 60_000  # ms: a slow machine must not fail a test, only take longer


@pytest.fixture
def exploding_method():
    from viewer.core import methods

    method = Method("exploding", "Exploding", "fails", "fails", "none", probe_exploding, order=0)
    methods.add_method(method)  # an id no other test uses
    return method.id


@pytest.fixture
def engine(qtbot):
    """A started worker and the (kind, payload) of every event it sends."""
    events = []
    thread = EngineWorker(device="cpu")
    thread.event.connect(lambda run_id, kind, payload: events.append((run_id, kind, payload)))
    thread.start()
    yield thread, events
    thread.shutdown()


@pytest.fixture
def folder(tmp_path, photo, coffee):
    Image.fromarray(photo).save(tmp_path / "a_photo.png")
    Image.fromarray(coffee).save(tmp_path / "b_coffee.png")
    return tmp_path


def wait_for(qtbot, events, run_id, kinds):
    """The first event of run `run_id` whose kind is one of `kinds`."""

    def arrived():
        return next((e for e in events if e[0] == run_id and e[1] in kinds), None)

    qtbot.waitUntil(lambda: arrived() is not None, timeout=WAIT)
    return arrived()


def run_again(qtbot, engine_and_events, run_id):
    thread, events = engine_and_events
    job = RunJob(run_id, "sample", lambda: load_sample(), Settings(), ("nearest",))
    thread.submit(job)
    _, kind, report = wait_for(qtbot, events, run_id, {"finished", "failed"})
    assert kind == "finished" and report.results[0].error is None
    assert thread.is_running()


def test_a_method_failing_in_a_dataset_run_fails_there_and_the_run_goes_on(
    qtbot, engine, folder, exploding_method
):
    thread, events = engine
    methods = ("nearest", exploding_method, "bilinear")
    thread.submit(FolderJob(1, folder, None, Settings(), methods))
    _, kind, payload = wait_for(qtbot, events, 1, {"dataset_finished", "failed"})
    assert (kind, payload) == ("dataset_finished", False)
    images = [e[2] for e in events if e[1] == "dataset_image"]
    assert [image.file.name for image in images] == ["a_photo.png", "b_coffee.png"]
    for image in images:
        errors = {row["method"]: row["error"] for row in image.document["methods"]}
        assert errors == {
            "nearest": None,
            exploding_method: "MemoryError: probe exploded",
            "bilinear": None,
        }
    run_again(qtbot, engine, 2)


def test_an_unexpected_failure_in_a_dataset_run_is_one_message_and_the_thread_lives_on(
    qtbot, engine, folder, monkeypatch
):
    def exhausted(*_args):
        raise MemoryError("out of memory while writing the document")

    monkeypatch.setattr(export, "metrics_document", exhausted)
    thread, events = engine
    thread.submit(FolderJob(1, folder, None, Settings(), ("nearest",)))
    _, kind, message = wait_for(qtbot, events, 1, {"dataset_finished", "failed"})
    assert kind == "failed"
    assert message == (
        f"{folder}: the run failed (MemoryError: out of memory while writing the document)"
    )
    monkeypatch.undo()
    run_again(qtbot, engine, 2)


def test_a_method_failing_in_an_image_run_fails_there_and_the_run_goes_on(
    qtbot, engine, exploding_method
):
    thread, events = engine
    load = lambda: load_sample()  # noqa: E731
    job = RunJob(1, "sample", load, Settings(), ("nearest", exploding_method))
    thread.submit(job)
    _, kind, report = wait_for(qtbot, events, 1, {"finished", "failed"})
    assert kind == "finished"
    assert [r.error for r in report.results] == [None, "MemoryError: probe exploded"]


def test_labels_with_a_guide_are_refused_in_the_window_as_on_the_command_line(qtbot, engine):
    """The window used to drop the guide without a word."""
    thread, events = engine
    image = load_sample()
    ids = np.zeros(image.pixels.shape[:2], np.int32)
    companions = Companions(LabelMap("labels.png", ids, "L"), guide=image)
    job = RunJob(1, "sample", lambda: image, Settings(), ("nearest",), companions=companions)
    thread.submit(job)
    _, kind, message = wait_for(qtbot, events, 1, {"loaded", "failed"})
    assert (kind, message) == (
        "failed",
        "--guide: a label run's guide is its image: give --labels or --guide",
    )
