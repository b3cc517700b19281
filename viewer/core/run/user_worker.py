"""The worker process that runs a user's upsampler file, so that a forward that never
returns can be stopped (the process is killed) and no user code runs in the viewer itself.

`serve` is the process's loop: Paddle is imported once, then each request is answered on the
connection. Requests are tuples: ("build", BuildRequest) builds (and trains) the layer,
("forward", x, guide) runs it. Replies: ("step", done, total, loss) while training, then
("built", params, losses, notes) / ("output", notes), or ("error", message, detail). A forward's
output (12 MB for a 1 MP result) is not sent: it is written, 0..255, into the viewer's arena,
the shared file the request names, which stays mapped here from one forward to the next.
"""

from __future__ import annotations

import contextlib
import io
import linecache
import mmap
import signal
import sys
import traceback
import types
from dataclasses import dataclass
from typing import Any

import numpy as np

from viewer.core.method import Context
from viewer.core.settings import Settings


@dataclass
class BuildRequest:
    """What the worker needs to build one user method: its file's text (exactly what was
    hashed), the run's settings and, for training, the images."""

    method_id: str
    path: str
    text: str
    guided: bool
    channels: int
    settings: Settings
    device: str
    class_maps: bool = False
    original: np.ndarray | None = None
    lowres: np.ndarray | None = None
    guide: np.ndarray | None = None
    train_pairs: list | None = None


class UserError(Exception):
    """User code failed: the message names the file (and the line, when it is known);
    `detail` is the traceback's last frame in the user's file, with its source line."""

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.detail = detail


def failure(error: BaseException, path: str) -> UserError:
    """`error` of user code as a UserError: `path, line N: Type: message`, and the last
    frame in the user's file as its detail."""
    what = "".join(traceback.format_exception_only(type(error), error)).strip()
    if isinstance(error, SyntaxError) and error.filename == path:
        return UserError(f"{path}, line {error.lineno}: {type(error).__name__}: {error.msg}", what)
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == path]
    if not frames:
        return UserError(f"{path}: {what}")
    frame = "".join(traceback.format_list(frames[-1:]))
    return UserError(f"{path}, line {frames[-1].lineno}: {what}", frame + what)


def load_class(request: BuildRequest) -> type:
    """The file's `Upsampler` class, from the text that was hashed (line numbers in errors
    are the file's, and so are the source lines a traceback quotes, even after an edit)."""
    module = types.ModuleType(f"user_upsampler_{request.method_id}")
    module.__file__ = request.path
    sys.modules[module.__name__] = module
    lines = request.text.splitlines(keepends=True)
    linecache.cache[request.path] = (len(request.text), None, lines, request.path)
    exec(compile(request.text, request.path, "exec"), module.__dict__)
    layer_class = getattr(module, "Upsampler", None)
    if not isinstance(layer_class, type):
        raise UserError(f"{request.path}: defines no class Upsampler")
    if bool(getattr(layer_class, "guided", False)) != request.guided:
        raise UserError(f"{request.path}: Upsampler.guided is not the literal True it reads")
    return layer_class


def trainable(layer: Any) -> list:
    return [p for p in layer.parameters() if not p.stop_gradient]


class Printed:
    """What user code printed (kept out of the viewer's own output), as notes."""

    def __init__(self) -> None:
        self.buffer = io.StringIO()

    def notes(self) -> list[str]:
        lines = self.buffer.getvalue().splitlines()
        self.buffer = io.StringIO()
        if not lines:
            return []
        more = f" (+{len(lines) - 1} more lines)" if len(lines) > 1 else ""
        return [f"printed: {lines[-1][:200]}{more}"]


