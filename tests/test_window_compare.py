"""Compare: swipe, flicker, A and B, keys and the loupe."""

import numpy as np
import pytest
from PySide6.QtCore import QRectF, Qt
from window_helpers import camera_shows_whole, matching, rendered


def test_swipe_and_flicker_show_the_chosen_a_and_b(loaded, qtbot):
    loaded.grid.zoom_to(4)
    x, y, factor = loaded.grid.region()
    loaded.toggle_compare()
    compare = loaded.compare
    assert loaded.comparing() and compare.region() == pytest.approx((x, y, factor), rel=1e-3)
    compare.choose(a="original", b="bicubic")
    np.testing.assert_array_equal(compare.item_a.image, loaded.grid.pane("original").pixels)
    np.testing.assert_array_equal(compare.item_b.image, loaded.grid.pane("bicubic").pixels)
    compare.divider.setValue(30)
    assert compare.b_region() == QRectF(30, 0, 74 - 30, 100)  # A left of the divider, B right
    assert compare.clip.rect() == compare.b_region()
    before = compare.viewbox.viewRange()
    compare.choose(b="nearest")
    np.testing.assert_array_equal(compare.item_b.image, loaded.grid.pane("nearest").pixels)
    compare.set_mode("flicker")
    assert compare.b_region().isEmpty() and not compare.divider.isVisible()
    assert not compare.item_b.isVisible()
    qtbot.keyPress(compare, Qt.Key.Key_Space)
    assert compare.clip.rect() == QRectF(0, 0, 74, 100)  # B everywhere while Space is held
    qtbot.keyRelease(compare, Qt.Key.Key_Space)
    assert compare.clip.rect().isEmpty() and not compare.item_b.isVisible()
    compare.show_b_button.setChecked(True)
    assert compare.clip.rect() == QRectF(0, 0, 74, 100)
    assert compare.viewbox.viewRange() == before  # zoom and position kept throughout
    compare.choose(b="lowres")
    assert compare.item_b.boundingRect().width() == 37  # drawn at output size: 37 px x 2
    assert compare.item_b.mapRectToParent(compare.item_b.boundingRect()).width() == 74
    loaded.toggle_compare()
    assert not loaded.comparing()
    assert loaded.grid.region() == pytest.approx(compare.region(), rel=1e-3)


def test_swipe_draws_a_left_of_the_divider_and_b_right_of_it(loaded, qtbot):
    loaded.toggle_compare()
    compare = loaded.compare
    compare.choose(a="original", b="max_unpool")
    compare.divider.setValue(40)
    qtbot.waitUntil(lambda: compare.clip.rect().left() == 40)
    shown = rendered(compare)
    original = loaded.grid.pane("original").pixels
    unpooled = loaded.grid.pane("max_unpool").pixels
    assert matching(unpooled[:, :38], original[:, :38]) < 0.5  # the two really differ
    assert matching(shown[:, :38], original[:, :38]) > 0.99
    assert matching(shown[:, 42:], unpooled[:, 42:]) > 0.99
    compare.set_mode("flicker")
    assert matching(rendered(compare), original) > 0.99
    compare.show_b_button.setChecked(True)
    assert matching(rendered(compare), unpooled) > 0.99


def test_compare_takes_the_view_keys_labels_a_and_b_and_steps_b(loaded, qtbot):
    loaded.grid.fit()
    loaded.toggle_compare()
    compare = loaded.compare
    qtbot.waitUntil(lambda: compare.viewbox.width() > 100)
    compare.fit()
    assert camera_shows_whole(compare)  # entering from the overview: fitted
    compare.choose(a="original", b="bicubic")
    assert compare.shown_label() == "A: Original | B: Bicubic"
    compare.view.setFocus()
    qtbot.keyClick(compare.view, Qt.Key.Key_1)
    assert compare.region()[2] == pytest.approx(1.0, rel=1e-3)
    x_before = compare.region()[0]
    qtbot.keyClick(compare.view, Qt.Key.Key_Right)
    assert compare.region()[0] > x_before
    qtbot.keyClick(compare.view, Qt.Key.Key_F)
    assert camera_shows_whole(compare)
    qtbot.keyClick(compare.view, Qt.Key.Key_Down)
    assert (
        compare.key_b()
        == loaded.grid.panes[[p.key for p in loaded.grid.panes].index("bicubic") + 1].key
    )
    qtbot.keyClick(compare.view, Qt.Key.Key_Up)
    assert compare.key_b() == "bicubic"
    compare.set_mode("flicker")
    assert compare.shown_label() == "showing A: Original"
    compare.mode_choice.setCurrentIndex(0)  # using a control must not take the keys
    qtbot.keyPress(compare.view, Qt.Key.Key_Space)
    assert compare.showing_b()
    qtbot.keyRelease(compare.view, Qt.Key.Key_Space)
    assert compare.focusPolicy() != Qt.FocusPolicy.NoFocus
    assert compare.mode_choice.focusPolicy() == Qt.FocusPolicy.NoFocus


