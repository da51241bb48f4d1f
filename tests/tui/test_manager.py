"""The team manager's side, driven by keys on the seeded demo: the review queue, approving and
returning summaries (and what the practitioner then sees), the dashboard, and reallocation.

Demo facts used (sample_data/README.md; clock 2026-11-20 10:00): Fiona MacLeod manages
Millbrook; three Millbrook summaries are waiting for review, submitted oldest first by FAM-0106
(Tom Gallagher), FAM-0101 (Amara Osei) and FAM-0107 (Tom Gallagher).
"""

from __future__ import annotations

from textual.widgets import DataTable, TextArea

from domain.audit import AuditAction
from domain.services.dashboard import team_dashboard
from domain.services.families import list_caseload, view_family
from domain.services.recording import my_recording_time
from domain.services.summaries import (
    get_summary,
    list_summaries,
    review_queue,
    save_summary,
    start_summary,
    submit_summary,
)
from domain.summaries import SummaryStatus
from domain.timeuse import RecordingActivity
from tests.tui.conftest import screen_text, settle, sign_in
from tui.family.screen import FamilyScreen
from tui.oversight.manager import ManagerHome, ReallocateDialog
from tui.oversight.review import ApproveQuestion, ReviewScreen
from tui.widgets.recording_editor import RecordingEditor

SIZE = (140, 45)
MANAGER = "fiona.macleod"


def context_of(runtime, username: str):  # type: ignore[no-untyped-def]
    with runtime.uow_factory() as uow:
        user = uow.users.by_username(username)
    return runtime.context(user)


def table_refs(app, table_id: str, column: int) -> list[str]:  # type: ignore[no-untyped-def]
    table = app.screen.query_one(f"#{table_id}", DataTable)
    return [str(table.get_row_at(i)[column]) for i in range(table.row_count)]


async def move_to(pilot, table_id: str, column: int, value: str) -> None:  # type: ignore[no-untyped-def]
    """Move the table's cursor to the row showing ``value`` with the arrow keys."""
    table = pilot.app.screen.query_one(f"#{table_id}", DataTable)
    steps = table_refs(pilot.app, table_id, column).index(value) - table.cursor_row
    await pilot.press(*(["down"] * steps if steps > 0 else ["up"] * -steps))


async def open_review(pilot, reference: str) -> ReviewScreen:  # type: ignore[no-untyped-def]
    """From the review queue: move down to the family's summary and press enter."""
    app = pilot.app
    await move_to(pilot, "queue-table", 2, reference)
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(app.screen, ReviewScreen)
    return app.screen


async def sign_in_manager(pilot) -> None:  # type: ignore[no-untyped-def]
    await sign_in(pilot, MANAGER)
    await settle(pilot)
    assert isinstance(pilot.app.screen, ManagerHome)


# --- the review queue -------------------------------------------------------------------------


async def test_the_queue_lists_submitted_summaries_oldest_first(tandem_app) -> None:
    app = tandem_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_manager(pilot)
        assert table_refs(app, "queue-table", 2) == ["FAM-0106", "FAM-0101", "FAM-0107"]
        text = screen_text(app)
        assert "3 summaries waiting for your review, oldest first" in text
        assert "Tom Gallagher" in text and "Fraser family" in text
        descriptions = {b.binding.description for b in app.screen.active_bindings.values()}
        assert {"Review summary", "Reallocate family", "Sign out", "Dashboard"} <= descriptions


