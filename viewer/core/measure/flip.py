"""NVIDIA's FLIP (Andersson et al. 2020): the difference a person sees when flipping between
the original and a result, computed by NVIDIA's own `flip-evaluator` package (LDR-FLIP at its
default 67 pixels per degree). It costs about 6 s per method at 3 MP on one core, so the
metric is opt-in (`--perceptual flip`) and the window's FLIP view is computed on demand; it
runs in a process of its own (FlipProcess says why).
"""

from __future__ import annotations

import signal
import threading
from typing import Any

import numpy as np

from viewer.core.run.helper_process import start_serving


def _unit_rgb(image: np.ndarray) -> np.ndarray:
    """8-bit RGB as the contiguous float32 H x W x 3 in [0, 1] that FLIP reads."""
    return np.ascontiguousarray(image, dtype=np.float32) / np.float32(255)


def _evaluate_here(reference: np.ndarray, image: np.ndarray) -> tuple[np.ndarray, float]:
    """FLIP's error map (float32 H x W, 0..1) and its mean, from the package itself."""
    import flip_evaluator  # a compiled extension: loaded only when FLIP is asked for

    error, mean, _ = flip_evaluator.evaluate(
        _unit_rgb(reference), _unit_rgb(image), "LDR", applyMagma=False
    )
    return error[..., 0], float(mean)


def _serve(conn: Any) -> None:
    """The FLIP process's loop: (reference, image) in, (map, mean) or an error's text out."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the viewer decides when this ends
    while True:
        try:
            reference, image = conn.recv()
        except (EOFError, OSError):  # the viewer has gone
            return
        try:
            reply: Any = _evaluate_here(reference, image)
        except Exception as error:
            reply = f"{type(error).__name__}: {error}"
        try:
            conn.send(reply)
        except OSError:
            return


class FlipProcess:
    """FLIP in a spawned process of its own. The package holds the GIL for a whole
    evaluation (0.8 s at 1 MP, seconds at 3 MP): in the viewer's process it froze the
    window's event loop and the engine's other thread for that long. A process also stops
    at once when it is killed (the window closing)."""

    def __init__(self) -> None:
        self.conn, self.process = start_serving(_serve)
        self.lock = threading.Lock()  # one evaluation at a time on the connection

    def evaluate(self, reference: np.ndarray, image: np.ndarray) -> tuple[np.ndarray, float]:
        with self.lock:
            try:
                self.conn.send((reference, image))
                reply = self.conn.recv()
            except (EOFError, OSError) as error:
                raise RuntimeError("FLIP's process ended (stopped, or out of memory)") from error
        if isinstance(reply, str):
            raise RuntimeError(f"FLIP failed: {reply}")
        return reply


_process: FlipProcess | None = None
_starting = threading.Lock()


def _evaluate(reference: np.ndarray, image: np.ndarray) -> tuple[np.ndarray, float]:
    global _process
    with _starting:
        if _process is None or not _process.process.is_alive():
            _process = FlipProcess()
        process = _process
    return process.evaluate(reference, image)


def stop_flip() -> None:
    """End FLIP's process (the window closing): an evaluation under way fails at once; the
    next one starts a new process."""
    global _process
    with _starting:
        process, _process = _process, None
    if process is not None:  # its connection closes with it: a thread may be using it
        process.process.kill()
        process.process.join()


def flip_map(reference: np.ndarray, image: np.ndarray) -> np.ndarray:
    """The per-pixel FLIP error of the uint8 `image` against the uint8 `reference`."""
    return _evaluate(reference, image)[0]


def mean_flip(reference: np.ndarray, image: np.ndarray) -> float:
    """The mean FLIP error, as the package reports it: 0 identical, 1 the largest."""
    return _evaluate(reference, image)[1]
