"""Runs: starting, cancelling and appending runs, and what a run sends back.

The cycle, as the worker and this controller see it:

1. `start` takes the next ticket (viewer/controllers/latest.py) and hands the job to the
   worker, which cancels the run in progress.
2. The worker sends ("loaded" | "progress" | "result" | "finished" | "failed", payload)
   tagged with the ticket; `arrived` runs in the GUI thread and drops anything tagged with
   an older ticket: the one place where a superseded run's results are dropped.
3. The view draws what is current. Training reports every step; progress is drawn at most
   once per timer period, and a result or the end of the run drops a progress still waiting.

Dataset runs (viewer/controllers/datasets.py) use the same tickets and the same `arrived`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol

from viewer.controllers.latest import Latest
from viewer.core.inputs.samples import load_sample, sample_names
from viewer.core.run.progress import run_bar, run_status
from viewer.core.run.results import MethodResult, Progress, RunReport
from viewer.core.settings import Settings
from viewer.model.session import Session


@dataclass
class Shown:
    """The objects behind what the window shows, beside the model's session (which holds
    what can be written down: names, paths and the results): the input (`image`, a
    LoadedImage), the file it came from (None for samples and charts), the worker's
    prepared run (`loaded`) and the label map or guide opened with it (`companions`)."""

    image: Any = None
    path: str | None = None
    loaded: Any = None
    companions: Any = None

    def name(self) -> str:
        """The file, or what messages call the input ("sample:astronaut")."""
        return self.path or self.image.name

    def reference(self) -> str:
        """How a comparison file names the input: an absolute path, a sample, a chart."""
        if self.path:
            return str(Path(self.path).resolve())
        name = self.image.name if self.image else "sample:astronaut"
        if name.startswith("chart:"):
            return f"{name}:{self.image.pixels.shape[0]}"
        return name


class RunView(Protocol):
    """What runs ask of the window."""

    def settings(self) -> Settings: ...
    def selected_methods(self) -> list[str]: ...
    def save_choices(self, settings: Settings, methods: list[str]) -> None: ...
    def remember_file(self, path: str, labels: str | None, guide: str | None) -> None: ...
    def set_running(self, running: bool) -> None: ...
    def busy(self, text: str) -> None:
        """Say `text` beside a busy progress bar."""

    def say(self, text: str) -> None: ...
    def show_error(self, message: str) -> None: ...
    def show_loaded(self, loaded: Any, new_image: bool) -> None: ...
    def add_panes(self, methods: list[str]) -> None: ...
    def add_loss(self, method: str, loss: float) -> None: ...
    def redraw_losses(self) -> None: ...
    def show_progress(self, progress: Progress, done: int, total: int, text: str) -> None: ...
    def show_result(self, result: MethodResult) -> None: ...
    def mark_unfinished(self) -> None: ...
    def run_finished(self, report: RunReport) -> None: ...
    def load_failed(self, message: str) -> None: ...


class RunWorker(Protocol):
    """The engine worker: each job carries its ticket, and every event it sends back too."""

    def run(
        self,
        ticket: int,
        name: str,
        load: Callable[[], Any],
        settings: Settings,
        methods: tuple[str, ...],
        max_pixels: int,
        companions: Any,
    ) -> None: ...
    def run_folder(
        self,
        ticket: int,
        folder: Path,
        labels: Path | None,
        settings: Settings,
        methods: tuple[str, ...],
        max_pixels: int,
    ) -> None: ...
    def cancel(self) -> None: ...


class Timer(Protocol):
    """A single-shot timer whose timeout calls `RunsController.draw_pending` (a QTimer)."""

    def start(self) -> None: ...
    def stop(self) -> None: ...
    def isActive(self) -> bool: ...


def progress_text(progress: Progress) -> tuple[int, int, str]:
    """(done, total, text) of a run's progress bar: a thousand units per method."""
    return (*run_bar(progress), run_status(progress))


