"""Discarding a draft summary started by mistake, from the Summaries tab, keys only: n by
accident, d, the question (escape keeps it, d discards it), and a submitted summary refused."""

from __future__ import annotations

from textual.widgets import Button, DataTable

from domain.audit import AuditAction
from domain.services.summaries import list_summaries
from domain.summaries import SummaryStatus
from domain.timeuse import RecordingActivity
from tests.tui.conftest import screen_text, settle, sign_in
from tests.tui.test_summaries import SIZE, open_summaries, seen, select_summary


def messages(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(n.message) for n in app._notifications]


def caseload_row(app, reference: str) -> str:  # type: ignore[no-untyped-def]
    table = app.screen.query_one(DataTable)
    for i in range(table.row_count):
        row = " | ".join(str(c) for c in table.get_row_at(i))
        if row.startswith(reference):
            return row
    raise AssertionError(f"{reference} is not on the caseload")


async def test_a_draft_started_by_mistake_is_discarded(tandem_app, runtime) -> None:
    app = tandem_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "amara.osei")
        family_id = await open_summaries(pilot, "FAM-0102")  # every summary approved
        before = {s.id: s for s in list_summaries(app.ctx, family_id)}
        assert before and all(s.status is SummaryStatus.APPROVED for s in before.values())

        # n by mistake: the editor opens on a new, empty draft; escape closes it.
        await pilot.press("n")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "SummaryEditor"
        await pilot.press("escape")
        await settle(pilot)
        [mistake] = [s for s in list_summaries(app.ctx, family_id) if s.id not in before]
        assert mistake.status is SummaryStatus.DRAFT
        assert "d to discard it" in seen(app)
        assert "Discard draft" in screen_text(app)  # offered in the footer

        # The cursor is on the new draft, so d (as the footer says) applies to it.
        table = app.screen.query_one("#summaries-table", DataTable)
        assert table.cursor_row == table.get_row_index(str(mistake.id))

        # d asks first; escape keeps it.
        await pilot.press("d")
        await settle(pilot)
        question = seen(app)
        assert "Discard the draft summary for" in question
        assert f"{mistake.period_end:%d %b %Y}? This cannot be undone." in question
        # Only the Latest scaling section, filled in when the summary was started, is saved.
        assert "Nothing has been saved in it yet beyond its Latest scaling section" in question
        assert "still counts as recording time" in question
        assert app.screen.focused is app.screen.query_one("#discard-no", Button)
        await pilot.press("escape")
        await settle(pilot)
        assert mistake.id in {s.id for s in list_summaries(app.ctx, family_id)}

        # enter on the focused Keep button keeps it too.
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.query("#summaries-tab")
        assert mistake.id in {s.id for s in list_summaries(app.ctx, family_id)}

        # d, then d again: discarded.
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert app.screen.query("#summaries-tab")
        assert any("discarded" in m for m in messages(app))
        rows = {str(table.get_row_at(i)[1]) for i in range(table.row_count)}
        assert rows == {"Approved"}
        assert table.row_count == len(before)
        assert set(before) == {s.id for s in list_summaries(app.ctx, family_id)}

        # In the database: gone, audited, and the editor's recording time still there.
        with runtime.uow_factory() as uow:
            assert uow.summaries.versions(mistake.id) == []
            sessions = uow.recording.sessions(family_id=family_id)
            events = uow.audit.list(family_id=family_id)
        assert any(
            s.activity is RecordingActivity.SUMMARY and s.user_id == app.user.id for s in sessions
        )
        assert [
            (e.entity, e.entity_id, e.user_id) for e in events if e.action is AuditAction.DISCARD
        ] == [("summary", mistake.id, app.user.id)]

        # Back on the caseload, the family's last summary is no longer a draft.
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        assert "draft" not in caseload_row(app, "FAM-0102")


async def test_a_submitted_summary_cannot_be_discarded(tandem_app) -> None:
    app = tandem_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "amara.osei")
        family_id = await open_summaries(pilot, "FAM-0102")
        summaries = list_summaries(app.ctx, family_id)
        approved = summaries[0]
        assert approved.status is SummaryStatus.APPROVED
        select_summary(app, approved.id)

        await pilot.pause()
        assert "Discard draft" not in screen_text(app)  # not offered in the footer here...

        await pilot.press("d")  # ...and pressing d anyway says why
        await settle(pilot)

        assert app.screen.query("#summaries-tab"), "no question was asked"
        assert any(
            "is approved, so it is part of the family's record and cannot be discarded" in m
            for m in messages(app)
        )
        assert [s.id for s in list_summaries(app.ctx, family_id)] == [s.id for s in summaries]


async def test_a_returned_summary_cannot_be_discarded(tandem_app, runtime) -> None:
    from domain.services.summaries import (
        return_summary,
        save_summary,
        start_summary,
        submit_summary,
    )
    from domain.summaries import SummarySection

    app = tandem_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "amara.osei")
        family_id = await open_summaries(pilot, "FAM-0102")
        s = start_summary(app.ctx, family_id)
        s = save_summary(app.ctx, s.id, {SummarySection.ANALYSIS: "Better."}, s.version)
        submit_summary(app.ctx, s.id)
        with runtime.uow_factory() as uow:
            fiona = uow.users.by_username("fiona.macleod")
        return_summary(runtime.context(fiona), s.id, "Say more.")
        await pilot.press("5", "4")  # away and back: the tab reloads
        await settle(pilot)
        select_summary(app, s.id)

        await pilot.press("d")
        await settle(pilot)

        assert app.screen.query("#summaries-tab")
        assert any("returned by the manager" in m for m in messages(app))
        assert s.id in {x.id for x in list_summaries(app.ctx, family_id)}
