"""One run: every selected method on one image, each result streamed as soon as it is ready.

Paddle is process-global state: call `run_methods` from one thread only (the window's
worker, or the command line's main thread). Measuring runs on a second thread (`Finisher`),
numpy and OpenCV only, while the next method computes; `on_result` is called from there, in
method order.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, replace

import numpy as np

from viewer.core.errors import Cancelled
from viewer.core.inputs.degrade import Inputs
from viewer.core.measure.artifacts import Artifacts, constant_image, score
from viewer.core.measure.flip import mean_flip
from viewer.core.measure.label_metrics import score_labels
from viewer.core.measure.metrics import Metrics, measure
from viewer.core.method import Context, Method, Operator, Source, unavailable
from viewer.core.methods import get_method
from viewer.core.run.device import to_device, to_host
from viewer.core.run.parallel import on_one_core, run_together
from viewer.core.run.result_cache import ResultCache
from viewer.core.run.results import MethodResult, Progress, RunReport
from viewer.core.run.training import to_nchw
from viewer.core.run.user_worker import UserError
from viewer.core.settings import Settings

ResultCallback = Callable[[MethodResult], None]
ProgressCallback = Callable[[Progress], None]


def run_methods(
    inputs: Inputs,
    method_ids: Sequence[str],
    settings: Settings,
    on_result: ResultCallback | None = None,
    on_progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
    keep_outputs: bool = True,
    train_pairs: list[tuple[np.ndarray, np.ndarray]] | None = None,
    trained: dict[str, Operator] | None = None,
    cache: ResultCache | None = None,
) -> RunReport:
    """Run each method in order; one that raises becomes that method's error, the rest go on.

    With `keep_outputs=False` the report keeps only uint8 images: each float output (4 bytes
    a value, held in Paddle's memory) is freed once `on_result` has seen it. `train_pairs`
    (low-res, original) replace the input as what learned methods train on; with them,
    `trained` (a dict the caller keeps) lets a run over many images train each learned
    method once: operators trained in an earlier run are taken from it, new ones added.
    A `cache` gives back results computed before on the same input and settings (each
    method keyed by the settings it reads) and keeps the new ones.
    """
    cancel = cancel or threading.Event()
    ensure_eager_mode()
    methods = [get_method(method_id) for method_id in method_ids]
    report = RunReport(inputs=inputs, settings=settings, train_pairs=list(train_pairs or []))
    emit_progress = on_progress or (lambda progress: None)

    def check_cancel() -> None:
        if cancel.is_set():
            raise Cancelled

    tensors = SourceTensors(inputs)
    keys = cache.keys(inputs, methods, settings) if cache is not None else {}

    dropped = []  # a mark for each method a cancel stopped
    computing = threading.Event()  # set while a method computes

    def deliver(make: Callable[[], MethodResult], fresh: bool) -> None:
        """Runs on the finisher, in method order. After a cancel, what is left is neither
        measured nor shown nor cached, as if its method had not run. While a method
        computes, measuring keeps to one core: a second thread slowed the method more than
        it sped the measuring. The last result has both cores."""
        if cancel.is_set():
            dropped.append(True)
            return
        with on_one_core(computing.is_set):
            result = with_perceptual(make(), inputs, settings)
        if cancel.is_set():
            dropped.append(True)
            return
        if on_result:
            on_result(result)
        kept = result if keep_outputs else replace(result, output=None)
        report.results.append(kept)
        if cache is not None and fresh:
            cache.put(keys[result.method], kept)

    with Finisher() as finisher:
        try:
            for index, method in enumerate(methods):
                check_cancel()
                emit_progress(Progress(method.id, index, len(methods)))
                known = cache.get(keys[method.id]) if cache is not None else None
                if known is not None:
                    served = replace(known, cached=True)
                    finisher.submit(lambda served=served: deliver(lambda: served, False))
                    continue
                context = method_context(
                    inputs, settings, train_pairs, check_cancel, emit_progress, index, methods
                )
                computing.set()
                try:
                    computed = compute_one(method, context, tensors, inputs, trained)
                finally:
                    computing.clear()
                size = computed.output.nbytes if isinstance(computed, Computed) else 0
                finisher.submit(lambda c=computed: deliver(lambda: finish(c), True), size)
        except Cancelled:
            dropped.append(True)
    report.cancelled = bool(dropped)
    return report


class Finisher:
    """Measures each computed output on a thread of its own while the next methods compute
    (measuring costs more than a fast method, and Paddle leaves a core free). One thread
    keeps the method order. Outputs wait up to WAITING_BYTES in all (always one), so memory
    stays bounded while the fast methods' measuring catches up as a slow one trains. The
    thread is joined when the run ends."""

    WAITING_BYTES = 256 * 2**20

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="upsample-measure")
        self._pending: list[tuple[Future, int]] = []

    def submit(self, task: Callable[[], None], size: int = 0) -> None:
        """Queue `task`, which holds `size` bytes until it has run."""
        while self._pending and sum(self.waiting()) + size > self.WAITING_BYTES:
            self._pending.pop(0)[0].result()
        self._pending.append((self._pool.submit(task), size))

    def waiting(self) -> list[int]:
        """The bytes each queued task holds, oldest first."""
        return [size for _, size in self._pending]

    def wait(self) -> None:
        """Every submitted task has run (the first exception, if any, raised here)."""
        pending, self._pending = self._pending, []
        for future, _ in pending:
            future.result()

    def __enter__(self) -> Finisher:
        return self

    def __exit__(self, *_exc) -> None:
        try:
            self.wait()
        finally:
            self._pool.shutdown(wait=True)


def method_context(
    inputs: Inputs,
    settings: Settings,
    train_pairs: list | None,
    check_cancel: Callable[[], None],
    emit_progress: ProgressCallback,
    index: int,
    methods: list[Method],
) -> Context:
    """What method `index` builds with: its inputs, settings and progress of its steps."""
    method_id, losses = methods[index].id, []

    def report_step(done: int, total: int) -> None:
        loss = losses[-1] if losses else None
        emit_progress(Progress(method_id, index, len(methods), done, total, loss))

    return Context(
        settings=settings,
        original=inputs.original,
        lowres=inputs.lowres,
        report_step=report_step,
        check_cancel=check_cancel,
        losses=losses,
        train_pairs=list(train_pairs or []),
        guide=inputs.guide,
        class_maps=inputs.classes is not None,
    )


def ensure_eager_mode() -> None:
    """Paddle keeps its eager-mode tracer per thread: any thread but the one that imported
    Paddle starts in static-graph mode, where operators return graph Values, not tensors."""
    import paddle

    if not paddle.in_dynamic_mode():
        paddle.disable_static()


class SourceTensors:
    """Each source image as an NCHW float tensor, converted once per run, shared by methods."""

    def __init__(self, inputs: Inputs) -> None:
        self._images = {Source.LOWRES: inputs.lowres, Source.ORIGINAL: inputs.original}
        if inputs.guide is not None:
            self._images[Source.GUIDE] = inputs.guide
        self._tensors: dict[Source, object] = {}

    def arguments(self, method: Method) -> tuple:
        """What the method's operator is called with: its source (and the guide)."""
        source = self[method.source]
        return (source, self[Source.GUIDE]) if method.guided else (source,)

    def __getitem__(self, source: Source):
        if source not in self._tensors:
            import paddle

            # DLPack shares the array's memory: no second copy of a big image.
            self._tensors[source] = to_device(paddle.from_dlpack(to_nchw(self._images[source])))
        return self._tensors[source]


@dataclass
class Computed:
    """A method's output and what measuring it needs, handed from the run to the finisher."""

    method: Method
    context: Context
    inputs: Inputs
    output: np.ndarray
    ms: float
    constant_response: np.ndarray | None
    params: int


def compute_one(
    method: Method,
    context: Context,
    tensors: SourceTensors,
    inputs: Inputs,
    trained: dict[str, Operator] | None = None,
) -> Computed | MethodResult:
    """Build (and train) and run one method, and its response to a constant image (Paddle
    stays on this thread); a failure is its MethodResult. Only Cancelled escapes.

    `trained` keeps learned methods' operators trained on other images (`train_pairs`), so
    that a run over many images trains each once and evaluates it on all.
    """
    import paddle

    reason = unavailable(method, inputs.guide is not None)
    if reason:
        return MethodResult(method.id, error=reason)
    started = time.perf_counter()
    keep = trained is not None and method.learned and bool(context.train_pairs)
    try:
        operator = trained[method.id] if keep and method.id in trained else method.build(context)
        if keep:
            trained[method.id] = operator
        with paddle.no_grad():
            # DLPack hands over Paddle's buffer without a copy (.numpy() copies).
            result = operator(*tensors.arguments(method))
            output = np.from_dlpack(to_host(result))[0].transpose(1, 2, 0)
    except Cancelled:
        raise
    except Exception as err:
        return failed(method.id, err)
    ms = (time.perf_counter() - started) * 1000
    expected = context.original.shape
    if output.shape != expected:
        return MethodResult(
            method.id, ms=ms, error=f"output is {output.shape}, expected {expected}"
        )
    try:  # the probe runs the method's operator too: its failure is the method's
        response = constant_response(method, context, operator)
        params = count_parameters(operator)
    except Cancelled:
        raise
    except Exception as err:
        return failed(method.id, err, ms)
    return Computed(method, context, inputs, output, ms, response, params)


def failed(method_id: str, error: Exception, ms: float = 0.0) -> MethodResult:
    """The result of a method that raised `error`; a user file's error names the file and
    line itself, and says where in its detail."""
    if isinstance(error, UserError):
        return MethodResult(method_id, ms=ms, error=str(error), detail=error.detail)
    return MethodResult(method_id, ms=ms, error=f"{type(error).__name__}: {error}".strip())


def constant_response(method: Method, context: Context, operator: Operator) -> np.ndarray | None:
    """The operator's answer to a constant image (None for results read from files)."""
    import paddle

    if method.backend == "file":
        return None
    step = context.scale if method.source is Source.ORIGINAL else 1
    constant = [to_nchw(constant_image(context.channels, context.scale, step))]
    if method.guided:
        constant.append(to_nchw(constant_image(3, context.scale, context.scale)))
    with paddle.no_grad():
        answer = operator(*(paddle.to_tensor(array) for array in constant))
    return np.from_dlpack(to_host(answer))[0].transpose(1, 2, 0)


def finish(computed: Computed | MethodResult) -> MethodResult:
    """Measure a computed output: `image` is what to show (the clipped, rounded output, a
    feature map's RGB projection or a class map's label colours). No Paddle here."""
    if isinstance(computed, MethodResult):
        return computed
    method, context, output = computed.method, computed.context, computed.output
    classes = computed.inputs.classes
    try:
        labels = None if classes is None else classes.ids(output)  # the argmax, once
        image = computed.inputs.display.rgb(output) if labels is None else classes.colour(labels)

        def measured() -> Metrics:
            metrics = measure(context.original, output, image, context.scale)
            if labels is None:
                return metrics
            return replace(
                metrics, **asdict(score_labels(classes.truth.ids, labels, classes.truth.ignore))
            )

        response = computed.constant_response
        respond = None if response is None else lambda: response

        def scored() -> Artifacts:
            return score(output, context.lowres, context.scale, respond)

        metrics, artifacts = run_together(measured, scored)
    except Exception as err:
        return failed(method.id, err, computed.ms)
    return MethodResult(
        method=method.id,
        output=output,
        image=image,
        labels=labels,
        metrics=metrics,
        artifacts=artifacts,
        ms=computed.ms,
        params=computed.params,
        notes=tuple(context.notes),
        losses=tuple(context.losses),
    )


def with_perceptual(result: MethodResult, inputs: Inputs, settings: Settings) -> MethodResult:
    """`result` with the FLIP mean that `--perceptual flip` asks for on photos (measured here,
    so that a cached result measured without it gets it too), and without one otherwise."""
    if result.metrics is None:
        return result
    wanted = settings.perceptual == "flip" and inputs.kind == "image"
    if wanted == (result.metrics.flip is not None):
        return result
    flip = mean_flip(inputs.original, result.image) if wanted else None
    return replace(result, metrics=replace(result.metrics, flip=flip))


def count_parameters(operator: object) -> int:
    parameters = getattr(operator, "parameters", None)
    return sum(int(p.size) for p in parameters()) if callable(parameters) else 0
