"""A folder in the window: the table of images x methods, picking an image, cancel."""

import json

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import Qt
from window_helpers import RUN

from tests.main_py import run_main
from tests.test_label_maps import save
from tests.test_label_runs import blocks_chart
from viewer.core.settings import Settings
from viewer.ui.dataset_table import MEAN_ROW


@pytest.fixture
def folder(tmp_path, photo, coffee):
    Image.fromarray(photo).save(tmp_path / "a_photo.png")
    Image.fromarray(coffee).save(tmp_path / "b_coffee.png")
    (tmp_path / "c_broken.png").write_bytes(b"\x89PNG\r\n\x1a\nbroken")
    return tmp_path


def open_folder(qtbot, window, folder, labels=None):
    with qtbot.waitSignal(window.datasetFinished, timeout=RUN) as blocker:
        window.datasets.open_folder(folder, labels)
    return blocker.args[0]


def column_of(table, title):
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    return headers.index(title)


def test_a_folder_fills_a_table_with_the_mean_on_top(make_window, qtbot, folder, photo):
    window = make_window()
    window.panel.set_settings(Settings(scale=2, steps=2))
    window.panel.set_selected_methods(["nearest", "bilinear"])
    cancelled = open_folder(qtbot, window, folder)
    table = window.dataset.table
    assert not cancelled and window.dataset_dock.isVisible()
    assert table.rowCount() == 4 and table.item(0, 0).data(Qt.ItemDataRole.UserRole) == MEAN_ROW
    assert window.dataset.failed.keys() == {2} and "c_broken" in table.item(3, 0).text()
    # the mean row is the headless summary's mean, as the folder run writes it
    summary = window.dataset.summary()
    bilinear = next(row for row in summary["methods"] if row["method"] == "bilinear")
    column = column_of(table, "Bilinear")
    assert table.item(0, column).text().startswith(f"{bilinear['psnr']:.2f} ±")  # as Metrics
    documents = window.dataset.documents
    assert bilinear["psnr"] == pytest.approx(
        np.mean(
            [
                r["psnr"]
                for d in documents.values()
                for r in d["methods"]
                if r["method"] == "bilinear"
            ]
        )
    )
    # sorting either way keeps the mean first
    for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
        table.sortItems(column, order)
        assert table.item(0, 0).data(Qt.ItemDataRole.UserRole) == MEAN_ROW
    # the first image is on show; picking the second shows its panes at once
    np.testing.assert_array_equal(window.grid.pane("original").pixels, photo[:100, :74])
    row = next(r for r in range(4) if table.item(r, 0).text() == "b_coffee.png")
    table.selectRow(row)
    assert window.grid.pane("original").pixels.shape == (96, 144, 3)
    assert window.grid.pane("bilinear").pixels is not None
    assert window.model.pane("bilinear").status == "done"
    assert "2 images, 1 skipped" in window.status.text()
    window.dataset.metric.setCurrentIndex(window.dataset.metric.findData("ssim"))
    assert 0 < float(table.item(0, column).text().split()[0]) <= 1


def test_a_label_folder_shows_segmentation_scores(make_window, qtbot, tmp_path):
    ids = blocks_chart().astype(np.int32)
    image = np.stack([ids * 70 % 256, ids * 30 % 256, 255 - ids], axis=-1).astype(np.uint8)
    Image.fromarray(image).save(tmp_path / "scene.jpg", quality=95)
    save(tmp_path / "scene.png", ids, "L")
    window = make_window()
    window.panel.set_settings(Settings(scale=4, steps=2))
    window.panel.set_selected_methods(["nearest", "jbu"])
    started = []  # what the window offered as the run started, before any image was done
    window.runs.handlers["dataset_started"] = lambda files, wrapped=window.datasets.started: (
        wrapped(files),
        started.append(
            (window.dataset.metric.currentData(), window.heat.mode_actions["flip"].isEnabled())
        ),
    )
    open_folder(qtbot, window, tmp_path, tmp_path)
    assert started == [("miou", False)]  # a label folder, from its start: no PSNR, no FLIP
    assert window.dataset.metric.currentData() == "miou"
    assert window.dataset.table.rowCount() == 2  # the mean and scene.jpg; scene.png is labels
    assert window.runs.shown.loaded.inputs.kind == "labels"
    nearest = window.dataset.table.item(0, column_of(window.dataset.table, "Nearest"))
    assert nearest.text().startswith("1.0000")


def test_cancel_keeps_the_images_done(make_window, qtbot, folder):
    window = make_window()
    window.panel.set_settings(Settings(scale=2, steps=2))
    window.panel.set_selected_methods(["nearest"])
    with qtbot.waitSignal(window.datasetFinished, timeout=RUN) as blocker:
        window.datasets.open_folder(folder)
        qtbot.waitUntil(lambda: len(window.dataset.documents) >= 1, timeout=RUN)
        window.runs.cancel()
    done = len(window.dataset.documents)
    assert done >= 1 and not window.runs.running
    assert ("Cancelled after" in window.status.text()) == blocker.args[0]
    assert window.dataset.table.rowCount() == 1 + done + len(window.dataset.failed)
    window.close()
    assert not window.worker.is_running()


