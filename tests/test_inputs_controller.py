"""The inputs controller with fake views, a fake loader and a fake worker: files are read
off the GUI thread, a superseded read is dropped, a bad file is one message, and each kind
of input goes where it belongs. No Qt, no Paddle."""

from pathlib import Path

import numpy as np
import pytest
from fake_views import (
    FakeClock,
    FakeDatasetView,
    FakeFolders,
    FakeLoader,
    FakeRunView,
    FakeTimer,
    Recorder,
    loaded_input,
)
from PIL import Image

from viewer.controllers.datasets import DatasetController
from viewer.controllers.inputs import InputsController
from viewer.controllers.runs import RunsController
from viewer.core.inputs.image_io import LoadedImage
from viewer.core.run.rules import Companions
from viewer.model.session import Session


@pytest.fixture
def parts(tmp_path):
    worker, loader, view = Recorder(), FakeLoader(), Recorder()
    runs = RunsController(FakeRunView(), worker, FakeTimer(), Session(), 10_000_000, FakeClock())
    datasets = DatasetController(FakeDatasetView(), runs)
    inputs = InputsController(view, FakeFolders(tmp_path), loader, runs, datasets)
    return view, loader, worker, inputs


def png(path: Path, pixels: np.ndarray) -> str:
    Image.fromarray(pixels).save(path)
    return str(path)


def photo(tmp_path, name="photo.png") -> str:
    pixels = np.random.default_rng(0).integers(0, 256, (20, 16, 3), dtype=np.uint8)
    return png(tmp_path / name, pixels)


def test_a_file_is_read_off_the_gui_thread_then_runs(parts, tmp_path):
    view, loader, worker, inputs = parts
    path = photo(tmp_path)
    inputs.open_path(path)
    assert worker.told("run") == []  # nothing runs before the file has been read
    assert view.told("say") == [(f"Opening {path}…",)]
    assert inputs.folders.last_folder() == str(tmp_path)
    loader.finish(inputs)
    [(_, name, load, *_rest, companions)] = worker.told("run")
    assert name == path and load().pixels.shape == (20, 16, 3)
    assert companions == Companions()


def test_a_read_that_a_newer_one_superseded_is_dropped(parts, tmp_path):
    _, loader, worker, inputs = parts
    first, second = photo(tmp_path, "a.png"), photo(tmp_path, "b.png")
    inputs.open_path(first)
    inputs.open_path(second)
    loader.finish(inputs, 0)
    assert worker.told("run") == []
    loader.finish(inputs, 1)
    assert [call[1] for call in worker.told("run")] == [second]


def test_a_bad_file_is_one_message_and_the_run_goes_on(parts, tmp_path):
    view, loader, worker, inputs = parts
    bad = tmp_path / "notes.png"
    bad.write_bytes(b"not an image")
    inputs.runs.running = True
    inputs.open_path(str(bad))
    loader.finish(inputs)
    assert worker.told("run") == []
    [(message,)] = view.told("show_error")
    assert message.startswith(str(bad)) and view.told("load_failed") == [(message,)]
    assert view.told("say")[-1] == (
        "Could not open notes.png; the current image stays; the run goes on",
    )


def test_a_folder_runs_as_a_dataset(parts, tmp_path):
    _, loader, worker, inputs = parts
    inputs.open_path(tmp_path)
    assert loader.jobs == [] and worker.told("run_folder")[0][1] == tmp_path


def test_a_label_map_needs_an_image_first(parts, tmp_path):
    view, loader, _, inputs = parts
    inputs.open_labels(tmp_path / "labels.png")
    assert loader.jobs == []
    assert view.told("show_error") == [
        (f"{tmp_path / 'labels.png'}: open the image first, then its label map",)
    ]


def test_a_dropped_label_map_runs_with_the_image_on_show(parts, tmp_path):
    _, loader, worker, inputs = parts
    image = LoadedImage("photo", np.zeros((20, 16, 3), np.uint8))
    inputs.runs.start(lambda: image, "photo", None)
    inputs.runs.loaded(loaded_input(image))
    labels = np.zeros((20, 16), np.uint8)
    labels[:, 8:] = 1
    inputs.drop([png(tmp_path / "labels.png", labels)])
    loader.finish(inputs)
    [*_, (_, name, load, *_rest, companions)] = worker.told("run")
    assert load() is image and name == "photo"
    assert companions.labels is not None and companions.guide is None
    inputs.drop([photo(tmp_path, "other.jpg")])  # not a PNG: opened as an image
    assert loader.jobs[-1][0][1].endswith("other.jpg")


def test_an_added_result_of_the_wrong_size_is_one_message(parts, tmp_path):
    view, _, worker, inputs = parts
    inputs.add_result_file(tmp_path / "missing.png")
    assert worker.told("run") == [] and view.told("add_method") == []
    assert len(view.told("show_error")) == 1 == len(view.told("load_failed"))


def test_a_sample_and_a_chart_run_without_reading_a_file(parts):
    _, loader, worker, inputs = parts
    inputs.open_sample("coffee")
    inputs.open_chart("star", 64)
    assert loader.jobs == []
    names = [call[1] for call in worker.told("run")]
    assert names[0] == "sample:coffee" and names[1].startswith("chart:star")


def test_a_comparison_file_that_cannot_be_read_is_one_message(parts, tmp_path):
    view, loader, worker, inputs = parts
    broken = tmp_path / "x.upsample.json"
    broken.write_text("{")
    inputs.open_path(broken)
    assert loader.jobs == [] and worker.told("run") == []
    [(message,)] = view.told("show_error")
    assert message.startswith(str(broken)) and "not JSON" in message