def test_the_loupe_shows_sharp_pixels_of_a_and_b_around_the_cursor():
    from viewer.ui.compare_view import loupe_crop

    pixels = np.arange(10 * 12 * 3, dtype=np.uint8).reshape(10, 12, 3)
    crop = loupe_crop(("A", pixels, 1), 5.5, 4.5, side=40, zoom=8)
    assert crop.shape == (40, 40, 3)
    # 5 x 5 image pixels, each an 8 x 8 block; the cursor's pixel (4, 5) in the middle
    np.testing.assert_array_equal(
        crop[16 + 2 : 24 - 2, 16 + 2 : 24 - 2], np.broadcast_to(pixels[4, 5], (4, 4, 3))
    )
    np.testing.assert_array_equal(crop[1:7, 1:7], np.broadcast_to(pixels[2, 3], (6, 6, 3)))
    corner = loupe_crop(("A", pixels, 1), 0.5, 0.5, side=40, zoom=8)
    assert (corner[:8, :8] == 128).all()  # outside the image: grey
    lowres = loupe_crop(("L", pixels, 2), 11.0, 9.0, side=40, zoom=8)  # step 2: output coords
    np.testing.assert_array_equal(lowres[20, 20], pixels[4, 5])


def test_compare_shows_what_the_grid_shows_in_every_mode(loaded, qtbot):
    """In the signed view both sides showed the plain images (issue 22 item 7); then they
    showed its colours, minified as a photo's (a lone wrong label pixel went faint). Each
    side now shows the pane's own image: its values, colours and below-100 % rule."""
    loaded.toggle_compare()
    compare = loaded.compare
    compare.choose(a="nearest", b="bicubic")
    for mode in ("signed", "abs", "ssim"):
        loaded.heat.set_mode(mode)
        qtbot.waitUntil(lambda: not loaded.grid.views.pending())
        for key, image in (("nearest", compare.image_a), ("bicubic", compare.image_b)):
            shown = loaded.grid.pane(key).heat
            qtbot.waitUntil(lambda i=image, s=shown: i.data is s.data)
            assert image.pyramid is shown.pyramid and image.options == shown.options
            assert not np.array_equal(image.data, loaded.grid.pane(key).pixels)
    loaded.heat.set_mode("image")
    qtbot.waitUntil(
        lambda: np.array_equal(compare.image_b.data, loaded.grid.pane("bicubic").pixels)
    )
    assert compare.image_b.pyramid is loaded.grid.pane("bicubic").image.pyramid


def test_the_loupe_labels_a_and_b(loaded, qtbot):
    loaded.toggle_compare()
    compare = loaded.compare
    compare.choose(a="original", b="bicubic")
    compare.loupe_button.setChecked(True)
    compare.show_loupe(37.0, 50.0)
    image = compare.loupe.pixmap().toImage()
    side = compare.LOUPE_SIDE
    for left in (0, side + 4):  # each half's corner: a dark box with a white letter
        corner = [image.pixelColor(left + x, y).lightness() for x in range(16) for y in range(18)]
        dark = sum(value < 10 for value in corner) / len(corner)
        assert dark > 0.6 and max(corner) > 200, (dark, max(corner))


def test_the_swipe_divider_stays_on_screen_when_zooming(loaded, qtbot):
    loaded.toggle_compare()
    compare = loaded.compare
    compare.fit()
    compare.divider.setValue(37)
    compare.show_region(10, 80, 12)  # far left of the divider, close up
    left, right = compare.viewbox.viewRange()[0]
    assert left <= compare.divider.value() <= right and compare.divider.isVisible()
