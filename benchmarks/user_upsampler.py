"""What running an upsampler from a user file costs, against the same operator built in.

    python benchmarks/user_upsampler.py [--side 1024] [--rounds 15]

resources/upsamplers/bilinear_user.py calls F.interpolate(..., mode='bilinear'), exactly
the built-in `bilinear`. Each is run alone through the engine on a 1 MP original (scale 4),
end to end as a row is made: build, forward, the constant-image probe, measuring and
scoring. The user file's forward runs in the worker process (its input crosses a pipe, its
output the worker's arena); the worker is started and warm before the first timing.

Each round runs both, in alternating order; the figures are medians over rounds, and the
overhead is the median of the rounds' paired ratios, which a busy machine moves far less
than a best-of or a ratio of medians.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from skimage import data

from viewer.core.inputs.degrade import prepare_inputs
from viewer.core.inputs.user_upsampler import add_upsampler
from viewer.core.run.engine import run_methods
from viewer.core.run.user_runner import stop_worker, worker
from viewer.core.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


def timings(side: int, rounds: int) -> list[dict[str, float]]:
    """Each round's {method: end-to-end ms} for `bilinear` and its user-file twin."""
    photo = np.ascontiguousarray(np.tile(data.astronaut(), (2, 2, 1))[:side, :side])
    inputs = prepare_inputs(photo, 4)
    mine = add_upsampler(ROOT / "resources" / "upsamplers" / "bilinear_user.py")
    worker().wait_ready(lambda: None)
    settings = Settings(scale=4)
    measured = []
    for number in range(rounds + 1):  # the first round warms both up and is not counted
        order = ["bilinear", mine] if number % 2 else [mine, "bilinear"]
        times = {}
        for method in order:
            started = time.perf_counter()
            report = run_methods(inputs, [method], settings)
            times[method] = (time.perf_counter() - started) * 1000
            assert report.results[0].error is None, report.results[0].error
        if number:
            measured.append(times)
    stop_worker()
    return measured


def overhead(measured: list[dict[str, float]]) -> float:
    """The median over rounds of the user file's time over the built-in's, minus one."""
    return statistics.median(t["bilinear_user"] / t["bilinear"] for t in measured) - 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--side", type=int, default=1024)
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    measured = timings(args.side, args.rounds)
    builtin = statistics.median(t["bilinear"] for t in measured)
    mine = statistics.median(t["bilinear_user"] for t in measured)
    print(f"{args.side}x{args.side}, scale 4, end to end (medians of {args.rounds} rounds):")
    print(f"  bilinear (built in)     {builtin:8.1f} ms")
    print(f"  bilinear_user (a file)  {mine:8.1f} ms")
    print(f"  overhead (median of paired ratios)  {overhead(measured) * 100:+.1f} %")


if __name__ == "__main__":
    main()
