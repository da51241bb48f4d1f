"""Withdrawing consent hides the recording's link from every screen at once and marks the
recording for deletion; the feedback text stays.

Every screen that shows a recording's link is opened before the withdrawal (to prove it does show
it, so the test can fail) and again after: the practitioner's Observations tab and feedback view,
the team manager's view of the same, the practice lead's queue, given-feedback list and feedback
view. Nothing in Tandem exports observations (the plan's family copy and the burden report carry
no recording data), so there is no export to check beyond these screens.
"""

from __future__ import annotations

import html
import re
from datetime import date

from textual.widgets import DataTable, Input, OptionList, Static, TextArea

from domain.clock import as_utc
from domain.services.observations import (
    add_observation,
    get_observation,
    reply_to_feedback,
    save_feedback,
)
from tests.tui.conftest import TEST_NOW, screen_text, sign_in
from tests.tui.test_observations import family_id, open_observations, select_row, settle
from tui.family.observations import ObservationsTab, WithdrawConsent
from tui.family.screen import FamilyScreen
from tui.feedback.observation_feedback import FeedbackView
from tui.oversight.lead import LeadHome

TOKEN = "kx7-campbell-private"
LINK_A = f"https://recordings.example.org/private/{TOKEN}-a.m4a"  # has feedback
LINK_B = f"https://recordings.example.org/private/{TOKEN}-b.m4a"  # waiting for feedback
STRENGTHS = "You named the worry plainly and kindly."


def context_of(runtime, username: str):  # type: ignore[no-untyped-def]
    with runtime.uow_factory() as uow:
        user = uow.users.by_username(username)
    return runtime.context(user)


def setup_recordings(runtime) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    amara = context_of(runtime, "amara.osei")
    lead = context_of(runtime, "rosalind.ferreira")
    fid = family_id(runtime, "FAM-0104")
    consents = [
        {"person": "Shannon Campbell", "kind": "consent", "method": "written",
         "scope": "practice lead feedback only", "given_on": date(2026, 11, 18)},
        {"person": "Kayden Campbell", "kind": "assent", "method": "verbal",
         "scope": "practice lead feedback only", "given_on": date(2026, 11, 18)},
    ]  # fmt: skip
    a = add_observation(amara, fid, date(2026, 11, 18), LINK_A, consents, duration_seconds=1500)
    b = add_observation(amara, fid, date(2026, 11, 19), LINK_B, consents, duration_seconds=900)
    save_feedback(
        lead,
        a.id,
        {"empathy": 4, "collaboration": 3.5, "evocation": 3},
        [("02:10", "Good start")],
        STRENGTHS,
        "Ask the children first.",
    )
    reply_to_feedback(amara, a.id, "Thank you, I will try that.")
    return a.id, b.id  # type: ignore[return-value]


def everything_shown(app) -> str:  # type: ignore[no-untyped-def]
    """All text on the screen by every route: rendered lines, each widget's whole content (even
    scrolled out of view), form values, option lists, and the screenshot's text."""
    parts = [screen_text(app)]
    for widget in app.screen.query("*"):
        if isinstance(widget, Static):
            parts.append(str(widget.render()))
        elif isinstance(widget, Input):
            parts.append(widget.value)
        elif isinstance(widget, TextArea):
            parts.append(widget.text)
        elif isinstance(widget, OptionList):
            parts.extend(str(o.prompt) for o in widget.options)
    svg = app.export_screenshot()
    parts.append(
        html.unescape("".join(re.findall(r"<text[^>]*>(.*?)</text>", svg))).replace("\xa0", " ")
    )
    return "\n".join(parts)


async def lead_screens(app, pilot, *, withdrawn: bool) -> None:  # type: ignore[no-untyped-def]
    await sign_in(pilot, "rosalind.ferreira")
    assert isinstance(app.screen, LeadHome)
    shown = everything_shown(app)
    queue = app.screen.query_one("#queue-table", DataTable)
    if withdrawn:
        assert TOKEN not in shown
        assert "consent withdrawn — link erased" in shown  # in the given-feedback list
        assert all("19 Nov 2026" not in str(queue.get_row_at(i)) for i in range(queue.row_count))
    else:
        assert LINK_A in shown and LINK_B in shown
    given = app.screen.query_one("#given-table", DataTable)
    given.focus()
    select_row(given, "18 Nov 2026")
    await pilot.press("enter")
    await settle(app, pilot)
    assert isinstance(app.screen, FeedbackView)
    shown = everything_shown(app)
    assert STRENGTHS in shown and "Thank you, I will try that." in shown  # feedback stays
    if withdrawn:
        assert TOKEN not in shown and "consent withdrawn — link erased" in shown
        await pilot.press("e")  # editing feedback on a withdrawn recording is not offered
        await settle(app, pilot)
        assert isinstance(app.screen, FeedbackView)
    else:
        assert LINK_A in shown
    await pilot.press("escape")
    await settle(app, pilot)
    await pilot.press("ctrl+o")
    await settle(app, pilot)


