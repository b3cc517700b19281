"""The viewer's side of the worker process that runs users' upsampler files.

One spawned process (Paddle imported there once, then kept warm) serves every user method in
turn. Waiting on it checks for cancel every POLL seconds: a cancel kills the process, so a
forward that never returns is stopped at once, and the next user method starts a fresh one.

Outputs come back through an Arena, a memory file both processes keep mapped: a fresh file
for each output cost as much as the forward itself (a 1 MP result is 12 MB, 3,000 page faults
on each side), a warm one costs a copy.
"""

from __future__ import annotations

import mmap
import os
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from viewer.core.errors import Cancelled
from viewer.core.method import Context
from viewer.core.run.helper_process import start_serving
from viewer.core.run.user_worker import BuildRequest, UserError, serve

POLL = 0.05  # seconds between cancel checks while user code runs
# glibc's malloc gives the worker's buffers transparent huge pages. Paddle's CPU kernels are
# memory-bound: the 1 MP bilinear forward took 19.7 ms on 4 KB pages and 14.4 ms on huge ones
# (the viewer's own Paddle gets them only by chance, where numpy left a huge-page heap).
WORKER_ENVIRONMENT = {"GLIBC_TUNABLES": "glibc.malloc.hugetlb=1"}


class WorkerProcess:
    """One spawned worker and its connection."""

    def __init__(self) -> None:
        self.conn, self.process = start_serving(serve, WORKER_ENVIRONMENT)
        self.ready = False
        self.arena = Arena()
        # One request (and, for a forward, its output in the arena) at a time.
        self.lock = threading.RLock()
        # Fixed layers the worker holds, by method: (their build request, parameters, notes).
        # The same request again needs no round trip (a fixed bilinear's cost 1 ms of 13).
        self.fixed: dict[str, tuple[BuildRequest, int, list[str]]] = {}

    def ask(
        self,
        request: tuple,
        check_cancel: Callable[[], None],
        on_step: Callable[[int, int, float], None] = lambda done, total, loss: None,
    ) -> tuple:
        """The worker's answer to `request` (steps reported to `on_step` on the way)."""
        with self.lock:
            self.wait_ready(check_cancel)
            self.conn.send(request)
            while True:
                reply = self.receive(check_cancel)
                if reply[0] != "step":
                    return reply
                on_step(*reply[1:])

    def wait_ready(self, check_cancel: Callable[[], None]) -> None:
        """Wait for the worker's ("ready",): Paddle is loaded there."""
        if not self.ready:
            self.receive(check_cancel)
            self.ready = True

    def receive(self, check_cancel: Callable[[], None]) -> tuple:
        while not self.conn.poll(POLL):
            try:
                check_cancel()
            except Cancelled:
                stop_worker()
                raise
            if not self.process.is_alive():
                stop_worker()
                raise UserError(f"the worker process ended (exit code {self.process.exitcode})")
        return self.conn.recv()

    def forward(
        self, method_id: str, arrays: list, shape: tuple, check_cancel: Callable[[], None]
    ) -> tuple[np.ndarray, list[str]]:
        """The output (a copy: the arena is reused) of the method's forward on `arrays`, of
        `shape`, and the notes of what it printed."""
        with self.lock:
            target = self.arena.fit(int(np.prod(shape)) * 4)
            try:
                reply = self.ask(("forward", method_id, *arrays, target), check_cancel)
            finally:
                self.arena.unname()  # the worker has it mapped: the name can go
            if reply[0] == "error":
                raise UserError(*reply[1:])
            return self.arena.read(shape), reply[1]

    def kill(self) -> None:
        self.process.kill()
        self.process.join()
        self.conn.close()
        self.arena.unname()


_worker: WorkerProcess | None = None
_starting = threading.Lock()  # the window may start it from the GUI thread as a run begins


def worker() -> WorkerProcess:
    """The live worker, started if there is none (start it early to overlap its start-up)."""
    global _worker
    with _starting:
        if _worker is None or not _worker.process.is_alive():
            _worker = WorkerProcess()
        return _worker


def running() -> bool:
    """Whether a worker has been started (and not stopped)."""
    return _worker is not None