def run_summary(report: RunReport, elapsed: float) -> str:
    """The status line when a run ends."""
    if report.cancelled:
        return "Cancelled"
    summary = f"Done in {elapsed:.1f} s"
    cached = sum(r.cached for r in report.results)
    if cached:
        summary += f"; {cached} of {len(report.results)} results from the cache"
    failed = [r.method for r in report.results if r.error]
    if failed:
        summary += f"; failed: {', '.join(failed)}"
    return summary


def appended(shown: RunReport, added: RunReport) -> RunReport:
    """The results on show with an appended run's results in place of theirs or after them."""
    methods = {r.method for r in added.results}
    kept = [r for r in shown.results if r.method not in methods]
    return replace(shown, results=kept + added.results, cancelled=added.cancelled)


class RunsController:
    def __init__(
        self,
        view: RunView,
        worker: RunWorker,
        timer: Timer,
        session: Session,
        max_pixels: int,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        self.view, self.worker, self.timer, self.session = view, worker, timer, session
        self.max_pixels, self.clock = max_pixels, clock
        self.latest = Latest()
        self.shown = Shown()
        self.running = False
        self.appending = False  # the current run adds methods to the results on show
        self.pending_path: str | None = None  # the file the current run opens
        self.started = 0.0
        self.after_run: Callable[[], None] | None = None  # once the next run is in
        self.pending_draw: Callable[[], None] | None = None  # the latest progress, to draw
        self.handlers: dict[str, Callable[[Any], None]] = {
            "loaded": self.loaded,
            "progress": self.progress,
            "result": self.result,
            "finished": self.finished,
            "failed": self.failed,
        }

    def arrived(self, ticket: int, kind: str, payload: Any) -> None:
        """What the worker sent, checked on arrival in the GUI thread (so after any newer run
        was started): handled for the current run, dropped for a superseded one."""
        if self.latest.is_current(ticket):
            self.handlers[kind](payload)

    # starting ------------------------------------------------------------------------------
    def start(
        self,
        load: Callable[[], Any],
        name: str,
        companions: Any,
        only: tuple[str, ...] | None = None,
    ) -> None:
        """Run on what `load` returns; `name` is its path, or what messages call it. With
        `only`, run just those methods and add them to the results on show."""
        settings, chosen = self.view.settings(), self.view.selected_methods()
        self.view.save_choices(settings, chosen)
        self.pending_path = name if Path(name).is_file() else None
        self.appending = bool(only)
        if not only:  # one input's run: a dataset's table would show another's results
            self.session.dataset = None
        self.started = self.clock()
        methods = only or tuple(chosen)
        ticket = self.latest.next()
        self.worker.run(ticket, name, load, settings, methods, self.max_pixels, companions)
        self.set_running(True)
        self.view.busy("Preparing…")

    def start_folder(self, folder: Path, labels: Path | None) -> None:
        """Run the chosen methods on every image of `folder`; the run in progress stops."""
        settings, chosen = self.view.settings(), self.view.selected_methods()
        self.view.save_choices(settings, chosen)
        self.appending = False
        self.started = self.clock()
        self.session.dataset = str(folder)
        ticket = self.latest.next()
        self.worker.run_folder(ticket, folder, labels, settings, tuple(chosen), self.max_pixels)
        self.set_running(True)
        self.view.busy(f"Opening the folder {folder}…")

    def rerun(self) -> None:
        """Run again on the input on show with the panel's options (the first sample when
        nothing is open)."""
        image = self.shown.image
        if image is None:
            name = sample_names()[0]
            self.start(lambda: load_sample(name), f"sample:{name}", None)
        else:
            self.start(lambda: image, self.shown.name(), self.shown.companions)

    def add_method(self, identifier: str) -> None:
        """A method added to the panel: with the settings of the results on show it runs
        alone and joins them; otherwise everything runs again."""
        report, image = self.session.report, self.shown.image
        if report is not None and report.settings == self.view.settings():
            name = self.shown.name()
            self.start(lambda: image, name, self.shown.companions, (identifier,))
        else:
            self.rerun()

    def cancel(self) -> None:
        """Cancel the run in progress (Esc); nothing to do when idle."""
        if self.running:
            self.worker.cancel()
            self.view.say("Cancelling…")

    def set_running(self, running: bool) -> None:
        self.running = running
        self.view.set_running(running)

    # what a run sends ----------------------------------------------------------------------
    def loaded(self, loaded: Any) -> None:
        if self.appending:
            self.view.add_panes(list(loaded.methods))
            return
        new_image = loaded.image is not self.shown.image
        self.shown = Shown(loaded.image, self.pending_path, loaded, loaded.companions)
        self._fill_session()
        if self.shown.path:
            self.view.remember_file(self.shown.path, self.session.labels, self.session.guide)
        self.view.show_loaded(loaded, new_image)
        if loaded.notes:
            self.view.say("; ".join(loaded.notes))

    def _fill_session(self) -> None:
        """What is open, into the model's session, as a comparison file names it."""
        companions = self.shown.companions
        labels = companions.labels if companions else None
        guide = companions.guide if companions else None
        session = self.session
        session.input = self.shown.reference()
        session.labels = str(Path(labels.name).absolute()) if labels else None
        session.guide = str(Path(guide.name).absolute()) if guide else None
        session.report = None

    def show_done(self, loaded: Any, report: RunReport) -> None:
        """A finished run's panes at once, with no run (a dataset's image): browsing a
        dataset does not fill the recent files."""
        self.pending_path, self.appending = None, False
        self.loaded(loaded)
        for result in report.results:
            self.show_losses(result)
            self.view.show_result(result)
        self.session.report = report

    def progress(self, progress: Progress) -> None:
        if progress.loss is not None:
            self.view.add_loss(progress.method, progress.loss)
        self.draw_later(lambda: self.view.show_progress(progress, *progress_text(progress)))

    def result(self, result: MethodResult) -> None:
        self.drop_pending()
        if result.cached:
            self.show_losses(result)
        self.view.show_result(result)

    def show_losses(self, result: MethodResult) -> None:
        """A result that did not train in this run (from the cache, a dataset's image)
        brings its training curve along: the loss plot is not left empty."""
        for loss in result.losses:
            self.view.add_loss(result.method, loss)
        self.view.redraw_losses()

    def finished(self, report: RunReport) -> None:
        if self.appending and self.session.report is not None:
            report = appended(self.session.report, report)
        self.session.report = report
        self.drop_pending()
        self.set_running(False)
        if self.after_run is not None and not report.cancelled:
            after, self.after_run = self.after_run, None
            after()
        if report.cancelled:
            self.view.mark_unfinished()
        self.view.say(run_summary(report, self.clock() - self.started))
        self.view.run_finished(report)

    def failed(self, message: str) -> None:
        self.drop_pending()
        self.set_running(False)
        # Submitting this run cancelled the one on show: say so on its unfinished panes.
        self.view.mark_unfinished()
        self.view.say("Could not run on the new input; the current image stays")
        self.view.show_error(message)
        self.view.load_failed(message)

    # progress, drawn at most once per timer period ----------------------------------------
    def draw_later(self, draw: Callable[[], None]) -> None:
        """Training reports every step; the latest is drawn when the timer fires, so a fast
        trainer cannot keep the event loop busy redrawing."""
        self.pending_draw = draw
        if not self.timer.isActive():
            self.timer.start()

    def drop_pending(self) -> None:
        """Before a result or the end of a run: the progress waiting to be drawn is stale."""
        self.timer.stop()
        self.pending_draw = None
        self.view.redraw_losses()

    def draw_pending(self) -> None:
        draw, self.pending_draw = self.pending_draw, None
        if draw is not None:
            self.view.redraw_losses()
            draw()
