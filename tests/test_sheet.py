"""The contact sheet: each caption right under its own tile, every tile one size, and a heat
view's colour bar under them (issue 22 item 9: captions sat 60 px below their tile and 10 px
above the next row's, reading as the next tile's title; the low-res tile was smaller)."""

import numpy as np

from viewer.core.output.sheet import GAP, LABEL_HEIGHT, LEGEND_HEIGHT, Legend, contact_sheet
from viewer.core.views.derived import colour_table

GREEN = (10, 200, 30)  # no caption pixel has this colour


def tiles(count: int) -> list[tuple[str, str, np.ndarray]]:
    """A wide 60 x 50 region (the low-res crop 30 x 26, as the window gives it)."""
    region = np.full((50, 60, 3), GREEN, np.uint8)
    lowres = np.full((26, 30, 3), GREEN, np.uint8)
    return [(f"Tile {i}", "caption", lowres if i == 1 else region) for i in range(count)]


def tile_boxes(sheet: np.ndarray) -> list[tuple[int, int, int, int]]:
    """(top, left, height, width) of each tile, in reading order."""
    import cv2

    mask = (sheet == GREEN).all(axis=-1).astype(np.uint8)
    count, _, stats, _ = cv2.connectedComponentsWithStats(mask)
    boxes = [(t, left, h, w) for left, t, w, h, _ in stats[1:count]]
    return sorted(boxes)


def test_every_tile_is_one_size_and_each_caption_is_under_its_own_tile():
    sheet = contact_sheet(tiles(6), columns=4)
    boxes = tile_boxes(sheet)
    assert len(boxes) == 6 and len({(h, w) for _, _, h, w in boxes}) == 1, boxes
    height = boxes[0][2]
    second_row_top = min(top for top, *_ in boxes if top > boxes[0][0])
    text = (sheet < 100).all(axis=-1)  # the black titles
    rows_with_text = np.flatnonzero(text.any(axis=1))
    first_row_text = rows_with_text[rows_with_text < second_row_top]
    assert first_row_text.min() > boxes[0][0] + height  # under the tile ...
    assert first_row_text.max() < boxes[0][0] + height + LABEL_HEIGHT  # ... and close to it
    assert second_row_top - (first_row_text.max()) > GAP  # not against the next row


def test_a_legend_is_drawn_under_the_tiles():
    legend = Legend("signed", -40.0, 40.0, "luma difference (levels) shared")
    plain = contact_sheet(tiles(2))
    sheet = contact_sheet(tiles(2), legend=legend)
    assert sheet.shape[0] == plain.shape[0] + LEGEND_HEIGHT
    strip = sheet[plain.shape[0] :]
    table = colour_table("signed")
    for end in (table[0], table[-1], table[128]):
        assert (np.abs(strip.astype(int) - end).max(axis=-1) <= 2).sum() > 20
