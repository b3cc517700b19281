"""Classical references outside Paddle (OpenCV's Lanczos, MATLAB's bicubic): a numpy
function of the H x W x C image, wrapped as an operator on the engine's NCHW tensors."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from viewer.core.method import Operator


def numpy_operator(transform: Callable[[np.ndarray], np.ndarray]) -> Operator:
    """An operator that hands the tensor to `transform` as H x W x C and back."""
    import paddle

    from viewer.core.run.device import to_device, to_host

    def run(x):
        image = np.ascontiguousarray(np.from_dlpack(to_host(x))[0].transpose(1, 2, 0))
        output = np.asarray(transform(image), dtype=np.float32)
        return to_device(paddle.from_dlpack(np.ascontiguousarray(output.transpose(2, 0, 1)[None])))

    return run
