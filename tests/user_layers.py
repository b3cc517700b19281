"""The upsampler files the tests write, in one layout: a failure in `__init__` is on line 8
of the file and one in `forward` on line 11, whichever test wrote it."""

from pathlib import Path

BILINEAR = "return F.interpolate(x, scale_factor=self.scale, mode='bilinear')"


def layer(forward: str, init: str = "") -> str:
    """The text of a file whose Upsampler's __init__ ends with `init` and whose forward is
    `forward` (both indented as method bodies)."""
    return f"""\
import paddle
import paddle.nn.functional as F

class Upsampler(paddle.nn.Layer):
    def __init__(self, channels, scale):
        super().__init__()
        self.scale = scale
        {init}

    def forward(self, x):
        {forward}
"""


def write(folder: Path, name: str, text: str) -> Path:
    """`text` as the file `name`.py in `folder` (its method id is `name`)."""
    path = folder / f"{name}.py"
    path.write_text(text)
    return path