async def family_screens(app, pilot, a_id: int, *, withdrawn: bool) -> None:  # type: ignore[no-untyped-def]
    tab = app.screen.query_one(ObservationsTab)
    table = tab.query_one("#observations-table", DataTable)
    for row in ("18 Nov 2026", "19 Nov 2026"):  # each row's detail pane in turn
        select_row(table, row)
        await pilot.pause()
        shown = everything_shown(app)
        if withdrawn:
            assert TOKEN not in shown
            assert "consent withdrawn — link erased" in shown
        else:
            assert LINK_A in shown and LINK_B in shown
    select_row(table, "18 Nov 2026")
    await pilot.press("f")
    await settle(app, pilot)
    assert isinstance(app.screen, FeedbackView) and app.screen.observation_id == a_id
    shown = everything_shown(app)
    assert STRENGTHS in shown and "Good start" in shown
    assert (TOKEN not in shown) if withdrawn else (LINK_A in shown)
    await pilot.press("escape")
    await settle(app, pilot)


async def withdraw(app, pilot, row: str, person: str) -> None:  # type: ignore[no-untyped-def]
    table = app.screen.query_one("#observations-table", DataTable)
    select_row(table, row)
    await pilot.press("w")
    await settle(app, pilot)
    assert isinstance(app.screen, WithdrawConsent)
    options = app.screen.query_one("#field-consent", OptionList)
    prompts = [str(o.prompt) for o in options.options]
    options.highlighted = next(i for i, p in enumerate(prompts) if person in p)
    await pilot.press("enter")  # choose the person; the focus moves to the date (today)
    await pilot.press("ctrl+s")
    await settle(app, pilot)
    assert isinstance(app.screen, FamilyScreen)


async def test_withdrawn_consent_hides_the_link_from_every_screen(tandem_app, runtime, monkeypatch):
    a_id, b_id = setup_recordings(runtime)
    opened: list[str | None] = []

    def fake_open(link: str | None) -> str | None:
        opened.append(link)
        return None

    monkeypatch.setattr("tui.audio.open_with_system_handler", fake_open)
    fid = family_id(runtime, "FAM-0104")
    app = tandem_app()
    async with app.run_test(size=(150, 50)) as pilot:
        # Before: every screen shows the link (so this test can fail).
        await lead_screens(app, pilot, withdrawn=False)
        await sign_in(pilot, "fiona.macleod")
        app.push_screen(FamilyScreen(fid, initial="observations"))
        await settle(app, pilot)
        await family_screens(app, pilot, a_id, withdrawn=False)
        app.pop_screen()
        await pilot.press("ctrl+o")
        await settle(app, pilot)

        await sign_in(pilot, "amara.osei")
        await open_observations(app, pilot, "FAM-0104")
        await family_screens(app, pilot, a_id, withdrawn=False)
        select_row(app.screen.query_one("#observations-table", DataTable), "18 Nov 2026")
        await pilot.press("o")
        await settle(app, pilot)
        assert opened == [LINK_A]

        # Shannon withdraws her consent to A; Kayden withdraws his assent to B.
        await withdraw(app, pilot, "18 Nov 2026", "Shannon Campbell")
        await withdraw(app, pilot, "19 Nov 2026", "Kayden Campbell")

        # After: nothing shows the link, and it cannot be opened.
        await family_screens(app, pilot, a_id, withdrawn=True)
        select_row(app.screen.query_one("#observations-table", DataTable), "18 Nov 2026")
        await pilot.press("o")
        await settle(app, pilot)
        assert opened == [LINK_A]
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("ctrl+o")
        await settle(app, pilot)

        await sign_in(pilot, "fiona.macleod")
        app.push_screen(FamilyScreen(fid, initial="observations"))
        await settle(app, pilot)
        await family_screens(app, pilot, a_id, withdrawn=True)
        app.pop_screen()
        await pilot.press("ctrl+o")
        await settle(app, pilot)

        await lead_screens(app, pilot, withdrawn=True)

        # The store: both marked for deletion at once; the link is hidden; feedback kept.
        amara = context_of(runtime, "amara.osei")
        for oid in (a_id, b_id):
            o = get_observation(amara, oid)
            assert o.withdrawn and o.visible_link is None
            assert o.marked_for_deletion_at == as_utc(TEST_NOW)
