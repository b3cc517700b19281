"""Comparison files: saved, read back exactly, and refused with one reason when bad."""

import json

import pytest

from viewer.core.errors import InputError
from viewer.core.settings import Settings
from viewer.model import Camera, Compare, Display, Layout
from viewer.model.comparison_file import Comparison, read_comparison, to_json


def example() -> Comparison:
    return Comparison(
        "/data/photo.png",
        Settings(scale=3, steps=7),
        ["nearest", "bicubic"],
        [{"name": "Mine", "path": "/data/mine.png"}],
        Display("abs", "red", "per_pane", 12.0),
        Camera((10.5, 20.0), 4.0),
        Layout(3, ("lowres",), None),
        Compare(True, "original", "bicubic", "flicker"),
    )


def test_a_comparison_reads_back_exactly(tmp_path):
    path = tmp_path / "a.upsample.json"
    path.write_bytes(to_json(example()))
    assert read_comparison(path) == example()
    document = json.loads(path.read_text())
    assert document["format"] == "upsample-viewer-comparison" and document["version"] == 1


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda d: d.update(format="other"), "not a comparison file"),
        (lambda d: d.update(version=9), "version 9 is not 1"),
        (lambda d: d["settings"].update(scale=5), "--scale: must be one of 2, 3, 4"),
        (lambda d: d["view"].update(mode="sepia"), "view.mode: 'sepia' is not allowed"),
        (lambda d: d["view"].update(zoom=-1), "view.zoom"),
        (lambda d: d["compare"].update(mode="blink"), "compare.mode"),
        (lambda d: d.pop("methods"), "missing or of the wrong type"),
        (lambda d: d["view"].update(unknown=1), "missing or of the wrong type"),
    ],
)
def test_a_bad_comparison_is_one_reason(tmp_path, change, reason):
    document = json.loads(to_json(example()))
    change(document)
    path = tmp_path / "bad.upsample.json"
    path.write_text(json.dumps(document))
    with pytest.raises(InputError) as refused:
        read_comparison(path)
    assert refused.value.what == str(path) and reason in refused.value.why


def test_not_json_is_refused(tmp_path):
    path = tmp_path / "x.upsample.json"
    path.write_bytes(b"\x89PNG not json")
    with pytest.raises(InputError, match="not JSON"):
        read_comparison(path)


def raw_document(**changes) -> str:
    document = json.loads(to_json(example()))
    document.update(changes)
    return json.dumps(document)


def with_view(**view) -> str:
    document = json.loads(to_json(example()))
    document["view"].update(view)
    return json.dumps(document)


