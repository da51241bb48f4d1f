"""SVG snapshots of every screen at 120×40, reached by keys as a person would reach them.

The app runs on a private copy of the seeded demo database with the clock fixed at TEST_NOW, so
every screen is the same on every run. Each case signs in through the demo picker, drives the
app by keys, waits for the database workers (and the report) to finish, then turns off cursor
blinking so the picture does not depend on when it is taken.

Update the baselines after a deliberate change of a screen, and LOOK at them before accepting:

    uv run pytest tests/tui/test_snapshots.py --snapshot-update
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

import pytest
from pytest_textual_snapshot import SVGImageExtension
from textual.widgets import Input, TextArea

from tests.tui.conftest import settle, sign_in, until_still

# pytest-textual-snapshot 1.0 names its extension with ``_file_extension``, which syrupy 7 no
# longer reads (it reads ``file_extension``), so the baselines would be saved as ``.raw``. They
# are SVG pictures: name them so, and they open in a browser or an image viewer.
SVGImageExtension.file_extension = "svg"

SIZE = (120, 40)

Driver = Callable[[object], Awaitable[None]]


# --- the same picture on every run ------------------------------------------------------------


@pytest.fixture(autouse=True)
def deterministic(runtime, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Take away the two things that differ between runs without any change to the app:

    - report pseudonyms are a keyed hash under a secret each database makes at random on first
      use: give this copy a fixed one;
    - plotext drops duplicate points and ticks through ``list(set(...))``, whose order follows
      the interpreter's hash seed and decides which of two overlapping tick labels is drawn:
      drop them in order instead (plotext's own alternative, left commented out beside it).
    """
    import plotext._utility
    from sqlalchemy import text

    with runtime.engine.begin() as connection:
        connection.execute(
            text("INSERT INTO pseudonym_keys (id, secret) VALUES (1, :secret)"),
            {"secret": "snapshot-tests-fixed-secret"},
        )
    monkeypatch.setattr(plotext._utility, "no_duplicates", lambda data: list(dict.fromkeys(data)))


# --- driving the app ------------------------------------------------------------------------------


async def wait_until(pilot, ready: Callable[[], bool], what: str, timeout: float = 60) -> None:  # type: ignore[no-untyped-def]
    """Wait until ``ready()`` holds, letting the app's workers finish between looks. The
    deadline (monotonic) is only a backstop for a loaded machine, never a window to fit in: a
    count of pauses ran out before a busy machine had opened the screen."""
    deadline = time.monotonic() + timeout
    while True:
        await settle(pilot, 1)
        if ready():
            await settle(pilot)
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        await pilot.pause(0.02)


def screen_is(pilot, name: str) -> bool:  # type: ignore[no-untyped-def]
    return type(pilot.app.screen).__name__ == name


async def still_cursors(pilot) -> None:  # type: ignore[no-untyped-def]
    """No blinking: the cursor shows steadily, whenever the screenshot is taken."""
    for screen in pilot.app.screen_stack:
        for widget in screen.query(Input):
            widget.cursor_blink = False
        for widget in screen.query(TextArea):
            widget.cursor_blink = False
            # TextArea (Textual 8.2) keys its cached lines on the cursor only while blinking,
            # so a line cached in a blink's "off" half is reused without the cursor once
            # blinking stops: drop the cache so the steady cursor is drawn on every run.
            widget._line_cache.clear()
            widget.refresh()
    await pilot.pause()


async def open_family(pilot, reference: str, tab_key: str | None = None) -> None:  # type: ignore[no-untyped-def]
    """From the caseload: / searches, enter goes to the list, enter opens; a digit picks a tab."""
    await pilot.press("slash", *reference, "enter", "enter")
    await wait_until(pilot, lambda: screen_is(pilot, "FamilyScreen"), "the family screen")
    await settle(pilot)
    if tab_key is not None:
        await pilot.press(tab_key)
        await settle(pilot)


def as_user(username: str, *steps: Driver) -> Driver:
    async def drive(pilot) -> None:  # type: ignore[no-untyped-def]
        await sign_in(pilot, username)
        await settle(pilot)
        for step in steps:
            await step(pilot)
        await settle(pilot)
        await still_cursors(pilot)
        await until_still(pilot)

    return drive