async def test_approve_from_the_queue_and_the_review_time_is_recorded(tandem_app, clock) -> None:
    app = tandem_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_manager(pilot)
        today = clock.now().date()
        before = my_recording_time(app.ctx, today, today)
        summary_id = review_queue(app.ctx)[0].summary.id

        review = await open_review(pilot, "FAM-0106")
        assert isinstance(review, RecordingEditor)
        assert review.activity is RecordingActivity.REVIEW
        text = screen_text(app)
        # The summary, its period's contacts, and the family's plan and latest mapping alongside.
        for expected in (
            "Why we are involved",
            "Contacts in the period",
            "Family plan",
            "Review due",
            "Latest mapping",
            "What are we worried about?",
            "Scaling (each person's latest, 0–10)",
        ):
            assert expected.lower() in text.lower(), expected

        clock.advance(seconds=40)
        await pilot.press("down")  # reading: scrolls the summary, counts as activity
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, ApproveQuestion)
        assert "Approve the summary of FAM-0106" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)

        assert isinstance(app.screen, ManagerHome)
        assert table_refs(app, "queue-table", 2) == ["FAM-0101", "FAM-0107"]
        approved = get_summary(app.ctx, summary_id)
        assert approved.status is SummaryStatus.APPROVED
        assert approved.reviewer_id == app.user.id
        after = my_recording_time(app.ctx, today, today)
        assert after.sessions == before.sessions + 1
        gained = after.automatic_seconds.get(RecordingActivity.REVIEW, 0) - (
            before.automatic_seconds.get(RecordingActivity.REVIEW, 0)
        )
        assert gained == 40


async def test_the_reviewer_reads_the_network_meetings_of_the_period(tandem_app) -> None:  # type: ignore[no-untyped-def]
    """FAM-0107's summary covers one of its demo network meetings: listed under the contacts;
    FAM-0106's covers none, and says nothing about meetings."""
    app = tandem_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_manager(pilot)
        review = await open_review(pilot, "FAM-0107")
        await settle(pilot)
        assert review.packet is not None and len(review.packet.meetings) == 1
        meeting = review.packet.meetings[0]
        text = screen_text(app)
        assert "Network meetings in the period" in text
        assert f"{meeting.held_on:%d %b %Y}" in text
        assert meeting.decisions.splitlines()[0][:40] in text
        await pilot.press("escape")
        await settle(pilot)
        await open_review(pilot, "FAM-0106")
        await settle(pilot)
        assert "Network meetings in the period" not in screen_text(app)


async def test_escape_on_the_question_goes_back_and_stray_letters_do_not_approve(
    tandem_app,
) -> None:
    app = tandem_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_manager(pilot)
        summary_id = review_queue(app.ctx)[0].summary.id
        await open_review(pilot, "FAM-0106")
        await pilot.press("a", "y", "e", "s", "escape")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert get_summary(app.ctx, summary_id).status is SummaryStatus.SUBMITTED


async def test_return_needs_a_comment_then_the_practitioner_sees_it_and_resubmits(
    tandem_app, runtime
) -> None:
    app = tandem_app()
    comment = "Please add Josh's own words about home."
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_manager(pilot)
        summary_id = next(
            i.summary.id for i in review_queue(app.ctx) if i.family_reference == "FAM-0101"
        )
        review = await open_review(pilot, "FAM-0101")

        # r with an empty comment: the message is next to the form, and the box has the focus.
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert "A comment for the author cannot be empty." in str(
            review.query_one("#review-error").render()
        )
        assert app.focused is review.query_one("#field-comment", TextArea)

        # Typing the comment, then approving by mistake: refused, the comment is kept.
        await pilot.press(*comment)
        await pilot.press("tab", "a")
        await settle(pilot)
        assert "press r to return the summary with it" in screen_text(app)
        assert review.query_one("#field-comment", TextArea).text == comment

        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ManagerHome)
        assert "FAM-0101" not in table_refs(app, "queue-table", 2)
        returned = get_summary(app.ctx, summary_id)
        assert returned.status is SummaryStatus.RETURNED
        assert returned.return_comment == comment

        # The practitioner: the caseload flags it with !, the workspace shows the comment.
        await pilot.press("ctrl+o")
        await sign_in(pilot, "amara.osei")
        await settle(pilot)
        caseload = app.screen.query_one("#caseload-table", DataTable)
        row = caseload.get_row(str(returned.family_id))
        summary_cell = str(row[4])
        assert summary_cell.startswith("! ") and "returned" in summary_cell
        caseload.move_cursor(row=caseload.get_row_index(str(returned.family_id)))
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, FamilyScreen)
        assert "Manager's comment: " + comment in screen_text(app)

        # She rewrites and resubmits: it is back in the manager's queue.
        amara = context_of(runtime, "amara.osei")
        saved = save_summary(
            amara,
            summary_id,
            {"children_voice": "Josh said: I want to be normal."},
            returned.version,
        )
        submit_summary(amara, summary_id, saved.version)
        await pilot.press("escape")
        await pilot.press("ctrl+o")
        await sign_in_manager(pilot)
        assert "FAM-0101" in table_refs(app, "queue-table", 2)
        await open_review(pilot, "FAM-0101")
        text = " ".join(screen_text(app).split())
        assert "with: " + comment in text  # the earlier return is shown to the reviewer
        assert "Josh said: I want to be normal." in text
        # First what changed since the manager returned it, part by part, then the old comment.
        changed = text.index("What changed since it was returned on")
        assert changed < text.index("with: " + comment)
        assert "• Each child's voice and lived experience: changed" in text[changed:]
        assert "[+ Josh said: I want to be normal." in text[changed:]