def stop_worker() -> None:
    """Kill the worker (a cancel, or the end of the program); the next use starts one."""
    global _worker
    if _worker is not None:
        _worker.kill()
        _worker = None


@dataclass(frozen=True)
class ParameterCount:
    """Stands for the worker's parameters where the engine counts them (`.size`)."""

    size: int


class UserOperator:
    """A user layer built in the worker, as an engine operator on 0..255 tensors."""

    def __init__(self, method_id: str, context: Context, params: int) -> None:
        self.method_id, self.context, self.params = method_id, context, params

    def __call__(self, x: Any, guide: Any = None) -> Any:
        import paddle

        from viewer.core.run.device import to_device, to_host

        arrays = [None if t is None else np.from_dlpack(to_host(t)) for t in (x, guide)]
        batch, channels, height, width = arrays[0].shape
        scale = self.context.scale
        shape = (batch, channels, height * scale, width * scale)
        output, notes = worker().forward(self.method_id, arrays, shape, self.context.check_cancel)
        self.context.notes.extend(n for n in notes if n not in self.context.notes)
        return to_device(paddle.from_dlpack(output))

    def parameters(self) -> list[ParameterCount]:
        return [ParameterCount(self.params)]


class Arena:
    """The memory file the worker writes outputs into, grown (a new file) when an output
    does not fit. Its name is unlinked once the worker has mapped it, so nothing is left
    behind; the mappings keep the memory."""

    def __init__(self) -> None:
        self.path = ""
        self.size = 0
        self.memory: mmap.mmap | None = None
        self.named = False

    def fit(self, size: int) -> str:
        """The path of a file of at least `size` bytes."""
        if size > self.size:
            self.unname()
            self.path = shared_file(size)
            self.named = True
            with open(self.path, "r+b") as file:
                self.memory = mmap.mmap(file.fileno(), 0)
            self.size = size
        return self.path

    def read(self, shape: tuple) -> np.ndarray:
        """A copy of the float32 array of `shape` at the start of the file."""
        count = int(np.prod(shape))
        return np.frombuffer(self.memory, np.float32, count).reshape(shape).copy()

    def unname(self) -> None:
        if self.named:
            os.unlink(self.path)
            self.named = False


def shared_file(size: int) -> str:
    """A new file of `size` bytes for the worker to write outputs into: in memory where the
    system has a memory file system."""
    folder = "/dev/shm" if os.path.isdir("/dev/shm") else None
    handle, path = tempfile.mkstemp(prefix="upsample-viewer-", dir=folder)
    try:
        os.ftruncate(handle, size)
    finally:
        os.close(handle)
    return path


def build_user(method_id: str, path: str, text: str, guided: bool, ctx: Context) -> UserOperator:
    """Build (and, if it has trainable parameters, train with the shared recipe) the layer of
    the file whose content is `text`; UserError names the file and line of a failure."""
    import paddle

    request = BuildRequest(
        method_id,
        path,
        text,
        guided,
        ctx.channels,
        ctx.settings,
        paddle.get_device(),
        ctx.class_maps,
    )
    process = worker()
    kept = process.fixed.get(method_id)
    if kept is not None and kept[0] == request:  # built already, and nothing to train
        ctx.notes.extend(kept[2])
        return UserOperator(method_id, ctx, kept[1])
    process.fixed.pop(method_id, None)  # the worker builds it anew
    reply = process.ask(("build", request), ctx.check_cancel)
    fixed = reply[0] == "built"  # built at once: no trainable parameters
    if reply[0] == "train":

        def on_step(done: int, total: int, loss: float) -> None:
            ctx.losses.append(loss)
            ctx.report_step(done, total)

        images = {"original": ctx.original, "lowres": ctx.lowres, "guide": ctx.guide}
        request = replace(request, **images, train_pairs=ctx.train_pairs)
        reply = process.ask(("build", request), ctx.check_cancel, on_step)
    if reply[0] == "error":
        raise UserError(*reply[1:])
    _, params, losses, notes = reply
    ctx.losses[:] = losses
    ctx.notes.extend(notes)
    if fixed:
        process.fixed[method_id] = (request, params, notes)
    return UserOperator(method_id, ctx, params)
