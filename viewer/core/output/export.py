"""Writing a whole run to a folder: every file complete, or none of them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from functools import cached_property, partial
from pathlib import Path

import cv2
import numpy as np

from viewer.core.inputs.degrade import Inputs
from viewer.core.inputs.image_io import encode_indexed_png, encode_png
from viewer.core.inputs.label_maps import encode_label_png
from viewer.core.methods import get_method
from viewer.core.output import names
from viewer.core.output.files import staged_directory
from viewer.core.output.report import metrics_document, to_csv, to_json
from viewer.core.output.sheet import TILE, Legend, contact_sheet, legend_picture, tile_size
from viewer.core.presentation.captions import reference_captions, reference_panes, sheet_subtitle
from viewer.core.run.parallel import run_together
from viewer.core.run.priority import lower_this_thread
from viewer.core.run.results import MethodResult, RunReport
from viewer.core.views.derived import (
    View,
    colour_index,
    colour_table,
    data_subject,
    derive,
    levels,
    shared_scale,
    view_kind,
)
from viewer.core.views.label_minify import labels_at
from viewer.core.views.label_views import DEFAULT_OPACITY, error_map, overlay


class PngWriter:
    """Encodes and writes PNGs on two threads (OpenCV releases the GIL) while the caller
    goes on: a run computes its next methods, a folder run the next image meanwhile. The
    threads run below the others' priority, so they take the cores the methods leave idle
    instead of slowing the methods down. `wait()` before the staged
    folder is committed, so the folder is still written whole or not at all; at most
    MAX_PENDING files wait, so memory stays bounded."""

    MAX_PENDING = 64

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(
            max_workers=2, thread_name_prefix="upsample-png", initializer=lower_this_thread
        )
        self._pending: list[Future] = []

    def write(self, path: Path, rgb: np.ndarray, encode=None) -> None:
        """Write `encode(rgb)` (by default a PNG of an RGB array) to `path`."""
        encode = encode or encode_png
        if len(self._pending) >= self.MAX_PENDING:
            self._pending.pop(0).result()
        self._pending.append(self._pool.submit(lambda: path.write_bytes(encode(rgb))))

    def wait(self) -> None:
        """Every file written (the first failure raised)."""
        pending, self._pending = self._pending, []
        for future in pending:
            future.result()

    def __enter__(self) -> PngWriter:
        return self

    def __exit__(self, *_exc) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


class DerivedViews:
    """The views files show of each result (|difference|, spectrum), each derived once, as
    the window's default view shows them (derived.view_kind: a photo's luma, a feature
    map's values over all its channels). A run can derive them as its results arrive, on the
    engine's measuring thread, so that writing the files at the end has less left to do."""

    def __init__(self, report_inputs: Inputs) -> None:
        self._inputs = report_inputs
        self._views: dict[tuple[str, str], View] = {}
        self.diff_kind = view_kind("abs", report_inputs.kind)
        self.spectrum_kind = view_kind("spectrum", report_inputs.kind)

    @cached_property
    def original(self) -> np.ndarray:
        """The original as shown, made when a view or a file first needs it (label runs
        never do)."""
        return self._inputs.display.rgb(self._inputs.original)

    @cached_property
    def lowres(self) -> np.ndarray:
        """The low-res input as shown (its file and the sheet's tile)."""
        return self._inputs.display.rgb(self._inputs.lowres)

    def _data(self, kind: str, result: MethodResult | None) -> np.ndarray:
        """What view `kind` reads of `result` (None: the original): its values or its RGB."""
        if data_subject(kind) == "values":
            return self._inputs.original if result is None else result.output
        return self.original if result is None else result.image

    def get(self, kind: str, result: MethodResult | None = None) -> View:
        """View `kind` of `result` (None: of the original), kept under (kind, its method)."""
        key = "original" if result is None else result.method
        if (kind, key) not in self._views:
            reference = self._data(kind, None) if kind.startswith("abs:") else None
            self._views[kind, key] = derive(kind, self._data(kind, result), reference)
        return self._views[kind, key]

    def add(self, result: MethodResult) -> None:
        """Derive a new result's views now (an `on_result` callback), and with the first
        the original's spectrum; label maps have none."""
        if result.image is not None and result.labels is None:
            self._data(self.spectrum_kind, None)  # the original as shown: made here, once
            run_together(
                lambda: self.get(self.diff_kind, result),
                lambda: self.get(self.spectrum_kind, result),
                lambda: self.get(self.spectrum_kind),
            )


