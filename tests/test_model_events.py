"""The window model's events: one per change, none without one, nested parts relayed."""

import subprocess
import sys
from types import SimpleNamespace

from viewer.model import WindowModel

SPECS = [(key, key.title(), "") for key in ("original", "lowres", "nearest", "bicubic")]


def recorded(signal) -> list:
    calls: list = []
    signal.connect(lambda *args: calls.append(args))
    return calls


def test_a_field_emits_once_per_change_with_the_old_value():
    model = WindowModel()
    modes = recorded(model.display.events.mode)
    model.display.mode = "abs"
    model.display.mode = "abs"  # no change: no event
    model.display.mode = "signed"
    assert modes == [("abs", "image"), ("signed", "abs")]


def test_nested_changes_reach_the_whole_model_with_their_path():
    model = WindowModel()
    infos = recorded(model.events)
    model.compare.b = "bicubic"
    assert len(infos) == 1
    info = infos[0][0]
    assert [str(part) for part in info.path] == [".compare", ".b"] and info.args[0] == "bicubic"


def test_hiding_and_maximising_emit_the_layout_they_leave():
    model = WindowModel()
    model.set_panes(SPECS)
    events = model.layout.events
    hidden, maximised = recorded(events.hidden), recorded(events.maximised)
    model.toggle_maximised("nearest")
    model.hide("nearest", True)  # the maximised pane hidden: back to the grid
    assert maximised == [("nearest", None), (None, "nearest")]
    assert hidden == [(("nearest",), ())] and model.visible() == ["original", "lowres", "bicubic"]
    model.hide("nearest", True)  # already hidden: nothing changes
    assert len(hidden) == 1


def test_a_new_pane_list_emits_once_and_keeps_pane_states():
    model = WindowModel()
    model.set_panes(SPECS)
    nearest = model.pane("nearest")
    panes = recorded(model.events.panes)
    model.set_panes(SPECS)  # the same panes: no event
    model.set_panes(SPECS[:3])
    assert len(panes) == 1 and model.pane("nearest") is nearest


def test_a_pane_update_emits_only_what_changed():
    model = WindowModel()
    model.set_panes(SPECS)
    changes = recorded(model.pane("nearest").events)
    model.update_pane("nearest", status="running", step=3, message="")
    assert sorted(str(info[0].signal.name) for info in changes) == ["status", "step"]


def test_the_model_imports_no_qt():
    code = (
        "import sys, viewer.model.comparison_file; print(any('PySide6' in m for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_new_report_is_an_event_without_comparing_its_arrays():
    compared = []

    class Report(SimpleNamespace):
        def __eq__(self, other):  # a run's results: comparing them compares whole images
            compared.append(other)
            return False

    model = WindowModel()
    reports = recorded(model.session.events.report)
    report = Report()
    model.session.report = report
    model.session.report = report  # the same report: no event
    model.session.report = Report()
    assert len(reports) == 2 and compared == []
