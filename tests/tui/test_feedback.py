"""The practice lead: the feedback queue, the feedback editor (ratings in half points, live group
means against the 3.5 line, timestamped comments checked against the recording's duration),
the thread with the practitioner's replies, and a supported practitioner's skill trend."""

from __future__ import annotations

from textual.widgets import DataTable, Input, Static
from textual_plotext import PlotextPlot

from domain.observations import Skill
from domain.services.observation_views import feedback_given
from domain.services.observations import feedback_queue, get_feedback
from tests.tui.conftest import screen_text, sign_in
from tests.tui.test_observations import select_row, settle, type_text, user_id
from tui.feedback.feedback_editor import FeedbackEditor
from tui.feedback.observation_feedback import FeedbackView
from tui.feedback.observation_trend import SkillTrendScreen
from tui.oversight.lead import LeadHome, PractitionerPicker

RATINGS = ["4", "4", "3.5", "2.5", "3", "3", "2"]  # care, good authority, evocation order


async def test_lead_gives_feedback_with_ratings_and_timestamped_comments(tandem_app, runtime):
    app = tandem_app()
    async with app.run_test(size=(140, 50)) as pilot:
        await sign_in(pilot, "rosalind.ferreira")
        assert isinstance(app.screen, LeadHome)
        queue = app.screen.query_one("#queue-table", DataTable)
        waiting = feedback_queue(app.ctx)
        assert queue.row_count == len(waiting) == 2
        shown = screen_text(app)
        # Only the minimum family context: the reference, never the family's name.
        assert "FAM-0104" in shown and "Campbell" not in shown
        item = next(i for i in waiting if i.family_reference == "FAM-0104")
        assert item.observation.duration_seconds == 2000  # 33:20

        select_row(queue, "FAM-0104")
        await pilot.press("enter")
        await settle(app, pilot)
        editor = app.screen
        assert isinstance(editor, FeedbackEditor)
        assert "33:20" in screen_text(app)

        # The seven skills, typed in group order (empathy has the focus), tab between them.
        for i, value in enumerate(RATINGS):
            await type_text(pilot, value)
            if i < len(RATINGS) - 1:
                await pilot.press("tab")
        await pilot.pause()
        means = str(editor.query_one("#group-means", Static).render())
        lines = {line.split()[0]: line for line in means.splitlines()[1:]}
        assert "3.83" in lines["Care"] and "skilful (≥3.5)" in lines["Care"]
        assert "2.83" in means and "below 3.5" in lines["Good"]
        assert "2.00" in lines["Evocation"] and "┃" in lines["Evocation"]

        # A comment past the end of the recording: the domain's message, next to the field.
        editor.query_one("#field-at", Input).focus()
        await type_text(pilot, "34:00")
        await pilot.press("tab")
        await type_text(pilot, "Lovely reflection here")
        await pilot.press("enter")
        await pilot.pause()
        error = str(editor.query_one("#comment-error", Static).render())
        assert error == "Comment at 34:00 is past the end of the recording (33:20)."
        assert editor.focused is editor.query_one("#field-at", Input)
        assert editor.query_one("#fb-comments", DataTable).row_count == 0
        assert editor.query_one("#field-comment", Input).value == "Lovely reflection here"

        await pilot.press("ctrl+u")
        await type_text(pilot, "12:05")
        await pilot.press("tab", "enter")
        await type_text(pilot, "03:10")
        await pilot.press("tab")
        await type_text(pilot, "Good opening question")
        await pilot.press("enter")
        await pilot.pause()
        assert str(editor.query_one("#comment-error", Static).render()) == ""
        comments = editor.query_one("#fb-comments", DataTable)
        assert [str(comments.get_row_at(i)[0]) for i in range(comments.row_count)] == [
            "03:10",
            "12:05",
        ]

        # Remove one and add it back: delete on the highlighted comment.
        comments.focus()
        comments.move_cursor(row=1)
        await pilot.press("delete")
        await pilot.pause()
        assert comments.row_count == 2  # asked first, nothing gone yet
        await pilot.press("y")
        await pilot.pause()
        assert comments.row_count == 1
        editor.query_one("#field-at", Input).focus()
        await type_text(pilot, "12:05")
        await pilot.press("tab")
        await type_text(pilot, "Lovely reflection here")
        await pilot.press("enter")

        editor.query_one("#field-strengths").focus()
        await type_text(pilot, "Warm and clear about the worry.")
        editor.query_one("#field-one-thing-to-try").focus()
        await type_text(pilot, "Ask Kayden what a good day looks like.")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, LeadHome)

        saved = get_feedback(app.ctx, item.observation.id)
        assert saved is not None
        assert saved.ratings == {
            Skill.EMPATHY: 4.0,
            Skill.COLLABORATION: 4.0,
            Skill.AUTONOMY: 3.5,
            Skill.PURPOSEFULNESS: 2.5,
            Skill.CLARITY: 3.0,
            Skill.CHILD_FOCUS: 3.0,
            Skill.EVOCATION: 2.0,
        }
        assert [(c.at, c.text) for c in saved.comments] == [
            ("03:10", "Good opening question"),
            ("12:05", "Lovely reflection here"),
        ]
        assert saved.strengths == "Warm and clear about the worry."
        assert saved.one_thing_to_try == "Ask Kayden what a good day looks like."
        assert saved.lead_id == user_id(runtime, "rosalind.ferreira")

        # It has left the queue and is listed as given.
        queue = app.screen.query_one("#queue-table", DataTable)
        assert queue.row_count == 1
        assert any(g.observation.id == item.observation.id for g in feedback_given(app.ctx))
        given = app.screen.query_one("#given-table", DataTable)
        assert "FAM-0104" in str(given.get_row_at(0))


