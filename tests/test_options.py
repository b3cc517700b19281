"""Degradations, training on other images, learning rate and device: end to end."""

import json

import cv2
import numpy as np
import pytest
from PIL import Image
from test_cli import headless

from viewer.core.errors import InputError
from viewer.core.inputs.degrade import degrade, prepare_inputs
from viewer.core.run.device import use_device
from viewer.core.run.training_set import load_training_pairs, training_files


def test_area_degradation_is_cv2_inter_area(photo):
    inputs = prepare_inputs(photo, 3, "area")
    expected = cv2.resize(inputs.original, (25, 33), interpolation=cv2.INTER_AREA)
    np.testing.assert_array_equal(inputs.lowres, expected)
    assert inputs.degradation == "area"


def test_antialiased_bicubic_agrees_with_pillow():
    """Pillow's bicubic reduction is antialiased too (support scaled by r, a = -0.5). On a
    zone plate, whose outer rings alias when sampled plainly, the two must agree."""
    from viewer.core.inputs.charts import zoneplate

    original = zoneplate(128)
    small = degrade(original, 2, "bicubic_aa")
    pil = np.asarray(Image.fromarray(original).resize((64, 64), Image.BICUBIC))
    assert small.shape == pil.shape and small.dtype == np.uint8
    inner = (slice(3, -3), slice(3, -3))
    assert np.abs(small[inner].astype(int) - pil[inner]).mean() < 1.5
    plain = cv2.resize(original, (64, 64), interpolation=cv2.INTER_LINEAR)
    assert np.abs(small[inner].astype(int) - plain[inner]).mean() > 10  # aliasing removed


def test_unknown_degradation_is_refused(photo):
    with pytest.raises(ValueError, match="degradation must be one of"):
        prepare_inputs(photo, 2, "gaussian")


def test_training_folder_gives_one_pair_per_image(tmp_path, photo, coffee):
    for name, image in (("a.png", photo), ("b.png", coffee)):
        Image.fromarray(image).save(tmp_path / name)
    (tmp_path / "notes.txt").write_text("not an image")
    assert [p.name for p in training_files(tmp_path)] == ["a.png", "b.png"]
    pairs = load_training_pairs(tmp_path, 2, "area", 3)
    assert [low.shape for low, _ in pairs] == [(50, 37, 3), (48, 72, 3)]
    assert [high.shape for _, high in pairs] == [(100, 74, 3), (96, 144, 3)]


def test_training_images_must_exist_and_match_channels(tmp_path, photo):
    with pytest.raises(InputError, match="no such file: nothing to train on"):
        training_files(tmp_path / "missing")
    with pytest.raises(InputError, match="no images to train on"):
        training_files(tmp_path)
    np.save(tmp_path / "f.npy", np.zeros((5, 20, 20), np.float32))
    with pytest.raises(InputError, match="has 5 channels; the input has 3"):
        load_training_pairs(tmp_path / "f.npy", 2, "article", 3)


def test_held_out_training_is_recorded_and_changes_the_result(tmp_path, photo, coffee):
    Image.fromarray(photo).save(tmp_path / "input.png")
    Image.fromarray(coffee).save(tmp_path / "other.png")
    runs = {}
    for label, extra in (("self", []), ("held_out", ["--train-on", tmp_path / "other.png"])):
        out = tmp_path / label
        args = [tmp_path / "input.png", "--out", out, "--methods", "dysample", "--steps", 10]
        done = headless(*args, "--degrade", "area", "--lr", 0.01, *extra)
        assert done.returncode == 0, done.stderr
        runs[label] = json.loads((out / "metrics.json").read_text())
    assert runs["self"]["training"]["on"].startswith("the input image itself")
    assert runs["held_out"]["training"] == {"on": str(tmp_path / "other.png"), "images": 1}
    assert runs["held_out"]["degradation"] == "area" and runs["held_out"]["settings"]["lr"] == 0.01
    assert runs["self"]["methods"][0]["psnr"] != runs["held_out"]["methods"][0]["psnr"]
    assert "CPU" in runs["self"]["device"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--degrade", "blur"],
            "--degrade: must be one of article, area, bicubic_aa, matlab, not blur",
        ),
        (["--lr", "0"], "--lr: must be a number from 1e-06 to 1, not 0.0"),
        (["--device", "tpu"], "--device: must be one of auto, cpu, gpu, not tpu"),
        (["--train-on", "nowhere"], "nowhere: no such file: nothing to train on"),
    ],
)
def test_bad_options_are_one_line(tmp_path, args, message):
    done = headless(*args, "--out", tmp_path / "out", cwd=tmp_path)
    assert done.returncode == 2 and message in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("choice", "said"), [("cpu", "CPU"), ("auto", "CPU"), ("gpu", "GPU asked")]
)
def test_device_falls_back_to_the_cpu_with_a_note(choice, said):
    import paddle

    from viewer.core.run.device import gpu_available

    if gpu_available():
        pytest.skip("this machine has a CUDA GPU: the fallback cannot be observed")
    assert said in use_device(choice)
    assert paddle.get_device() == "cpu"
