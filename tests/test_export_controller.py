"""The export controller with a fake view and fake threads: no Qt, no Paddle."""

from pathlib import Path

import pytest
from fake_views import FakeFolders

from viewer.controllers.export import ExportController, input_stem, write_or_reason
from viewer.core.run.results import RunReport
from viewer.core.settings import Settings


class FakeView:
    """Records what the controller says and asks; answers with what a test set."""

    def __init__(self, name="sample:astronaut", report=None, tiles=("tile",), answer=None):
        self.name, self.report, self.tiles, self.answer = name, report, list(tiles), answer
        self.said, self.errors, self.exports, self.asked, self.pictures = [], [], [], [], []
        self.fail_with: OSError | None = None
        self.legend = None

    def ask_save_path(self, title, suggested, filter):
        self.asked.append(suggested)
        return self.answer

    def ask_folder(self, title, start):
        self.asked.append(start)
        return self.answer

    def save_panes_png(self, path):
        if self.fail_with:
            raise self.fail_with
        self.pictures.append(path)

    def region_tiles(self):
        return self.tiles

    def region_origin(self):
        return 12.7, -3.0

    def colour_legend(self):
        return self.legend

    def shown(self):
        return self.name, self.report

    def say(self, text):
        self.said.append(text)

    def show_error(self, message):
        self.errors.append(message)

    def exported(self, path):
        self.exports.append(path)


class FakeThreads:
    def __init__(self):
        self.jobs, self.runs = [], []

    def submit(self, key, job):
        self.jobs.append((key, job))

    def export_run(self, report, name, folder):
        self.runs.append((report, name, folder))


@pytest.fixture
def parts(tmp_path):
    view, folders, threads = FakeView(), FakeFolders(tmp_path), FakeThreads()
    return view, folders, threads, ExportController(view, folders, threads)


@pytest.mark.parametrize(
    "name, stem",
    [("sample:astronaut", "astronaut"), ("/a/photo.png", "photo"), ("chart:star", "chart-star")],
)
def test_the_stem_names_what_is_open(name, stem):
    assert input_stem(name) == stem
    assert input_stem(None) == "upsample"


def test_choosing_a_png_suggests_a_name_and_remembers_the_folder(parts, tmp_path):
    view, folders, _, controller = parts
    view.answer = str(tmp_path / "out" / "panes.png")
    controller.choose_png()
    assert view.asked == [tmp_path / "astronaut_panes.png"]
    assert view.pictures == [view.answer] and view.exports == [view.answer]
    assert folders.folder == str(tmp_path / "out")


def test_a_png_that_cannot_be_written_is_one_message(parts):
    view, _, _, controller = parts
    view.fail_with = PermissionError(13, "Permission denied")
    controller.export_png("/nowhere/panes.png")
    assert view.errors == ["/nowhere/panes.png: Permission denied"] and view.exports == []


def test_a_cancelled_dialog_writes_nothing(parts):
    view, _, threads, controller = parts
    controller.choose_png()
    controller.choose_region()
    controller.choose_all()
    assert view.pictures == [] and threads.jobs == [] and threads.runs == []


def test_the_region_is_written_off_the_gui_thread_into_a_folder_named_for_it(parts, tmp_path):
    view, _, threads, controller = parts
    controller.export_region(tmp_path)
    [(target, _job)] = threads.jobs
    assert target == tmp_path / "astronaut_region_12_0"
    assert view.said == [f"Exporting the region to {target}…"]
    controller.region_written(target, target)
    assert view.exports == [str(target)]
    controller.region_written(target, None)
    assert view.errors == [f"{target}: could not be written"]


def test_no_region_in_view_is_one_message(parts, tmp_path):
    view, _, threads, controller = parts
    view.tiles = []
    controller.export_region(tmp_path)
    assert threads.jobs == [] and view.errors[0].startswith("Nothing to export")


def test_export_all_waits_for_a_finished_run(parts, tmp_path):
    view, _, threads, controller = parts
    controller.export_all(tmp_path)
    assert threads.runs == [] and view.errors[0].startswith("Nothing to export yet")
    view.report = RunReport(None, Settings())
    controller.export_all(tmp_path)
    assert threads.runs == [(view.report, "sample:astronaut", Path(tmp_path))]


def test_a_write_that_fails_hands_back_why():
    def refuse(_tiles, target):
        raise PermissionError(13, "Permission denied")

    assert write_or_reason(refuse, [], "/x") == "/x: Permission denied"