async def test_a_rating_outside_half_points_is_refused_next_to_the_field(tandem_app, runtime):
    app = tandem_app()
    async with app.run_test(size=(140, 50)) as pilot:
        await sign_in(pilot, "rosalind.ferreira")
        select_row(app.screen.query_one("#queue-table", DataTable), "FAM-0108")
        await pilot.press("enter")
        await settle(app, pilot)
        editor = app.screen
        assert isinstance(editor, FeedbackEditor)
        await type_text(pilot, "2.3")
        await pilot.pause()
        assert "1–5 in half points" in str(editor.query_one("#hint-empathy", Static).render())
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is editor
        assert "Empathy must be from 1 to 5 in half points" in str(
            editor.query_one("#editor-error", Static).render()
        )
        assert editor.focused is editor.query_one("#field-empathy", Input)


async def test_lead_reads_the_thread_and_the_practitioners_reply(tandem_app, runtime):
    app = tandem_app()
    async with app.run_test(size=(140, 50)) as pilot:
        await sign_in(pilot, "rosalind.ferreira")
        given = app.screen.query_one("#given-table", DataTable)
        given.focus()
        select_row(given, "FAM-0101")
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, FeedbackView)
        view = app.screen
        reply = view.detail.feedback.replies[0]  # type: ignore[union-attr]
        shown = screen_text(app)
        assert "Amara Osei" in shown and reply.text.splitlines()[0] in shown
        assert "FAM-0101" in shown and "Hughes" not in shown

        # The lead may answer in the same thread; it is kept in order.
        await pilot.press("r")
        await settle(app, pilot)
        await type_text(pilot, "Thank you, let us talk it through on Friday.")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        replies = get_feedback(app.ctx, view.observation_id).replies  # type: ignore[union-attr]
        assert [r.text for r in replies][-2:] == [
            reply.text,
            "Thank you, let us talk it through on Friday.",
        ]
        assert "Thank you, let us talk it through on Friday." in screen_text(app)


async def test_lead_sees_the_skill_trend_of_a_supported_practitioner(tandem_app, runtime):
    app = tandem_app()
    async with app.run_test(size=(140, 50)) as pilot:
        await sign_in(pilot, "rosalind.ferreira")
        await pilot.press("t")
        await settle(app, pilot)
        picker = app.screen
        assert isinstance(picker, PractitionerPicker)
        names = [name for _, name in picker.practitioners]
        assert "Amara Osei" in names and "Gareth Llewellyn" not in names  # not supported
        options = picker.query_one("#practitioner-picker")
        options.highlighted = names.index("Nadia Rahman")
        await pilot.press("enter")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, SkillTrendScreen)
        assert screen.practitioner_id == user_id(runtime, "nadia.rahman")
        assert len(screen.points) == 2
        assert screen.query_one("#trend-table", DataTable).row_count == 2
        chart = str(screen.query_one(PlotextPlot).render())
        assert "Care" in chart and "Evocation" in chart
        assert "Skill trend — Nadia Rahman" in screen_text(app)
