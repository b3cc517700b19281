"""Writing a whole run to a folder: every file complete, or none of them."""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from functools import cached_property
from pathlib import Path

import cv2
import numpy as np

from viewer.core.degrade import Inputs
from viewer.core.engine import MethodResult, RunReport
from viewer.core.files import staged_directory
from viewer.core.image_io import encode_indexed_png, encode_png
from viewer.core.label_maps import encode_label_png
from viewer.core.label_views import DEFAULT_OPACITY, error_map, overlay
from viewer.core.methods import get_method
from viewer.core.report import metrics_document, to_csv, to_json
from viewer.core.sheet import contact_sheet
from viewer.core.views import View, colour_index, colour_table, derive, levels, shared_scale


class PngWriter:
    """Encodes and writes PNGs on two threads (OpenCV releases the GIL) while the caller
    goes on: a folder run computes the next image meanwhile. `wait()` before the staged
    folder is committed, so the folder is still written whole or not at all; at most
    MAX_PENDING files wait, so memory stays bounded."""

    MAX_PENDING = 64

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="upsample-png")
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
    """The views files show of each result (|difference|, spectrum), each derived once. A run
    can derive them as its results arrive, on the engine's measuring thread, so that writing
    the files at the end has less left to do."""

    def __init__(self, report_inputs: Inputs) -> None:
        self._inputs = report_inputs
        self._views: dict[tuple[str, str], View] = {}

    @cached_property
    def original(self) -> np.ndarray:
        """The original as shown, made when a view or a file first needs it (label runs
        never do)."""
        return self._inputs.display.rgb(self._inputs.original)

    def get(self, kind: str, key: str, pixels: np.ndarray) -> View:
        """View `kind` of `pixels` (a result, or the original), kept under (kind, key)."""
        if (kind, key) not in self._views:
            reference = self.original if kind.startswith("abs:") else None
            self._views[kind, key] = derive(kind, pixels, reference)
        return self._views[kind, key]

    def add(self, result: MethodResult) -> None:
        """Derive a new result's views now (an `on_result` callback); label maps have none."""
        if result.image is not None and result.labels is None:
            self.get("abs:luma", result.method, result.image)
            self.get("spectrum", result.method, result.image)


def subtitle(result) -> str:
    if result.error:
        return "failed: " + result.error[:40]
    m = result.metrics
    if m.miou is not None:
        return f"mIoU {m.miou:.4f}  BIoU {m.boundary_iou:.4f}  {result.ms:.0f} ms"
    return f"{m.psnr:.2f} dB  SSIM {m.ssim:.4f}  {result.ms:.0f} ms"


def export_run(
    report: RunReport,
    image_name: str,
    target: str | Path,
    extra: dict | None = None,
    views: DerivedViews | None = None,
) -> Path:
    """Write originals, results, heatmaps, a contact sheet and metrics into `target`: all
    of them, or (on any failure) none. `views` may hold views derived during the run."""
    target = Path(target)
    with staged_directory(target) as stage, PngWriter() as writer:
        write_run(report, image_name, stage, writer, extra, views=views)
        writer.wait()
    return target


def write_run(
    report: RunReport,
    image_name: str,
    folder: Path,
    writer: PngWriter,
    extra: dict | None = None,
    images: bool = True,
    views: DerivedViews | None = None,
) -> dict:
    """Write one run's files into `folder` (a staging folder; made if missing; the PNGs
    through `writer`) and return its metrics document. Without `images`, only
    metrics.json and metrics.csv."""
    inputs = report.inputs
    views = views or DerivedViews(inputs)
    done = [r for r in report.results if r.image is not None]
    folder.mkdir(parents=True, exist_ok=True)
    if inputs.classes is not None:
        document = metrics_document(report, image_name, extra)
        if images:
            write_label_pictures(report, folder, writer, done)
    else:
        # The window's |difference| view on its default (shared) scale: files show the screen.
        diffs = {r.method: views.get("abs:luma", r.method, r.image) for r in done}
        scale = shared_scale(diffs.values())
        document = metrics_document(report, image_name, {"diff_scale": scale, **(extra or {})})
        if images:
            write_pictures(report, folder, writer, views, done, diffs, scale)
    (folder / "metrics.json").write_bytes(to_json(document))
    (folder / "metrics.csv").write_bytes(to_csv(document))
    return document


