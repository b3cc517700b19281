"""The window model's rules, without Qt or Paddle (milliseconds)."""

from viewer.core.settings import Settings
from viewer.model import WindowModel
from viewer.model.comparison_file import read_comparison, restore_view, to_json, written

SPECS = [(key, key.title(), "") for key in ("original", "lowres", "nearest", "bicubic", "carafe")]


def state() -> WindowModel:
    made = WindowModel()
    made.set_panes(SPECS)
    return made


def test_hidden_panes_leave_the_screen_and_maximise_shows_one():
    s = state()
    s.hide("bicubic", True)
    assert s.visible() == ["original", "lowres", "nearest", "carafe"]
    s.current = "carafe"
    s.toggle_maximised()  # Enter on the pane under the cursor
    assert s.visible() == ["carafe"]
    s.toggle_maximised()
    assert s.visible() == ["original", "lowres", "nearest", "carafe"]
    s.toggle_maximised("bicubic")  # maximising a hidden pane shows it
    assert s.visible() == ["bicubic"] and "bicubic" not in s.layout.hidden
    s.hide("bicubic", True)  # hiding the maximised pane returns to the grid
    assert s.layout.maximised is None and "bicubic" not in s.visible()
    s.show_all()
    assert s.visible() == s.pane_keys()


def test_ordering_keeps_the_references_first():
    s = state()
    s.order(["carafe", "nearest"])
    assert s.pane_keys() == ["original", "lowres", "carafe", "nearest", "bicubic"]


def test_a_new_pane_list_keeps_states_and_hidden_methods_and_forgets_the_maximised():
    s = state()
    s.pane("nearest").status = "done"
    s.hide("carafe", True)
    s.toggle_maximised("bicubic")
    s.set_panes(SPECS[:3])
    assert s.pane("nearest").status == "done"
    assert s.layout.hidden == ("carafe",) and s.layout.maximised is None
    s.set_panes(SPECS)  # carafe back on a later image: still hidden until shown
    assert "carafe" not in s.visible()


def test_unfinished_panes_are_the_waiting_and_running_ones():
    s = state()
    s.pane("nearest").status = "done"
    s.pane("bicubic").status = "running"
    s.pane("carafe").status = "waiting"
    assert s.unfinished() == ["bicubic", "carafe"]


def test_the_state_is_what_a_comparison_file_holds(tmp_path):
    s = state()
    s.display.mode, s.camera.zoom, s.camera.centre = "signed", 2.0, (5.0, 6.0)
    s.hide("lowres", True)
    s.compare.a, s.compare.b, s.compare.active = "nearest", "carafe", True
    s.session.input = "sample:astronaut"
    path = tmp_path / "s.upsample.json"
    path.write_bytes(to_json(written(s, Settings(), ["nearest"], [])))
    read = read_comparison(path)
    assert (read.display, read.camera, read.layout) == (s.display, s.camera, s.layout)
    assert read.compare == s.compare and read.input == "sample:astronaut"


def test_restoring_a_comparison_sets_the_model_and_each_part_emits_whole(tmp_path):
    saved = state()
    saved.display.mode, saved.display.fixed_scale = "abs", 12.0
    saved.camera.centre, saved.camera.zoom = (5.0, 6.0), 8.0
    saved.toggle_maximised("carafe")
    saved.compare.b, saved.compare.mode, saved.compare.active = "carafe", "flicker", True
    path = tmp_path / "s.upsample.json"
    path.write_bytes(to_json(written(saved, Settings(), ["carafe"], [])))
    model = state()
    seen = []
    model.camera.events.connect(lambda info: seen.append((model.camera.centre, model.camera.zoom)))
    restore_view(model, read_comparison(path))
    assert (model.display, model.camera, model.layout) == (
        saved.display,
        saved.camera,
        saved.layout,
    )
    assert model.compare == saved.compare and model.visible() == ["carafe"]
    assert seen == [((5.0, 6.0), 8.0)] * 2  # never the new centre at the old zoom
