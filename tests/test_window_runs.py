"""Runs: cancel, close, supersede, failures, progress and training."""

from dataclasses import replace

import numpy as np
import pytest
from PIL import Image
from window_helpers import RUN, first_nearest, photo_methods, run

from viewer.core.method import Method
from viewer.core.methods import get_method
from viewer.core.run import engine


def test_cancel_stops_the_run(make_window, small_image, qtbot):
    window = make_window(steps=100_000)
    with qtbot.waitSignal(
        window.progressShown,
        timeout=RUN,
        check_params_cb=lambda p: p.steps > 0 and p.step >= 2,
    ):
        window.inputs.open_path(small_image)
    report = run(qtbot, window, window.runs.cancel)
    assert report.cancelled
    assert "conv_transpose" not in [r.method for r in report.results]
    assert window.status.text() == "Cancelled"
    assert "cancelled" in window.grid.pane("conv_transpose").message.text()


def test_closing_mid_run_twenty_times_joins_the_worker(make_window, small_image, qtbot):
    for _ in range(20):
        window = make_window(steps=100_000)
        with qtbot.waitSignal(window.progressShown, timeout=RUN):
            window.inputs.open_path(small_image)
        window.close()
        assert not window.worker.is_running()


def test_a_new_image_mid_run_drops_the_old_results(make_window, small_image, tmp_path, qtbot):
    window = make_window(steps=100_000)
    with qtbot.waitSignal(
        window.progressShown, timeout=RUN, check_params_cb=lambda p: p.method == "conv_transpose"
    ):
        window.inputs.open_path(small_image)
    # nearest is measured on the engine's second thread while conv_transpose trains
    qtbot.waitUntil(lambda: window.grid.pane("nearest").pixels is not None, timeout=RUN)
    first_run = window.runs.latest.ticket
    stale = replace(first_nearest(window), method="nearest")
    other = tmp_path / "other.png"
    Image.fromarray(np.full((64, 48, 3), 90, np.uint8)).save(other)
    window.panel.editors["steps"].set_value(2)
    report = run(qtbot, window, lambda: window.inputs.open_path(other))
    assert not report.cancelled and report.inputs.original.shape == (64, 48, 3)
    # what the superseded run still sends, arriving late, goes through the one check:
    window.runs.arrived(first_run, "result", stale)
    window.runs.arrived(
        first_run, "loaded", replace(window.runs.shown.loaded, methods=("nearest",))
    )
    assert window.grid.pane("nearest").pixels.shape == (64, 48, 3)
    assert [pane.key for pane in window.grid.panes][2:] == photo_methods()
    assert window.table.method_ids() == photo_methods()
    assert window.runs.shown.image.name == str(other)


def test_a_failing_method_shows_its_error_and_the_others_go_on(
    make_window, small_image, qtbot, monkeypatch
):
    def build(ctx):
        raise RuntimeError("kernel exploded")

    broken = Method("bilinear", "Bilinear", "x", "x", "x", build, order=20)
    monkeypatch.setattr(
        engine, "get_method", lambda m: broken if m == "bilinear" else get_method(m)
    )
    window = make_window()
    report = run(qtbot, window, lambda: window.inputs.open_path(small_image))
    pane = window.grid.pane("bilinear")
    assert "RuntimeError: kernel exploded" in pane.message.text() and pane.message.isVisible()
    assert window.grid.pane("bicubic").pixels is not None
    assert "failed: bilinear" in window.status.text()
    assert [r.method for r in report.results] == photo_methods()


def test_progress_names_the_method_and_training_step(make_window, small_image, qtbot):
    """Training progress is drawn at most every PROGRESS_MS: a long training shows its step."""
    window = make_window(steps=100_000)
    with qtbot.waitSignal(
        window.progressShown, timeout=RUN, check_params_cb=lambda p: p.step >= 2
    ) as shown:
        window.inputs.open_path(small_image)
    progress = shown.args[0]
    assert progress.method == "conv_transpose"
    assert f"Conv2DTranspose (article) (step {progress.step}/100000)" in window.status.text()
    assert window.grid.pane("conv_transpose").progress.value() == progress.step
    run(qtbot, window, window.runs.cancel)


