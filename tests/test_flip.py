"""NVIDIA FLIP: the opt-in metric and the view mode are the package's own numbers."""

import flip_evaluator
import numpy as np
import pytest

from viewer.core.errors import InputError
from viewer.core.inputs.degrade import prepare_inputs
from viewer.core.measure.flip import flip_map, mean_flip
from viewer.core.presentation.columns import columns_for
from viewer.core.run import engine
from viewer.core.run.result_cache import ResultCache
from viewer.core.settings import Settings, option
from viewer.core.views.derived import MODES, colorize, derive, levels, unavailable


def two_images() -> tuple[np.ndarray, np.ndarray]:
    """A smooth photo-like image and a blurred, noisy copy of it (uint8 RGB)."""
    rng = np.random.default_rng(7)
    y, x = np.mgrid[0:96, 0:128]
    base = np.stack([x * 2, y * 2, (x + y) % 256], axis=-1).astype(np.float32)
    base[30:60, 40:90] = [250, 20, 40]
    test = base[::-1, :] * 0.5 + base * 0.5 + rng.normal(0, 12, base.shape)
    return base.astype(np.uint8), np.clip(test, 0, 255).astype(np.uint8)


def package(reference: np.ndarray, image: np.ndarray) -> tuple[np.ndarray, float]:
    """The package's own answer, called as its documentation says."""
    error, mean, _ = flip_evaluator.evaluate(
        reference.astype(np.float32) / 255, image.astype(np.float32) / 255, "LDR", applyMagma=False
    )
    return error[..., 0], mean


def test_mean_flip_is_the_package_mean():
    reference, image = two_images()
    expected = package(reference, image)[1]
    assert 0.05 < expected < 0.9  # a real difference, not a degenerate 0 or 1
    assert mean_flip(reference, image) == pytest.approx(expected, abs=1e-7)
    assert mean_flip(reference, reference) == 0.0


def test_flip_map_is_the_package_map():
    reference, image = two_images()
    np.testing.assert_array_equal(flip_map(reference, image), package(reference, image)[0])


def test_flip_runs_outside_the_viewers_process():
    """The package holds the GIL for a whole evaluation (0.8 s at 1 MP): run in the
    viewer's process it froze the window's event loop for seconds. It is never loaded there."""
    from tests.main_py import run_python

    script = (
        "import sys\n"
        "import numpy as np\n"
        "from viewer.core.measure.flip import flip_map, stop_flip\n"
        "image = np.zeros((32, 32, 3), np.uint8)\n"
        "assert flip_map(image, image).shape == (32, 32)\n"
        "stop_flip()\n"
        "print('flip_evaluator' in sys.modules)\n"
    )
    done = run_python(script)
    assert done.stdout.strip() == "False", done.stderr


def test_stopping_flip_ends_an_evaluation_at_once():
    import threading

    from viewer.core.measure import flip

    reference, image = (np.tile(a, (16, 16, 1)) for a in two_images())  # 1536 x 2048
    mean_flip(*two_images())
    failures = []

    def evaluate() -> None:
        try:
            flip_map(reference, image)
        except RuntimeError as error:
            failures.append(str(error))

    worker = threading.Thread(target=evaluate)
    worker.start()
    flip.stop_flip()
    worker.join(timeout=30)
    assert not worker.is_alive()
    assert failures == [] or "ended" in failures[0]  # stopped, or done before the stop
    assert mean_flip(reference[:64, :64], reference[:64, :64]) == 0.0  # a new process serves


def test_perceptual_option_is_off_by_default_and_takes_flip():
    assert Settings().perceptual == "off"
    assert option("perceptual").parse("flip") == "flip"
    with pytest.raises(InputError, match="--perceptual"):
        option("perceptual").parse("lpips")


def test_the_flip_column_is_for_photos_and_only_when_asked_for():
    on = Settings(perceptual="flip")
    assert "flip" not in [c.key for c in columns_for("image")]
    assert "flip" in [c.key for c in columns_for("image", on)]
    for kind in ("labels", "features"):
        assert "flip" not in [c.key for c in columns_for(kind, on)]


def test_a_run_measures_flip_only_when_asked_also_on_cached_results(photo):
    inputs = prepare_inputs(photo, 2)
    cache = ResultCache()
    plain = engine.run_methods(inputs, ["nearest", "bicubic"], Settings(), cache=cache)
    assert all(r.metrics.flip is None for r in plain.results)
    asked = engine.run_methods(
        inputs, ["nearest", "bicubic"], Settings(perceptual="flip"), cache=cache
    )
    for result in asked.results:
        assert result.cached  # measured afresh although the result came from the cache
        assert result.metrics.flip == pytest.approx(mean_flip(inputs.original, result.image))
    assert asked.results[0].metrics.flip != asked.results[1].metrics.flip


def test_the_flip_view_is_the_package_map_in_its_own_colours():
    reference, image = two_images()
    view = derive("flip", image, reference)
    expected, _ = package(reference, image)
    np.testing.assert_array_equal(view.values, expected)
    assert (view.low, view.high) == (0.0, 1.0) == levels("flip", 37.0)  # no scale policy
    coloured, _, _ = flip_evaluator.evaluate(
        reference.astype(np.float32) / 255, image.astype(np.float32) / 255, "LDR"
    )
    shown = colorize(view.values, "flip", *levels("flip", 1.0)).astype(int)
    difference = np.abs(shown - np.rint(coloured * 255))
    # The same magma table; a value takes the colour of its 1/255 step (FLIP: the nearest).
    assert difference.mean() < 1.0 and difference.max() <= 4


def test_the_flip_view_is_for_photos_only_and_says_why():
    assert unavailable("flip", "image") == ""
    for kind in ("labels", "features"):
        reason = unavailable("flip", kind)
        assert "label maps" in reason and "feature maps" in reason
        # One channel shown, every other view is offered (the whole: no signed difference).
        assert all(unavailable(mode, kind, 0) == "" for mode in MODES if mode != "flip")
        assert unavailable("signed", kind) and not unavailable("abs", kind)
