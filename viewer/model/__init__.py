"""What the window shows and what the user chose, as evented plain data (psygnal).

Widgets render it and change it; they never read each other. Qt-free, so its rules are
tested in milliseconds. `WindowModel` (window.py) holds the parts below; a comparison file
(comparison_file.py) is this model written down and read back.
"""

from viewer.model.panes import REFERENCES, Layout, PaneState
from viewer.model.session import Session
from viewer.model.tools import Compare, LabelView, ProfileLine
from viewer.model.view import Camera, Display
from viewer.model.window import WindowModel

__all__ = [
    "REFERENCES",
    "Camera",
    "Compare",
    "Display",
    "LabelView",
    "Layout",
    "PaneState",
    "ProfileLine",
    "Session",
    "WindowModel",
]