class Worker:
    """The worker's state: the built layers by method id."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn
        self.layers: dict[str, tuple[Any, BuildRequest]] = {}
        self.printed = Printed()
        self.arena: tuple[str, mmap.mmap] = ("", mmap.mmap(-1, 1))

    def build(self, request: BuildRequest) -> tuple:
        import paddle

        from viewer.core.run.training import train

        paddle.set_device(request.device)
        paddle.seed(request.settings.seed)
        with self.user_code(request.path):
            layer = load_class(request)(request.channels, request.settings.scale)
        if not isinstance(layer, paddle.nn.Layer):
            raise UserError(f"{request.path}: Upsampler is not a paddle.nn.Layer")
        context = Context(
            settings=request.settings,
            original=request.original,
            lowres=request.lowres,
            report_step=lambda done, total: self.conn.send(
                ("step", done, total, context.losses[-1])
            ),
            train_pairs=request.train_pairs or [],
            guide=request.guide,
            class_maps=request.class_maps,
        )
        if trainable(layer):
            if request.lowres is None:
                return ("train",)  # the caller sends the images it trains on
            with self.user_code(request.path):
                train(layer, context, request.guided)
        layer.eval()
        self.layers[request.method_id] = (layer, request)
        params = sum(int(p.size) for p in layer.parameters())
        return ("built", params, context.losses, context.notes + self.printed.notes())

    def forward(
        self, method_id: str, x: np.ndarray, guide: np.ndarray | None, target: str
    ) -> tuple:
        """Write the layer's output on `x` (and the guide), 0..255, into the file `target`;
        UserError says what is wrong with it."""
        import paddle

        shared = self.mapped(target)
        layer, request = self.layers[method_id]
        scale = request.settings.scale
        arguments = [paddle.to_tensor(x / np.float32(255))]
        if request.guided:
            arguments.append(paddle.to_tensor(guide / np.float32(255)))
        with self.user_code(request.path), paddle.no_grad():
            output = layer(*arguments)
        checked(output, x.shape, scale, request.path)
        written = np.frombuffer(shared, np.float32, output.size).reshape(output.shape)
        np.multiply(np.from_dlpack(output.cpu()), np.float32(255), out=written)
        # One sum is finite when every value is (and much faster than isfinite).
        if not (np.isfinite(written.sum()) or np.isfinite(written).all()):
            raise UserError(f"{request.path}: forward returned NaN or infinite values")
        return ("output", self.printed.notes())

    def mapped(self, path: str) -> mmap.mmap:
        """The viewer's arena at `path`, mapped once: it is reused for every output until
        the viewer grows it (a new path)."""
        if self.arena[0] != path:
            with open(path, "r+b") as file:
                self.arena = (path, mmap.mmap(file.fileno(), 0))
        return self.arena[1]

    @contextlib.contextmanager
    def user_code(self, path: str):
        """Runs user code: what it prints is kept, what it raises names its file and line."""
        try:
            with contextlib.redirect_stdout(self.printed.buffer):
                yield
        except UserError:
            raise
        except Exception as error:
            raise failure(error, path) from error


def checked(output: Any, shape: tuple, scale: int, path: str) -> None:
    """UserError when the layer's output is no float32 tensor of the expected shape."""
    import paddle

    if not isinstance(output, paddle.Tensor):
        raise UserError(f"{path}: forward returned {type(output).__name__}, not a paddle.Tensor")
    if output.dtype != paddle.float32:
        raise UserError(f"{path}: forward returned {output.dtype}, expected float32")
    batch, channels, height, width = shape
    expected = [batch, channels, height * scale, width * scale]
    if list(output.shape) != expected:
        raise UserError(f"{path}: forward returned shape {list(output.shape)}, expected {expected}")


def serve(conn: Any) -> None:
    """The worker process's loop (the target of the spawned process)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the viewer decides when this ends
    signal.pthread_sigmask(signal.SIG_UNBLOCK, (signal.SIGINT, signal.SIGTERM))
    import paddle  # once, before the first request: the worker is warm

    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # Paddle's handler prints a C++ report
    paddle.disable_static()
    worker = Worker(conn)
    conn.send(("ready",))
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):  # the viewer has gone (closed, or killed)
            return
        try:
            if request[0] == "forward":
                reply = worker.forward(*request[1:])
            else:
                reply = worker.build(request[1])
        except UserError as error:
            reply = ("error", str(error), error.detail)
        except Exception as error:  # the viewer's side of the worker: say what, not where
            reply = ("error", f"{type(error).__name__}: {error}")
        try:
            conn.send(reply)
        except OSError:
            return
