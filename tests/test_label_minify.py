"""Minified label maps (viewer.core.views.label_minify): only classes that are there, and a
mixed block never reads as a uniform one."""

import time

import numpy as np
import pytest

from viewer.core.views.label_minify import label_pyramid, labels_at, palette_of, top_two_levels

# VOC's first colours (background, aeroplane, bicycle, bird, boat, bottle, bus, car, cat):
# the mean of a (128,0,0) / (0,0,0) checker is (64,0,0), VOC's colour of class 8 (cat).
VOC = np.array(
    [
        [0, 0, 0],
        [128, 0, 0],
        [0, 128, 0],
        [128, 128, 0],
        [0, 0, 128],
        [128, 0, 128],
        [0, 128, 128],
        [128, 128, 128],
        [64, 0, 0],
    ],
    np.uint8,
)


def colours_of(pixels: np.ndarray) -> set[tuple[int, ...]]:
    return {tuple(int(v) for v in c) for c in pixels.reshape(-1, 3)}


def checker(size: int = 64, a: int = 1, b: int = 0) -> np.ndarray:
    ys, xs = np.mgrid[:size, :size]
    return np.where((ys + xs) % 2 == 0, a, b).astype(np.int32)


@pytest.mark.parametrize("zoom", [0.5, 0.25, 0.125])
def test_a_one_pixel_checker_shows_only_its_two_classes_and_both(zoom):
    ids = checker()
    side = round(64 * zoom)
    view = label_pyramid(VOC[ids], ids).area_view(0, 0, 64, 64, side, side)
    assert view.pixels.shape == (side, side, 3)
    shown = colours_of(view.pixels)
    assert shown == {tuple(VOC[0]), tuple(VOC[1])}  # never (64,0,0), never one class


def test_a_uniform_region_keeps_its_exact_colour():
    ids = np.full((48, 80), 3, np.int32)
    ids[:, 40:] = 5
    pixels = label_pyramid(VOC[ids], ids).area_view(0, 0, 80, 48, 10, 6).pixels
    assert colours_of(pixels[:, :5]) == {tuple(VOC[3])}
    assert colours_of(pixels[:, 5:]) == {tuple(VOC[5])}


def test_a_sparse_map_at_fit_still_shows_its_dots():
    ids = np.zeros((256, 384), np.int32)
    ids[::4, ::4] = 2
    pixels = label_pyramid(VOC[ids], ids).area_view(0, 0, 384, 256, 45, 30).pixels
    shown = colours_of(pixels)
    assert shown == {tuple(VOC[0]), tuple(VOC[2])}
    dots = np.all(pixels == VOC[2], axis=-1)
    assert 0.3 < dots.mean() < 0.7  # spread over the whole map, not a patch


def test_one_isolated_pixel_is_kept_at_every_level():
    ids = np.zeros((100, 60), np.int32)
    ids[77, 13] = 4
    for level in top_two_levels(ids)[1:]:
        second = level.second[level.mixed]
        assert list(second) == [4]  # exactly one mixed block, naming the dot's class


def test_at_full_size_the_view_is_the_map_itself():
    rng = np.random.default_rng(1)
    ids = rng.integers(0, 6, (40, 50)).astype(np.int32)
    view = label_pyramid(VOC[ids], ids).area_view(0, 0, 50, 40, 50, 40)
    np.testing.assert_array_equal(view.pixels, VOC[ids])


def test_over_the_image_the_labels_blend_with_its_area_mean():
    ids = np.full((32, 32), 1, np.int32)
    image = np.full((32, 32, 3), 200, np.uint8)
    image[::2] = 100  # mean 150
    view = label_pyramid(VOC[ids], ids, image, 0.25).area_view(0, 0, 32, 32, 8, 8)
    expected = np.rint(np.array([150, 150, 150]) * 0.75 + VOC[1] * 0.25)
    assert colours_of(view.pixels) == {tuple(int(v) for v in expected)}


