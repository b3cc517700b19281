"""Pane titles too narrow for a method's name: what tells two methods apart is kept, and
as much of the name as the width allows."""

import pytest


@pytest.mark.parametrize(
    "width, name, start",
    [
        (107, "Bilinear (align_corners)", "Bilinear (al"),
        (107, "Lanczos (OpenCV reference)", "Lanczos (Op"),
        (70, "Conv2DTranspose (article)", "Co"),
    ],
)
def test_a_title_keeps_its_base_and_the_first_letters_of_its_qualifier(qtbot, width, name, start):
    """At 107 px (a photo folder at 1024 x 700) keeping both ends read 'Bilin…ners)'."""
    from viewer.ui.elided_label import ElidedLabel

    label = ElidedLabel(name, bold=True)
    qtbot.addWidget(label)
    label.resize(width, label.sizeHint().height())
    shown = label.elided()
    assert shown.startswith(start) and shown.endswith("…"), shown
    assert label.fontMetrics().horizontalAdvance(shown) <= width
