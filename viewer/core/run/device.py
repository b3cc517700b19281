"""Where Paddle runs: chosen once per process, before any operator (the device is global)."""

from __future__ import annotations

import threading
from types import ModuleType

from viewer.core.run.interrupts import release_signals, signals_deferred
from viewer.core.settings import DEVICES


def load_paddle() -> ModuleType:
    """Paddle, imported with SIGINT and SIGTERM deferred, then acted on: raised inside its
    loader, Interrupted became the loader's ImportError, its own line and a traceback. The
    command line holds the signals from its start (`main.py`) until Paddle is loaded. The
    window loads it on its worker thread, which keeps holding them: Paddle's own handler is
    in place until the window sets its own again and lets them through (ui.application)."""
    with signals_deferred():
        import paddle
    if threading.current_thread() is threading.main_thread():
        release_signals()
    return paddle


def gpu_available() -> bool:
    paddle = load_paddle()
    return paddle.device.is_compiled_with_cuda() and paddle.device.cuda.device_count() > 0


def use_device(choice: str) -> str:
    """Set Paddle's device for `choice` (auto, cpu, gpu) and say what was chosen and why."""
    paddle = load_paddle()

    if choice not in DEVICES:
        raise ValueError(f"device must be one of {', '.join(DEVICES)}, not {choice}")
    if choice != "cpu" and gpu_available():
        paddle.set_device("gpu:0")
        return "running on GPU 0"
    paddle.set_device("cpu")
    if choice == "gpu":
        return "GPU asked for, but this Paddle has no CUDA GPU to use: running on the CPU"
    if choice == "auto":
        return "no CUDA GPU found: running on the CPU"
    return "running on the CPU"


def to_device(tensor):
    """A CPU tensor (DLPack from numpy) onto the current device, if that is a GPU."""
    import paddle

    return tensor if paddle.get_device() == "cpu" else tensor.cuda()


def to_host(tensor):
    """A tensor on the CPU, where numpy can read it through DLPack."""
    return tensor if tensor.place.is_cpu_place() else tensor.cpu()
