"""The window's figures for benchmarks/all.py: one window_run and five startups (each in a
fresh process), printed as one JSON line. Run under the display that should be measured."""

from __future__ import annotations

import json

import ui

STARTUPS = 5


def main() -> None:
    figures = {
        "window_run": ui.run_child("window_run"),
        "startups": [ui.run_child("startup")["startup_s"] for _ in range(STARTUPS)],
        "display": ui.display_server(),
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
