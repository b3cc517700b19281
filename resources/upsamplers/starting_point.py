"""A starting point for your own upsampler: bilinear plus a learned 3x3 correction.

Add it with `python main.py IMAGE --upsampler THIS_FILE.py` (or File > Add an upsampler… in
the window). Its method id is this file's name, so rename the file to name your method.
Edit and save: the window re-runs it. Because it has trainable parameters, it is trained
with the shared recipe (--steps, --lr, --seed, --train-on) before it is measured; a layer
without parameters is used as it is.
"""

import paddle
import paddle.nn.functional as F

NAME = "Bilinear + learned correction"  # the pane's title (optional; default: the file name)


class Upsampler(paddle.nn.Layer):
    # guided = True  # receive the full-resolution guide too: forward(self, x, guide)

    def __init__(self, channels: int, scale: int):
        super().__init__()
        self.scale = scale
        zero = paddle.ParamAttr(initializer=paddle.nn.initializer.Constant(0.0))
        # Starts at zero, so training starts from plain bilinear and can only learn from there.
        self.correct = paddle.nn.Conv2D(channels, channels, 3, padding=1, weight_attr=zero)

    def forward(self, x):
        """x: float32 [N, C, H, W], values in [0, 1]; returns float32 [N, C, H*r, W*r]."""
        up = F.interpolate(x, scale_factor=self.scale, mode="bilinear")
        return up + self.correct(up)
