"""The generated sections of the docs, so that they cannot drift from what they describe.

A generated section sits between `<!-- NAME:start -->` and `<!-- NAME:end -->` in a page and
is rewritten whole. `python docs/sections.py` (or `make docs`) regenerates every section of
`GENERATED`: the options table of docs/limits.md from the settings schema, the keyboard
shortcuts of docs/window.md from the window's actions table. `make bench` writes its speed
table into docs/benchmarks.md through `replace`. tests/test_docs.py fails when a page and what
it describes disagree.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from viewer.controllers.actions import shortcut_rows  # noqa: E402
from viewer.core.settings import COMMAND_LINE_OPTIONS, RUN_OPTIONS, Option  # noqa: E402

LIMITS_PAGE = ROOT / "docs" / "limits.md"
WINDOW_PAGE = ROOT / "docs" / "window.md"


def markers(name: str) -> tuple[str, str]:
    return f"<!-- {name}:start -->", f"<!-- {name}:end -->"


def section(page: Path, name: str) -> str:
    """The text of a page's generated section `name` (without its markers)."""
    start, end = markers(name)
    text = page.read_text(encoding="utf-8")
    if start not in text or end not in text:
        raise SystemExit(f"{page}: no {start} ... {end} section")
    return text.split(start, 1)[1].split(end, 1)[0].strip("\n")


def replace(page: Path, name: str, body: str) -> None:
    """Rewrite a page's generated section `name` with `body`; the page is written whole or
    not at all."""
    section(page, name)
    start, end = markers(name)
    before, rest = page.read_text(encoding="utf-8").split(start, 1)
    after = rest.split(end, 1)[1]
    temporary = page.with_suffix(".md.tmp")
    temporary.write_text(f"{before}{start}\n{body}\n{end}{after}", encoding="utf-8")
    temporary.replace(page)


def number(value: float) -> str:
    """A number as the docs write it: from 10 000 on, thousands set apart by a space;
    fractions short."""
    if (isinstance(value, float) and not value.is_integer()) or abs(value) < 1:
        return f"{value:g}"
    if abs(value) < 10_000:
        return str(int(value))
    return f"{int(value):,}".replace(",", " ")


def values(entry: Option) -> str:
    """The values an option allows, as the docs write them."""
    if entry.choices:
        return ", ".join(f"`{choice}`" for choice in entry.choices)
    if entry.kind in (int, float):
        kind = "whole number" if entry.kind is int else "number"
        return f"{kind}, {number(entry.low)}–{number(entry.high)}"
    return entry.describe()


def default(entry: Option) -> str:
    if entry.default is None:
        return "unset"
    if entry.kind in (int, float) and not entry.choices:
        return number(entry.default)
    return f"`{entry.default}`"


def cell(text: str) -> str:
    """Text that a Markdown table cell shows as written."""
    return text.replace("|", "\\|")


def options_table() -> str:
    """Every option of the settings schema: its flag, allowed values, default, its editor in the
    window's settings panel (run options only) and help."""
    rows = [
        "| option | values | default | in the window | what |",
        "|---|---|---|---|---|",
    ]
    for entry in (*RUN_OPTIONS, *COMMAND_LINE_OPTIONS):
        panel = entry.label if entry in RUN_OPTIONS else "—"
        cells = (f"`{entry.flag}`", values(entry), default(entry), panel, cell(entry.help))
        rows.append(f"| {' | '.join(cells)} |")
    return "\n".join(rows)


def shortcuts_table() -> str:
    """Every key of the window, what it does and where it works: Help → Keyboard shortcuts."""
    rows = ["| keys | what | where |", "|---|---|---|"]
    for keys, what, where in shortcut_rows():
        shown = ", ".join(f"`{key}`" for key in keys.split(", "))
        rows.append(f"| {shown} | {cell(what)} | {where} |")
    return "\n".join(rows)


GENERATED: dict[tuple[Path, str], Callable[[], str]] = {
    (LIMITS_PAGE, "options"): options_table,
    (WINDOW_PAGE, "shortcuts"): shortcuts_table,
}


def main() -> None:
    for (page, name), make in GENERATED.items():
        replace(page, name, make())
        print(f"written {name} into {page.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