def test_a_burst_of_training_steps_is_drawn_once_with_every_loss(loaded, qtbot):
    """Steps that arrive faster than PROGRESS_MS are drawn once, as the latest; the loss
    curve still gets every step."""
    shown = []
    loaded.progressShown.connect(shown.append)
    loaded.loss_plot.clear()
    steps = [
        engine.Progress("resize_conv", 3, 9, step, 200, loss=1.0 / step) for step in range(1, 201)
    ]
    for progress in steps:
        loaded.runs.progress(progress)
    qtbot.waitUntil(lambda: len(shown) == 1)
    assert shown == [steps[-1]]
    assert "(step 200/200)" in loaded.status.text()
    assert len(loaded.loss_plot.losses["resize_conv"]) == 200
    assert len(loaded.loss_plot.curves["resize_conv"].getData()[0]) == 200
    loaded.runs.drop_pending()


def test_training_options_loss_curves_and_held_out_images(
    make_window, small_image, tmp_path, qtbot, coffee
):
    other = tmp_path / "other.png"
    Image.fromarray(coffee).save(other)
    window = make_window(steps=12)
    window.panel.set_selected_methods(["bilinear", "dysample", "resize_conv"])
    window.panel.editors["degrade"].set_value("area")
    window.panel.editors["lr"].set_value(0.01)
    window.panel.editors["train_on"].set_value(str(other))
    report = run(qtbot, window, lambda: window.inputs.open_path(small_image))
    assert report.inputs.degradation == "area" and report.settings.lr == 0.01
    assert len(report.train_pairs) == 1 and report.train_pairs[0][1].shape == (96, 144, 3)
    info = window.image_info.text()
    assert f"learned methods trained on {other}" in info and "degraded: area" in info
    assert "CPU" in info or "GPU" in info
    assert set(window.loss_plot.losses) == {"dysample", "resize_conv"}
    assert all(len(v) == 12 for v in window.loss_plot.losses.values())
    result = next(r for r in report.results if r.method == "dysample")
    first = result.losses[0]
    assert window.loss_plot.losses["dysample"] == pytest.approx(list(result.losses))
    shown = 10 ** window.loss_plot.curves["dysample"].getData()[1]  # a log-scale plot
    assert shown == pytest.approx([loss / first for loss in result.losses])  # relative to step 1
    pen = window.loss_plot.curves["dysample"].opts["pen"]
    assert pen.color().name() == window.grid.pane("dysample").colour  # one colour everywhere


def test_a_missing_training_folder_is_one_message(make_window, small_image, tmp_path, qtbot):
    window = make_window()
    window.panel.editors["train_on"].set_value(str(tmp_path / "nowhere"))
    with qtbot.waitSignal(window.loadFailed, timeout=RUN) as blocker:
        window.inputs.open_path(small_image)
    assert blocker.args[0] == f"{tmp_path / 'nowhere'}: no such file: nothing to train on"


def test_an_unexpected_failure_is_one_message_and_the_worker_survives(
    make_window, small_image, qtbot, monkeypatch
):
    from viewer.core.run import session

    window = make_window()
    real = session.make_inputs

    def exhausted(*args, **kwargs):
        raise MemoryError("out of memory while degrading")

    monkeypatch.setattr(session, "make_inputs", exhausted)
    with qtbot.waitSignal(window.loadFailed, timeout=RUN) as blocker:
        window.inputs.open_path(small_image)
    assert blocker.args[0] == (
        f"{small_image}: the run failed (MemoryError: out of memory while degrading)"
    )
    monkeypatch.setattr(session, "make_inputs", real)
    report = run(qtbot, window, lambda: window.inputs.open_path(small_image))
    assert not report.cancelled and window.worker.is_running()
