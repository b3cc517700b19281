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