def keys(*names: str, expect: str | None = None) -> Driver:
    async def step(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.press(*names)
        await settle(pilot)
        if expect is not None:
            await wait_until(pilot, lambda: screen_is(pilot, expect), expect)

    return step


def family(reference: str, tab_key: str | None = None) -> Driver:
    async def step(pilot) -> None:  # type: ignore[no-untyped-def]
        await open_family(pilot, reference, tab_key)

    return step


def select_row(table_id: str, text: str) -> Driver:
    """Move the cursor of a table down to the first row showing ``text``, with the arrow keys."""

    async def step(pilot) -> None:  # type: ignore[no-untyped-def]
        from textual.widgets import DataTable

        table = pilot.app.screen.query_one(f"#{table_id}", DataTable)
        rows = [" ".join(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]
        target = next(i for i, row in enumerate(rows) if text.lower() in row.lower())
        table.focus()
        await pilot.press(*(["down"] * (target - table.cursor_row)))
        await settle(pilot)

    return step


def report_ready(pilot) -> bool:  # type: ignore[no-untyped-def]
    screen = pilot.app.screen
    return (
        screen_is(pilot, "BurdenReportScreen")
        and screen.report is not None  # type: ignore[attr-defined]
        and not screen.running  # type: ignore[attr-defined]
    )


async def wait_for_report(pilot) -> None:  # type: ignore[no-untyped-def]
    await wait_until(pilot, lambda: report_ready(pilot), "the burden report")


async def at_sign_in(pilot) -> None:  # type: ignore[no-untyped-def]
    await wait_until(pilot, lambda: bool(pilot.app.screen.query("#demo-users")), "the picker")
    await still_cursors(pilot)


# --- the cases --------------------------------------------------------------------------------

PRACTITIONER = "amara.osei"
MANAGER = "fiona.macleod"
LEAD = "rosalind.ferreira"
PROJECT = "ellis.thornbury"
ADMIN = "maureen.pike"

CASES: dict[str, Driver] = {
    # sign-in and the practitioner's caseload
    "sign_in_picker": at_sign_in,
    "caseload": as_user(PRACTITIONER),
    "caseload_search": as_user(PRACTITIONER, keys("slash", *"Hugh")),
    "help_on_caseload": as_user(PRACTITIONER, keys("f1", expect="HelpScreen")),
    # a family's workspace, one tab each (FAM-0101 has a plan, mappings, summaries, contacts
    # and an observation with feedback)
    "family_overview": as_user(PRACTITIONER, family("FAM-0101")),
    "family_plan": as_user(PRACTITIONER, family("FAM-0101", "2")),
    "family_mapping": as_user(PRACTITIONER, family("FAM-0101", "3")),
    "family_summaries": as_user(PRACTITIONER, family("FAM-0101", "4")),
    "family_contacts": as_user(PRACTITIONER, family("FAM-0101", "5")),
    "family_observations": as_user(PRACTITIONER, family("FAM-0101", "6")),
    "help_on_family": as_user(PRACTITIONER, family("FAM-0101", "5"), keys("f1")),
    # the editors
    "contact_form": as_user(PRACTITIONER, family("FAM-0101", "5"), keys("n", expect="ContactForm")),
    "contact_form_error": as_user(
        PRACTITIONER,
        family("FAM-0101", "5"),
        keys("n", expect="ContactForm"),
        keys("ctrl+s"),
    ),
    "plan_editor": as_user(PRACTITIONER, family("FAM-0101", "2"), keys("e", expect="PlanEditor")),
    "mapping_editor": as_user(
        PRACTITIONER, family("FAM-0101", "3"), keys("e", expect="MappingEditor")
    ),
    "summary_editor": as_user(
        PRACTITIONER,
        family("FAM-0105", "4"),
        select_row("summaries-table", "draft"),
        keys("e", expect="SummaryEditor"),
    ),
    # the team manager
    "manager_review_queue": as_user(MANAGER),
    "manager_dashboard": as_user(MANAGER, keys("2")),
    "manager_team_caseload": as_user(MANAGER, keys("3")),
    "manager_review": as_user(MANAGER, keys("enter", expect="ReviewScreen")),
    "manager_burden_report": as_user(
        MANAGER, keys("b", expect="BurdenReportScreen"), wait_for_report
    ),
    # the practice lead
    "lead_home": as_user(LEAD),
    "lead_feedback_editor": as_user(
        LEAD, select_row("queue-table", "FAM-0104"), keys("enter", expect="FeedbackEditor")
    ),
    # project staff: the burden report, each tab
    "report_summary": as_user(PROJECT, wait_for_report),
    "report_weekly": as_user(PROJECT, wait_for_report, keys("2")),
    "report_per_practitioner": as_user(PROJECT, wait_for_report, keys("3")),
    "report_compare": as_user(PROJECT, wait_for_report, keys("4")),
    # the administrator
    "admin_home": as_user(ADMIN),
}


@pytest.mark.parametrize("case", list(CASES))
def test_screen(case: str, tandem_app, snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(tandem_app(), terminal_size=SIZE, run_before=CASES[case])
