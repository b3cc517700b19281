"""Your own upsampler from a file (issue 23): checked without running it, run in a worker
process, trained with the shared recipe, measured like the built-ins; every failure is that
method's row naming the file and line, and a forward that never returns is stopped."""

from pathlib import Path

import cv2
import numpy as np
import pytest

from tests.test_label_maps import label_chart
from tests.user_layers import BILINEAR, layer, write
from viewer.core.errors import Cancelled, InputError
from viewer.core.inputs.degrade import prepare_inputs, prepare_label_inputs
from viewer.core.inputs.label_maps import LabelMap
from viewer.core.inputs.user_upsampler import add_upsampler, add_upsamplers, read_user_file
from viewer.core.method import Context
from viewer.core.methods import get_method
from viewer.core.run import user_runner
from viewer.core.run.engine import run_methods
from viewer.core.run.result_cache import ResultCache
from viewer.core.settings import Settings

EXAMPLES = Path(__file__).resolve().parents[1] / "resources" / "upsamplers"
RADIUS, EPS = 2, 1e-3  # resources/upsamplers/guided_filter.py's


def run(path_or_paths, image, scale=2, guide=None, **settings):
    paths = path_or_paths if isinstance(path_or_paths, list) else [path_or_paths]
    ids = add_upsamplers([str(p) for p in paths])
    inputs = prepare_inputs(image, scale, guide=guide)
    report = run_methods(inputs, ids, Settings(scale=scale, **settings))
    return {r.method: r for r in report.results}


def box(values, radius):
    """Mean over each window, counting only the pixels inside the image (as avg_pool2d's
    exclusive padding does)."""
    size = (2 * radius + 1, 2 * radius + 1)
    total = cv2.boxFilter(values, -1, size, normalize=False, borderType=cv2.BORDER_CONSTANT)
    ones = np.ones(values.shape[:2], np.float32)
    count = cv2.boxFilter(ones, -1, size, normalize=False, borderType=cv2.BORDER_CONSTANT)
    return total / (count if values.ndim == 2 else count[..., None])


def guided_filter_reference(low, guide, scale):
    """He et al.'s guided filter in numpy, upsampling form, on [0, 1] values."""
    grey = guide.mean(axis=2)
    height, width = low.shape[:2]
    means = grey.reshape(height, scale, width, scale).mean(axis=(1, 3))
    mean_i, mean_p = box(means, RADIUS)[..., None], box(low, RADIUS)
    covariance = box(low * means[..., None], RADIUS) - mean_i * mean_p
    a = covariance / (box(means * means, RADIUS)[..., None] - mean_i**2 + EPS)
    b = mean_p - a * mean_i

    def up(t):
        resized = cv2.resize(box(t, RADIUS), None, fx=scale, fy=scale)
        return resized.reshape(height * scale, width * scale, -1)

    return up(a) * grey[..., None] + up(b)


def test_the_guided_filter_matches_a_numpy_reference(photo):
    rng = np.random.default_rng(1)
    image = cv2.GaussianBlur(photo, (7, 7), 2)[:64, :72]
    guide = np.clip(photo[:64, :72] + rng.normal(0, 8, (64, 72, 3)), 0, 255).astype(np.uint8)
    result = run(EXAMPLES / "guided_filter.py", image, 4, guide=guide)["guided_filter"]
    assert result.error is None and result.params == 0 and result.losses == ()
    inputs = prepare_inputs(image, 4, guide=guide)
    low = inputs.lowres.astype(np.float32) / 255
    expected = guided_filter_reference(low, inputs.guide.astype(np.float32) / 255, 4) * 255
    assert np.abs(result.output - expected).max() < 1e-2
    assert result.artifacts.phase_cv is not None and result.metrics.psnr > 10


def test_a_learned_upsampler_trains_with_the_shared_recipe(coffee):
    result = run(EXAMPLES / "starting_point.py", coffee, 2, steps=40, lr=0.01)["starting_point"]
    assert result.error is None and result.params == 3 * 3 * 3 * 3 + 3
    assert len(result.losses) == 40
    assert np.mean(result.losses[-8:]) < np.mean(result.losses[:8]), result.losses


