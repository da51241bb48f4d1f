"""``tandem audit`` over a real database (SQLite and PostgreSQL): what it lists, its filters, its
two output forms, that it audits itself, and that the audit rows cannot be changed or deleted
through the application's own storage layer either (the database refuses)."""

from __future__ import annotations

import json
from datetime import date, datetime, time

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from domain.audit import AuditAction
from domain.clock import FixedClock
from domain.families import Member, MemberRole
from domain.services import admin, contacts, families
from domain.services.context import Context
from storage.tables import AuditEventRow
from tui.bootstrap import open_runtime
from tui.cli import main

MONDAY = datetime(2025, 3, 10, 9, 30)
ESCAPE_NOTE = "Mum said \x1b[2J\x1b]52;c;aGk=\x07 she can't cope [crying]"
ESCAPE_TEAM = "East \x1b]0;pwned\x07\x1b[2J [b]team[/b]"


@pytest.fixture
def world(database_url):  # type: ignore[no-untyped-def]
    """Two practitioners' views and one corrected contact on Monday; the manager's view on
    Wednesday. Returns the database URL."""
    clock = FixedClock(MONDAY)
    runtime = open_runtime(database_url, clock=clock)
    system = runtime.system_context()
    admin.create_team(system, "North")
    admin.create_team(system, ESCAPE_TEAM)
    alex = admin.create_user(system, "alex", "Alex Smith", "practitioner", "North")
    mo = admin.create_user(system, "mo", "Mo Khan", "team_manager", "North")
    reid = families.create_family(
        system,
        "FAM-0001",
        "Reid family",
        team_id=1,
        practitioner="alex",
        opened_on=date(2024, 10, 1),
        members=[Member(name="Amy Reid", role=MemberRole.CHILD)],
    )
    other = families.create_family(system, "FAM-0002", "Khan family", team_id=1)
    as_alex = Context(runtime.uow_factory, clock, alex)
    families.view_family(as_alex, reid.id)
    contact = contacts.log_contact(
        as_alex, reid.id, MONDAY.date(), time(9, 0), 30, "home_visit", ESCAPE_NOTE
    )
    contacts.edit_contact(as_alex, contact.id, note="Corrected note.")
    clock.advance(days=2)
    as_mo = Context(runtime.uow_factory, clock, mo)
    families.view_family(as_mo, reid.id)
    families.view_family(as_mo, other.id)
    runtime.engine.dispose()
    return database_url


def run(capsys, db: str, *args: str) -> str:  # type: ignore[no-untyped-def]
    code = main(["--db", db, "audit", *args])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert err == ""
    return out


def test_the_table_shows_when_who_action_entity_family_and_detail(world, capsys) -> None:  # type: ignore[no-untyped-def]
    lines = run(capsys, world, "--family", "FAM-0001").splitlines()
    assert lines[0].split() == ["WHEN", "WHO", "ACTION", "ENTITY", "FAMILY", "DETAIL"]
    rows = lines[1:-1]
    assert lines[-1] == f"({len(rows)} events)"
    assert [r.split()[2:5] for r in rows] == [
        ["system", "create", "family"],
        ["alex", "view", "family"],
        ["alex", "create", "contact"],
        ["alex", "update", "contact"],
        ["mo", "view", "family"],
    ]
    assert all("FAM-0001" in r for r in rows)
    assert rows[0].startswith("2025-03-10 09:30:00")
    assert rows[-1].startswith("2025-03-12 09:30:00")


def test_stored_text_cannot_drive_the_terminal(world, capsys) -> None:  # type: ignore[no-untyped-def]
    out = run(capsys, world, "--user", "system")
    assert "\x1b" not in out and "\x07" not in out
    team = next(line for line in out.splitlines() if " team " in line and "East" in line)
    assert team.endswith("East ␛]0;pwned␇␛[2J [b]team[/b]")
    correction = run(capsys, world, "--user", "alex").splitlines()[3]
    assert "old values" in correction and "[crying]" in correction
    assert "\x1b" not in correction


def test_filters_by_user_and_by_day(world, capsys) -> None:  # type: ignore[no-untyped-def]
    by_mo = json.loads(run(capsys, world, "--user", "mo", "--json"))
    assert [(e["user"], e["action"], e["family"]) for e in by_mo] == [
        ("mo", "view", "FAM-0001"),
        ("mo", "view", "FAM-0002"),
    ]
    since = json.loads(run(capsys, world, "--from", "2025-03-11", "--json"))
    assert {e["user"] for e in since} <= {"mo", "system"}
    assert [e["family"] for e in since if e["user"] == "mo"] == ["FAM-0001", "FAM-0002"]


def test_json_has_every_field_and_the_listing_is_itself_audited(world, capsys) -> None:  # type: ignore[no-untyped-def]
    first = json.loads(run(capsys, world, "--json"))
    assert set(first[0]) == {
        "id",
        "at",
        "user",
        "user_id",
        "action",
        "entity",
        "entity_id",
        "family",
        "family_id",
        "detail",
    }
    assert not any(e["entity"] == "audit" for e in first)
    again = json.loads(run(capsys, world, "--json", "--user", "system"))
    listing = [e for e in again if e["entity"] == "audit"]
    assert len(listing) == 1
    assert listing[0]["action"] == "view"
    assert listing[0]["detail"] == f"audit log listed (everything): {len(first)} events"


def test_bad_arguments_get_one_clear_line(world, capsys) -> None:  # type: ignore[no-untyped-def]
    for args, words in (
        (["--family", "FAM-9999"], "no family with the reference"),
        (["--user", "nobody"], "no user called 'nobody'"),
        (["--from", "10/03/2025"], "--from must be a date written YYYY-MM-DD"),
        (["--limit", "0"], "at least 1"),
    ):
        code = main(["--db", world, "audit", *args])
        out, err = capsys.readouterr()
        assert code != 0 and out == ""
        assert err.startswith("tandem: ") and words in err and len(err.splitlines()) == 1


def test_the_application_layer_cannot_change_or_delete_audit_rows(database_url) -> None:  # type: ignore[no-untyped-def]
    runtime = open_runtime(database_url, clock=FixedClock(MONDAY))
    admin.create_team(runtime.system_context(), "North")
    with Session(runtime.engine) as session:
        before = [(r.id, r.detail) for r in session.scalars(select(AuditEventRow))]
    assert before
    attempts = [
        lambda s: s.execute(update(AuditEventRow).values(detail="tampered")),
        lambda s: s.execute(delete(AuditEventRow)),
        lambda s: (setattr(s.get(AuditEventRow, before[0][0]), "detail", "x"), s.flush()),
        lambda s: (s.delete(s.get(AuditEventRow, before[0][0])), s.flush()),
    ]
    for attempt in attempts:
        with Session(runtime.engine) as session, pytest.raises(DBAPIError, match="insert-only"):
            attempt(session)
            session.commit()
    with Session(runtime.engine) as session:
        after = [(r.id, r.detail) for r in session.scalars(select(AuditEventRow))]
    assert after == before
    assert [a for a in AuditAction if a.name in {"DELETE", "ERASE", "PURGE"}] == []
    runtime.engine.dispose()