def write_pictures(
    report: RunReport, folder: Path, writer: PngWriter, views: DerivedViews, done, diffs, scale
) -> None:
    """The PNGs of a run: original, input, results, heatmaps, spectra, the sheet."""
    inputs, original = report.inputs, views.original
    lowres = inputs.display.rgb(inputs.lowres)
    diff_low, diff_high = levels("abs", scale)
    height, width = inputs.original.shape[:2]
    lowres_big = cv2.resize(lowres, (width, height), interpolation=cv2.INTER_NEAREST)
    tiles = [("Original", f"{width}x{height}", original)]
    tiles.append(("Low-res input", f"x{inputs.scale} down, {inputs.crop.describe()}", lowres_big))
    tiles += [(get_method(r.method).name, subtitle(r), r.image) for r in done]
    spectra = {"original": views.get("spectrum", "original", original)}
    spectra |= {r.method: views.get("spectrum", r.method, r.image) for r in done}
    low = min(view.low for view in spectra.values())
    high = max(view.high for view in spectra.values())
    writer.write(folder / "original.png", original)
    writer.write(folder / "lowres.png", lowres)
    for result in done:
        writer.write(folder / f"{result.method}.png", result.image)
        heat = diffs[result.method].values
        write_heatmap(
            writer, folder / f"diff_{result.method}.png", heat, "abs", diff_low, diff_high
        )
    for key, view in spectra.items():
        write_heatmap(writer, folder / f"spectrum_{key}.png", view.values, "spectrum", low, high)
    writer.write(folder / "sheet.png", contact_sheet(tiles))


def write_heatmap(
    writer: PngWriter, path: Path, values: np.ndarray, mode: str, low: float, high: float
) -> None:
    """`values` in `mode`'s colours over [low, high] (colorize's pixels) as a palette PNG,
    coloured on the writer's threads too."""
    palette = colour_table(mode)
    writer.write(path, values, lambda v: encode_indexed_png(colour_index(v, low, high), palette))


def write_label_pictures(report: RunReport, folder: Path, writer: PngWriter, done) -> None:
    """A label run's PNGs: the truth and each prediction as label maps in the input's own
    convention, overlays on the image, error maps, and the sheet."""
    inputs = report.inputs
    truth, guide = inputs.classes.truth, inputs.guide
    colours = truth.colours()
    height, width = truth.ids.shape

    def as_labels(ids: np.ndarray) -> bytes:
        return encode_label_png(ids, truth)

    writer.write(folder / "labels.png", truth.ids, as_labels)
    writer.write(folder / "original.png", guide)
    writer.write(folder / "lowres.png", inputs.display.rgb(inputs.lowres))
    tiles = [("Image", f"{width}x{height}", guide)]
    tiles.append(("Ground truth", f"{len(inputs.classes.classes)} classes", colours[truth.ids]))
    for result in done:
        writer.write(folder / f"{result.method}.png", result.labels, as_labels)
        blended = overlay(guide, result.image, DEFAULT_OPACITY)
        writer.write(folder / f"overlay_{result.method}.png", blended)
        errors = error_map(guide, truth.ids, result.labels)
        writer.write(folder / f"errors_{result.method}.png", errors)
        tiles.append((get_method(result.method).name, subtitle(result), blended))
    writer.write(folder / "sheet.png", contact_sheet(tiles))


def export_region(tiles: list[tuple[str, str, str, np.ndarray]], target: str | Path) -> Path:
    """Write (file stem, title, subtitle, RGB) tiles as `<stem>.png` plus a labelled
    `sheet.png` into `target`: all of them or, on any failure, none."""
    target = Path(target)
    with staged_directory(target) as stage:
        for stem, _, _, rgb in tiles:
            (stage / f"{stem}.png").write_bytes(encode_png(rgb))
        sheet = contact_sheet([(title, subtitle, rgb) for _, title, subtitle, rgb in tiles])
        (stage / "sheet.png").write_bytes(encode_png(sheet))
    return target
