"""Upsample Viewer: `python main.py [IMAGE]` opens the window, `--headless` writes files."""

import sys

from viewer.app import main

if __name__ == "__main__":
    sys.exit(main())
