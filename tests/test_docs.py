"""The docs cannot rot silently: every link and every path they name exists, and what they
list (options, methods, metric columns, charts) is what the code has."""

from __future__ import annotations

import ast
import importlib.util
import re
from pathlib import Path

import pytest

from viewer.controllers.actions import shortcut_rows
from viewer.core.inputs.charts import chart_names
from viewer.core.methods import method_ids
from viewer.core.presentation.columns import ROW_KEYS
from viewer.core.settings import COMMAND_LINE_OPTIONS, RUN_OPTIONS

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)\s]+)\)")
NAMED_PATH = re.compile(r"(?<![\w/.-])(?:viewer|benchmarks|tests|docs|resources)/[\w./-]*")
SCHEMA = (*RUN_OPTIONS, *COMMAND_LINE_OPTIONS)


def load_sections():
    spec = importlib.util.spec_from_file_location("docs_sections", ROOT / "docs" / "sections.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


sections = load_sections()


def anchor(heading: str) -> str:
    """The anchor GitHub gives a heading."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def anchors(page: Path) -> set[str]:
    text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.S)
    return {anchor(line.lstrip("#")) for line in text.splitlines() if line.startswith("#")}


def page_ids(page: Path) -> str:
    return page.relative_to(ROOT).as_posix()


def test_there_are_pages_to_check():
    names = {page_ids(page) for page in PAGES}
    assert {"README.md", "docs/limits.md", "docs/metrics.md", "docs/architecture.md"} <= names


@pytest.mark.parametrize("page", PAGES, ids=page_ids)
def test_every_relative_link_points_to_what_exists(page):
    broken = []
    for target in LINK.findall(page.read_text(encoding="utf-8")):
        if re.match(r"[a-z]+:", target):
            continue
        path, _, fragment = target.partition("#")
        linked = (page.parent / path).resolve() if path else page
        if not linked.exists() or (
            fragment and linked.suffix == ".md" and fragment not in anchors(linked)
        ):
            broken.append(target)
    assert not broken, f"{page_ids(page)} links to what does not exist: {broken}"


@pytest.mark.parametrize("page", PAGES, ids=page_ids)
def test_every_path_named_exists(page):
    missing = []
    for named in NAMED_PATH.findall(page.read_text(encoding="utf-8")):
        named = named.rstrip(".")
        path = ROOT / named
        found = path.is_dir() if named.endswith("/") else path.exists()
        if not found and "." not in Path(named).name:
            found = path.with_suffix(".py").exists()
        if not found:
            missing.append(named)
    assert not missing, f"{page_ids(page)} names paths that do not exist: {missing}"


def table_rows(text: str) -> dict[str, list[str]]:
    """A Markdown table's rows by their first cell (a `--flag`), cells stripped."""
    rows = {}
    for line in text.splitlines():
        cells = [cell.strip() for cell in re.split(r"(?<!\\)\|", line)[1:-1]]
        if cells and cells[0].startswith("`--"):
            rows[cells[0].strip("`")] = cells
    return rows


@pytest.mark.parametrize(
    ("page", "name"), list(sections.GENERATED), ids=lambda key: getattr(key, "name", key)
)
def test_every_generated_section_is_what_its_source_makes(page, name):
    written = sections.section(page, name)
    assert written == sections.GENERATED[page, name](), (
        f"{page_ids(page)}'s {name} table differs from what it describes: "
        "run `make docs` (python docs/sections.py)"
    )


def test_the_shortcuts_table_lists_every_key_of_the_actions():
    """Read back: every key of the window's actions table, with what it does."""
    written = sections.section(sections.WINDOW_PAGE, "shortcuts")
    for keys, what, _ in shortcut_rows():
        assert any(
            f"`{keys.split(', ')[0]}`" in line and what.replace("|", "\\|") in line
            for line in written.splitlines()
        ), (keys, what)


def test_the_options_table_lists_every_option_with_its_values_and_default():
    """Read back independently of how the table is made: every option, its choices or its
    range, and its default."""
    rows = table_rows(sections.section(sections.LIMITS_PAGE, "options"))
    assert set(rows) == {entry.flag for entry in SCHEMA}
    for entry in SCHEMA:
        _, allowed, default, panel, what = rows[entry.flag]
        assert panel == (entry.label if entry in RUN_OPTIONS else "—")
        if entry.choices:
            assert re.findall(r"`([^`]+)`", allowed) == [str(c) for c in entry.choices]
        elif entry.kind in (int, float):
            low, high = allowed.split(", ", 1)[1].replace(" ", "").split("–")
            assert (float(low), float(high)) == (entry.low, entry.high)
        if entry.default is None:
            assert default == "unset"
        else:
            assert entry.parse(default.strip("`").replace(" ", "")) == entry.default
        assert what == entry.help


def test_the_options_table_tracks_a_changed_schema(monkeypatch):
    """The generated table follows the schema: a new value shows up in it."""
    scale = sections.RUN_OPTIONS[0]
    changed = type(scale)(**{**scale.__dict__, "choices": (*scale.choices, 32)})
    monkeypatch.setattr(sections, "RUN_OPTIONS", (changed, *sections.RUN_OPTIONS[1:]))
    assert "`16`, `32`" in sections.options_table()
    assert sections.options_table() != sections.section(sections.LIMITS_PAGE, "options")


def test_replace_rewrites_only_the_section(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("before\n<!-- t:start -->\nold\n<!-- t:end -->\nafter\n", encoding="utf-8")
    sections.replace(page, "t", "new | table")
    assert page.read_text(encoding="utf-8") == (
        "before\n<!-- t:start -->\nnew | table\n<!-- t:end -->\nafter\n"
    )
    assert sections.section(page, "t") == "new | table"
    with pytest.raises(SystemExit):
        sections.replace(page, "missing", "x")


def test_make_bench_has_a_table_to_write():
    assert "| figure | measured | target | met |" in sections.section(
        ROOT / "docs" / "benchmarks.md", "bench"
    )


def test_the_command_line_usage_names_every_option():
    usage = (ROOT / "docs" / "command-line.md").read_text(encoding="utf-8").split("```")[1]
    assert [e.flag for e in SCHEMA if e.flag not in usage] == []


def test_every_method_is_documented():
    text = (ROOT / "docs" / "methods.md").read_text(encoding="utf-8")
    assert [m for m in method_ids() if f"`{m}`" not in text] == []


def test_every_metric_column_is_documented():
    text = (ROOT / "docs" / "metrics.md").read_text(encoding="utf-8")
    assert [c for c in ROW_KEYS if c != "method" and f"`{c}`" not in text] == []


def test_every_chart_is_documented():
    charts = (ROOT / "docs" / "charts.md").read_text(encoding="utf-8")
    assert [name for name in chart_names() if f"| `{name}` |" not in charts] == []
    limits = (ROOT / "docs" / "limits.md").read_text(encoding="utf-8")
    row = next(line for line in limits.splitlines() if line.startswith("| `--chart NAME`"))
    assert re.findall(r"`(\w+)`", row.split("|")[2]) == chart_names()


def module_name(path: str) -> str:
    """`viewer/core/` or `viewer/cli.py` as a module name."""
    return path.rstrip("/").removesuffix(".py").replace("/", ".")


def imports_of(package: str) -> set[str]:
    """The viewer modules that the modules of `package` import, by absolute name."""
    path = ROOT / package
    files = sorted(path.rglob("*.py")) if path.is_dir() else [path]
    found = set()
    for file in files:
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
    return {name for name in found if name.split(".")[0] == "viewer"}


def test_the_layers_import_what_the_architecture_page_says():
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    table = text.split("Who may import whom", 1)[1].split("\n\n", 2)[1]
    allowed = {}
    for line in table.splitlines()[2:]:
        package, imports = (cell.strip() for cell in line.split("|")[1:3])
        path = re.search(r"`([^`]+)`", package).group(1)
        allowed[path] = [module_name(p) for p in re.findall(r"`(viewer/[\w/.]*)`", imports)]
    assert {"viewer/core/", "viewer/model/", "viewer/controllers/", "viewer/ui/"} <= set(allowed)
    for path, may in allowed.items():
        own = module_name(path)
        beyond = sorted(
            name
            for name in imports_of(path)
            if not any(name == m or name.startswith(m + ".") for m in [own, *may])
        )
        assert beyond == [], f"{path} imports {beyond}: docs/architecture.md says it may not"


def test_the_architecture_page_names_every_module():
    """A new module is placed in the module table (the methods have their own page)."""
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    unnamed = [
        path.relative_to(ROOT).as_posix()
        for path in sorted((ROOT / "viewer").rglob("*.py"))
        if path.name != "__init__.py"
        and "methods" not in path.parts
        and f"`{path.stem}`" not in text
        and f"`{path.relative_to(ROOT).as_posix()}`" not in text
    ]
    assert unnamed == [], f"docs/architecture.md does not place {unnamed}"