class RunFolder:
    """Where one run's files go: a staging folder, the writer that encodes its PNGs, and the
    views they show. The inputs' files and each result's own file do not depend on the other
    results, so a run can write them as it goes (`add` is an `on_result` callback), while the
    next methods compute; `write_run` then writes what compares the results. Each is written
    once."""

    def __init__(self, path: Path, writer: PngWriter, inputs: Inputs) -> None:
        self.path, self.writer, self.inputs = path, writer, inputs
        self.views = DerivedViews(inputs)
        self._written: set[str] = set()
        path.mkdir(parents=True, exist_ok=True)

    def write(self, name: str, pixels: np.ndarray, encode=None) -> None:
        self.writer.write(self.path / name, pixels, encode)

    def once(self, name: str) -> bool:
        """True the first time file `name` (and the files written with it) is asked for."""
        first = name not in self._written
        self._written.add(name)
        return first

    def write_inputs(self) -> None:
        """original.png (the image, or a label run's guide, with labels.png) and lowres.png."""
        if not self.once(names.ORIGINAL):
            return
        classes = self.inputs.classes
        if classes is not None:
            labels = partial(encode_label_png, like=classes.truth)
            self.write(names.LABELS, classes.truth.ids, labels)
            self.write(names.ORIGINAL, self.inputs.guide)
        else:
            self.write(names.ORIGINAL, self.views.original)
        self.write(names.LOWRES, self.views.lowres)

    def add(self, result: MethodResult) -> None:
        """A result's views and its own files (an `on_result` callback)."""
        method = result.method
        if result.image is None or not self.once(names.result_file(method)):
            return
        self.views.add(result)
        classes = self.inputs.classes
        if classes is None:
            self.write(names.result_file(method), result.image)
            return
        truth, guide = classes.truth, self.inputs.guide
        self.write(names.result_file(method), result.labels, partial(encode_label_png, like=truth))
        self.write(names.overlay_file(method), overlay(guide, result.image, DEFAULT_OPACITY))
        self.write(
            names.errors_file(method),
            error_map(guide, truth.ids, result.labels, ignore=truth.ignore),
        )


@contextmanager
def run_export(
    inputs: Inputs, target: str | Path, methods: Iterable[str] = ()
) -> Iterator[RunFolder]:
    """A run's folder while it is written: on leaving the block every file is in `target`,
    or (on any failure) none is and `target` is as it was. A `target` holding a file of the
    user's that the run of `methods` would write is refused on entry, before computing."""
    will_write = names.run_names(methods, inputs.classes is not None)
    with staged_directory(target, will_write) as stage, PngWriter() as writer:
        yield RunFolder(stage, writer, inputs)
        writer.wait()


def export_run(
    report: RunReport, image_name: str, target: str | Path, extra: dict | None = None
) -> Path:
    """Write originals, results, heatmaps, a contact sheet and metrics into `target`: all
    of them, or (on any failure) none."""
    methods = [result.method for result in report.results]
    with run_export(report.inputs, target, methods) as files:
        write_run(report, image_name, files, extra)
    return Path(target)


def write_run(
    report: RunReport,
    image_name: str,
    files: RunFolder,
    extra: dict | None = None,
    images: bool = True,
) -> dict:
    """Write one run's files (those not yet written) and return its metrics document.
    Without `images`, only metrics.json and metrics.csv."""
    inputs, views = report.inputs, files.views
    done = [r for r in report.results if r.image is not None]
    if images:
        files.write_inputs()
        for result in done:
            files.add(result)
    if inputs.classes is not None:
        document = metrics_document(report, image_name, extra)
        if images:
            write_label_sheet(report, files, done)
    else:
        # The window's |difference| view on its default (shared) scale: files show the screen.
        diffs = {r.method: views.get(views.diff_kind, r) for r in done}
        scale = shared_scale(diffs.values())
        document = metrics_document(report, image_name, {"diff_scale": scale, **(extra or {})})
        if images:
            write_comparisons(report, files, done, diffs, scale)
    (files.path / names.METRICS_JSON).write_bytes(to_json(document))
    (files.path / names.METRICS_CSV).write_bytes(to_csv(document))
    return document


