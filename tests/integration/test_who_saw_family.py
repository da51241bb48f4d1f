"""On a real database: a list view's family tokens are found by the audit family filter (the
SQL path: the event's own family id or a ``[fN]`` token in its detail, never a longer id)."""

from __future__ import annotations

from datetime import date, datetime

from domain.audit import AuditAction
from domain.clock import FixedClock
from domain.services import admin, families
from domain.services.audit_log import list_audit
from domain.services.context import Context

NOW = datetime(2025, 5, 6, 16, 0)


def test_a_caseload_view_is_found_by_each_family_it_showed(uow_factory):
    clock = FixedClock(NOW)
    system = admin.system_context(uow_factory, clock)
    admin.create_team(system, "North")
    admin.create_team(system, "South")
    admin.create_user(system, "alex", "Alex", "practitioner", team_name="North")
    manager = admin.create_user(system, "mo", "Mo", "team_manager", team_name="North")
    for n in range(1, 13):  # ids 1..12: a view showing family 12 must not match family 1
        families.create_family(
            system,
            f"FAM-{n:04d}",
            f"Family {n}",
            team_id=2 if n == 1 else 1,  # family 1 is South's: not in the North caseload
            practitioner="alex" if n == 12 else None,
            opened_on=date(2025, 1, 1),
        )
    families.list_caseload(Context(uow_factory, clock, manager))

    def views(reference: str) -> list[int | None]:
        return [
            e.user_id
            for e in list_audit(system, family=reference)
            if e.action is AuditAction.VIEW and e.entity == "caseload"
        ]

    assert views("FAM-0012") == [manager.id]
    assert views("FAM-0002") == [manager.id]
    assert views("FAM-0001") == []  # South's family; "[f12]" must not match family 1