def test_the_guided_form_upsamples_a_label_map():
    ids = label_chart(64, 96).astype(np.int32)
    ys, xs = np.mgrid[:64, :96]
    image = np.stack([ids * 90 % 256, (ids * 50 + ys) % 256, xs * 2], axis=-1).astype(np.uint8)
    inputs = prepare_label_inputs(LabelMap("chart", ids, "L"), image, 4, "hard")
    method = add_upsampler(EXAMPLES / "guided_filter.py")
    report = run_methods(inputs, ["nearest", method], Settings(scale=4, label_degrade="hard"))
    nearest, guided = report.results
    assert guided.error is None and guided.labels.shape == ids.shape
    assert guided.metrics.miou > nearest.metrics.miou  # the guide's edges come through


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"import paddle\nclass Upsampler(paddle.nn.Layer)\n    pass\n", "line 2"),
        (b"import paddle\n\nclass Other:\n    pass\n", "defines no class Upsampler"),
        (b"\xff\xfe\x00garbage", "is not a Python file"),
        (b"NAME = 3\nclass Upsampler:\n    pass\n", "NAME must be a non-empty string"),
    ],
)
def test_a_file_that_cannot_be_an_upsampler_is_refused_before_running(tmp_path, content, says):
    path = tmp_path / "mine.py"
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        read_user_file(path)
    assert str(path) in caught.value.what and says in f"{caught.value.what} {caught.value.why}"


@pytest.mark.parametrize(
    ("name", "says"), [("bilinear", "built-in"), ("my-net", "identifier"), ("class", "identifier")]
)
def test_the_id_is_the_stem_and_must_be_a_new_identifier(tmp_path, name, says):
    path = write(tmp_path, name, layer(BILINEAR))
    with pytest.raises(InputError, match=says):
        read_user_file(path)


def test_two_files_with_one_stem_are_refused(tmp_path):
    first = write(tmp_path, "same", layer(BILINEAR))
    (tmp_path / "other").mkdir()
    second = write(tmp_path / "other", "same", layer(BILINEAR))
    with pytest.raises(InputError, match="rename one"):
        add_upsamplers([str(first), str(second)])


@pytest.mark.parametrize(
    ("name", "forward", "init", "says"),
    [
        ("raises_in_init", BILINEAR, "raise ValueError('no')", "line 8: ValueError: no"),
        ("raises_in_forward", "return x / 0 + undefined", "", "line 11: NameError"),
        ("wrong_size", "return x", "", "expected [1, 3, 32, 32]"),
        ("wrong_dtype", "return x.astype('float64')", "", "float64, expected float32"),
        ("not_a_tensor", "return 3", "", "returned int"),
        ("not_finite", f"{BILINEAR} / 0", "", "NaN or infinite"),
    ],
)
def test_what_fails_while_running_is_that_methods_row(photo, tmp_path, name, forward, init, says):
    path = write(tmp_path, name, layer(forward, init))
    good = write(tmp_path, f"{name}_good", layer(BILINEAR))
    results = run([path, good], photo[:32, :32], 2)
    assert str(path) in results[name].error and says in results[name].error
    assert results[f"{name}_good"].error is None  # the run goes on


def test_the_failing_line_of_the_file_is_the_errors_detail(photo, tmp_path):
    path = write(tmp_path, "divides", layer("return x / 0 + undefined"))
    result = run(path, photo[:32, :32], 2)["divides"]
    assert f'File "{path}", line 11, in forward' in result.detail
    assert "return x / 0 + undefined" in result.detail  # the source line, from what ran
    assert result.detail.endswith("NameError: name 'undefined' is not defined")


def test_outputs_are_the_callers_own_and_the_arena_leaves_no_file(photo, tmp_path):
    """The worker writes every output into one reused memory file: what the caller gets
    must not change when the next forward writes there, and the file's name is gone."""
    import paddle

    nearest = BILINEAR.replace("'bilinear'", "'nearest'")
    inputs = prepare_inputs(photo[:32, :32], 2)
    context = Context(Settings(scale=2), inputs.original, inputs.lowres)
    operator = get_method(add_upsampler(write(tmp_path, "reused", layer(nearest)))).build(context)
    small = np.arange(3 * 4 * 4, dtype=np.float32).reshape(1, 3, 4, 4)
    first = operator(paddle.to_tensor(small))
    second = operator(paddle.to_tensor(small[..., ::-1].copy()))
    larger = operator(paddle.to_tensor(np.full((1, 3, 8, 8), 7, np.float32)))  # grows it
    upsampled = small.repeat(2, axis=2).repeat(2, axis=3)
    np.testing.assert_array_equal(np.from_dlpack(first), upsampled)
    np.testing.assert_array_equal(np.from_dlpack(second), upsampled[..., ::-1])
    np.testing.assert_array_equal(np.from_dlpack(larger), np.full((1, 3, 16, 16), 7))
    arena = user_runner.worker().arena
    assert arena.path and not Path(arena.path).exists()


