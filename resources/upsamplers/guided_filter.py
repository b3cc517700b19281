"""The guided filter (He, Sun and Tang, 2013) as a guided upsampler, with no parameters.

The fast guided filter's form: fit `q = a·I + b` in each (2R+1)² window of the low-res input
against the guide's block means there, then apply the (smoothed) a and b, bilinearly
upsampled, to the full-resolution guide. Edges of the guide come out sharp in the result.
"""

import paddle
import paddle.nn.functional as F

NAME = "Guided filter (He et al.)"
RADIUS = 2  # the window's radius, in low-res pixels
EPS = 1e-3  # the regularisation: larger flattens more (values in [0, 1])


def box(x):
    """The mean over each (2R+1)² window, counting only the pixels inside the image."""
    return F.avg_pool2d(x, 2 * RADIUS + 1, stride=1, padding=RADIUS, exclusive=True)


class Upsampler(paddle.nn.Layer):
    guided = True

    def __init__(self, channels: int, scale: int):
        super().__init__()
        self.scale = scale

    def forward(self, x, guide):
        grey = guide.mean(axis=1, keepdim=True)  # I: [N, 1, H*r, W*r]
        low = F.avg_pool2d(grey, self.scale)  # I at the input's resolution
        mean_i, mean_p = box(low), box(x)
        covariance = box(low * x) - mean_i * mean_p
        variance = box(low * low) - mean_i * mean_i
        a = covariance / (variance + EPS)
        b = mean_p - a * mean_i
        return self.up(box(a)) * grey + self.up(box(b))

    def up(self, t):
        return F.interpolate(t, scale_factor=self.scale, mode="bilinear")
