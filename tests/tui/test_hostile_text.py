"""User text is data: 500+ hostile strings through every kind of widget that shows user text.

For each string and widget we read back what the widget renders (its strips, as the compositor
sends them to the terminal) and assert: no crash, the text shown is exactly the sanitised text
(no markup interpreted, nothing silently dropped), no control byte in any segment, and no
click action or hyperlink coming from the data. Then whole screens are rendered on families and
contacts whose stored text is hostile.
"""

from __future__ import annotations

import random
import re
from datetime import date, time

from rich.table import Table
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.widgets import DataTable, Label, OptionList, Static
from textual.widgets.option_list import Option

from tui.text import cell, safe, sanitise

SEEDS = [
    "[/]",
    "[/bold]",
    "[b]bold[/b]",
    "[i]x",
    "[@click=app.quit]click me[/]",
    "[link=https://evil.example]x[/link]",
    "[type=x, v={'a[0]'}]",
    "\\",
    "a\\[b",
    "[redacted]",
    "[crying]",
    "[name removed]",
    "[sic]",
    "[0]",
    "[1, 2, 3]",
    "Smith [/] Jones",
    "\x1b[2J",
    "\x1b]52;c;ZXZpbA==\x07",
    "\x1b[6n",
    "\x9b31m",
    "\x00NUL",
    "tab\there",
    "new\nline",
    "cr\rreturn",
    "\u202eevil",
    "\u2066isolate\u2069",
    "\x7fdel",
    "\x85nel",
    "👨‍👩‍👧 family",
    "x" * 300,
    "[" * 50,
    "]" * 50,
    "[[/]]",
    "$name",
    "${x}",
    "%s %d",
    "{0}",
    "<script>alert(1)</script>",
    "&amp;",
    "\u200bzero width",
    "[@click=screen.dismiss]",
    "[on red]bg[/]",
    ":smile:",
    "[dim]dim",
]
FRAGMENTS = SEEDS + [
    "[",
    "]",
    "/",
    "@",
    "=",
    "click",
    "link",
    "\x1b",
    "\x07",
    "\x9c",
    "\u202e",
    " ",
    "é",
    "ß",
    "中",
]
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def corpus(n: int = 520) -> list[str]:
    rng = random.Random(20261122)
    out = list(SEEDS)
    while len(out) < n:
        out.append("".join(rng.choice(FRAGMENTS) for _ in range(rng.randint(1, 6))))
    return out


class Harness(App[None]):
    CSS = "Static, Label { width: 400; height: auto; } DataTable, OptionList { height: 4; width: 400; }"

    def compose(self) -> ComposeResult:
        yield Static(id="static")
        yield Label(id="label")
        yield Static(id="table-in-static")
        yield DataTable(id="datatable")
        yield OptionList(id="options")


def rendered(widget) -> tuple[str, list]:  # type: ignore[no-untyped-def]
    strips = widget.render_lines(Region(0, 0, widget.region.width, widget.region.height))
    segments = [seg for strip in strips for seg in strip]
    return "".join(seg.text for seg in segments), segments


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def check(widget, expected: str) -> None:  # type: ignore[no-untyped-def]
    text, segments = rendered(widget)
    for seg in segments:
        assert not CONTROL.search(seg.text), (widget.id, repr(seg.text))
        style = seg.style
        if style is not None:
            assert not style.link, (widget.id, expected)
            assert not (style.meta or {}).get("@click"), (widget.id, expected)
    # Exactly the sanitised text is shown (whitespace aside): nothing interpreted or dropped.
    assert squash(expected)[:200] in squash(text), (widget.id, expected, text)


async def test_500_hostile_strings_in_every_widget_kind() -> None:
    strings = corpus()
    assert len(strings) >= 500
    app = Harness()
    async with app.run_test(size=(420, 30)) as pilot:
        static = app.query_one("#static", Static)
        label = app.query_one("#label", Label)
        tstatic = app.query_one("#table-in-static", Static)
        datatable = app.query_one("#datatable", DataTable)
        datatable.add_columns("Name", "Note")
        options = app.query_one("#options", OptionList)
        for value in strings:
            shown = sanitise(value)
            one_line = sanitise(value, single_line=True)
            static.update(safe(value))
            label.update(safe(value))
            table = Table(show_header=False, expand=False)
            table.add_column(no_wrap=True)
            table.add_row(cell(value))
            tstatic.update(table)
            datatable.clear()
            datatable.add_row(cell(value), cell(value))
            options.clear_options()
            options.add_option(Option(cell(value)))
            app.notify(shown, markup=False)
            await pilot.pause()
            check(static, shown)
            check(label, shown)
            check(tstatic, one_line)
            check(datatable, one_line)
            check(options, one_line)
            app.clear_notifications()


def test_sanitise_makes_every_control_visible() -> None:
    for value in corpus():
        out = sanitise(value)
        assert not CONTROL.search(out)
        assert not CONTROL.search(sanitise(value, single_line=True).replace("\t", ""))
    assert sanitise("a\x1b[2Jb") == "a\u241b[2Jb"
    assert sanitise("\u202e") == "⟨RLO⟩"
    assert sanitise("\x9b") == "⟨U+009B⟩"


async def test_real_screens_show_hostile_stored_text_literally(tandem_app, runtime) -> None:  # type: ignore[no-untyped-def]
    """A family, members and contacts whose text is hostile, through caseload, overview and contacts."""
    from dataclasses import replace

    from domain.services.contacts import log_contact
    from domain.timeuse import ContactKind
    from tests.tui.conftest import screen_text, sign_in

    name = "[b]Smith[/b] [@click=app.quit]x[/] \x1b[2J family"
    note = "[link=https://evil.example]visit[/link] \x1b]52;c;ZXZpbA==\x07 \u202eok"
    with runtime.uow_factory() as uow:
        amara = uow.users.by_username("amara.osei")
        family = uow.families.list(practitioner_id=amara.id)[0]
        family = replace(family, name=name)
        family.members[0].name = "[/] Kid \x9b31m"
        uow.families.update(family)
        uow.commit()
    ctx = runtime.context(amara)
    log_contact(ctx, family.id, date(2026, 11, 19), time(9, 0), 30, ContactKind.PHONE, note)

    app = tandem_app()
    async with app.run_test(size=(200, 50)) as pilot:
        await sign_in(pilot, "amara.osei")
        text = screen_text(app)
        assert sanitise(name, single_line=True) in text
        table = app.screen.query_one("#caseload-table", DataTable)
        refs = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        table.move_cursor(row=refs.index(family.reference))
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = screen_text(app)
        assert sanitise(name, single_line=True) in text
        assert "Kid" in text and not CONTROL.search(text)
        await pilot.press("5")
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = screen_text(app)
        assert sanitise(note, single_line=True) in text
        assert not CONTROL.search(text)
        assert app.is_running  # the [@click=app.quit] in the name did nothing