async def test_a_manager_cannot_approve_their_own_summary(tandem_app) -> None:
    app = tandem_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_manager(pilot)
        ctx = app.ctx
        family = next(
            f
            for f in list_caseload(ctx)
            if not any(
                s.is_editable or s.status is SummaryStatus.SUBMITTED
                for s in list_summaries(ctx, f.id)
            )
        )
        own = start_summary(ctx, family.id)
        own = save_summary(ctx, own.id, {"analysis": "Written by the manager."}, own.version)
        submit_summary(ctx, own.id, own.version)
        await pilot.press("r")  # refresh the queue
        await settle(pilot)

        await open_review(pilot, family.reference)
        await pilot.press("a", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert "You cannot approve a summary you wrote." in str(
            app.screen.query_one("#review-error").render()
        )
        assert get_summary(ctx, own.id).status is SummaryStatus.SUBMITTED


# --- the dashboard -------------------------------------------------------------------------------


async def test_the_dashboard_lists_and_every_row_opens_the_family(tandem_app) -> None:
    app = tandem_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_manager(pilot)
        await pilot.press("2")
        await settle(pilot)
        text = screen_text(app)
        for expected in (
            "Plan reviews overdue or due within 14 days",
            "FAM-0113 | Walsh family | Priya Chauhan | 12 Nov 2026 | ! overdue by 8 days",
            "Summaries older than 6 weeks or waiting for review",
            "Children on a CP plan not seen within 10 working days",
            "FAM-0106 | Fraser family | Connor Fraser | Tom Gallagher | 02 Nov 2026 | ! 14",
            "Scaling fell (someone below their own previous score)",
            "Families without a mapping",
            "Caseload sizes",
        ):
            assert expected in text, expected
        dashboard = team_dashboard(app.ctx)
        assert {r.family.reference for r in dashboard.unseen_children} == {"FAM-0106", "FAM-0119"}

        for table_id in (
            "dash-plans",
            "dash-summaries",
            "dash-unseen",
            "dash-scaling",
            "dash-mapping",
        ):
            for _ in range(10):
                if app.focused is not None and app.focused.id == table_id:
                    break
                await pilot.press("tab")
            assert app.focused.id == table_id
            first_ref = table_refs(app, table_id, 0)[0]
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, FamilyScreen), table_id
            assert app.screen.family is not None and app.screen.family.reference == first_ref
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, ManagerHome)


