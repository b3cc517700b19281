"""How a run's progress is told: the words and the fraction done, for one image's run and
for a folder's. The window's status bar and progress bar and the command line's bars all say
it from here. The command line names methods by id (as --methods does), the window by name.
"""

from __future__ import annotations

from viewer.core.methods import get_method
from viewer.core.run.results import Progress


def run_fraction(progress: Progress) -> float:
    """How much of the run is done, 0..1: the methods finished, and the training steps of
    the one that trains."""
    within = progress.step / progress.steps if progress.steps else 0.0
    return (progress.index + within) / max(progress.count, 1)


def folder_fraction(index: int, images: int, progress: Progress) -> float:
    """How much of a folder's run is done while image `index` of `images` runs."""
    return (index + run_fraction(progress)) / max(images, 1)


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
