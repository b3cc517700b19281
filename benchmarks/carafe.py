"""CARAFE's and DySample's inference, against the straightforward forms they replace.

    python benchmarks/carafe.py [--side 1024]

CARAFE: the batched matrix product per low-res pixel (viewer/core/methods/carafe.py) against
the straightforward reassembly (F.unfold's k²-times buffer, softmax over axis 1, a
broadcast product summed over the window: what the issue measured). Same trained network,
same input; the outputs agree within 1e-4 (checked here and in tests/test_learned.py).
DySample has no second form: its time is printed for the record.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from skimage import data

from tests.references import straightforward_carafe
from viewer.core.degrade import prepare_inputs
from viewer.core.method import Context
from viewer.core.methods import get_method
from viewer.core.settings import Settings
from viewer.core.training import to_nchw


def best_ms(run, repeats: int = 3) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        run().numpy()
        times.append(time.perf_counter() - started)
    return min(times) * 1000


def main() -> None:
    import paddle

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--side", type=int, default=1024)
    args = parser.parse_args()
    photo = np.tile(data.astronaut(), (4, 4, 1))[: args.side, : args.side]
    inputs = prepare_inputs(np.ascontiguousarray(photo), 2)
    context = Context(Settings(steps=20), inputs.original, inputs.lowres)
    x = paddle.to_tensor(to_nchw(inputs.lowres)) / 255.0
    print(f"{args.side}x{args.side} output, r = 2, inference only (best of 3)\n")
    print("| operator | today (straightforward) | now | speed-up |")
    print("|---|---|---|---|")
    with paddle.no_grad():
        net = get_method("carafe").build(context).net
        now, before = net(x).numpy(), straightforward_carafe(net, x).numpy()
        assert np.abs(now - before).max() < 1e-4, np.abs(now - before).max()
        old, new = best_ms(lambda: straightforward_carafe(net, x)), best_ms(lambda: net(x))
        print(f"| carafe | {old:.0f} ms | {new:.0f} ms | {old / new:.1f}x |")
        dysample = get_method("dysample").build(context).net
        ms = best_ms(lambda: dysample(x))
        print(f"| dysample | — | {ms:.0f} ms | — |")


if __name__ == "__main__":
    main()
