"""Starting the window: Qt application, first run, and `--screenshot` mode."""

from __future__ import annotations

import argparse
import sys

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

from viewer.cli import chart_from, fail, parse_methods, settings_from
from viewer.core.errors import InputError
from viewer.ui.main_window import MainWindow
from viewer.ui.snapshot import save_widget_png

ORGANISATION = "UpsampleViewer"
APPLICATION = "Upsample Viewer"


def run_window(args: argparse.Namespace) -> int:
    try:
        settings_from(args)
        methods = parse_methods(args.methods) if args.methods else None
        chart = chart_from(args)
    except InputError as error:
        fail(error)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    window = MainWindow(QSettings(), max_pixels=args.max_pixels, device=args.device)
    window.panel.set_settings(settings_from(args, base=window.panel.settings()))
    if methods:
        window.panel.set_selected_methods(methods)
    exit_code = 0
    if args.screenshot:

        def capture(_report=None) -> None:
            save_widget_png(window, args.screenshot)
            window.close()

        def failed(message: str) -> None:
            nonlocal exit_code
            print(f"error: {message}", file=sys.stderr)
            exit_code = 2
            window.close()

        window.runFinished.connect(capture)
        window.loadFailed.connect(failed)
    window.show()
    # Start after the first paint: the worker imports Paddle, the window is already up.
    if chart is not None:
        QTimer.singleShot(0, lambda: window.open_image(chart))
    elif args.image:
        QTimer.singleShot(0, lambda: window.open_path(args.image))
    else:
        QTimer.singleShot(0, window.rerun)
    app.exec()
    return exit_code
