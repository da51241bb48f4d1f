"""``tandem backup`` and ``tandem restore``: a round trip keeps every row of every table, a backup
taken while people are saving is a consistent, intact snapshot, a restore never overwrites
records without --force (and keeps what it replaced), and PostgreSQL is pointed at pg_dump, whose
documented round trip is checked too when the tools are installed.

Figures (rows compared, backups taken, writes during the backup) are printed as ``FIGURES {...}``
lines (pytest -s) and appended to ``trust-figures.jsonl`` in pytest's base temporary directory.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import sqlite3
import subprocess
import time
from datetime import datetime
from datetime import time as clock_time
from pathlib import Path

import pytest
from sqlalchemy import MetaData, create_engine, select
from sqlalchemy.pool import NullPool

from domain.clock import FixedClock
from domain.services import admin, drafts, families
from domain.services.context import Context
from domain.services.sign_in import SignInFailed
from storage.engine import make_engine, resolve_url
from storage.seed import seed_database
from tests.conftest import TEST_NOW, drop_test_database
from tui.bootstrap import open_runtime
from tui.cli import main

SEED_AT = datetime(2025, 3, 10, 9, 30)


def snapshot(url: str) -> dict[str, list[tuple]]:
    """Every row of every table (alembic_version too), ordered by primary key."""
    engine = create_engine(resolve_url(url), poolclass=NullPool)
    meta = MetaData()
    meta.reflect(engine)
    with engine.connect() as conn:
        out = {}
        for table in meta.sorted_tables:
            order = list(table.primary_key.columns) or list(table.columns)
            out[table.name] = [tuple(r) for r in conn.execute(select(table).order_by(*order))]
    engine.dispose()
    return out


def cli(capsys, *args: str) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def with_every_table_filled(path: Path) -> str:
    """The demo database at ``path`` (a copy of the run's seeded sample_data/) with drafts, a
    failed sign-in and a site setting too: every table holds rows."""
    runtime = open_runtime(str(path), clock=FixedClock(TEST_NOW))
    with runtime.uow_factory() as uow:
        users = [u for u in uow.users.list() if u.role.value == "practitioner"][:3]
    for n, user in enumerate(users):
        ctx = Context(runtime.uow_factory, runtime.clock, user)
        drafts.autosave(ctx, f"summary:{n + 1}", f"Half-written summary {n} — “quoted” ✓")
    with pytest.raises(SignInFailed):  # a failed sign-in: sign_in_attempts holds a row too
        admin.authenticate(runtime.context(None), users[0].username, "not the passphrase")
    admin.set_report_min_group(runtime.system_context(), 4)  # site_settings holds a row too
    runtime.engine.dispose()
    return runtime.url


def test_round_trip_keeps_every_row_of_every_table(tmp_path, capsys, figures, demo_db) -> None:  # type: ignore[no-untyped-def]
    source = with_every_table_filled(demo_db)
    code, out, err = cli(capsys, "--db", source, "backup", str(tmp_path / "copy.db"))
    assert code == 0, err
    assert out.startswith("Backed up ") and "checked" in out
    assert not [p for p in os.listdir(tmp_path) if ".partial" in p]

    restored = str(tmp_path / "restored.db")
    code, out, err = cli(capsys, "--db", restored, "restore", str(tmp_path / "copy.db"))
    assert code == 0, err
    assert out.startswith("Restored ")

    before, after = snapshot(source), snapshot(restored)
    assert set(before) == set(after)
    audit_before, audit_after = before.pop("audit_events"), after.pop("audit_events")
    for name in before:
        assert after[name] == before[name], f"table {name} differs after the round trip"
    # The backup holds the record of itself; the restored database adds the restore.
    assert audit_after[: len(audit_before)] == audit_before
    assert [(r[3], r[4]) for r in audit_after[len(audit_before) :]] == [("import", "database")]
    assert audit_before[-1][3:5] == ("export", "database")
    empty = [name for name, rows in before.items() if not rows and name != "pseudonym_keys"]
    assert empty == [], f"the round trip should cover every table; empty: {empty}"
    rows = sum(len(v) for v in before.values()) + len(audit_before)
    figures(tables=len(before) + 1, rows_compared=rows, mismatches=0)


def _writer(url: str, user_id: int, family_id: int, ready, stop, ack_path: str) -> None:  # type: ignore[no-untyped-def]
    """Child process: log contacts until ``stop`` is set; record each id once the save returned."""
    from domain.clock import SystemClock
    from domain.services import contacts
    from domain.services.context import Context
    from storage.engine import make_engine
    from storage.uow import sql_uow_factory

    engine = make_engine(url)
    make_uow = sql_uow_factory(engine)
    with make_uow() as uow:
        user = uow.users.get(user_id)
    ctx = Context(make_uow, SystemClock(), user)
    fd = os.open(ack_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    ready.wait(120)
    while not stop.is_set():
        contact = contacts.log_contact(
            ctx, family_id, datetime.now().date(), clock_time(0, 0), 15, "phone", "note"
        )
        os.write(fd, f"{contact.id}\n".encode())
    os.close(fd)
    engine.dispose()


BACKUPS_DURING_WRITES = 4


def _saves(ack: Path) -> int:
    return len(ack.read_text().split()) if ack.exists() else 0


def _wait_for_new_saves(acks: list[Path], processes, timeout: float = 120) -> None:  # type: ignore[no-untyped-def]
    """Wait until every writer has acknowledged at least one more save than now."""
    before = [_saves(a) for a in acks]
    deadline = time.monotonic() + timeout
    while any(_saves(a) <= n for a, n in zip(acks, before, strict=True)):
        assert all(p.is_alive() for p in processes), "a writer process died"
        assert time.monotonic() < deadline, "the writers stopped saving"
        time.sleep(0.02)


def _contact_and_audit_ids(path: Path) -> tuple[set[int], set[int]]:
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        contacts = {r[0] for r in conn.execute("SELECT id FROM contacts")}
        audited = {
            r[0]
            for r in conn.execute(
                "SELECT entity_id FROM audit_events WHERE action = 'create' AND entity = 'contact'"
            )
        }
        return contacts, audited
    finally:
        conn.close()


@pytest.mark.xdist_group("many-processes")  # see test_concurrency.py
def test_a_backup_taken_while_people_save_is_a_consistent_snapshot(
    tmp_path, capsys, figures
) -> None:  # type: ignore[no-untyped-def]
    url = str(tmp_path / "busy.db")
    runtime = open_runtime(url)
    system = runtime.system_context()
    team = admin.create_team(system, "North")
    writers = []
    for n in range(3):
        user = admin.create_user(system, f"p{n}", f"Practitioner {n}", "practitioner", "North")
        fam = families.create_family(
            system, f"FAM-{n:04d}", f"Family {n}", team_id=team.id, practitioner=user.username
        )
        writers.append((user.id, fam.id))
    runtime.engine.dispose()

    spawn = multiprocessing.get_context("spawn")
    ready, stop = spawn.Barrier(len(writers) + 1), spawn.Event()
    processes = [
        spawn.Process(target=_writer, args=(url, uid, fid, ready, stop, str(tmp_path / f"ack{n}")))
        for n, (uid, fid) in enumerate(writers)
    ]
    for p in processes:
        p.start()
    ready.wait(120)  # every writer is up
    acks = [tmp_path / f"ack{n}" for n in range(len(writers))]
    backups = []
    # Each backup is taken once every writer has saved again since the one before, so every
    # backup is taken while all of them are saving, however slow the machine (events, not a
    # wall-clock window: a loaded CI machine once fitted only one backup into five seconds).
    for _ in range(BACKUPS_DURING_WRITES):
        _wait_for_new_saves(acks, processes)
        dest = tmp_path / f"backup-{len(backups)}.db"
        code, _, err = cli(capsys, "--db", url, "backup", str(dest))
        assert code == 0, err
        backups.append(dest)
    _wait_for_new_saves(acks, processes)  # and the writers went on saving after the last one
    stop.set()
    for p in processes:
        p.join(60)
        assert p.exitcode == 0

    live, _ = _contact_and_audit_ids(Path(url))
    acked = {int(x) for n in range(3) for x in (tmp_path / f"ack{n}").read_text().split()}
    assert acked and acked <= live
    sizes = []
    for dest in backups:
        contacts, audited = _contact_and_audit_ids(dest)
        # A contact and its audit event commit together: a snapshot has both or neither.
        assert contacts == audited
        assert contacts <= live
        sizes.append(len(contacts))
    assert sizes == sorted(sizes) and len(backups) >= 2

    started = time.monotonic()
    restored = str(tmp_path / "restored.db")
    code, _, err = cli(capsys, "--db", restored, "restore", str(backups[-1]))
    assert code == 0, err
    drill = time.monotonic() - started
    assert _contact_and_audit_ids(Path(restored))[0] == _contact_and_audit_ids(backups[-1])[0]
    figures(
        backups_during_writes=len(backups),
        writes_acked=len(acked),
        contacts_in_each_backup=sizes,
        restore_seconds=round(drill, 2),
    )


def test_restore_refuses_a_database_with_records_unless_forced(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    old = str(tmp_path / "old.db")
    runtime = open_runtime(old, clock=FixedClock(SEED_AT))
    admin.create_team(runtime.system_context(), "Old team")
    runtime.engine.dispose()
    assert cli(capsys, "--db", old, "backup", str(tmp_path / "old-copy.db"))[0] == 0

    live = str(tmp_path / "live.db")
    runtime = open_runtime(live, clock=FixedClock(SEED_AT))
    admin.create_team(runtime.system_context(), "Live team")
    runtime.engine.dispose()
    before = snapshot(live)

    code, out, err = cli(capsys, "--db", live, "restore", str(tmp_path / "old-copy.db"))
    assert code == 1 and out == ""
    assert err.startswith("tandem: The database at ") and "pass --force" in err
    assert len(err.strip().splitlines()) == 1
    assert snapshot(live) == before

    code, out, err = cli(capsys, "--db", live, "restore", "--force", str(tmp_path / "old-copy.db"))
    assert code == 0, err
    kept = next(tmp_path.glob("live.db.before-restore-*"))
    assert str(kept) in out
    assert [r[1] for r in snapshot(live)["teams"]] == ["Old team"]
    kept_rows = snapshot(f"sqlite:///{kept}")
    assert {k: v for k, v in kept_rows.items() if k != "audit_events"} == {
        k: v for k, v in before.items() if k != "audit_events"
    }
    assert kept_rows["audit_events"][: len(before["audit_events"])] == before["audit_events"]


def test_restore_refuses_what_is_not_a_tandem_backup(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    target = str(tmp_path / "target.db")
    not_db = tmp_path / "notes.txt"
    not_db.write_text("hello")
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE t (x)")
    for src, words in (
        (tmp_path / "missing.db", "There is no backup at"),
        (not_db, "is not a SQLite database"),
        (other, "is not a Tandem database"),
    ):
        code, out, err = cli(capsys, "--db", target, "restore", str(src))
        assert code == 1 and words in err and len(err.strip().splitlines()) == 1, err
    assert not Path(target).exists() or snapshot(target).get("teams", []) == []


def test_backup_refuses_to_overwrite_and_fills_a_folder_with_a_dated_file(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    db = str(tmp_path / "db.db")
    runtime = open_runtime(db)
    runtime.engine.dispose()
    folder = tmp_path / "backups"
    folder.mkdir()
    code, out, err = cli(capsys, "--db", db, "backup", str(folder))
    assert code == 0, err
    made = list(folder.iterdir())
    assert len(made) == 1 and made[0].name.startswith("tandem-") and made[0].suffix == ".db"
    code, out, err = cli(capsys, "--db", db, "backup", str(made[0]))
    assert code == 1 and "already exists" in err and "--force" in err
    assert cli(capsys, "--db", db, "backup", "--force", str(made[0]))[0] == 0
    code, _, err = cli(capsys, "--db", db, "backup", db)
    assert code == 1 and "cannot be written over the database" in err


# --- PostgreSQL: pg_dump and pg_restore -------------------------------------------------------


def _libpq(url: str) -> str:
    return "postgresql://" + url.split("://", 1)[1]


def test_postgres_backup_points_to_pg_dump_without_the_password(postgres_url, capsys) -> None:  # type: ignore[no-untyped-def]
    open_runtime(postgres_url).engine.dispose()
    for command in (["backup", "/tmp/never.db"], ["restore", "/tmp/never.db"]):
        code, out, err = cli(capsys, "--db", postgres_url, *command)
        assert code == 1 and out == ""
        assert ("pg_dump" in err) or ("pg_restore" in err)
        assert "README" in err and len(err.strip().splitlines()) == 1
        password = make_engine(postgres_url).url.password
        assert f":{password}@" not in err and ":***@" in err


def _pg_tool(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    return str(candidates[-1]) if candidates else None


def test_the_documented_pg_dump_round_trip_keeps_every_row(
    postgres_url, postgres_admin, figures
) -> None:  # type: ignore[no-untyped-def]
    import uuid

    from sqlalchemy import text

    pg_dump, pg_restore = _pg_tool("pg_dump"), _pg_tool("pg_restore")
    if not (pg_dump and pg_restore):
        pytest.skip("pg_dump / pg_restore are not installed")
    runtime = open_runtime(postgres_url, clock=FixedClock(SEED_AT))
    seed_database(runtime.uow_factory, runtime.clock)
    runtime.engine.dispose()
    name = f"tandem_restore_{uuid.uuid4().hex[:12]}"
    with postgres_admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    target = postgres_admin.url.set(database=name).render_as_string(hide_password=False)
    try:
        dump = Path(f"/tmp/{name}.dump")
        subprocess.run(
            [pg_dump, "--format=custom", "--file", str(dump), _libpq(postgres_url)],
            check=True,
            capture_output=True,
            timeout=120,
        )
        subprocess.run(
            [pg_restore, "--no-owner", "--dbname", _libpq(target), str(dump)],
            check=True,
            capture_output=True,
            timeout=120,
        )
        dump.unlink()
        before, after = snapshot(postgres_url), snapshot(target)
        assert before == after
        figures(rows_compared=sum(len(v) for v in before.values()), tables=len(before))
    finally:
        drop_test_database(postgres_admin, name)


def test_a_backup_from_an_older_version_is_restored_and_upgraded(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    from storage.migrate import current_revision, head_revision
    from tests.integration.test_migrations_data import _migrate, revisions

    old = tmp_path / "old.db"
    engine = make_engine(str(old))
    _migrate(engine, "upgrade", revisions()[0])
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO teams (name, summary_rhythm_weeks, visiting_standard_working_days, "
            "practitioners_see_team_families) VALUES ('Kept', 6, 10, 0)"
        )
    engine.dispose()

    restored = str(tmp_path / "restored.db")
    code, _, err = cli(capsys, "--db", restored, "restore", str(old))
    assert code == 0, err
    engine = make_engine(restored)
    assert current_revision(engine) == head_revision()
    engine.dispose()
    assert [r[1] for r in snapshot(restored)["teams"]] == ["Kept"]


def test_backups_either_side_of_the_autumn_clock_change_get_distinct_ordered_names(
    tmp_path: Path,
) -> None:
    """On 25 Oct 2026 London's 01:30 happens twice (BST, then GMT an hour later): backups into a
    folder at both get different names, in the order they were taken (the names are UTC)."""
    from datetime import UTC, timedelta
    from zoneinfo import ZoneInfo

    from storage.backup import destination_for

    london = ZoneInfo("Europe/London")
    first = datetime(2026, 10, 25, 1, 30, tzinfo=london, fold=0)  # 00:30 UTC
    second = datetime(2026, 10, 25, 1, 30, tzinfo=london, fold=1)  # 01:30 UTC
    assert second.astimezone(UTC) - first.astimezone(UTC) == timedelta(hours=1)
    names = [destination_for(tmp_path, now=when).name for when in (first, second)]
    assert names == ["tandem-20261025-003000Z.db", "tandem-20261025-013000Z.db"]
    assert names == sorted(names)
