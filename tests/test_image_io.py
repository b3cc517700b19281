"""Every kind of image file users have, and every way a file can be bad."""

import io

import cv2
import numpy as np
import pytest
from PIL import Image

from viewer.core.errors import InputError
from viewer.core.inputs.image_io import load_image


@pytest.fixture
def rgb():
    return np.random.default_rng(0).integers(0, 256, (40, 60, 3), dtype=np.uint8)


def save_pil(path, image, fmt=None, **kw):
    image.save(path, fmt, **kw)
    return path


@pytest.mark.parametrize("suffix", [".png", ".bmp", ".tif", ".webp"])
def test_lossless_formats_round_trip_exactly(tmp_path, rgb, suffix):
    kw = {"lossless": True} if suffix == ".webp" else {}
    path = save_pil(tmp_path / f"a{suffix}", Image.fromarray(rgb), **kw)
    loaded = load_image(path)
    np.testing.assert_array_equal(loaded.pixels, rgb)
    assert loaded.notes == ()


def test_jpeg_is_read_as_rgb_not_bgr(tmp_path):
    red = np.zeros((32, 32, 3), np.uint8)
    red[..., 0] = 250
    loaded = load_image(save_pil(tmp_path / "red.jpg", Image.fromarray(red), quality=95))
    assert loaded.pixels[..., 0].mean() > 240 and loaded.pixels[..., 2].mean() < 10


def test_exif_orientation_is_applied(tmp_path, rgb):
    image = Image.fromarray(rgb)
    exif = image.getexif()
    exif[0x0112] = 6  # rotate 90 degrees clockwise to display
    loaded = load_image(save_pil(tmp_path / "o.jpg", image, exif=exif.tobytes()))
    assert loaded.pixels.shape == (60, 40, 3)


def test_rgba_drops_alpha_and_says_so(tmp_path, rgb):
    rgba = np.dstack([rgb, np.full(rgb.shape[:2], 128, np.uint8)])
    loaded = load_image(save_pil(tmp_path / "a.png", Image.fromarray(rgba)))
    np.testing.assert_array_equal(loaded.pixels, rgb)
    assert "alpha channel dropped" in loaded.notes


def test_palette_image_is_expanded(tmp_path, rgb):
    palette = Image.fromarray(rgb).convert("P")
    loaded = load_image(save_pil(tmp_path / "p.png", palette))
    np.testing.assert_array_equal(loaded.pixels, np.asarray(palette.convert("RGB")))


def test_grey_becomes_three_equal_channels(tmp_path, rgb):
    loaded = load_image(save_pil(tmp_path / "g.png", Image.fromarray(rgb[..., 0])))
    assert loaded.pixels.shape == (40, 60, 3)
    assert (loaded.pixels == rgb[..., :1]).all()


@pytest.mark.parametrize("channels", [1, 3])
def test_16_bit_is_scaled_to_8_bit(tmp_path, rgb, channels):
    source = rgb if channels == 3 else rgb[..., :1].repeat(3, axis=2)
    deep = source.astype(np.uint16) * 257
    path = tmp_path / "deep.png"
    cv2.imwrite(str(path), deep[..., ::-1] if channels == 3 else deep[..., 0])
    loaded = load_image(path)
    assert loaded.pixels.dtype == np.uint8
    assert "16-bit samples converted to 8-bit" in loaded.notes
    np.testing.assert_array_equal(loaded.pixels, source)


def test_non_ascii_path(tmp_path, rgb):
    folder = tmp_path / "图片"
    folder.mkdir()
    path = save_pil(folder / "李化元.jpg", Image.fromarray(rgb))
    assert load_image(path).pixels.shape == rgb.shape


def encoded(rgb, fmt):
    buffer = io.BytesIO()
    Image.fromarray(rgb).save(buffer, fmt)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (None, "no such file"),
        (b"", "empty"),
        (b"this is not an image at all", "not a readable image"),
        ("truncated-png", "truncated or corrupt"),
        ("truncated-jpeg", "truncated or corrupt"),
    ],
)
def test_bad_files_name_the_file_and_the_reason(tmp_path, content, reason):
    big = np.random.default_rng(1).integers(0, 256, (300, 400, 3), dtype=np.uint8)
    path = tmp_path / "bad.png"
    if content == "truncated-png":
        content = encoded(big, "PNG")[:5000]
    elif content == "truncated-jpeg":
        content = encoded(big, "JPEG")[:5000]
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        load_image(path)
    assert caught.value.what == str(path)
    assert reason in caught.value.why


def test_folder_is_refused(tmp_path):
    with pytest.raises(InputError, match="folder"):
        load_image(tmp_path)


def test_too_many_pixels_is_refused_before_decoding(tmp_path, rgb):
    path = save_pil(tmp_path / "a.png", Image.fromarray(rgb))
    with pytest.raises(InputError, match="over the limit of 1,000 pixels"):
        load_image(path, max_pixels=1000)
    assert load_image(path, max_pixels=2400).pixels.shape == rgb.shape
