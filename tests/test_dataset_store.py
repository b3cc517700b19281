"""A dataset run in the window kept on disk: a byte-capped cache of images' pixels, each
image's results read back from its run folder when picked, and a folder opened again
continuing its run. The window path without a window: the dataset controller fed by the
real engine thread."""

import json

import numpy as np
import pytest
from fake_views import FakeClock, FakeDatasetView, FakeRunView, FakeTimer, Recorder
from PIL import Image
from PySide6.QtCore import Qt

from viewer.controllers.datasets import DatasetController
from viewer.controllers.runs import RunsController
from viewer.core.run.byte_cache import ByteCappedCache, held_bytes
from viewer.core.run.dataset_store import DatasetStore, result_of, run_folder_for, runs_root
from viewer.core.run.folder_session import FolderSession
from viewer.core.run.rules import RunRequest
from viewer.core.settings import Settings
from viewer.model.session import Session
from viewer.ui.worker import EngineWorker, FolderJob

WAIT = 120_000  # ms: a slow machine must not fail a test, only take longer
METHODS = ("nearest", "bilinear")


def pixels(kib: int) -> np.ndarray:
    return np.zeros(kib * 1024, np.uint8)


def test_the_cache_keeps_the_most_recently_used_within_its_bytes():
    cache = ByteCappedCache(cap=3 * 1024)
    for key in "abc":
        cache.put(key, {"pixels": pixels(1)})
    assert cache.get("a") is not None  # a is now the most recent: b goes first
    cache.put("d", {"pixels": pixels(1)})
    assert "b" not in cache and {"a", "c", "d"} <= {k for k in "abcd" if k in cache}
    assert cache.held == 3 * 1024
    cache.put("big", pixels(4))  # more than the cap alone: not kept, nothing dropped for it
    assert "big" not in cache and len(cache) == 3 and cache.held <= cache.cap


def test_held_bytes_counts_an_array_once_however_it_is_reached():
    array = pixels(2)
    assert held_bytes({"a": array, "b": [array, array[:10]], "c": (None, "text", 3)}) == 2048


def test_a_null_psnr_reads_back_as_infinite_only_without_any_error():
    row = {"method": "nearest", "error": None, "notes": [], "psnr": None, "mae": 0, "ms": 1.5}
    assert result_of(row).metrics.psnr == float("inf")
    assert np.isnan(result_of({**row, "mae": 0.5}).metrics.psnr)
    failed = result_of({"method": "x", "error": "boom", "notes": ["n"]})
    assert failed.error == "boom" and failed.metrics is None


def test_the_run_folder_is_in_the_users_cache_and_depends_on_folder_and_run(tmp_path):
    assert runs_root() == tmp_path.parent / runs_root().relative_to(tmp_path.parent)
    first = run_folder_for(tmp_path / "a", {"settings": 1})
    assert first.parent == runs_root()
    assert first == run_folder_for(tmp_path / "a", {"settings": 1})
    assert first != run_folder_for(tmp_path / "b", {"settings": 1})
    assert first != run_folder_for(tmp_path / "a", {"settings": 2})


@pytest.fixture
def photos(tmp_path):
    """Six photos of the same size, each different."""
    folder = tmp_path / "photos"
    folder.mkdir()
    rows, cols = np.mgrid[0:96, 0:128]
    for index in range(6):
        red = (rows * (index + 1) + cols) % 256
        rgb = np.stack([red, cols * 2 % 256, (rows + 40 * index) % 256], axis=2)
        Image.fromarray(rgb.astype(np.uint8)).save(folder / f"img{index}.png")
    return folder


def session_of(folder):
    return FolderSession(folder, None, RunRequest(Settings(), METHODS))


def test_an_images_results_read_back_are_those_computed(photos):
    session = session_of(photos)
    store = DatasetStore(photos, session)
    assert store.open() == {} and store.todo() == list(range(6))
    computed = {}
    for index, done in session.images(only=[0, 1]):
        computed[index] = (done.report, store.write(index, done))
    for index, (report, document) in computed.items():
        _, again = store.read(index)
        assert [r.method for r in again.results] == list(METHODS)
        for before, after in zip(report.results, again.results, strict=True):
            assert np.array_equal(before.image, after.image)
            assert after.metrics.psnr == pytest.approx(before.metrics.psnr, abs=1e-6)
            assert after.artifacts.overshoot == pytest.approx(before.artifacts.overshoot)
        assert np.array_equal(again.inputs.original, report.inputs.original)
        assert document["methods"][0]["method"] == "nearest"
    store.close(cancelled=True)
    assert not (store.target / "summary.json").exists()


def test_a_folder_opened_again_continues_its_run_and_a_complete_one_computes_nothing(photos):
    session = session_of(photos)
    store = DatasetStore(photos, session)
    store.open()
    for index, done in session.images(only=[0, 2]):
        store.write(index, done)
    store.close(cancelled=True)  # interrupted: what is done waits

    again = DatasetStore(photos, session_of(photos))
    assert sorted(again.open()) == [0, 2] and again.todo() == [1, 3, 4, 5]
    assert np.array_equal(again.read(2)[1].results[0].image, store.read(2)[1].results[0].image)
    for index, done in again.session.images(only=again.todo()):
        again.write(index, done)
    again.close(cancelled=False)
    summary = json.loads((again.target / "summary.json").read_bytes())
    assert summary["images"] == 6

    complete = DatasetStore(photos, session_of(photos))
    assert sorted(complete.open()) == list(range(6)) and complete.todo() == []
    assert complete.read(5)[1].results[1].method == "bilinear"
    complete.close(cancelled=False)
    other = DatasetStore(photos, FolderSession(photos, None, RunRequest(Settings(), ("nearest",))))
    assert other.target != complete.target and other.open() == {}
    other.close(cancelled=True)


