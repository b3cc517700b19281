"""The streaming run: results arrive one by one, failures stay local, cancel stops it."""

import subprocess
import sys
import threading
from dataclasses import replace

import numpy as np
import pytest
from failing_methods import probe_exploding

from viewer.core.inputs.degrade import prepare_inputs
from viewer.core.method import Method
from viewer.core.methods import all_methods, get_method, method_ids
from viewer.core.run import engine, parallel
from viewer.core.settings import Settings


def test_results_stream_in_order_with_progress(photo):
    inputs = prepare_inputs(photo, 2)
    seen, progress = [], []
    unguided = [m for m in method_ids() if not get_method(m).guided]
    report = engine.run_methods(
        inputs,
        unguided,
        Settings(steps=3),
        on_result=lambda r: seen.append(r.method),
        on_progress=progress.append,
    )
    assert seen == unguided == [r.method for r in report.results]
    assert not report.cancelled
    training = [p for p in progress if p.method == "conv_transpose" and p.steps]
    assert [p.step for p in training] == [1, 2, 3]
    for result in report.results:
        assert result.image.shape == inputs.original.shape and result.image.dtype == np.uint8
        assert result.ms > 0 and result.metrics.psnr > 0


def failing_method(monkeypatch):
    def build(ctx):
        raise RuntimeError("operator exploded")

    broken = Method("broken", "Broken", "fails", "fails", "none", build, order=0)
    real = get_method
    monkeypatch.setattr(engine, "get_method", lambda i: broken if i == "broken" else real(i))


def test_a_failing_method_is_reported_and_the_others_go_on(photo, monkeypatch):
    failing_method(monkeypatch)
    report = engine.run_methods(
        prepare_inputs(photo, 2), ["nearest", "broken", "bilinear"], Settings()
    )
    nearest, broken, bilinear = report.results
    assert broken.error == "RuntimeError: operator exploded" and broken.image is None
    assert nearest.error is None and bilinear.error is None


def test_a_method_failing_on_the_constant_image_fails_alone(photo, monkeypatch):
    """The response to a constant image runs the method's operator a second time: what it
    raises there is that method's error too, not the whole run's."""

    broken = Method("broken", "Broken", "fails", "fails", "none", probe_exploding, order=0)
    real = get_method
    monkeypatch.setattr(engine, "get_method", lambda i: broken if i == "broken" else real(i))
    report = engine.run_methods(prepare_inputs(photo, 2), ["broken", "bilinear"], Settings())
    assert [r.error for r in report.results] == ["MemoryError: probe exploded", None]


def test_cancel_between_methods_stops_the_run(photo):
    cancel = threading.Event()
    report = engine.run_methods(
        prepare_inputs(photo, 2),
        ["nearest", "bilinear", "bicubic"],
        Settings(),
        on_result=lambda r: cancel.set(),
        cancel=cancel,
    )
    assert report.cancelled
    assert [r.method for r in report.results] == ["nearest"]


def cancel_at_step(photo, methods, step: int, steps: int):
    """Run `methods`, asking to cancel once training reports `step`; returns the report and
    every training step that was reported."""
    cancel = threading.Event()
    seen = []

    def on_progress(progress):
        if progress.steps:
            seen.append(progress.step)
            if progress.step == step:
                cancel.set()

    report = engine.run_methods(
        prepare_inputs(photo, 2),
        methods,
        Settings(steps=steps),
        on_progress=on_progress,
        cancel=cancel,
    )
    return report, seen


def test_cancel_inside_training_stops_within_one_step(photo):
    report, seen = cancel_at_step(photo, ["conv_transpose", "nearest"], 4, steps=100)
    assert report.cancelled and report.results == []
    assert seen == [1, 2, 3, 4]


