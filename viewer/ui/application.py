"""Starting the window: Qt application, first run, and `--screenshot` mode."""

from __future__ import annotations

import argparse
import signal
import socket
import sys

from pyqtgraph.util.garbage_collector import GarbageCollector
from PySide6.QtCore import QSettings, QSocketNotifier, QTimer
from PySide6.QtWidgets import QApplication

from viewer.cli import chart_from, check_options, fail, parse_methods, settings_from
from viewer.core.errors import InputError
from viewer.core.inputs.added_result import add_result, parse_addition
from viewer.core.inputs.user_upsampler import add_upsamplers
from viewer.core.methods import get_method
from viewer.core.run.interrupts import SIGNALS, release_signals
from viewer.model.comparison_file import is_comparison_file
from viewer.ui.first_paint import after_first_paint
from viewer.ui.main_window import MainWindow
from viewer.ui.settled import when_settled
from viewer.ui.snapshot import save_widget_png
from viewer.ui.window_settings import check_store_files

ORGANISATION = "UpsampleViewer"
APPLICATION = "Upsample Viewer"


def close_on_signals(window: MainWindow) -> tuple[socket.socket, socket.socket]:
    """SIGINT and SIGTERM close the window as the user would (runs cancelled, threads
    joined, settings saved). Python runs signal handlers only between bytecodes, which Qt's
    event loop never executes: the wakeup fd wakes the loop so the handler runs at once.

    The signals are held (main.py) until Paddle is loaded: raised inside PySide6's import
    they made shiboken abort, and importing Paddle (in the worker) installs Paddle's own
    SIGTERM handler, which prints a C++ report. So ours are set again once the worker says
    Paddle is ready, and only then let through; one that came meanwhile closes the window
    then. Returns the socket pair, to be closed after the event loop."""
    reader, writer = socket.socketpair()
    reader.setblocking(False)
    writer.setblocking(False)
    signal.set_wakeup_fd(writer.fileno())
    notifier = QSocketNotifier(reader.fileno(), QSocketNotifier.Type.Read, window)
    notifier.activated.connect(lambda *_: reader.recv(64))

    def install() -> None:
        for signum in SIGNALS:
            signal.signal(signum, lambda *_: QTimer.singleShot(0, window.close))

    def install_and_release() -> None:
        install()
        release_signals()

    install()
    window.workerReady.connect(install_and_release)
    return reader, writer


def run_window(args: argparse.Namespace) -> int:
    try:
        check_store_files(ORGANISATION, APPLICATION)
        check_options(args)
        settings_from(args)
        chart = chart_from(args)
        added = [add_result(*parse_addition(text), args.max_pixels) for text in args.add]
        users = add_upsamplers(args.upsampler)  # a bad file: one line, before the window opens
        methods = None if args.methods is None else parse_methods(args.methods, users + added)
    except InputError as error:
        fail(error)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    # Python's cyclic GC, run from inside a Qt call (seen in QObject::disconnect, which holds
    # a Qt mutex), can destroy a dead QObject that needs the same mutex: a deadlock. So GC
    # runs only from a timer in the GUI thread, between events.
    collector = GarbageCollector(interval=1.0)
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    window = MainWindow(QSettings(), max_pixels=args.max_pixels, device=args.device)
    wakeup = close_on_signals(window)
    window.panel.set_settings(settings_from(args, base=window.panel.settings()))
    for identifier in added:
        window.panel.add_method(get_method(identifier))
    for path in args.upsampler:  # listed, ticked and watched; they run with the first run
        window.inputs.upsamplers.add(path, run=False)
    if methods:
        window.panel.set_selected_methods(methods)
    exit_code = 0
    if args.screenshot:

        def save_and_close() -> None:
            save_widget_png(window, args.screenshot)
            window.close()

        def capture(_report=None) -> None:
            """Once every pane shows what the window will show (its derived views, the
            comparison's camera), not at the moment the last result arrives."""
            when_settled(window.grid, save_and_close)

        def failed(message: str) -> None:
            nonlocal exit_code
            print(f"error: {message}", file=sys.stderr)
            exit_code = 2
            window.close()

        window.runFinished.connect(capture)
        window.datasetFinished.connect(capture)  # a folder: once every image is in
        window.loadFailed.connect(failed)
    window.show()
    # The first run imports Paddle on the engine thread: the window is painted first.
    if chart is not None:
        after_first_paint(window, lambda: window.inputs.open_image(chart))
    elif args.image and is_comparison_file(args.image):
        after_first_paint(window, lambda: window.inputs.open_comparison(args.image))
    elif args.image:
        after_first_paint(
            window, lambda: window.inputs.open_path(args.image, args.labels, args.guide)
        )
    else:
        after_first_paint(window, window.runs.rerun)
    app.exec()
    collector.timer.stop()
    signal.set_wakeup_fd(-1)
    for end in wakeup:
        end.close()
    return exit_code
