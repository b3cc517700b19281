"""The hostile-input corpus: what a careless or unlucky user gives the command line.

Every case ends with exit code 2, exactly one stderr line starting `error:` that names the
file or option, no traceback, the output folder never created and nothing left beside it.
The files are made here (no binary fixtures). Cases run in-process through `main()`, as the
command line does, with fd 2 captured so that a C library's own line would be seen too.
"""

from __future__ import annotations

import io
import os
import signal
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from skimage import data

from viewer.app import main
from viewer.core.inputs import feature_maps
from viewer.core.run.interrupts import Interrupted

ROOT = Path(__file__).resolve().parents[1]
PHOTO = data.astronaut()[100:164, 100:180]


def png_bytes(image: np.ndarray = PHOTO) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, "PNG")
    return buffer.getvalue()


def float_tiff() -> bytes:
    import cv2

    ok, buffer = cv2.imencode(".tiff", PHOTO.astype(np.float32) / 255)
    assert ok
    return buffer.tobytes()


def encoded(fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(PHOTO).save(buffer, fmt, **options)
    return buffer.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A PNG whose header (valid CRC) claims a huge size: a decompression bomb's header."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + header
    ihdr = struct.pack(">I", len(header)) + chunk + struct.pack(">I", zlib.crc32(chunk))
    idat_data = zlib.compress(b"\0" * 64)
    idat = b"IDAT" + idat_data
    return (
        b"\x89PNG\r\n\x1a\n"
        + ihdr
        + struct.pack(">I", len(idat_data))
        + idat
        + struct.pack(">I", zlib.crc32(idat))
    )


def npy_claiming(shape: tuple[int, ...], dtype: str = "<f4", payload: int = 64) -> bytes:
    """A .npy header that claims `shape`, followed by only `payload` bytes of data."""
    buffer = io.BytesIO()
    header = {"descr": dtype, "fortran_order": False, "shape": shape}
    np.lib.format.write_array_header_1_0(buffer, header)
    return buffer.getvalue() + b"\0" * payload


def npy_bytes(array: np.ndarray, allow_pickle: bool = False) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=allow_pickle)
    return buffer.getvalue()


