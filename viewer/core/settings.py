"""The settings schema: every option once, with its type, range, default and help.

The command line, the window's settings panel, the stored window settings and metrics.json
are all derived from these records, so an option has one range and one meaning everywhere.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from typing import Any

from viewer.core.errors import InputError

SCALES = (2, 3, 4, 8, 16)  # decoders go to x32; x8 and x16 are common steps
DEGRADATIONS = {
    "article": "cv2.resize(img, 1/r, INTER_LINEAR), as the article (no antialiasing)",
    "area": "cv2.resize(img, 1/r, INTER_AREA): the mean of each r x r block",
    "bicubic_aa": "Paddle F.interpolate(bicubic, antialias=True): MATLAB-like, as in SR papers",
    "matlab": "MATLAB imresize(img, 1/r, 'bicubic'), rounded to uint8: the SR papers' input",
}
LABEL_DEGRADATIONS = {
    "soft": "the one-hot map averaged over each r x r block: the class fractions an ideal "
    "low-res decoder predicts",
    "hard": "the one-hot of one label per r x r block (the pixel at offset r//2 down and "
    "right): what an argmax at low resolution gives",
}
PROTOCOLS = {
    "article": "the low-res input made as --degrade says",
    "sr": "the super-resolution papers' protocol: MATLAB imresize bicubic input (whatever "
    "--degrade says), and PSNR-Y / SSIM-Y with r pixels shaved",
}
PERCEPTUAL = ("off", "flip")  # flip: NVIDIA FLIP (viewer.core.measure.flip)
DEVICES = ("auto", "cpu", "gpu")
DEFAULT_MAX_PIXELS = 50_000_000
SEED_MAX = 2**31 - 1


@dataclass(frozen=True)
class Option:
    """One option: `kind` is int, float, str or "path"; a value must lie in [low, high] or
    be one of `choices`. `optional` options may be None (unset)."""

    name: str
    label: str
    kind: Any
    default: Any
    help: str
    low: float | None = None
    high: float | None = None
    choices: tuple = ()
    optional: bool = False
    step: float = 1

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")

    def describe(self) -> str:
        """The allowed values, as error messages and help texts say them."""
        if self.choices:
            return "one of " + ", ".join(map(str, self.choices))
        if self.kind is int:
            return f"a whole number from {self.low} to {self.high}"
        if self.kind is float:
            return f"a number from {self.low:g} to {self.high:g}"
        return "a file or folder" if self.kind == "path" else "text"

    def parse(self, text: str | None) -> Any:
        """The value written as `text` (command line, stored settings), checked; InputError
        (naming the flag) when it is not allowed. Empty text unsets an optional option."""
        text = "" if text is None else str(text).strip()
        if not text and self.optional:
            return None
        try:
            if self.kind is int:
                value = int(text, 10)
            elif self.kind is float:
                value = float(text)
            else:
                value = text
        except ValueError as error:
            raise self.refuse(text) from error
        return self.check(value)

    def check(self, value: Any) -> Any:
        """`value` itself if allowed, else InputError."""
        if value is None and self.optional:
            return None
        if self.kind in (int, float) and isinstance(value, bool):
            raise self.refuse(value)
        if self.kind is int and not isinstance(value, int):
            raise self.refuse(value)
        if self.kind is float:
            if not isinstance(value, int | float) or not math.isfinite(value):
                raise self.refuse(value)
            value = float(value)
        if self.kind in ("path", str) and (not isinstance(value, str) or not value):
            raise self.refuse(value)
        if self.choices and value not in self.choices:
            raise self.refuse(value)
        if self.low is not None and not self.low <= value <= self.high:
            raise self.refuse(value)
        return value

    def refuse(self, value: Any) -> InputError:
        shown = "(empty)" if value == "" else value
        return InputError(self.flag, f"must be {self.describe()}, not {shown}")


RUN_OPTIONS: tuple[Option, ...] = (
    Option("scale", "Scale", int, 2, "upsampling factor r", choices=SCALES),
    Option(
        "steps",
        "Training steps",
        int,
        100,
        "training steps of learned methods",
        0,
        100_000,
        step=10,
    ),
    Option("seed", "Seed", int, 0, "random seed (training batches, grid noise)", 0, SEED_MAX),
    Option(
        "grid_noise",
        "Grid noise",
        float,
        1 / 200,
        "std of the Gaussian noise added to grid_sample's grid (in [-1, 1] units)",
        0.0,
        1.0,
        step=0.001,
    ),
    Option(
        "lr",
        "Learning rate",
        float,
        5e-3,
        "starting learning rate of the shared training recipe (Adam, cosine decay); "
        "the article's conv_transpose keeps its own 1e-3",
        1e-6,
        1.0,
        step=1e-3,
    ),
    Option(
        "degrade",
        "Degradation",
        str,
        "article",
        "how the low-res input is made from the original",
        choices=tuple(DEGRADATIONS),
    ),
    Option(
        "label_degrade",
        "Label input",
        str,
        "soft",
        "label maps: the decoder's low-res class map (soft: class fractions of each r x r "
        "block; hard: the one-hot of one label per block)",
        choices=tuple(LABEL_DEGRADATIONS),
    ),
    Option(
        "ignore_index",
        "Ignore label",
        int,
        255,
        "label maps: the class value that means 'no ground truth', left out of every metric "
        "and of training (255 for VOC and Cityscapes trainIds, 11 for CamVid)",
        0,
        65535,
    ),
    Option(
        "protocol",
        "Protocol",
        str,
        "article",
        "article: as --degrade says; sr: the super-resolution papers' protocol (MATLAB "
        "imresize bicubic input) to compare PSNR-Y / SSIM-Y with published tables",
        choices=tuple(PROTOCOLS),
    ),
    Option(
        "perceptual",
        "Perceptual",
        str,
        "off",
        "photos: also measure NVIDIA FLIP, the difference a person sees flipping between the "
        "original and a result (mean error, 0 to 1; about 6 s per method at 3 MP)",
        choices=PERCEPTUAL,
    ),
    Option(
        "train_on",
        "Train on",
        "path",
        None,
        "an image file or folder that learned methods train on, for a held-out comparison "
        "(default: the input itself)",
        optional=True,
    ),
    Option(
        "train_labels",
        "Train labels",
        "path",
        None,
        "label maps: the folder of the Train-on images' label maps (paired by stem, as "
        "--labels FOLDER); learned methods train once on them and are judged on the input",
        optional=True,
    ),
    Option(
        "classes",
        "Classes",
        int,
        0,
        "label maps: the data set's number of classes (a channel each for ids 0 to N-1); "
        "0: the classes found in the label maps (held out: training and test maps together)",
        0,
        1024,
    ),
)

COMMAND_LINE_OPTIONS: tuple[Option, ...] = (
    Option(
        "max_pixels",
        "Pixel limit",
        int,
        DEFAULT_MAX_PIXELS,
        "refuse images with more pixels than this",
        1,
        1_000_000_000,
    ),
    Option("device", "Device", str, "auto", "where Paddle runs", choices=DEVICES),
    Option("chart_size", "Chart size", int, 512, "side of a test chart in pixels", 8, 8192),
)


def option(name: str) -> Option:
    for found in (*RUN_OPTIONS, *COMMAND_LINE_OPTIONS):
        if found.name == name:
            return found
    raise KeyError(name)


@dataclass
class Settings:
    """The options every method may read; defaults (from the schema) follow the article."""

    scale: int = option("scale").default
    steps: int = option("steps").default
    seed: int = option("seed").default
    grid_noise: float = option("grid_noise").default
    lr: float = option("lr").default
    degrade: str = option("degrade").default
    label_degrade: str = option("label_degrade").default
    ignore_index: int = option("ignore_index").default
    protocol: str = option("protocol").default
    perceptual: str = option("perceptual").default
    train_on: str | None = option("train_on").default
    train_labels: str | None = option("train_labels").default
    classes: int = option("classes").default

    def degradation(self) -> str:
        """How the low-res input is made: the SR protocol fixes MATLAB's bicubic."""
        return "matlab" if self.protocol == "sr" else self.degrade

    def checked(self) -> Settings:
        """These settings if every value is allowed; InputError names the first that is not."""
        for field in fields(self):
            option(field.name).check(getattr(self, field.name))
        return self

    def as_dict(self) -> dict[str, Any]:
        return {o.name: getattr(self, o.name) for o in RUN_OPTIONS}
