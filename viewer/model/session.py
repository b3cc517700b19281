"""What is open: the input, its companions, the results on show and a dataset's folder."""

from __future__ import annotations

import operator
from dataclasses import dataclass

from psygnal import evented

from viewer.core.run.results import RunReport


@evented(equality_operators={"report": operator.is_})  # results hold arrays: no ==
@dataclass
class Session:
    """`input` names the input as a comparison file does (an absolute path, "sample:name",
    "chart:name:size"); `labels` and `guide` are its companions' paths; `report` the
    results on show; `dataset` the folder of a dataset run."""

    input: str | None = None
    labels: str | None = None
    guide: str | None = None
    report: RunReport | None = None
    dataset: str | None = None
