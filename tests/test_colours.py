"""A pane's colour comes from its id alone: stable across runs and selections."""

from viewer.core.methods import method_ids
from viewer.core.views.colours import pane_colour


def test_every_method_has_its_own_colour_and_the_references_are_grey():
    colours = [pane_colour(key) for key in ["original", "lowres", *method_ids()]]
    assert len(set(colours)) == len(colours)
    assert pane_colour("original") == "#e6e6e6" and pane_colour("lowres") == "#9a9a9a"


def test_a_colour_does_not_depend_on_what_else_is_selected():
    before = pane_colour("nearest")
    pane_colour.cache_clear()
    assert pane_colour("nearest") == before  # computed afresh: the same


def test_neighbouring_methods_are_far_apart_in_hue():
    import colorsys
    import itertools

    hues = []
    for key in method_ids():
        rgb = tuple(int(pane_colour(key)[i : i + 2], 16) / 255 for i in (1, 3, 5))
        hues.append(colorsys.rgb_to_hsv(*rgb)[0])
    gaps = [min(abs(a - b), 1 - abs(a - b)) for a, b in itertools.pairwise(hues)]
    assert min(gaps) > 0.2
