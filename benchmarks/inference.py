"""CARAFE's and DySample's inference, against the straightforward forms they replace.

    python benchmarks/inference.py [--side 1024]

CARAFE: the batched matrix product per low-res pixel (viewer/core/methods/carafe.py) against
the straightforward reassembly (F.unfold's k²-times buffer, softmax over axis 1, a
broadcast product summed over the window: what issue 12 measured). DySample: OpenCV's
gathers and blends (viewer/core/methods/_sampling.py) against Paddle's grid_sample. Same
network, same input, old and new timed in turn; the outputs agree within 1e-4 (checked here
and in tests/test_learned.py).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from skimage import data

from tests.references import straightforward_carafe, straightforward_dysample
from viewer.core.inputs.degrade import prepare_inputs
from viewer.core.method import Context
from viewer.core.methods import get_method
from viewer.core.run.training import to_nchw
from viewer.core.settings import Settings

STRAIGHTFORWARD = {"carafe": straightforward_carafe, "dysample": straightforward_dysample}


def speed_ups(side: int = 1024, repeats: int = 5) -> dict[str, tuple[float, float]]:
    """{method: (straightforward ms, today's ms)}, best of `repeats`, taken in turn."""
    import paddle

    photo = np.tile(data.astronaut(), (4, 4, 1))[:side, :side]
    inputs = prepare_inputs(np.ascontiguousarray(photo), 2)
    context = Context(Settings(steps=20), inputs.original, inputs.lowres)
    x = paddle.to_tensor(to_nchw(inputs.lowres)) / 255.0
    figures = {}
    with paddle.no_grad():
        for method, straightforward in STRAIGHTFORWARD.items():
            net = get_method(method).build(context).net
            net.eval()
            old, new = straightforward(net, x).numpy(), net(x).numpy()
            assert np.abs(new - old).max() < 1e-4, (method, np.abs(new - old).max())
            times = {"old": [], "new": []}
            for _ in range(repeats):
                for form in times:
                    started = time.perf_counter()
                    (straightforward(net, x) if form == "old" else net(x)).numpy()
                    times[form].append(time.perf_counter() - started)
            figures[method] = (min(times["old"]) * 1000, min(times["new"]) * 1000)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--side", type=int, default=1024)
    args = parser.parse_args()
    print(f"{args.side}x{args.side} output, r = 2, inference only (best of 5)\n")
    print("| operator | straightforward | now | speed-up |")
    print("|---|---|---|---|")
    for method, (old, new) in speed_ups(args.side).items():
        print(f"| {method} | {old:.0f} ms | {new:.0f} ms | {old / new:.1f}x |")


if __name__ == "__main__":
    main()