def test_core_imports_no_qt():
    code = (
        "import sys, importlib, pkgutil, viewer.core, viewer.headless;"
        "[importlib.import_module(i.name) for i in"
        " pkgutil.walk_packages(viewer.core.__path__, 'viewer.core.')];"
        "import viewer.core.methods as m; m.all_methods();"
        "qt = ('PySide6', 'pyqtgraph', 'shiboken6');"
        "bad = [k for k in sys.modules if k.split('.')[0] in qt];"
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize("method", method_ids())
def test_listing_methods_does_not_import_paddle(method):
    code = (
        f"import sys, viewer.core.methods as m; m.get_method({method!r});"
        "assert 'paddle' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_runs_work_from_any_thread(photo):
    """Each window has its own worker thread; Paddle must run eagerly in every one of them."""
    inputs = prepare_inputs(photo, 2)
    reports = []
    for _ in range(2):
        thread = threading.Thread(
            target=lambda: reports.append(run_methods_quietly(inputs)), name="second-worker"
        )
        thread.start()
        thread.join()
    for report in reports:
        assert [r.error for r in report.results] == [None, None]


def run_methods_quietly(inputs):
    return engine.run_methods(inputs, ["nearest", "conv_transpose"], Settings(steps=2))


def test_outputs_can_be_dropped_after_the_callback(photo):
    seen = []
    report = engine.run_methods(
        prepare_inputs(photo, 2),
        ["nearest", "bicubic"],
        Settings(),
        on_result=lambda r: seen.append(r.output is not None),
        keep_outputs=False,
    )
    assert seen == [True, True]
    assert all(r.output is None and r.image is not None for r in report.results)


def test_learned_methods_train_once_over_many_images_with_the_same_results(
    photo, coffee, monkeypatch
):
    """With a training set, an operator trained for one image is reused for the next: not
    built again, and (training being deterministic) equal to one trained afresh."""
    learned = [m.id for m in all_methods() if m.learned and not m.guided]
    pairs_from = prepare_inputs(coffee, 2)
    pairs = [(pairs_from.lowres, pairs_from.original)]
    settings = Settings(steps=2)
    first, second = prepare_inputs(photo, 2), prepare_inputs(coffee[:70, :50], 2)
    trained: dict = {}
    engine.run_methods(first, learned, settings, train_pairs=pairs, trained=trained)
    assert set(trained) == set(learned)
    builds = []
    real = engine.get_method

    def counting(method_id):
        method = real(method_id)
        return replace(method, build=lambda ctx, m=method: builds.append(m.id) or m.build(ctx))

    monkeypatch.setattr(engine, "get_method", counting)
    reused = engine.run_methods(second, learned, settings, train_pairs=pairs, trained=trained)
    monkeypatch.setattr(engine, "get_method", real)
    assert builds == []  # nothing trained again
    fresh = engine.run_methods(second, learned, settings, train_pairs=pairs)
    for again, new in zip(reused.results, fresh.results, strict=True):
        assert again.error is None, again.error
        np.testing.assert_array_equal(again.image, new.image)


def test_the_finisher_keeps_the_order_bounds_what_waits_and_joins_its_thread():
    gate, ran = threading.Event(), []
    finisher = engine.Finisher()
    finisher.WAITING_BYTES = 100
    with finisher:
        finisher.submit(lambda: (gate.wait(), ran.append(0)), 60)
        finisher.submit(lambda: ran.append(1), 40)  # 100 bytes wait: still within the bound
        assert ran == [] and finisher.waiting() == [60, 40]
        gate.set()
        finisher.submit(lambda: ran.append(2), 50)  # over the bound: the oldest is waited for
        assert ran[:1] == [0]
        assert sum(finisher.waiting()) <= 100
    assert ran == [0, 1, 2]
    assert not [t for t in threading.enumerate() if t.name.startswith("upsample-measure")]


def test_measuring_keeps_to_one_thread_while_a_method_computes(photo, monkeypatch):
    """bicubic is measured while "waiting" builds (which waits for bicubic's result): on
    one thread. "waiting" is measured after every method computed: on two. Both ways
    measure the same."""
    building, delivered = threading.Event(), threading.Event()

    def build(ctx):
        building.set()
        assert delivered.wait(30)
        return get_method("bilinear").build(ctx)

    waiting = replace(get_method("bilinear"), id="waiting", build=build)
    real_get = engine.get_method
    monkeypatch.setattr(engine, "get_method", lambda i: waiting if i == "waiting" else real_get(i))
    pools, made = parallel.ThreadPoolExecutor, []
    monkeypatch.setattr(parallel, "ThreadPoolExecutor", lambda *a: made.append(1) or pools(*a))
    real_finish, computed, helpers = engine.finish, {}, {}

    def finish(outcome):
        if outcome.method.id == "bicubic":
            assert building.wait(30)
        before = len(made)
        result = real_finish(outcome)
        computed[outcome.method.id], helpers[outcome.method.id] = outcome, len(made) - before
        return result

    monkeypatch.setattr(engine, "finish", finish)
    report = engine.run_methods(
        prepare_inputs(photo, 2),
        ["bicubic", "waiting"],
        Settings(),
        on_result=lambda r: delivered.set(),
    )
    assert helpers["bicubic"] == 0 and helpers["waiting"] > 0
    on_two = real_finish(computed["bicubic"])
    assert on_two.metrics == report.results[0].metrics
    assert on_two.artifacts == report.results[0].artifacts
    np.testing.assert_array_equal(on_two.image, report.results[0].image)


def test_after_a_cancel_waiting_outputs_are_not_measured(photo, monkeypatch):
    """Closing the window mid-run joins the engine without measuring what no one will see."""
    measured, real = [], engine.finish

    def counting(computed):
        measured.append(computed)
        return real(computed)

    monkeypatch.setattr(engine, "finish", counting)
    cancel = threading.Event()
    report = engine.run_methods(
        prepare_inputs(photo, 2),
        ["nearest", "bilinear", "bicubic", "lanczos"],
        Settings(),
        on_result=lambda r: cancel.set(),
        cancel=cancel,
    )
    assert report.cancelled and [r.method for r in report.results] == ["nearest"]
    assert len(measured) == 1
