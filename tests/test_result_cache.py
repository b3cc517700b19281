"""The result cache: a change re-runs only what it changes, and a cached result is the
result a fresh run gives."""

from dataclasses import replace

import numpy as np
import pytest

from viewer.core.inputs.degrade import prepare_inputs
from viewer.core.run import engine
from viewer.core.run.engine import run_methods
from viewer.core.run.result_cache import ResultCache, result_bytes
from viewer.core.run.results import MethodResult
from viewer.core.settings import Settings

METHODS = ["nearest", "bicubic", "grid_sample", "resize_conv", "conv_transpose"]


@pytest.fixture
def computed(monkeypatch):
    """The ids of the methods actually computed (not served from the cache)."""
    seen = []
    real = engine.compute_one

    def counting(method, *args, **kwargs):
        seen.append(method.id)
        return real(method, *args, **kwargs)

    monkeypatch.setattr(engine, "compute_one", counting)
    return seen


def test_a_second_run_is_served_whole_and_equals_a_fresh_one(photo, computed):
    inputs, settings, cache = prepare_inputs(photo, 2), Settings(steps=3), ResultCache()
    first = run_methods(inputs, METHODS, settings, cache=cache)
    computed.clear()
    again = run_methods(prepare_inputs(photo.copy(), 2), METHODS, settings, cache=cache)
    assert computed == [] and all(r.cached for r in again.results)
    fresh = run_methods(inputs, METHODS, settings)  # no cache: computed anew
    for cached, new in zip(again.results, fresh.results, strict=True):
        np.testing.assert_array_equal(cached.image, new.image)
        assert cached.metrics == new.metrics and cached.artifacts == new.artifacts
    assert [r.method for r in first.results] == METHODS


def test_a_change_reruns_only_the_methods_that_read_it(photo, computed):
    inputs, cache = prepare_inputs(photo, 2), ResultCache()
    run_methods(inputs, METHODS, Settings(steps=3), cache=cache)
    computed.clear()
    run_methods(inputs, METHODS, Settings(steps=4), cache=cache)
    assert computed == ["resize_conv", "conv_transpose"]  # the learned ones
    computed.clear()
    run_methods(inputs, METHODS, Settings(steps=4, seed=1), cache=cache)
    assert computed == ["grid_sample", "resize_conv", "conv_transpose"]
    computed.clear()
    run_methods(inputs, METHODS, Settings(steps=4, lr=1e-2), cache=cache)
    assert computed == ["resize_conv"]  # the article's conv_transpose keeps its own lr
    computed.clear()
    run_methods(inputs, [*METHODS, "bilinear"], Settings(steps=4), cache=cache)
    assert computed == ["bilinear"]  # one more method ticked: only it runs
    computed.clear()
    other = prepare_inputs(photo, 2, "matlab")  # at x2 "area" makes the same input as "article"
    run_methods(other, ["nearest"], Settings(steps=4), cache=cache)
    assert computed == ["nearest"]  # another input, another key


def test_cancel_then_run_keeps_what_finished(photo, computed):
    import threading

    inputs, cache, cancel = prepare_inputs(photo, 2), ResultCache(), threading.Event()

    delivered = []

    def stop_after_two(result: MethodResult) -> None:
        delivered.append(result.method)
        if len(delivered) == 2:
            cancel.set()  # the method computing meanwhile is dropped, and not cached

    report = run_methods(
        inputs, METHODS, Settings(steps=3), on_result=stop_after_two, cancel=cancel, cache=cache
    )
    assert report.cancelled and len(report.results) == 2
    computed.clear()
    run_methods(inputs, METHODS, Settings(steps=3), cache=cache)
    assert computed == METHODS[2:]


def test_the_cache_stays_within_its_bytes_least_recently_used_first():
    image = np.zeros((10, 10, 3), np.uint8)
    result = MethodResult("nearest", image=image)
    cache = ResultCache(limit=3 * result_bytes(result))
    for name in "abcd":
        cache.put(("content", name, ()), replace(result, method=name))
        assert cache.size <= cache.limit
    assert cache.get(("content", "a", ())) is None  # the oldest went first
    assert cache.get(("content", "b", ())) is not None  # now the most recently used
    cache.put(("content", "e", ()), result)
    assert cache.get(("content", "c", ())) is None and cache.get(("content", "b", ())) is not None
    assert len(cache) == 3
    cache.put(("content", "failed", ()), MethodResult("x", image=image, error="boom"))
    assert cache.get(("content", "failed", ())) is None  # failures are retried


def test_the_window_says_when_results_come_from_the_cache(make_window, qtbot, small_image):
    from window_helpers import run

    window = make_window()
    window.panel.set_selected_methods(["nearest", "bilinear"])
    first = run(qtbot, window, lambda: window.inputs.open_path(small_image))
    assert not any(r.cached for r in first.results)
    window.panel.set_selected_methods(["nearest", "bilinear", "bicubic"])
    again = run(qtbot, window, window.runs.rerun)
    assert [r.cached for r in again.results] == [True, True, False]
    assert "2 of 3 results from the cache" in window.status.text()
    assert "from the cache" in window.grid.pane("nearest").caption.toolTip()
    np.testing.assert_array_equal(window.grid.pane("bilinear").pixels, first.results[1].image)