def test_a_fixed_layer_is_built_once_for_the_same_file_and_settings(photo, tmp_path, monkeypatch):
    """A layer without trainable parameters, built from the same text with the same
    settings, is the one the worker holds: no round trip (1 ms of a 13 ms overhead)."""
    asked = []
    ask = user_runner.WorkerProcess.ask

    def counted(self, request, *rest, **named):
        asked.append(request[0])
        return ask(self, request, *rest, **named)

    monkeypatch.setattr(user_runner.WorkerProcess, "ask", counted)
    path = write(tmp_path, "fixed_once", layer(BILINEAR))
    first = run(path, photo[:32, :32], 2)["fixed_once"]
    again = run(path, photo[:32, :32], 2)["fixed_once"]
    np.testing.assert_array_equal(first.output, again.output)
    assert asked.count("build") == 1 and asked.count("forward") == 4  # each: image, probe
    run(path, photo[:32, :32], 3)  # other settings: built again
    path.write_text(path.read_text().replace("'bilinear'", "'nearest'"))
    edited = run(path, photo[:32, :32], 2)["fixed_once"]  # another text: built again
    assert asked.count("build") == 3
    assert not np.array_equal(first.output, edited.output)


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="reads /proc")
def test_the_worker_starts_with_huge_pages_for_its_buffers_and_the_viewer_is_unchanged():
    """Paddle's CPU kernels are memory-bound: the 1 MP bilinear forward took 19.7 ms on 4 KB
    pages and 14.4 ms on huge ones. glibc reads its tunables as the process starts."""
    import os

    user_runner.stop_worker()
    before = dict(os.environ)
    worker = user_runner.worker()
    worker.wait_ready(lambda: None)  # started: /proc shows the environment it runs with
    environ = Path(f"/proc/{worker.process.pid}/environ").read_bytes().split(b"\0")
    assert b"GLIBC_TUNABLES=glibc.malloc.hugetlb=1" in environ
    assert dict(os.environ) == before  # the worker's own, not the viewer's


def test_what_a_layer_prints_becomes_a_note(photo, tmp_path):
    path = write(tmp_path, "chatty", layer(f"print('hello from forward')\n        {BILINEAR}"))
    result = run(path, photo[:32, :32], 2)["chatty"]
    assert result.error is None
    assert any("hello from forward" in note for note in result.notes)


def test_a_forward_that_never_returns_is_stopped_by_cancel(photo, tmp_path):
    looping = add_upsampler(write(tmp_path, "loops", layer("while True:\n            pass")))
    inputs = prepare_inputs(photo[:32, :32], 2)
    checks = []

    def cancel_after_a_while():  # the forward has been looping for 20 polls by then
        checks.append(True)
        if len(checks) > 20:
            raise Cancelled

    context = Context(Settings(scale=2), inputs.original, inputs.lowres)
    operator = get_method(looping).build(context)
    context.check_cancel = cancel_after_a_while
    started = user_runner.worker().process
    import paddle

    with pytest.raises(Cancelled):
        operator(paddle.to_tensor(np.zeros((1, 3, 16, 16), np.float32)))
    assert len(checks) == 21 and not started.is_alive()  # killed at the first check after
    fresh = run(write(tmp_path, "after", layer(BILINEAR)), photo[:32, :32], 2)["after"]
    assert fresh.error is None  # a fresh worker serves the next method


def test_results_are_keyed_by_the_files_content(photo, tmp_path):
    path = write(tmp_path, "edited", layer(BILINEAR))
    inputs = prepare_inputs(photo[:32, :32], 2)
    cache, settings = ResultCache(), Settings(scale=2)
    first = run_methods(inputs, [add_upsampler(path)], settings, cache=cache).results[0]
    again = run_methods(inputs, [add_upsampler(path)], settings, cache=cache).results[0]
    path.write_text(path.read_text().replace("'bilinear'", "'nearest'"))
    edited = run_methods(inputs, [add_upsampler(path)], settings, cache=cache).results[0]
    assert again.cached and not edited.cached
    assert not np.array_equal(first.output, edited.output)
