"""How a run's progress is told: the words and how much is done, for one image's run and
for a folder's. The window's status bar and progress bar and the command line's bars all say
it from here. The command line names methods by id (as --methods does), the window by name.
"""

from __future__ import annotations

from viewer.core.methods import get_method
from viewer.core.run.results import Progress

UNITS = 1000  # a progress bar's units for each method of a run, or each image of a folder


def run_bar(progress: Progress) -> tuple[int, int]:
    """(done, total) of one image's run: the methods finished, and the training steps of
    the one that trains."""
    within = UNITS * progress.step // progress.steps if progress.steps else 0
    return UNITS * progress.index + within, UNITS * progress.count


def folder_bar(index: int, images: int, progress: Progress) -> tuple[int, int]:
    """(done, total) of a folder's run while image `index` of `images` runs."""
    within = progress.index + (progress.step / progress.steps if progress.steps else 0)
    return int(UNITS * (index + within / max(progress.count, 1))), UNITS * images


def method_text(progress: Progress) -> str:
    """The method's name, and its training step when it trains: 'Bilinear (step 3/100)'."""
    step = f" (step {progress.step}/{progress.steps})" if progress.steps else ""
    return get_method(progress.method).name + step


def run_status(progress: Progress) -> str:
    """The status line of one image's run: 'Running Bilinear (step 3/100)'."""
    return f"Running {method_text(progress)}"


def folder_status(index: int, images: int, name: str, progress: Progress) -> str:
    """The status line of a folder's run: 'Image 2/5 b.png: Bilinear (step 3/100)'."""
    return f"Image {index + 1}/{images} {name}: {method_text(progress)}"


def bar_postfix(progress: Progress) -> str:
    """The command line's progress-bar text: the method's id, as --methods names it, and its
    training step: 'conv_transpose step 3/100'."""
    step = f" step {progress.step}/{progress.steps}" if progress.steps else ""
    return progress.method + step