def write_comparisons(report: RunReport, files: RunFolder, done, diffs, scale) -> None:
    """The PNGs that depend on every result: heatmaps and spectra on shared scales, the
    sheet."""
    inputs, views = report.inputs, files.views
    original, lowres = views.original, views.lowres
    diff_low, diff_high = levels("abs", scale)
    height, width = inputs.original.shape[:2]
    lowres_big = cv2.resize(lowres, (width, height), interpolation=cv2.INTER_NEAREST)
    captions = reference_captions(width, height, inputs.scale)
    if inputs.crop.changed:
        captions["original"] += f", {inputs.crop.describe()}"
    pictures = {"original": original, "lowres": lowres_big}
    tiles = [
        (title, captions[key], pictures[key]) for key, title, _ in reference_panes(inputs.scale)
    ]
    tiles += [(get_method(r.method).name, sheet_subtitle(r), r.image) for r in done]
    spectra = {"original": views.get(views.spectrum_kind)}
    spectra |= {r.method: views.get(views.spectrum_kind, r) for r in done}
    low = min(view.low for view in spectra.values())
    high = max(view.high for view in spectra.values())
    for result in done:
        heat = diffs[result.method].values
        write_heatmap(files, names.diff_file(result.method), heat, "abs", diff_low, diff_high)
    # The sheet takes longest to encode: queued before the quick spectra, not after them,
    # the writer's two threads finish together.
    files.write(names.SHEET, contact_sheet(tiles))
    for key, view in spectra.items():
        # Log spectra are noise-like: zlib saves 15 % of their bytes at ten times the time.
        file = names.spectrum_file(key)
        write_heatmap(files, file, view.values, "spectrum", low, high, False)


def write_heatmap(
    files: RunFolder,
    name: str,
    values: np.ndarray,
    mode: str,
    low: float,
    high: float,
    compress: bool = True,
) -> None:
    """`values` in `mode`'s colours over [low, high] (colorize's pixels) as a palette PNG,
    coloured on the writer's threads too."""
    palette = colour_table(mode)

    def encode(values: np.ndarray) -> bytes:
        return encode_indexed_png(colour_index(values, low, high), palette, compress)

    files.write(name, values, encode)


def write_label_sheet(report: RunReport, files: RunFolder, done) -> None:
    """A label run's sheet: the image, the truth, and each prediction over the image."""
    inputs = report.inputs
    truth, guide = inputs.classes.truth, inputs.guide
    height, width = truth.ids.shape

    def tile(colours: np.ndarray, ids: np.ndarray, opacity: float) -> np.ndarray:
        """Labels over the image; a tile smaller than the map minified by class (a sample
        of every n-th pixel would hide sparse classes or invent a pattern)."""
        if max(height, width) <= TILE:
            return overlay(guide, colours, opacity)
        return labels_at(colours, ids, tile_size(guide), guide, opacity)

    tiles = [("Image", f"{width}x{height}", guide)]
    classes = f"{len(inputs.classes.classes)} classes"
    tiles.append(("Ground truth", classes, tile(truth.colours()[truth.ids], truth.ids, 1.0)))
    for result in done:
        blended = tile(result.image, result.labels, DEFAULT_OPACITY)
        tiles.append((get_method(result.method).name, sheet_subtitle(result), blended))
    files.write(names.SHEET, contact_sheet(tiles))


def export_region(
    tiles: list[tuple[str, str, str, np.ndarray]],
    target: str | Path,
    legend: Legend | None = None,
) -> Path:
    """Write (file stem, title, subtitle, RGB) tiles as `<stem>.png` plus a labelled
    `sheet.png` into `target`: all of them or, on any failure, none. A heat view's `legend`
    (its colour bar) goes under the sheet's tiles and into `colour_bar.png`; the tiles stay
    the view's pixels at full resolution."""
    target = Path(target)
    extra = [names.SHEET] + ([names.COLOUR_BAR] if legend else [])
    stems = names.unique_names([stem for stem, *_ in tiles], taken=[e[:-4] for e in extra])
    files = [f"{stem}.png" for stem in stems]
    with staged_directory(target, [*files, *extra]) as stage:
        for file, (_, _, _, rgb) in zip(files, tiles, strict=True):
            (stage / file).write_bytes(encode_png(rgb))
        sheet = contact_sheet(
            [(title, subtitle, rgb) for _, title, subtitle, rgb in tiles], legend=legend
        )
        (stage / names.SHEET).write_bytes(encode_png(sheet))
        if legend:
            (stage / names.COLOUR_BAR).write_bytes(encode_png(legend_picture(legend)))
    return target
