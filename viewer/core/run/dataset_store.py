"""A dataset run of the window kept on disk, so that a folder of any size fits: each image's
files are written as the command line's folder run writes them (the same RunFolder and
write_run, staged by ResumableRun), and an image's results are read back from there when
its row is picked. A folder opened again with the same settings continues its run: only the
images it lacks are computed.

Where: `$XDG_CACHE_HOME/upsample-viewer/runs/<digest>` (`~/.cache` without it), one folder
per image folder and run identity (settings, methods, file names), so it is found again.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from viewer.core.inputs.feature_maps import load_file
from viewer.core.measure.artifacts import Artifacts
from viewer.core.measure.metrics import Metrics
from viewer.core.output.export import PngWriter, RunFolder, write_run
from viewer.core.output.names import (
    METRICS_JSON,
    SUMMARY_CSV,
    SUMMARY_JSON,
    folder_run_names,
    image_folder_names,
    result_file,
)
from viewer.core.output.report import to_json
from viewer.core.output.resumable import ResumableRun, resume_folder
from viewer.core.output.summary import summarize, summary_csv
from viewer.core.run.folder_session import FolderSession, ImageRun
from viewer.core.run.results import MethodResult, RunReport
from viewer.core.run.rules import Companions
from viewer.core.run.session import PreparedRun, prepare

APP_FOLDER = "upsample-viewer"


def runs_root() -> Path:
    """Where the window's dataset runs live: the user's cache folder (XDG)."""
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / APP_FOLDER / "runs"


def run_folder_for(folder: Path, key: dict) -> Path:
    """The run folder of image folder `folder` run as `key` says (the same on every open)."""
    text = json.dumps({"folder": str(Path(folder).absolute()), **key}, sort_keys=True)
    return runs_root() / hashlib.sha256(text.encode()).hexdigest()[:24]


class DatasetStore:
    """A window's dataset run on disk: `open()` says which images are done already,
    `write(index, run)` keeps one image's files, `read(index)` brings its results back, and
    `close(cancelled)` writes the summary once every image is done (or keeps what is done
    for the next open)."""

    def __init__(self, folder: Path, session: FolderSession, extra: dict | None = None) -> None:
        self.session = session
        self.names = image_folder_names(session.files)
        self.key = {**session.identity(), "no_images": False, "shard": None}
        self.target = run_folder_for(folder, self.key)
        self.extra = extra or {}
        self.documents: dict[int, dict] = {}
        self.failed: dict[int, dict] = {}
        self._stage: ResumableRun | None = None
        self._writer: PngWriter | None = None

    def open(self) -> dict[int, dict]:
        """The metrics documents of the images an earlier run finished, by index."""
        if (self.target / SUMMARY_JSON).is_file():
            self.documents = self._documents_in(self.target)
            summary = json.loads((self.target / SUMMARY_JSON).read_bytes())
            by_file = {str(file): i for i, file in enumerate(self.session.files)}
            for entry in summary.get("failed", []):
                if entry.get("file") in by_file:
                    self.failed[by_file[entry["file"]]] = entry
            return dict(self.documents)
        all_names = folder_run_names(self.names)
        self._stage = ResumableRun(self.target, self.key, True, all_names)
        self._stage.__enter__()
        self._writer = PngWriter()
        self.documents = self._stage.finished(dict(enumerate(self.names)))
        return dict(self.documents)

    def _documents_in(self, path: Path) -> dict[int, dict]:
        found = {}
        for index, name in enumerate(self.names):
            try:
                found[index] = json.loads((path / name / METRICS_JSON).read_bytes())
            except (OSError, ValueError):
                continue
        return found

    def todo(self) -> list[int]:
        """The indices still to compute."""
        if self._stage is None:
            return []
        return [i for i in range(len(self.names)) if i not in self.documents]

    def write(self, index: int, done: ImageRun) -> dict | None:
        """Image `index`'s files on disk (whole, or not at all after a crash) and its metrics
        document as written; None for a skipped image."""
        if done.report is None:
            self.failed[index] = {"file": str(done.file), "reason": done.reason}
            return None
        name = self.names[index]
        files = RunFolder(self._stage.writing(name), self._writer, done.report.inputs)
        document = write_run(done.report, done.image.name, files, self.extra)
        self._writer.wait()
        self._stage.finish(name)
        self.documents[index] = json.loads(to_json(document))
        return self.documents[index]

    def close(self, cancelled: bool) -> None:
        """The summary written and the run moved into its folder when every image is done;
        otherwise the finished images wait for the next open."""
        if self._stage is None:
            return
        stage, writer = self._stage, self._writer
        self._stage = self._writer = None
        try:
            if not cancelled and self.documents and not self._missing():
                ordered = [self.documents[i] for i in sorted(self.documents)]
                summary = summarize(ordered, [self.failed[i] for i in sorted(self.failed)])
                once = bool(self.session.request.settings.train_on)  # a copy: rows share it
                summary["training"] = {**summary["training"], "once": once}
                (stage.path / SUMMARY_JSON).write_bytes(to_json(summary))
                (stage.path / SUMMARY_CSV).write_bytes(summary_csv(summary))
                stage.commit()
        finally:
            writer.__exit__(None)
            stage.__exit__(None)

    def _missing(self) -> list[int]:
        """The images neither finished nor skipped."""
        done = self.documents.keys() | self.failed.keys()
        return [i for i in range(len(self.names)) if i not in done]

    def folder_of(self, index: int) -> Path:
        """Where image `index`'s files are: beside the run folder until the run is complete
        (also after a cancel: they wait there for the next open), then in it."""
        staged = resume_folder(self.target) / self.names[index]
        return staged if staged.is_dir() else self.target / self.names[index]

    def read(self, index: int) -> tuple[PreparedRun, RunReport]:
        """Image `index`'s inputs (prepared again from its file: a degradation is cheap and
        deterministic) and its results, read back from its files."""
        session = self.session
        file = session.files[index]
        image = load_file(file, session.request.max_pixels)
        prepared = prepare(image, Companions(labels=session.label_map(file)), session.request)
        folder = self.folder_of(index)
        document = json.loads((folder / METRICS_JSON).read_bytes())
        classes = prepared.inputs.classes
        results = []
        for row in document["methods"]:
            result = result_of(row)
            if result.error is None:
                pixels = read_png(folder / result_file(result.method), classes is not None)
                if classes is None:
                    result.image = pixels
                else:
                    result.labels, result.image = pixels, classes.colour(pixels)
            results.append(result)
        report = RunReport(prepared.inputs, prepared.settings, results)
        return prepared, report


def read_png(path: Path, label_ids: bool) -> np.ndarray:
    """A result's PNG as it was before writing: RGB, or a label map's class ids."""
    if label_ids:
        with Image.open(path) as image:
            return np.asarray(image)
    pixels = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
    if pixels is None:
        raise OSError(f"cannot read {path}")
    return pixels if pixels.ndim == 2 else np.ascontiguousarray(pixels[:, :, ::-1])


def _number(value: float | None, undefined: float = math.nan) -> float:
    return undefined if value is None else value


def result_of(row: dict) -> MethodResult:
    """A method's result as its metrics.json row holds it (no pixels, no training curve);
    a JSON null is an undefined number, and a PSNR with no error at all is infinite."""
    if row["error"] is not None:
        return MethodResult(row["method"], error=row["error"], notes=tuple(row["notes"]))
    names = {f.name for f in Metrics.__dataclass_fields__.values()}
    required = {"psnr", "ssim", "mae", "max_abs", "clipped"}
    psnr_null = math.inf if row.get("mae") == 0 else math.nan
    metrics = Metrics(
        **{n: _number(row.get(n), psnr_null if n == "psnr" else math.nan) for n in required},
        **{n: row.get(n) for n in names - required},
    )
    artifact_names = Artifacts.__dataclass_fields__.keys()
    artifacts = Artifacts(**{n: row.get(n) for n in artifact_names})
    return MethodResult(
        row["method"],
        metrics=metrics,
        artifacts=artifacts,
        ms=_number(row.get("ms"), 0.0),
        params=int(_number(row.get("params"), 0)),
        notes=tuple(row["notes"]),
    )