def test_an_empty_folder_is_one_message(make_window, qtbot, tmp_path):
    window = make_window()
    with qtbot.waitSignal(window.loadFailed, timeout=RUN) as blocker:
        window.datasets.open_folder(tmp_path)
    assert str(tmp_path) in blocker.args[0] and "no images" in blocker.args[0]
    assert not window.runs.running


def test_headless_and_window_means_agree(make_window, qtbot, folder, tmp_path):
    out = tmp_path / "out"
    done = run_main(
        "--headless",
        folder,
        "--out",
        out,
        "--methods",
        "nearest,bilinear",
        "--steps",
        2,
        "--no-images",
    )
    assert done.returncode == 0, done.stderr
    headless = json.loads((out / "summary.json").read_text())
    window = make_window()
    window.panel.set_settings(Settings(scale=2, steps=2))
    window.panel.set_selected_methods(["nearest", "bilinear"])
    open_folder(qtbot, window, folder)
    shown = window.dataset.summary()
    for ours, theirs in zip(shown["methods"], headless["methods"], strict=True):
        assert ours["method"] == theirs["method"]
        assert ours["psnr"] == pytest.approx(theirs["psnr"]) and ours["n"] == theirs["n"] == 2


def test_main_py_folder_opens_the_dataset_with_its_labels(tmp_path):
    """`python main.py FOLDER --labels FOLDER` runs the dataset in the window, and
    --screenshot waits for every image of it (not for a single run, which never comes)."""
    import os

    ids = blocks_chart().astype(np.int32)
    image = np.stack([ids * 70 % 256, ids * 30 % 256, 255 - ids], axis=-1).astype(np.uint8)
    for name in ("one", "two"):
        Image.fromarray(image).save(tmp_path / f"{name}.bmp")
        save(tmp_path / f"{name}.png", ids, "P")
    shot = tmp_path / "shot.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path)}
    done = run_main(
        tmp_path,
        "--labels",
        tmp_path,
        "--methods",
        "nearest,jbu",
        "--scale",
        4,
        "--screenshot",
        shot,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    picture = np.asarray(Image.open(shot).convert("RGB"))
    assert picture.shape[0] > 300 and picture.std() > 20


def test_a_folders_training_steps_are_drawn_at_most_every_progress_interval(
    make_window, tmp_path, qtbot
):
    """A burst of steps draws the latest once; the end of the folder is not overwritten."""
    from viewer.core.run.results import Progress

    window = make_window()
    window.datasets.files = [tmp_path / "a.png", tmp_path / "b.png"]
    texts = []
    original = window.status.setText
    window.status.setText = lambda text: (texts.append(text), original(text))
    for step in range(1, 101):
        window.datasets.progress((1, Progress("resize_conv", 3, 9, step, 100)))
    qtbot.waitUntil(lambda: any("step" in text for text in texts))
    assert [text for text in texts if "step" in text] == [
        "Image 2/2 b.png: Resize-convolution (step 100/100)"
    ]
    window.datasets.progress((1, Progress("resize_conv", 3, 9, 7, 100)))
    window.runs.started = 0.0
    window.datasets.finished(False)  # the step waiting to be drawn is dropped
    assert window.runs.pending_draw is None and not window.progress_timer.isActive()
    assert window.status.text().startswith("Done:")


def test_the_dataset_view_goes_when_another_input_opens(make_window, qtbot, folder, small_image):
    """Its rows would show another input's results while the panel says otherwise; while
    the folder runs, its panes wait instead of showing the previous input."""
    from window_helpers import run

    window = make_window()
    window.panel.set_selected_methods(["nearest", "bilinear"])
    run(qtbot, window, lambda: window.inputs.open_path(small_image))
    ticket = window.runs.latest.next()  # a folder run starts (its worker's first message)
    window.model.session.dataset = str(folder)
    files = [folder / "a_photo.png", folder / "b_coffee.png"]
    window.runs.arrived(ticket, "dataset_started", (files, ("nearest", "bilinear"), ()))
    assert window.dataset_dock.isVisible() and window.dataset.files == files
    assert window.model.pane("nearest").message == "waiting…"
    assert window.grid.pane("nearest").pixels is None  # not the previous image's result
    run(qtbot, window, lambda: window.inputs.open_path(small_image))  # another input
    assert window.model.session.dataset is None
    assert not window.dataset_dock.isVisible() and window.dataset.table.rowCount() == 1
    assert window.dataset.files == []
