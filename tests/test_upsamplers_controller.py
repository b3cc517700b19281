"""Your upsampler files in the window, through the Qt-free controllers with fake views: added,
run alone, re-run alone after a save, removed; dropped files and comparison files never run
code unasked. No Qt, no Paddle (nothing is run: the fake worker records what would run)."""

import hashlib
from pathlib import Path

import numpy as np
import pytest
from fake_views import (
    FakeClock,
    FakeDatasetView,
    FakeLoader,
    FakeRunView,
    FakeTimer,
    Recorder,
    loaded_input,
)
from test_runs_controller import report

from tests.user_layers import BILINEAR, layer
from viewer.controllers.datasets import DatasetController
from viewer.controllers.inputs import InputsController
from viewer.controllers.runs import RunsController
from viewer.core.inputs.image_io import LoadedImage
from viewer.core.settings import Settings
from viewer.model.comparison_file import Comparison, to_json
from viewer.model.session import Session

PHOTO = LoadedImage("photo", np.zeros((8, 8, 3), np.uint8))


class View(Recorder):
    """The window: answers the open dialog with `path` and a question with `agree`."""

    def __init__(self, path=None, agree=False):
        super().__init__()
        self.path, self.agree = path, agree

    def ask_open_path(self, *_args):
        return self.path

    def confirm(self, title, text):
        self.calls.append(("confirm", title, text))
        return self.agree


class Folders:
    def last_folder(self):
        return "."

    def set_last_folder(self, folder):
        pass


@pytest.fixture
def upsampler(tmp_path) -> Path:
    path = tmp_path / "my_up.py"
    path.write_text(layer(BILINEAR))
    return path


def window(path=None, agree=False, shown=True):
    view, worker = View(path, agree), Recorder()
    runs = RunsController(FakeRunView(), worker, FakeTimer(), Session(), 10**7, FakeClock())
    datasets = DatasetController(FakeDatasetView(), runs)
    inputs = InputsController(view, Folders(), FakeLoader(), runs, datasets)
    if shown:
        runs.start(lambda: PHOTO, PHOTO.name, None)
        runs.loaded(loaded_input(PHOTO))
        runs.finished(report("nearest", "bicubic"))
    return view, worker, inputs


def test_adding_a_file_lists_it_watches_it_and_runs_only_it(upsampler):
    view, worker, inputs = window(str(upsampler))
    inputs.choose_upsampler()
    assert view.told("add_method") == [("my_up",)]
    assert view.told("watch") == [(str(upsampler),)]
    assert worker.told("run")[-1][4] == ("my_up",)  # its pane runs alone


def test_a_save_re_runs_only_that_method_and_a_broken_save_shows_why(upsampler):
    view, worker, inputs = window(str(upsampler))
    inputs.choose_upsampler()
    runs_before = len(worker.told("run"))
    upsampler.write_text(layer(BILINEAR.replace("bilinear", "nearest")))
    inputs.upsamplers.saved(str(upsampler))
    assert len(worker.told("run")) == runs_before + 1
    assert worker.told("run")[-1][4] == ("my_up",)
    upsampler.write_text("class Upsampler(:\n")
    inputs.upsamplers.saved(str(upsampler))
    [(result,)] = view.told("show_result")
    assert result.method == "my_up" and f"{upsampler}, line 1" in result.error
    assert len(worker.told("run")) == runs_before + 1  # nothing ran
    inputs.upsamplers.saved(str(upsampler.with_name("other.py")))  # not watched: nothing
    assert len(worker.told("run")) == runs_before + 1


def test_removing_unwatches_and_takes_it_off_the_list(upsampler):
    view, _, inputs = window(str(upsampler))
    inputs.choose_upsampler()
    inputs.upsamplers.remove("my_up")
    assert view.told("unwatch") == [(str(upsampler),)]
    assert view.told("remove_method") == [("my_up",)]
    inputs.upsamplers.remove("bilinear")  # a built-in is not removed
    assert view.told("remove_method") == [("my_up",)]


@pytest.mark.parametrize("agree", [False, True])
def test_a_dropped_python_file_runs_only_when_the_user_agrees(upsampler, agree):
    view, worker, inputs = window(agree=agree)
    runs_before = len(worker.told("run"))
    inputs.drop([str(upsampler)])
    [(_, text)] = view.told("confirm")
    assert str(upsampler) in text
    assert (len(worker.told("run")) > runs_before) is agree
    assert bool(view.told("add_method")) is agree


def comparison_file(tmp_path, upsampler, digest):
    comparison = Comparison(
        "sample:astronaut",
        Settings(),
        ["nearest"],
        upsamplers=[{"path": str(upsampler), "sha256": digest}],
    )
    path = tmp_path / "saved.upsample.json"
    path.write_bytes(to_json(comparison))
    return path


@pytest.mark.parametrize("agree", [False, True])
def test_a_comparison_file_names_its_upsamplers_and_runs_them_only_if_asked_to(
    tmp_path, upsampler, agree
):
    digest = hashlib.sha256(upsampler.read_bytes()).hexdigest()
    view, _, inputs = window(agree=agree, shown=False)
    inputs.open_comparison(comparison_file(tmp_path, upsampler, digest))
    [(_, text)] = view.told("confirm")
    assert f"{upsampler} (as saved)" in text
    [(_, chosen)] = view.told("choose_run")
    assert ("my_up" in chosen) is agree
    assert bool(view.told("watch")) is agree


def test_a_comparison_says_when_a_file_changed_since_it_was_saved(tmp_path, upsampler):
    view, _, inputs = window(shown=False)
    inputs.open_comparison(comparison_file(tmp_path, upsampler, "0" * 64))
    [(_, text)] = view.told("confirm")
    assert "changed since the comparison was saved" in text
    assert view.told("add_method") == []
