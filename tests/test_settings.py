"""The settings schema is the one definition of every option: its consumers must agree."""

import re

import pytest

from viewer.cli import build_parser
from viewer.core.errors import InputError
from viewer.core.settings import COMMAND_LINE_OPTIONS, RUN_OPTIONS, Settings, option


@pytest.mark.parametrize("entry", [*RUN_OPTIONS, *COMMAND_LINE_OPTIONS], ids=lambda o: o.name)
def test_every_default_is_allowed_and_survives_its_own_text(entry):
    assert entry.check(entry.default) == entry.default
    text = "" if entry.default is None else str(entry.default)
    assert entry.parse(text) == entry.default


@pytest.mark.parametrize(
    ("name", "text", "value"),
    [
        ("scale", "3", 3),
        ("steps", "0", 0),
        ("steps", "100000", 100_000),
        ("seed", "2147483647", 2**31 - 1),
        ("grid_noise", "0", 0.0),
        ("grid_noise", "1", 1.0),
        ("lr", "1e-6", 1e-6),
        ("degrade", " area ", "area"),
        ("train_on", "", None),
    ],
)
def test_values_at_the_bounds_are_accepted(name, text, value):
    assert option(name).parse(text) == value


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("scale", "5"),
        ("scale", "2.0"),
        ("steps", "100001"),
        ("steps", "-1"),
        ("steps", "1e3"),
        ("seed", "-1"),
        ("seed", str(2**31)),
        ("grid_noise", "1.0001"),
        ("grid_noise", "nan"),
        ("lr", "0"),
        ("lr", "-inf"),
        ("degrade", "Area"),
        ("degrade", ""),
        ("chart_size", "7"),
    ],
)
def test_values_outside_are_refused_naming_the_flag(name, text):
    entry = option(name)
    with pytest.raises(InputError) as refused:
        entry.parse(text)
    assert refused.value.what == entry.flag
    assert refused.value.why.startswith(f"must be {entry.describe()}, not ")


def test_settings_check_every_field():
    assert Settings(steps=5).checked() == Settings(steps=5)
    with pytest.raises(InputError, match="--grid-noise"):
        Settings(grid_noise=3.0).checked()
    with pytest.raises(InputError, match="--steps"):
        Settings(steps=True).checked()
    assert set(Settings().as_dict()) == {entry.name for entry in RUN_OPTIONS}


def test_the_command_line_offers_every_option_once():
    usage = build_parser().format_usage()  # argparse itself refuses a flag given twice
    for entry in (*RUN_OPTIONS, *COMMAND_LINE_OPTIONS):
        assert len(re.findall(rf"\[{re.escape(entry.flag)}[ \]]", usage)) == 1, entry.flag


def test_the_panel_offers_exactly_the_schema_ranges(qtbot):
    from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QSpinBox

    from viewer.ui.side_panel import SidePanel

    panel = SidePanel()
    qtbot.addWidget(panel)
    assert panel.settings() == Settings()
    for entry in RUN_OPTIONS:
        field = panel.editors[entry.name].field
        if entry.choices:
            assert isinstance(field, QComboBox)
            assert [field.itemData(i) for i in range(field.count())] == list(entry.choices)
        elif entry.kind in (int, float):
            assert isinstance(field, QSpinBox | QDoubleSpinBox)
            assert (field.minimum(), field.maximum()) == (entry.low, entry.high)
    chosen = Settings(scale=4, steps=7, seed=9, grid_noise=0.25, lr=0.02, degrade="area")
    panel.set_settings(chosen)
    assert panel.settings() == chosen


def test_help_lists_every_option_and_exits_0(capsys):
    from viewer.cli import build_parser

    with pytest.raises(SystemExit) as leaving:
        build_parser().parse_args(["--help"])
    assert leaving.value.code == 0
    printed = capsys.readouterr().out
    assert all(entry.flag in printed for entry in (*RUN_OPTIONS, *COMMAND_LINE_OPTIONS))
