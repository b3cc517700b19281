"""Engine overhead and whole-run time (issue 2's speed targets); prints measured figures.

    python benchmarks/engine.py [--repeats N]

For a 1 MP and a 4 MP original at r = 2: each method's time as the engine reports it (`ms`),
the bare method in the same process (its own `build`, which for grid_sample makes the sampling
grid, then the Paddle call on a ready tensor), and their ratio. Targets: engine overhead at
most 20% of each fixed method's time; the whole run of every article method on 1 MP under 5 s
on 2 cores.
"""

from __future__ import annotations

import argparse
import ctypes
import statistics
import sys
import time
from pathlib import Path

import cv2

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from viewer.core.inputs.degrade import prepare_inputs
from viewer.core.inputs.samples import load_sample
from viewer.core.method import Context
from viewer.core.methods import all_methods
from viewer.core.run.engine import SourceTensors, run_methods, run_one
from viewer.core.settings import Settings

ARTICLE = ["nearest", "bilinear", "bicubic", "pixel_shuffle", "max_unpool", "conv_transpose"]
ARTICLE.append("grid_sample")


def steady_allocator() -> None:
    """Keep freed memory in glibc's heap. Otherwise its adaptive mmap threshold decides, run by
    run, which side gets fresh pages, and faulting in a 12 MB output (~5 ms) swamps a 4 ms
    operator: the comparison would measure the allocator, not the engine."""
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return
    m_trim_threshold, m_mmap_threshold = -1, -3
    libc.mallopt(m_mmap_threshold, 1 << 30)
    libc.mallopt(m_trim_threshold, 1 << 31)


def photo(side: int):
    return cv2.resize(load_sample().pixels, (side, side), interpolation=cv2.INTER_CUBIC)


def timed_ms(action) -> tuple[float, object]:
    start = time.perf_counter()
    kept = action()
    return (time.perf_counter() - start) * 1000, kept


def compare(method, inputs, settings, repeats: int) -> tuple[float, float]:
    """Median engine `ms` and median bare method (its own `build`, e.g. grid_sample's grid,
    plus the Paddle call on a ready tensor), measured alternately so that both see the same
    allocator and cache state."""
    import paddle

    tensors = SourceTensors(inputs)
    tensor = tensors[method.source]

    def context() -> Context:
        return Context(settings=settings, original=inputs.original, lowres=inputs.lowres)

    bare, engine = [], []
    for _ in range(repeats + 1):
        with paddle.no_grad():
            elapsed, output = timed_ms(lambda: method.build(context())(tensor))
        result = run_one(method, context(), tensors, inputs)
        bare.append(elapsed)
        engine.append(result.ms)
        del output, result  # both freed together: each side then allocates under equal terms
    return statistics.median(engine[1:]), statistics.median(bare[1:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    steady_allocator()
    settings = Settings(scale=2)
    print(
        f"{'size':>5} {'method':<15} {'engine ms':>10} {'bare ms':>10} {'ratio':>6} {'overhead':>9}"
    )
    for side in (1000, 2000):
        inputs = prepare_inputs(photo(side), 2)
        for method in all_methods():
            if method.learned or method.id not in ARTICLE:
                continue
            total, bare = compare(method, inputs, settings, args.repeats)
            overhead = (total - bare) / total
            flag = "" if overhead <= 0.2 else "  over target"
            print(
                f"{side * side / 1e6:>4.0f}M {method.id:<15} {total:>10.1f} {bare:>10.1f} "
                f"{total / bare:>6.2f} {overhead:>8.0%}{flag}"
            )
    inputs = prepare_inputs(photo(1000), 2)
    start = time.perf_counter()
    report = run_methods(inputs, ARTICLE, Settings(scale=2))
    whole = time.perf_counter() - start
    training = next(r.ms for r in report.results if r.method == "conv_transpose") / 1000
    print(
        f"whole run, {len(ARTICLE)} article methods with metrics, 1 MP at r = 2: {whole:.2f} s "
        f"(conv_transpose training {training:.2f} s; target < 5 s)"
    )


if __name__ == "__main__":
    main()
