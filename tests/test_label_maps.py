"""Label maps in and out: both conventions, the ignore id, and one clear refusal otherwise."""

from io import BytesIO

import numpy as np
import pytest
from PIL import Image

from viewer.core.errors import InputError
from viewer.core.inputs.class_maps import block_fractions, block_samples, class_inputs
from viewer.core.inputs.degrade import prepare_label_inputs
from viewer.core.inputs.label_maps import IGNORE, LabelMap, encode_label_png, load_label_map


def label_chart(height=48, width=64) -> np.ndarray:
    """Three classes in shapes with diagonal and curved edges, and an ignore strip."""
    ys, xs = np.mgrid[:height, :width]
    ids = np.zeros((height, width), np.uint8)
    ids[xs > ys + 10] = 1
    ids[(ys - height / 2) ** 2 + (xs - width / 3) ** 2 < (height / 4) ** 2] = 2
    ids[:, -3:] = IGNORE
    return ids


def save(path, ids, mode):
    if mode == "P":
        image = Image.fromarray(ids.astype(np.uint8))
        image.putpalette(np.arange(768, dtype=np.uint8)[::-1].tobytes())
    elif mode == "I;16":
        image = Image.fromarray(ids.astype(np.uint16))
    else:
        image = Image.fromarray(ids.astype(np.uint8))
    image.save(path)
    return path


@pytest.mark.parametrize("mode", ["P", "L", "I;16"])
def test_both_conventions_load_and_write_back_alike(tmp_path, mode):
    ids = label_chart()
    labels = load_label_map(save(tmp_path / "l.png", ids, mode))
    assert labels.mode == mode
    np.testing.assert_array_equal(labels.ids, ids)
    assert list(labels.classes()) == [0, 1, 2]
    written = Image.open(BytesIO(encode_label_png(labels.ids, labels)))
    assert written.mode == mode
    np.testing.assert_array_equal(np.asarray(written), ids)
    if mode == "P":
        assert written.getpalette()[:6] == [255, 254, 253, 252, 251, 250]
        np.testing.assert_array_equal(labels.colours()[1], [252, 251, 250])


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda p: Image.new("RGB", (8, 8)).save(p), "not a label map"),
        (lambda p: Image.new("RGB", (8, 8)).save(p, "JPEG"), "label maps are PNGs"),
        (lambda p: Image.new("F", (8, 8)).save(p, "TIFF"), "label maps are PNGs"),
        (lambda p: Image.new("LA", (8, 8)).save(p), "not a label map"),
        (lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 20), "not a readable"),
        (lambda p: p.write_bytes(b""), "empty"),
    ],
)
def test_what_is_not_a_label_map_is_refused_by_name(tmp_path, make, reason):
    path = tmp_path / "labels.png"
    make(path)
    with pytest.raises(InputError) as caught:
        load_label_map(path)
    assert caught.value.what == str(path) and reason in caught.value.why


def test_soft_input_is_each_blocks_class_fractions():
    ids = label_chart()
    classes = np.array([0, 1, 2])
    soft = block_fractions(ids, classes, 4)
    for y, x in [(0, 0), (5, 7), (11, 15), (3, 15)]:
        block = ids[4 * y : 4 * y + 4, 4 * x : 4 * x + 4]
        expected = [np.count_nonzero(block == c) / 16 * 255 for c in classes]
        np.testing.assert_allclose(soft[y, x], expected, rtol=1e-6)
    # ignore pixels count for no class: the strip's blocks add up to less than 255
    assert soft[0, -1].sum() == pytest.approx(255 / 4)


def test_hard_input_samples_the_pixel_at_offset_half_r():
    ids = np.arange(64, dtype=np.int32).reshape(8, 8) % 5
    classes = np.arange(5)
    hard = block_samples(ids, classes, 4)
    for y in range(2):
        for x in range(2):
            assert np.argmax(hard[y, x]) == ids[4 * y + 2, 4 * x + 2]
            assert hard[y, x].max() == 255 and hard[y, x].sum() == 255


def test_prediction_is_the_argmax_and_no_evidence_is_ignore():
    ids = label_chart()
    image = np.zeros((*ids.shape, 3), np.uint8)
    inputs = prepare_label_inputs(LabelMap("l", ids.astype(np.int32), "L"), image, 4, "soft")
    assert inputs.kind == "labels" and inputs.original.shape == (48, 64, 3)
    np.testing.assert_array_equal(inputs.classes.ids(inputs.original), ids)
    assert inputs.guide.shape == (48, 64, 3)


def test_one_hot_target_and_inputs_have_a_channel_per_class():
    ids = label_chart().astype(np.int32)
    original, lowres = class_inputs(LabelMap("l", ids, "L"), 8, "hard")
    assert original.shape == (48, 64, 3) and lowres.shape == (6, 8, 3)
    assert set(np.unique(original)) == {0.0, 255.0}
    assert (original[ids == IGNORE] == 0).all()
