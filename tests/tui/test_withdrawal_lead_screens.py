"""Consent withdrawn in another process while the practice lead's screens are open, the two
screens test_withdrawal_elsewhere.py does not drive: the lead's home (the queue) and the feedback
view. Pressing o asks the ``open_recording`` service, which refuses (audited); nothing reaches
the system's opener, the user is told the link is gone, and the screen reloads without it."""

from __future__ import annotations

from textual.widgets import DataTable

from domain.audit import AuditAction
from tests.tui.conftest import screen_text, sign_in
from tests.tui.test_consent_withdrawal import TOKEN, setup_recordings
from tests.tui.test_observations import select_row, settle
from tests.tui.test_withdrawal_elsewhere import recording_events, withdraw_elsewhere
from tui.feedback.observation_feedback import FeedbackView
from tui.feedback.observation_render import WITHDRAWN
from tui.oversight.lead import LeadHome


async def test_the_lead_home_and_feedback_view_say_the_link_is_gone(
    tandem_app, runtime, demo_db, monkeypatch
):
    a_id, b_id = setup_recordings(runtime)  # A has feedback (given list), B waits (queue)
    opened: list[str | None] = []
    monkeypatch.setattr("tui.audio.open_with_system_handler", lambda link: opened.append(link))
    app = tandem_app()
    async with app.run_test(size=(150, 50)) as pilot:
        await sign_in(pilot, "rosalind.ferreira")
        await settle(app, pilot)
        assert isinstance(app.screen, LeadHome)
        queue = app.screen.query_one("#queue-table", DataTable)
        select_row(queue, "19 Nov 2026")  # B, loaded before the withdrawal

        withdraw_elsewhere(demo_db, b_id)
        await pilot.press("o")
        await settle(app, pilot)
        assert opened == []
        assert any("withdrawn" in str(n.message).lower() for n in app._notifications)
        assert b_id in recording_events(runtime, AuditAction.DENIED)
        rows = [" ".join(map(str, queue.get_row_at(i))) for i in range(queue.row_count)]
        assert not [r for r in rows if "19 Nov 2026" in r and "FAM-0104" in r]  # reloaded
        app.clear_notifications()

        # The feedback view of A, opened from the given list, then A withdrawn elsewhere.
        given = app.screen.query_one("#given-table", DataTable)
        given.focus()
        select_row(given, "18 Nov 2026")
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, FeedbackView)
        assert TOKEN in screen_text(app)

        withdraw_elsewhere(demo_db, a_id)
        await pilot.press("o")
        await settle(app, pilot)
        assert opened == []
        shown = screen_text(app)
        assert TOKEN not in shown and WITHDRAWN in shown
        assert a_id in recording_events(runtime, AuditAction.DENIED)
