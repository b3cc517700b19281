"""A folder of images as the input of one comparison: which of its files are images (the
run itself is `viewer.core.run.folder_session`)."""

from __future__ import annotations

from pathlib import Path

from viewer.core.errors import InputError
from viewer.core.inputs.feature_maps import FEATURE_SUFFIXES
from viewer.core.inputs.image_io import IMAGE_SUFFIXES


def folder_files(folder: Path, labels: Path | None = None) -> list[Path]:
    """The images and feature maps directly in `folder`, sorted by name; the label maps
    themselves are not images when `labels` is the same folder (as in BSDS). Anything else
    named like one (a folder, a dangling link, a FIFO) is listed too: its run says why it
    fails."""
    known = (*IMAGE_SUFFIXES, *FEATURE_SUFFIXES)

    def is_label_map(path: Path) -> bool:
        same_folder = labels is not None and folder.resolve() == labels.resolve()
        return same_folder and path.name == f"{path.stem}.png"

    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in known and not is_label_map(p))
    if not files:
        raise InputError(str(folder), "the folder holds no images (" + ", ".join(known) + ")")
    return files