# The hostile corpus of issue 21 (cause 4): each was a traceback, an endless recursion, an
# 81-megapixel chart or a silent drop. Each is now one reason, naming what is wrong.
HOSTILE = {
    "deep JSON": (
        '{"format": "upsample-viewer-comparison", "version": 1, "x": '
        + "[" * 100_000
        + "]" * 100_000
        + "}",
        "nested too deeply",
    ),
    "settings a list": (raw_document(settings=[]), "settings: []"),
    "settings text": (raw_document(settings="scale=2"), "settings: 'scale=2'"),
    "settings null": (raw_document(settings=None), "settings: None"),
    "settings a number": (raw_document(settings=3), "settings: 3"),
    "view a list": (raw_document(view=[]), "view: []"),
    "compare a list": (raw_document(compare=[1]), "compare: [1]"),
    "added text": (raw_document(added="mine.png"), "added: 'mine.png'"),
    "upsamplers a number": (raw_document(upsamplers=1), "upsamplers: 1"),
    "input a number": (raw_document(input=5), "input: 5"),
    "hidden a number": (with_view(hidden=3), "view.hidden: 3"),
    "chart without a size": (raw_document(input="chart:star"), "not chart:NAME:SIZE"),
    "unknown chart": (raw_document(input="chart:nope:64"), "not chart:NAME:SIZE"),
    "chart size text": (raw_document(input="chart:star:abc"), "from 8 to 8192, not abc"),
    "chart size negative": (raw_document(input="chart:star:-5"), "from 8 to 8192, not -5"),
    "chart of 81 MP": (raw_document(input="chart:star:9000"), "from 8 to 8192, not 9000"),
    "zoom 1e-308": (with_view(zoom=1e-308), "view.zoom: 1e-308"),
    "centre 1e308": (with_view(centre=[1e308, 0]), "view.centre"),
    "centre text": (with_view(centre="ab"), "view.centre: 'ab'"),
    "zoom NaN": (with_view(zoom=1).replace('"zoom": 1', '"zoom": NaN'), "NaN is not a number"),
    "centre infinite": (with_view(centre=[1.125, 2]).replace("1.125", "Infinity"), "Infinity is"),
    "methods text": (raw_document(methods="nearest"), "methods: 'nearest'"),
    "methods numbers": (raw_document(methods=[3]), "methods: [3]"),
    "unknown method": (raw_document(methods=["nearest", "nope"]), "unknown method nope"),
    "guided method on a photo": (raw_document(methods=["jbu"]), "jbu: needs a full-resolution"),
    "fixed scale true": (with_view(fixed_scale=True), "view.fixed_scale: True"),
    "compare active text": (
        raw_document(compare={"active": "yes", "a": None, "b": None, "mode": "swipe"}),
        "compare.active",
    ),
}


@pytest.mark.parametrize("case", HOSTILE)
def test_a_hostile_comparison_is_one_reason(tmp_path, case):
    text, reason = HOSTILE[case]
    path = tmp_path / "hostile.upsample.json"
    path.write_text(text)
    with pytest.raises(InputError) as refused:
        read_comparison(path)
    assert refused.value.what == str(path) and reason in refused.value.why, refused.value.why


def test_a_comparison_naming_itself_is_refused(tmp_path):
    """It opened itself again and again (endless recursion)."""
    path = tmp_path / "self.upsample.json"
    path.write_text(raw_document(input=str(path)))
    with pytest.raises(InputError, match="a comparison file is not an image to compare"):
        read_comparison(path)


def test_a_chart_obeys_the_pixel_limit(tmp_path):
    path = tmp_path / "chart.upsample.json"
    path.write_text(raw_document(input="chart:star:4096"))
    assert read_comparison(path).input == "chart:star:4096"
    with pytest.raises(InputError, match="over the limit"):
        read_comparison(path, max_pixels=1_000_000)


def test_a_saved_photo_names_only_methods_that_can_run(tmp_path):
    """Guided methods ticked on a photo did not run: the file leaves them out, so it opens."""
    from viewer.model import WindowModel
    from viewer.model.comparison_file import written

    model = WindowModel()
    model.session.input = "sample:astronaut"
    saved = written(model, Settings(), ["nearest", "jbu", "sapa"], [])
    path = tmp_path / "photo.upsample.json"
    path.write_bytes(to_json(saved))
    assert read_comparison(path).methods == ["nearest"]


@pytest.mark.parametrize("case", ["deep JSON", "chart of 81 MP", "centre infinite", "self"])
def test_the_window_says_it_once_and_a_screenshot_ends(tmp_path, case):
    """The window printed a traceback, showed no message and never exited with --screenshot
    (the recursion opened itself forever)."""
    import os

    from tests.main_py import run_main

    path = tmp_path / "hostile.upsample.json"
    path.write_text(raw_document(input=str(path)) if case == "self" else HOSTILE[case][0])
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path)}
    done = run_main(path, "--screenshot", tmp_path / "shot.png", env=env, timeout=120)
    errors = [line for line in done.stderr.splitlines() if line.startswith("error")]
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 2 and len(errors) == 1, done.stderr
    assert errors[0].startswith(f"error: {path}: ")
