"""The audit log's hash chain on SQLite (issue 11, item 4): whoever owns the file can drop the
insert-only triggers and rewrite rows in plain SQL, but ``tandem audit --verify`` then names the
first event where the chain breaks and exits non-zero. Events written before the chain existed
are chained by migration 0009."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime

import pytest

from domain.clock import FixedClock
from domain.services import admin, families
from domain.services.context import Context
from storage.engine import make_engine
from storage.migrate import downgrade, upgrade_to_head
from tui.bootstrap import open_runtime
from tui.cli import main

MONDAY = datetime(2025, 3, 10, 9, 30)


@pytest.fixture
def db(tmp_path):  # type: ignore[no-untyped-def]
    """A SQLite file with a dozen audit events written through the services."""
    path = tmp_path / "chain.db"
    runtime = open_runtime(str(path), clock=FixedClock(MONDAY))
    system = runtime.system_context()
    admin.create_team(system, "North")
    alex = admin.create_user(system, "alex", "Alex Smith", "practitioner", "North")
    as_alex = Context(runtime.uow_factory, runtime.clock, alex)
    for n in range(1, 6):
        family = families.create_family(
            system,
            f"FAM-000{n}",
            f"Family {n} \u00eb\u200d",
            team_id=1,
            practitioner="alex",
            opened_on=date(2025, 1, 1),
        )
        families.view_family(as_alex, family.id)
    runtime.engine.dispose()
    return path


def events(path) -> list[int]:  # type: ignore[no-untyped-def]
    with sqlite3.connect(path) as con:
        return [r[0] for r in con.execute("SELECT id FROM audit_events ORDER BY id")]


def verify(path, capsys) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    code = main(["--db", str(path), "audit", "--verify"])
    out, err = capsys.readouterr()
    return code, out, err


def tamper(path, *statements: str) -> None:  # type: ignore[no-untyped-def]
    """What a file's owner can do: drop the insert-only triggers and rewrite rows."""
    con = sqlite3.connect(path)
    con.execute("DROP TRIGGER audit_events_no_update")
    con.execute("DROP TRIGGER audit_events_no_delete")
    for statement in statements:
        con.execute(statement)
    con.commit()
    con.close()


def test_an_untouched_log_is_intact(db, capsys) -> None:  # type: ignore[no-untyped-def]
    count = len(events(db))
    assert count >= 10
    code, out, err = verify(db, capsys)
    assert code == 0 and err == ""
    assert f"intact, {count} events" in out
    # Verifying is itself audited, and chained: the log is still intact afterwards.
    code, out, _ = verify(db, capsys)
    assert code == 0 and f"intact, {count + 1} events" in out


def test_a_changed_event_is_named(db, capsys) -> None:  # type: ignore[no-untyped-def]
    ids = events(db)
    target = ids[4]
    tamper(db, f"UPDATE audit_events SET detail = 'nothing to see' WHERE id = {target}")
    code, out, err = verify(db, capsys)
    assert code == 1
    assert f"BROKEN at event {target}:" in err and "content was changed" in err


def test_a_changed_instant_or_user_is_named(db, capsys) -> None:  # type: ignore[no-untyped-def]
    ids = events(db)
    tamper(db, f"UPDATE audit_events SET user_id = NULL WHERE id = {ids[2]}")
    code, _, err = verify(db, capsys)
    assert code == 1 and f"BROKEN at event {ids[2]}:" in err


def test_a_deleted_event_breaks_the_next_link(db, capsys) -> None:  # type: ignore[no-untyped-def]
    ids = events(db)
    tamper(db, f"DELETE FROM audit_events WHERE id = {ids[3]}")
    code, _, err = verify(db, capsys)
    assert code == 1
    assert f"BROKEN at event {ids[4]}:" in err and "link to the previous event" in err


def test_the_first_broken_link_is_the_one_reported(db, capsys) -> None:  # type: ignore[no-untyped-def]
    ids = events(db)
    tamper(
        db,
        f"DELETE FROM audit_events WHERE id = {ids[7]}",
        f"UPDATE audit_events SET detail = 'x' WHERE id = {ids[1]}",
    )
    _, _, err = verify(db, capsys)
    assert f"BROKEN at event {ids[1]}:" in err


def test_events_written_before_the_chain_are_chained_by_the_migration(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "old.db"
    engine = make_engine(str(path))
    upgrade_to_head(engine)
    downgrade(engine, "0003")  # the schema before the chain
    with engine.begin() as conn:
        for n in range(3):
            conn.exec_driver_sql(
                "INSERT INTO audit_events (at, user_id, action, entity, detail) "
                f"VALUES ('2025-03-0{n + 1} 10:00:00.000000', NULL, 'view', 'family', 'old {n}')"
            )
    upgrade_to_head(engine)
    engine.dispose()
    with sqlite3.connect(path) as con:
        hashes = con.execute("SELECT prev_hash, hash FROM audit_events ORDER BY id").fetchall()
    assert len(hashes) == 3 and hashes[0][0] == "" and hashes[1][0] == hashes[0][1]
    code, out, _ = verify(path, capsys)
    assert code == 0 and "intact, 3 events" in out
    # The insert-only triggers are back after the migration.
    with pytest.raises(sqlite3.DatabaseError, match="insert-only"), sqlite3.connect(path) as con:
        con.execute("UPDATE audit_events SET detail = 'x'")