@pytest.fixture
def window_path(qtbot):
    """The dataset controller as the window wires it, fed by a real engine thread."""
    run_view, timer, clock = FakeRunView(methods=METHODS), FakeTimer(), FakeClock()
    runs = RunsController(run_view, Recorder(), timer, Session(), 10**9, clock)
    view = FakeDatasetView()
    engine = EngineWorker(device="cpu")
    engine.event.connect(lambda run_id, kind, payload: runs.arrived(run_id, kind, payload))
    engine.start()
    yield run_view, runs, view, engine
    engine.shutdown()


def start(runs, datasets, engine, folder, watch=None):
    """Open `folder` as the window does; `watch` sees each event in the engine's thread."""
    datasets.open_folder(folder)
    ticket = runs.worker.told("run_folder")[-1][0]
    job = FolderJob(ticket, folder, None, Settings(), METHODS)
    if watch is not None:
        engine.event.connect(lambda *event: watch(job, *event), Qt.DirectConnection)
    engine.submit(job)
    return job


def test_a_dataset_run_holds_at_most_its_cap_and_any_row_shows_its_results(
    qtbot, window_path, photos
):
    run_view, runs, view, engine = window_path
    datasets = DatasetController(view, runs, cache_bytes=0)
    held, shown = [], {}

    def arrived(run_id, kind, payload):
        if kind == "dataset_image":
            shown[payload.index] = [r.image.copy() for r in payload.report.results]
            if not shown.keys() - {payload.index}:  # the first: the cap fits two like it
                datasets.cache.cap = 2 * held_bytes(payload) + held_bytes(payload) // 2
        runs_arrived(run_id, kind, payload)
        held.append((datasets.cache.held, len(datasets.cache)))

    runs_arrived, runs.arrived = runs.arrived, arrived
    start(runs, datasets, engine, photos)
    qtbot.waitUntil(lambda: bool(view.told("dataset_finished")), timeout=WAIT)
    assert len(shown) == 6 and datasets.cache.cap > 0
    assert all(bytes_ <= datasets.cache.cap and count <= 2 for bytes_, count in held)
    assert [i for i in range(6) if i in datasets.cache] == [4, 5]  # the last two are held
    assert len(engine.cache) == 0  # nor does the engine's result cache keep them
    read = []
    read_back, datasets.read_back = datasets.read_back, lambda i: read.append(i) or read_back(i)
    for index in [4, 5, 0, 1, 0, 3, 2, 1]:
        run_view.calls.clear()
        datasets.show(index)
        pictures = [result.image for (result,) in run_view.told("show_result")]
        assert len(pictures) == len(METHODS)
        assert all(np.array_equal(a, b) for a, b in zip(pictures, shown[index], strict=True))
        assert datasets.cache.held <= datasets.cache.cap and len(datasets.cache) <= 2
    assert read == [0, 1, 3, 2, 1]  # the others were held when picked


def test_the_window_continues_a_folders_interrupted_run(qtbot, window_path, photos):
    run_view, runs, view, engine = window_path
    datasets = DatasetController(view, runs)
    images = []

    def cancel_after_two(job, _run_id, kind, payload):
        if kind == "dataset_image":
            images.append(payload)
            if len(images) == 2:
                job.cancel.set()

    start(runs, datasets, engine, photos, cancel_after_two)
    qtbot.waitUntil(lambda: bool(view.told("dataset_finished")), timeout=WAIT)
    assert view.told("dataset_finished") == [(True,)] and len(images) == 2
    first_documents = {image.index: image.document for image in images}

    view.calls.clear()
    images.clear()
    engine.event.disconnect()
    engine.event.connect(lambda run_id, kind, payload: runs.arrived(run_id, kind, payload))
    start(runs, datasets, engine, photos)
    qtbot.waitUntil(lambda: bool(view.told("dataset_finished")), timeout=WAIT)
    rows = [done for done, _ in view.told("add_row")]
    assert sorted(done.index for done in rows) == list(range(6))
    from_disk = [done for done in rows if done.loaded is None]
    assert {done.index: done.document for done in from_disk} == first_documents
    assert any("2 of 6 images were done" in line for line in view.said())
    assert view.told("dataset_finished") == [(False,)]
    datasets.show(from_disk[0].index)  # a row of the earlier run shows its pictures
    assert len(run_view.told("show_result")) >= len(METHODS)


def test_a_folder_opened_again_in_the_window_is_shown_from_its_run(make_window, qtbot, photos):
    (photos / "z_broken.png").write_bytes(b"\x89PNG\r\n\x1a\nbroken")
    window = make_window()
    window.panel.set_settings(Settings(scale=2))
    window.panel.set_selected_methods(list(METHODS))
    shown = []
    for _ in range(2):
        with qtbot.waitSignal(window.datasetFinished, timeout=WAIT):
            window.datasets.open_folder(photos)
        table = window.dataset.table
        row = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == "img3.png")
        table.selectRow(row)
        shown.append([window.grid.pane(m).pixels.copy() for m in METHODS])
    assert table.rowCount() == 8 and window.dataset.failed.keys() == {6}  # and the mean row
    # nothing computed the second time: only the first image and the picked one were read
    assert [i for i in range(7) if i in window.datasets.cache] == [0, 3]
    assert all(np.array_equal(a, b) for a, b in zip(*shown, strict=True))
