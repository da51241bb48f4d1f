"""The caseload import's bulk write path (issue 11, item 5) on SQLite and PostgreSQL: families,
members, statuses and one audit event per family, written in a few bulk statements with ids that
follow those already taken, all or nothing."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import text

from domain.audit import AuditAction
from domain.audit_chain import verify_chain
from domain.clock import FixedClock, as_utc
from domain.families import LegalStatus
from domain.services import admin, families
from tui.bootstrap import open_runtime

NOW = as_utc(datetime(2025, 3, 10, 9, 30))  # London wall time, stored in UTC


def caseload(first: int, count: int) -> list[dict[str, object]]:
    return [
        {
            "reference": f"IMP-{n:04d}",
            "name": f"Zoë {n} family",
            "team": "North",
            "practitioner": "alex" if n % 2 else None,
            "opened_on": "2025-01-02",
            "members": [
                {"name": f"Parent {n}", "role": "parent"},
                {
                    "name": f"Child {n}",
                    "role": "child",
                    "date_of_birth": "2018-04-01",
                    "legal_status": "child_protection",
                    "cp_category": "neglect",
                    "status_since": "2025-01-03",
                },
            ],
        }
        for n in range(first, first + count)
    ]


@pytest.fixture
def runtime(database_url):  # type: ignore[no-untyped-def]
    rt = open_runtime(database_url, clock=FixedClock(NOW))
    system = rt.system_context()
    admin.create_team(system, "North")
    admin.create_user(system, "alex", "Alex Smith", "practitioner", "North")
    families.create_family(system, "OLD-0001", "Existing family", team_id=1)
    yield rt
    rt.engine.dispose()


def test_import_writes_everything_with_fresh_ids_and_audits_each_family(runtime) -> None:  # type: ignore[no-untyped-def]
    system = runtime.system_context()
    first = families.import_caseload(system, caseload(1, 40))
    second = families.import_caseload(system, caseload(41, 10))
    assert first.families == 40 and first.members == 80 and second.families == 10
    ids = [*first.family_ids, *second.family_ids]
    assert len(set(ids)) == 50
    with runtime.uow_factory() as uow:
        old = uow.families.by_reference("OLD-0001")
        assert old is not None and old.id not in ids
        family = uow.families.get(second.family_ids[-1])
        assert family.reference == "IMP-0050" and family.name == "Zoë 50 family"
        child = family.children[0]
        assert child.current_status is LegalStatus.CHILD_PROTECTION
        assert child.current_status_since == date(2025, 1, 3)
        assert child.date_of_birth == date(2018, 4, 1)
        member_ids = [m.id for f in uow.families.list(team_id=1) for m in f.members]
        assert len(member_ids) == len(set(member_ids)) == 100
        events = [e for e in uow.audit.list() if e.action is AuditAction.IMPORT]
        assert sorted(e.family_id for e in events) == sorted(ids)
        assert all(e.at == NOW for e in events)
        if uow.audit.chained:
            assert verify_chain(uow.audit.chain()).intact


def test_a_reference_already_in_the_database_is_updated_not_duplicated(runtime) -> None:  # type: ignore[no-untyped-def]
    """Importing again updates (the council import's rule): IMP-0003 is not added twice, and the
    new families around it are written in the same bulk statements."""
    system = runtime.system_context()
    families.import_caseload(system, caseload(1, 3))
    again = families.import_caseload(system, caseload(3, 3))
    assert again.families == 2 and again.references == ("IMP-0004", "IMP-0005")
    with runtime.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM families")).scalar() == 6
        assert conn.execute(text("SELECT count(*) FROM members")).scalar() == 10
        refs = conn.execute(text("SELECT count(DISTINCT reference) FROM families")).scalar()
        assert refs == 6


def test_a_cancelled_save_writes_nothing(runtime) -> None:  # type: ignore[no-untyped-def]
    from domain.cancel import SaveCancelled, asking

    system = runtime.system_context()
    with pytest.raises(SaveCancelled), asking(lambda: True):
        admin.create_team(system, "Never written")
    assert [t.name for t in admin.list_teams(system)] == ["North"]
