"""Reads read, on the screen itself: opening a family's workspace is one read transaction and one
audited view (the title and the tab shown first come from the same read), and so is each tab
shown after it. Before issue 14 opening the workspace took four write transactions and four
audit events (the title, the Overview tab twice, and the hidden Mapping tab)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, func, select
from textual.css.query import NoMatches
from textual.widgets import Static

from domain.audit import AuditAction, AuditEvent
from storage.engine import is_read_transaction
from storage.tables import AuditEventRow
from tests.tui.conftest import screen_text, shown_within, sign_in
from tests.tui.test_plan import settle


def audit_events(app: Any) -> list[AuditEvent]:
    with app.runtime.uow_factory.read() as uow:
        count = int(uow.session.scalar(select(func.count()).select_from(AuditEventRow)))
        return uow.audit.list()[-count:] if count else []  # type: ignore[no-any-return]


class Counted:
    """Transactions begun on the app's engine while in the block: 'read' or 'write'."""

    def __init__(self, app: Any) -> None:
        self.engine = app.runtime.engine
        self.begun: list[str] = []

    def _begin(self, connection: Any) -> None:
        read = is_read_transaction(connection.get_execution_options())
        self.begun.append("read" if read else "write")

    def __enter__(self) -> Counted:
        event.listen(self.engine, "begin", self._begin)
        return self

    def __exit__(self, *exc: object) -> None:
        event.remove(self.engine, "begin", self._begin)


def opened(app: Any, reference: str) -> bool:
    """The workspace shows the family's title and its Overview tab."""
    try:
        title = str(app.screen.query_one("#family-title", Static).render())
        return reference in title and "Plan review" in screen_text(app)
    except NoMatches:  # still being composed
        return False


async def test_a_family_workspace_and_each_tab_is_one_read_and_one_audited_view(
    tandem_app: Any,
) -> None:
    from domain.services.families import list_caseload
    from tui.family.screen import FamilyScreen

    app = tandem_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, "amara.osei")
        family = list_caseload(app.ctx)[0]
        await settle(pilot)
        before = len(audit_events(app))

        with Counted(app) as opening:
            app.push_screen(FamilyScreen(family.id))
            await shown_within(
                pilot, lambda: opened(app, family.reference), "the title and the Overview tab"
            )
            await settle(pilot)
        assert opening.begun == ["read", "write"]
        new = audit_events(app)[before:]
        assert [(e.action, e.entity, e.family_id) for e in new] == [
            (AuditAction.VIEW, "family", family.id)
        ]
        assert new[0].detail.startswith("family workspace, overview tab: family; family overview")

        with Counted(app) as plan_tab:
            await pilot.press("2")
            await shown_within(
                pilot, lambda: "Loading the plan" not in screen_text(app), "the Plan tab"
            )
            await settle(pilot)
        assert plan_tab.begun == ["read", "write"]
        newer = audit_events(app)[before + 1 :]
        assert [(e.entity, e.family_id) for e in newer] == [("plan", family.id)]
        assert newer[0].detail.startswith("plan tab: family; plan revision")
