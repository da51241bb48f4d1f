"""Consent withdrawn in another process while screens that show the recording are open: the
screens loaded before the withdrawal cannot open it. Pressing the open key asks the
``open_recording`` service, which refuses (audited); nothing is handed to the system's opener and
the screen says the link is gone. The withdrawal runs as a separate Python process on the same
database file, as another person's Tandem would."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from textual.widgets import DataTable, Static

from domain.audit import AuditAction
from tests.tui.conftest import screen_text, sign_in
from tests.tui.test_consent_withdrawal import LINK_A, TOKEN, setup_recordings
from tests.tui.test_observations import family_id, select_row, settle
from tui.family.screen import FamilyScreen
from tui.feedback.feedback_editor import FeedbackEditor
from tui.feedback.observation_render import WITHDRAWN

ROOT = Path(__file__).resolve().parents[2]


def withdraw_elsewhere(db: Path, observation_id: int) -> None:
    """Amara records the withdrawal of the first consent, from another process."""
    script = textwrap.dedent(
        f"""
        from datetime import date
        from domain.services.observations import withdraw_consent
        from tui.bootstrap import open_runtime
        rt = open_runtime({str(db)!r})
        with rt.uow_factory() as uow:
            amara = uow.users.by_username("amara.osei")
            consent_id = uow.observations.get({observation_id}).consents[0].id
        withdraw_consent(rt.context(amara), {observation_id}, consent_id, date(2026, 11, 20))
        rt.engine.dispose()
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr


def recording_events(runtime, action: AuditAction) -> list[int | None]:  # type: ignore[no-untyped-def]
    with runtime.uow_factory() as uow:
        return [
            e.entity_id for e in uow.audit.list() if e.entity == "recording" and e.action is action
        ]


async def test_open_screens_cannot_open_a_recording_withdrawn_elsewhere(
    tandem_app, runtime, demo_db, monkeypatch
):
    a_id, b_id = setup_recordings(runtime)
    opened: list[str | None] = []

    def fake_open(link: str | None) -> str | None:
        opened.append(link)
        return None

    monkeypatch.setattr("tui.audio.open_with_system_handler", fake_open)
    app = tandem_app()
    async with app.run_test(size=(150, 50)) as pilot:
        # The practice lead opens the feedback editor on B (waiting for feedback).
        await sign_in(pilot, "rosalind.ferreira")
        queue = app.screen.query_one("#queue-table", DataTable)
        select_row(queue, "19 Nov 2026")
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, FeedbackEditor)
        assert TOKEN in str(app.screen.query_one("#fb-recording", Static).render())

        withdraw_elsewhere(demo_db, b_id)
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        assert opened == []
        shown = str(app.screen.query_one("#fb-recording", Static).render())
        assert TOKEN not in shown and WITHDRAWN in shown
        assert b_id in recording_events(runtime, AuditAction.DENIED)

        # The team manager has the family's Observations tab open on A and opens it once.
        app.pop_screen()
        await settle(app, pilot)
        await pilot.press("ctrl+o")
        await settle(app, pilot)
        await sign_in(pilot, "fiona.macleod")
        app.push_screen(FamilyScreen(family_id(runtime, "FAM-0104"), initial="observations"))
        await settle(app, pilot)
        table = app.screen.query_one("#observations-table", DataTable)
        select_row(table, "18 Nov 2026")
        await pilot.press("o")
        await settle(app, pilot)
        assert opened == [LINK_A]
        assert a_id in recording_events(runtime, AuditAction.VIEW)

        withdraw_elsewhere(demo_db, a_id)
        select_row(table, "18 Nov 2026")
        await pilot.press("o")
        await settle(app, pilot)
        assert opened == [LINK_A]  # not opened again
        shown = screen_text(app)
        assert TOKEN not in shown and WITHDRAWN in shown  # the tab reloaded: the link is gone
        assert a_id in recording_events(runtime, AuditAction.DENIED)

    with runtime.uow_factory() as uow:  # erased in the database, not only hidden
        assert uow.observations.get(a_id).link is None and uow.observations.get(b_id).link is None
        assert all(TOKEN not in e.detail for e in uow.audit.list())