def npz_bytes(**arrays: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    return buffer.getvalue()


def zip_of(**members: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


PNG = png_bytes()
JPEG = encoded("JPEG", quality=90)
TIFF = encoded("TIFF")
FEATURES = np.random.default_rng(0).standard_normal((4, 16, 16)).astype(np.float32)

# (case id, file name, content) -> the file is IMAGE; the message must contain `reason`.
FILE_CASES = [
    ("empty png", "a.png", b"", "the file is empty"),
    ("random bytes png", "a.png", os.urandom(3000), "not a readable image"),
    ("random bytes jpg", "a.jpg", os.urandom(3000), "not a readable image"),
    ("text as png", "a.png", b"hello, I am not a picture\n", "not a readable image"),
    *((f"png cut at {n}", "a.png", PNG[:n], "") for n in (8, 20, 40, len(PNG) // 2, len(PNG) - 1)),
    *((f"jpeg cut at {n}", "a.jpg", JPEG[:n], "") for n in (2, 300, len(JPEG) // 2)),
    *((f"tiff cut at {n}", "a.tif", TIFF[:n], "") for n in (8, 200, len(TIFF) // 2)),
    ("float32 tiff", "f.tif", float_tiff(), "float TIFFs are not"),
    ("png pixel bomb", "bomb.png", png_claiming(100_000, 100_000), "over the limit"),
    ("1x1 png", "tiny.png", png_bytes(PHOTO[:1, :1]), "smaller than the scale"),
    ("npy as png", "a.png", npy_bytes(FEATURES), "not a readable image"),
    ("png as npy", "a.npy", PNG, "it looks like a PNG image"),
    ("random npy", "a.npy", os.urandom(500), "not a .npy / .npz array file"),
    ("empty npy", "a.npy", b"", "the file is empty"),
    ("npy huge shape", "a.npy", npy_claiming((3, 100_000, 100_000)), "over the limit"),
    ("npy many channels", "a.npy", npy_claiming((5000, 20, 20)), "channels is over the limit"),
    ("npy many values", "a.npy", npy_claiming((2048, 200, 200)), "values, over the limit"),
    ("npy truncated data", "a.npy", npy_claiming((3, 64, 64), payload=100), "truncated"),
    ("npy bad header", "a.npy", b"\x93NUMPY\x01\x00\x10\x00{'descr': 'x'}   \n", "corrupt"),
    ("npy nan", "a.npy", npy_bytes(np.full((2, 8, 8), np.nan)), "NaN or infinite"),
    ("npy inf", "a.npy", npy_bytes(np.full((2, 8, 8), np.inf)), "NaN or infinite"),
    ("npy complex", "a.npy", npy_bytes(np.zeros((2, 8, 8), complex)), "not supported"),
    ("npy strings", "a.npy", npy_bytes(np.full((2, 8, 8), "x")), "not supported"),
    ("npy objects", "a.npy", npy_bytes(np.array([{}], object), True), "Python objects"),
    ("npy 1-d", "a.npy", npy_bytes(np.zeros(10)), "is not C x H x W"),
    ("npy 5-d", "a.npy", npy_bytes(np.zeros((1, 2, 3, 4, 5))), "is not C x H x W"),
    ("npy empty", "a.npy", npy_bytes(np.zeros((3, 0, 8))), "empty"),
    ("npy 1e308", "a.npy", npy_bytes(np.full((2, 8, 8), 1e308)), "do not fit in float32"),
    ("npz empty", "a.npz", npz_bytes(), "holds no arrays"),
    ("npz cut", "a.npz", npz_bytes(f=FEATURES)[:100], "not a readable .npz"),
    ("npz huge shape", "a.npz", zip_of(**{"f.npy": npy_claiming((3, 10**5, 10**5))}), "limit"),
    ("npz of text", "a.npz", zip_of(**{"f.txt": b"hello"}), "holds no arrays"),
]


def run_cli(capfd, *args) -> tuple[int, str]:
    try:
        code = main(["--headless", *map(str, args)])
    except SystemExit as leaving:
        code = leaving.code
    return code, capfd.readouterr().err


def assert_refused(code: int, err: str, what: str, reason: str, out: Path, before: set) -> None:
    lines = err.strip().splitlines()
    assert code == 2, err
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert what in lines[0] and reason in lines[0], err
    assert "Traceback" not in err
    assert not out.exists()
    assert set(out.parent.iterdir()) == before, "something was left beside DIR"


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [case[1:] for case in FILE_CASES],
    ids=[case[0] for case in FILE_CASES],
)
def test_bad_files_are_refused(tmp_path, capfd, own_signals, request, name, content, reason):
    folder = tmp_path / request.node.callspec.id.replace(" ", "_")
    folder.mkdir()
    image = folder / name
    image.write_bytes(content)
    out_parent = tmp_path / "results"
    out_parent.mkdir()
    out = out_parent / "out"
    code, err = run_cli(capfd, image, "--out", out, "--methods", "nearest")
    assert_refused(code, err, str(image), reason, out, set())


def special_paths(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    """Paths that are not regular files, each with what the message must say."""
    fifo = tmp_path / "pipe.png"
    os.mkfifo(fifo)
    loop_a, loop_b = tmp_path / "loop_a.png", tmp_path / "loop_b.png"
    loop_a.symlink_to(loop_b)
    loop_b.symlink_to(loop_a)
    dangling = tmp_path / "dangling.png"
    dangling.symlink_to(tmp_path / "gone.png")
    folder = tmp_path / "folder.png"
    folder.mkdir()
    os.mkfifo(tmp_path / "pipe.npy")
    return {
        "fifo": (fifo, "is a named pipe (FIFO), not an image"),
        "device": (Path(os.devnull), "is a character device, not an image"),
        "zero": (Path("/dev/zero"), "is a character device, not an image"),
        "loop": (loop_a, "a loop of symbolic links"),
        "dangling": (dangling, "a symbolic link to a missing file"),
        "missing": (tmp_path / "missing.png", "no such file"),
        "folder": (folder, "the folder holds no images"),  # a folder run, of nothing
        "fifo npy": (tmp_path / "pipe.npy", "is a named pipe (FIFO), not a feature map"),
    }


@pytest.mark.parametrize(
    "kind", ["fifo", "device", "zero", "loop", "dangling", "missing", "folder", "fifo npy"]
)
def test_special_files_are_refused_before_opening(tmp_path, capfd, own_signals, kind):
    path, reason = special_paths(tmp_path)[kind]
    out_parent = tmp_path / "results"
    out_parent.mkdir()
    out = out_parent / "out"
    code, err = run_cli(capfd, path, "--out", out)
    assert_refused(code, err, str(path), reason, out, set())


BAD_OPTIONS = [
    (["--scale", "5"], "--scale", "must be one of 2, 3, 4, 8, 16, not 5"),
    (["--scale", "x2"], "--scale", "must be one of 2, 3, 4, 8, 16, not x2"),
    (["--steps", "-1"], "--steps", "from 0 to 100000"),
    (["--steps", "1e99"], "--steps", "a whole number"),
    (["--steps", "3.5"], "--steps", "a whole number"),
    (["--seed", "-1"], "--seed", "from 0 to 2147483647, not -1"),
    (["--seed", str(2**70)], "--seed", "from 0 to 2147483647"),
    (["--grid-noise", "2"], "--grid-noise", "from 0 to 1"),
    (["--grid-noise", "nan"], "--grid-noise", "a number"),
    (["--lr", "0"], "--lr", "from 1e-06 to 1"),
    (["--lr", "inf"], "--lr", "a number"),
    (["--lr", "abc"], "--lr", "not abc"),
    (["--degrade", "blur"], "--degrade", "one of article, area, bicubic_aa"),
    (["--device", "tpu"], "--device", "one of auto, cpu, gpu"),
    (["--methods", ""], "--methods", "unknown method (none given)"),
    (["--methods", ","], "--methods", "unknown method (none given)"),
    (["--methods", "nearest,warp"], "--methods", "unknown method warp"),
    (["--max-pixels", "0"], "--max-pixels", "from 1 to"),
    (["--max-pixels", "many"], "--max-pixels", "a whole number"),
    (["--chart", "rainbow"], "--chart", "unknown chart rainbow"),
    (["--chart", "star", "--chart-size", "3"], "--chart-size", "from 8 to 8192"),
    (["--chart", "star", "--chart-size", "99999"], "--chart-size", "from 8 to 8192"),
    (["--bogus"], "arguments", "unrecognized arguments: --bogus"),
    (["--scale"], "arguments", "expected one argument"),
    (["--train-on", "nowhere"], "nowhere", "no such file: nothing to train on"),
    (["--train-on", os.devnull], os.devnull, "is a character device, not an image or folder"),
]


@pytest.mark.parametrize(
    ("args", "what", "reason"), BAD_OPTIONS, ids=[" ".join(a)[:40] for a, _, _ in BAD_OPTIONS]
)
def test_bad_options_are_refused_up_front(tmp_path, capfd, own_signals, args, what, reason):
    out_parent = tmp_path / "results"
    out_parent.mkdir()
    out = out_parent / "out"
    code, err = run_cli(capfd, *args, "--out", out)
    assert_refused(code, err, what, reason, out, set())


def test_training_on_a_fifo_is_refused(tmp_path, capfd, own_signals):
    fifo = tmp_path / "train"
    os.mkfifo(fifo)
    out = tmp_path / "results" / "out"
    out.parent.mkdir()
    code, err = run_cli(capfd, "--train-on", fifo, "--out", out)
    assert_refused(
        code, err, str(fifo), "is a named pipe (FIFO), not an image or folder", out, set()
    )


@pytest.mark.parametrize(
    ("where", "reason"),
    [
        ("file/out", "is a file)"),
        ("file", "cannot write there (it is a file)"),
        ("/proc/upsample-viewer-out", "cannot write there"),
        ("/dev/null/out", "is a character device)"),
    ],
)
def test_unwritable_out_is_refused_before_computing(tmp_path, capfd, own_signals, where, reason):
    (tmp_path / "file").write_text("a file where a folder is expected")
    out = Path(where) if where.startswith("/") else tmp_path / where
    before = set(tmp_path.iterdir())
    code, err = run_cli(capfd, "--chart", "star", "--chart-size", "16", "--out", out)
    lines = err.strip().splitlines()
    assert code == 2 and len(lines) == 1 and lines[0].startswith(f"error: --out {out}: ")
    assert reason in lines[0]
    assert set(tmp_path.iterdir()) == before
    assert (tmp_path / "file").read_text() == "a file where a folder is expected"


def test_a_zip_bomb_is_refused_from_the_member_size(tmp_path, capfd, own_signals, monkeypatch):
    """The unpacked size is read from the zip directory, before anything is inflated (the
    limit is lowered so that the bomb stays small)."""
    monkeypatch.setattr(feature_maps, "MAX_ARRAY_BYTES", 1_000_000)
    bomb = tmp_path / "bomb.npz"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("f.npy", npy_bytes(np.zeros((1, 512, 512), np.float64)))
    assert bomb.stat().st_size < 10_000
    out = tmp_path / "results" / "out"
    out.parent.mkdir()
    code, err = run_cli(capfd, bomb, "--out", out)
    assert_refused(code, err, str(bomb), "unpacks to 0.0 GB, over the limit", out, set())


def test_many_channels_run_through_every_opencv_path(tmp_path, capfd, own_signals):
    """OpenCV resizes at most 128 channels at once: 300 go in groups, every method runs."""
    features = np.random.default_rng(1).standard_normal((300, 12, 10)).astype(np.float32)
    path = tmp_path / "wide.npy"
    np.save(path, features)
    out = tmp_path / "out"
    args = [path, "--out", out, "--methods", "nearest,bilinear,lanczos", "--degrade", "area"]
    code, err = run_cli(capfd, *args)
    assert code == 0 and "Traceback" not in err, err
    assert (out / "lanczos.png").exists()


def test_an_interrupted_export_leaves_dir_as_it_was(tmp_path, capfd, own_signals, monkeypatch):
    """SIGTERM half-way through writing the files: exit 143, the folder as it was (the
    user's file kept), no staging folder beside it."""
    from viewer.core.output import export

    written = []

    def encode_then_stop(image):
        written.append(image.shape)
        if len(written) == 3:
            raise Interrupted(signal.SIGTERM)
        return real(image)

    real = export.encode_png
    monkeypatch.setattr(export, "encode_png", encode_then_stop)
    out = tmp_path / "results" / "out"
    out.mkdir(parents=True)
    (out / "mine.txt").write_text("keep")
    args = ["--chart", "star", "--chart-size", "16", "--methods", "nearest", "--out", out]
    code, err = run_cli(capfd, *args)
    assert code == 143 and err.strip().splitlines()[-1] == "interrupted: nothing written"
    assert "Traceback" not in err
    assert len(written) >= 3  # the writer's threads may encode a few more before the stop
    assert [p.name for p in out.parent.iterdir()] == ["out"]
    assert [p.name for p in out.iterdir()] == ["mine.txt"]


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_real_signal_mid_run_exits_cleanly(tmp_path, signum, code):
    """A subprocess, signalled once its progress bar shows training under way."""
    out = tmp_path / "out"
    args = ["--chart", "star", "--chart-size", "32", "--methods", "conv_transpose"]
    command = [sys.executable, str(ROOT / "main.py"), "--headless", *args, "--steps", "100000"]
    process = subprocess.Popen([*command, "--out", str(out)], stderr=subprocess.PIPE, text=True)
    seen = ""
    while "conv_transpose step" not in seen and len(seen) < 100_000:
        char = process.stderr.read(1)
        if not char:
            break
        seen += char
    process.send_signal(signum)
    rest = process.stderr.read()
    assert process.wait(timeout=60) == code, seen + rest
    assert "conv_transpose step" in seen
    assert rest.strip().splitlines()[-1] == "interrupted: nothing written"
    assert "Traceback" not in seen + rest
    assert list(tmp_path.iterdir()) == []


def test_an_interrupt_during_start_up_is_one_line(tmp_path, capfd, own_signals, monkeypatch):
    """Ctrl+C while Paddle is being imported (inside `use_device`)."""
    from viewer.headless import startup

    def importing_paddle(choice):
        raise Interrupted(signal.SIGINT)

    monkeypatch.setattr(startup, "use_device", importing_paddle)
    out = tmp_path / "out"
    code, err = run_cli(capfd, "--chart", "star", "--chart-size", "16", "--out", out)
    assert code == 130 and err == "interrupted: nothing written\n"
    assert list(tmp_path.iterdir()) == []


LONG = "a" * 300  # one part of a path over the file systems' 255 bytes
NAME_TOO_LONG = "the name is too long"


def long_name_cases(tmp_path: Path) -> dict[str, tuple[list, str]]:
    """Command lines with a name no file system holds, each with the path the line names."""
    photo, photos = tmp_path / "photo.png", tmp_path / "photos"
    photo.write_bytes(PNG)
    photos.mkdir()
    (photos / "a.png").write_bytes(PNG)
    long = tmp_path / LONG
    chart = ["--chart", "star", "--chart-size", "16", "--methods", "nearest"]
    deep = Path("/", *["b" * 200] * 21)  # every part allowed, the whole over 4095 bytes
    return {
        "image": ([f"{long}.png"], f"{long}.png"),
        "image in a long folder": ([long / "a.png"], str(long / "a.png")),
        "folder": ([long], str(long)),
        "out": ([*chart, "--out", long], f"--out {long}"),
        "out below a long name": ([*chart, "--out", long / "run"], f"--out {long / 'run'}"),
        "out over 4095 bytes": ([*chart, "--out", deep], f"--out {deep}"),
        "labels": ([photo, "--labels", f"{long}.png"], f"{long}.png"),
        "guide": ([photo, "--guide", f"{long}.png"], f"{long}.png"),
        "folder's labels": ([photos, "--labels", long], f"--labels {long}"),
        "add": ([*chart, "--add", f"mine={long}.png"], f"{long}.png"),
        "train on": ([*chart, "--train-on", long], str(long)),
    }


@pytest.mark.parametrize(
    "case",
    [
        "image",
        "image in a long folder",
        "folder",
        "out",
        "out below a long name",
        "out over 4095 bytes",
        "labels",
        "guide",
        "folder's labels",
        "add",
        "train on",
    ],
)
def test_a_name_too_long_is_one_line(tmp_path, capfd, own_signals, case):
    """`Path.is_dir` and `Path.exists` raise OSError (errno 36) for such a name."""
    args, what = long_name_cases(tmp_path)[case]
    if "--out" not in args:
        args = [*args, "--out", tmp_path / "out"]
    before = set(tmp_path.iterdir())
    code, err = run_cli(capfd, *args)
    lines = err.strip().splitlines()
    assert code == 2 and len(lines) == 1 and lines[0].startswith(f"error: {what}: "), err
    assert "Traceback" not in err
    assert set(tmp_path.iterdir()) == before


def window_errors(tmp_path: Path, *args) -> tuple[int, list[str]]:
    """`main.py ARGS --screenshot` offscreen, ended by the harness if it hangs: the exit
    code and its `error:` lines (Qt's offscreen plugin writes notes of its own)."""
    from tests.main_py import run_main

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path)}
    done = run_main(*args, "--screenshot", tmp_path / "shot.png", env=env, timeout=120)
    assert "Traceback" not in done.stderr, done.stderr
    return done.returncode, [line for line in done.stderr.splitlines() if "error" in line]


def test_the_window_says_once_that_a_name_is_too_long(tmp_path):
    """It printed the OSError's traceback and hung (a comparison's input as well)."""
    import json

    image = tmp_path / f"{LONG}.png"
    comparison = tmp_path / "long.upsample.json"
    document = {
        "format": "upsample-viewer-comparison",
        "version": 1,
        "input": str(image),
        "settings": {},
        "methods": ["nearest"],
    }
    comparison.write_text(json.dumps(document))
    for opened in (image, comparison):
        code, errors = window_errors(tmp_path, opened)
        assert code == 2 and len(errors) == 1, errors
        assert errors[0].startswith(f"error: {image}: {NAME_TOO_LONG}")


@pytest.mark.parametrize("name", ["UpsampleViewer/Upsample Viewer.conf", "UpsampleViewer.conf"])
def test_a_settings_file_that_is_a_fifo_is_one_line_and_never_blocks(tmp_path, name):
    """QSettings() opened the FIFO as it was made: the window blocked for good and no signal
    ended it. Each file it reads is checked first, as every input is."""
    fifo = tmp_path / name
    fifo.parent.mkdir(exist_ok=True)
    os.mkfifo(fifo)
    code, errors = window_errors(tmp_path, "--chart", "star", "--chart-size", "16")
    assert code == 2 and errors == [f"error: {fifo}: is a named pipe (FIFO), not a settings file"]
