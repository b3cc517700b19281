"""What running an upsampler from a user file costs, against the same operator built in.

    python benchmarks/user_upsampler.py [--side 1024] [--repeats 5]

resources/upsamplers/bilinear_user.py calls F.interpolate(..., mode='bilinear'), exactly
the built-in `bilinear`. Each is run alone through the engine on a 1 MP original (scale 4),
end to end as a row is made: build, forward, the constant-image probe, measuring and
scoring. The user file's forward runs in the worker process (its input and output cross a
pipe); the worker is started and warm before the first timing. Best of `repeats`, in turn.
"""

from __future__ import annotations

import argparse
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


def timings(side: int, repeats: int) -> dict[str, float]:
    """{method: best end-to-end ms} for `bilinear` and its user-file twin."""
    photo = np.ascontiguousarray(np.tile(data.astronaut(), (2, 2, 1))[:side, :side])
    inputs = prepare_inputs(photo, 4)
    mine = add_upsampler(ROOT / "resources" / "upsamplers" / "bilinear_user.py")
    worker().wait_ready(lambda: None)
    settings = Settings(scale=4)
    best = {"bilinear": float("inf"), mine: float("inf")}
    for _ in range(repeats + 1):  # the first round warms both up and is not counted
        for method in best:
            started = time.perf_counter()
            report = run_methods(inputs, [method], settings)
            elapsed = (time.perf_counter() - started) * 1000
            assert report.results[0].error is None, report.results[0].error
            best[method] = min(best[method], elapsed) if _ else best[method]
    stop_worker()
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--side", type=int, default=1024)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    best = timings(args.side, args.repeats)
    builtin, mine = best["bilinear"], best["bilinear_user"]
    print(f"{args.side}x{args.side}, scale 4, end to end (best of {args.repeats}):")
    print(f"  bilinear (built in)     {builtin:8.1f} ms")
    print(f"  bilinear_user (a file)  {mine:8.1f} ms  ({(mine / builtin - 1) * 100:+.1f} %)")


if __name__ == "__main__":
    main()