def test_the_palette_is_read_back_from_a_panes_colours():
    ids = np.array([[0, 7], [3, 7]], np.int32)
    palette = palette_of(VOC[ids], ids)
    assert [tuple(palette[i]) for i in (0, 3, 7)] == [tuple(VOC[i]) for i in (0, 3, 7)]


def test_timing_on_a_3_megapixel_map_is_printed(capsys):
    rng = np.random.default_rng(0)
    ids = rng.integers(0, 9, (1500, 2000)).astype(np.int32)
    started = time.perf_counter()
    pyramid = label_pyramid(VOC[ids], ids, rng.integers(0, 256, (1500, 2000, 3), np.uint8), 0.5)
    made = time.perf_counter() - started
    started = time.perf_counter()
    view = pyramid.area_view(0, 0, 2000, 1500, 700, 525)
    shown = time.perf_counter() - started
    with capsys.disabled():
        print(f"\n3 MP label map: levels {made * 1000:.0f} ms, a 700 px view {shown * 1000:.0f} ms")
    assert view.pixels.shape == (525, 700, 3)


@pytest.mark.parametrize("where", [(0, 0), (0, 8), (8, 0), (24, 40), (33, 7)])
def test_a_lone_pixel_of_a_class_shows_wherever_it_falls(where):
    """A mixed screen pixel alone in a uniform field shows its rarer class: a checker's
    parity alone would hide it in every other position."""
    ids = np.zeros((64, 64), np.int32)
    ids[where] = 4
    pixels = label_pyramid(VOC[ids], ids).area_view(0, 0, 64, 64, 8, 8).pixels
    assert colours_of(pixels) == {tuple(VOC[0]), tuple(VOC[4])}
    assert np.all(pixels == VOC[4], axis=-1).sum() == 1


def test_a_lone_wrong_pixel_stays_red_and_right_pixels_show_the_dimmed_image():
    from viewer.core.views.label_minify import error_classes, error_pyramid
    from viewer.core.views.label_views import WRONG

    truth = np.zeros((64, 64), np.int32)
    predicted = truth.copy()
    predicted[21, 42] = 3
    dimmed = np.full((64, 64, 3), 90, np.uint8)
    classes = error_classes(truth, predicted, None, 255)
    pixels = error_pyramid(dimmed, classes).area_view(0, 0, 64, 64, 8, 8).pixels
    assert colours_of(pixels) == {(90, 90, 90), tuple(int(v) for v in WRONG)}
    assert np.all(pixels == WRONG, axis=-1).sum() == 1


def test_labels_at_a_sheets_tile_size_keep_a_checker_of_both_classes():
    ids = np.indices((512, 768)).sum(axis=0) % 2
    pixels = labels_at(VOC[ids], ids, (384, 256))
    assert pixels.shape == (256, 384, 3)
    assert colours_of(pixels) == {tuple(VOC[0]), tuple(VOC[1])}


def test_a_label_runs_sheet_minifies_its_label_tiles_by_class(tmp_path):
    """The sheet's tiles are 384 px: a 768 px map's ground truth sampled 1 in 2 was one class
    of a 1-px checker; minified by class it is both, and never their mean (VOC's cat)."""
    from PIL import Image

    from tests.test_cli import headless

    ids = (np.indices((512, 768)).sum(axis=0) % 2).astype(np.uint8)
    labels = Image.fromarray(ids)
    labels.putpalette(VOC.tobytes())
    labels.save(tmp_path / "labels.png")
    Image.fromarray(np.full((512, 768, 3), 100, np.uint8)).save(tmp_path / "image.png")
    out = tmp_path / "out"
    args = ("--labels", tmp_path / "labels.png", "--methods", "nearest", "--out", out)
    done = headless(tmp_path / "image.png", *args)
    assert done.returncode == 0, done.stderr
    shown = colours_of(np.asarray(Image.open(out / "sheet.png").convert("RGB")))
    assert tuple(VOC[1]) in shown and tuple(VOC[8]) not in shown