async def test_a_caseload_size_row_shows_that_practitioners_families(tandem_app) -> None:
    app = tandem_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_manager(pilot)
        await pilot.press("2")
        await settle(pilot)
        for _ in range(10):
            if app.focused is not None and app.focused.id == "dash-caseloads":
                break
            await pilot.press("tab")
        await move_to(pilot, "dash-caseloads", 0, "Tom Gallagher")
        await pilot.press("enter")
        await settle(pilot)
        owners = set(table_refs(app, "team-table", 2))
        assert owners == {"Tom Gallagher"}
        assert "4 of 19 families" in screen_text(app)


# --- reallocation -----------------------------------------------------------------------------------


async def test_reallocation_moves_the_family_and_is_audited(tandem_app, runtime) -> None:
    app = tandem_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_manager(pilot)
        await pilot.press("3")
        await settle(pilot)
        await move_to(pilot, "team-table", 0, "FAM-0114")
        family_id = next(f.id for f in list_caseload(app.ctx) if f.reference == "FAM-0114")
        assert view_family(app.ctx, family_id).practitioner_id != app.user.id

        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, ReallocateDialog)
        text = screen_text(app)
        assert "Reallocate FAM-0114" in text and "Now allocated to Priya Chauhan." in text

        await pilot.press("ctrl+s")  # nobody chosen yet
        await settle(pilot)
        assert "Choose the practitioner to allocate the family to." in screen_text(app)

        await pilot.press("enter", "down", "enter")  # the first practitioner offered: Amara
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ManagerHome)
        row = app.screen.query_one("#team-table", DataTable).get_row(f"{family_id}:")
        assert str(row[2]) == "Amara Osei"

        with runtime.uow_factory() as uow:
            amara = uow.users.by_username("amara.osei")
            events = [
                e for e in uow.audit.list(family_id=family_id) if e.action is AuditAction.REALLOCATE
            ]
        assert view_family(app.ctx, family_id).practitioner_id == amara.id
        assert [(e.user_id, e.detail) for e in events] == [
            (app.user.id, "from priya.chauhan to amara.osei")
        ]


async def test_an_unsent_comment_is_kept_as_a_draft_and_offered_back(tandem_app) -> None:
    from tui.widgets.recording_editor import DraftOffer

    app = tandem_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_manager(pilot)
        await open_review(pilot, "FAM-0107")
        await pilot.press("tab", "tab", *"Half written")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ManagerHome)

        await move_to(pilot, "queue-table", 2, "FAM-0107")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DraftOffer)
        await pilot.press("r")
        await settle(pilot)
        review = app.screen
        assert isinstance(review, ReviewScreen)
        assert review.query_one("#field-comment", TextArea).text == "Half written"


async def test_typing_while_reading_starts_the_comment_and_loses_no_letter(tandem_app) -> None:
    app = tandem_app()
    comment = "Please add Jamie's view."
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_manager(pilot)
        summary_id = review_queue(app.ctx)[0].summary.id
        review = await open_review(pilot, "FAM-0106")
        assert app.focused is review.query_one("#review-summary")
        await pilot.press(*comment)
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)  # no approve question from the "a" of "add"
        assert review.query_one("#field-comment", TextArea).text == comment
        assert get_summary(app.ctx, summary_id).status is SummaryStatus.SUBMITTED


async def test_slash_searches_the_team_caseload_from_any_tab_and_digits_go_in_the_box(
    tandem_app,
) -> None:
    from textual.widgets import Input, TabbedContent

    app = tandem_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_manager(pilot)
        await pilot.press("/")
        await settle(pilot)
        assert app.screen.query_one("#manager-tabs", TabbedContent).active == "team"
        search = app.screen.query_one("#team-search", Input)
        assert app.focused is search
        await pilot.press(*"FAM-0105")  # the digits are tab keys elsewhere: here they are typed
        await settle(pilot)
        assert app.screen.query_one("#manager-tabs", TabbedContent).active == "team"
        assert search.value == "FAM-0105"
        assert table_refs(app, "team-table", 0) == ["FAM-0105"]
