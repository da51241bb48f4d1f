"""A database that is Tandem's (storage/guard.py, tui/bootstrap.py): commands that only read
create nothing; another program's SQLite file is refused unchanged; a damaged file gets one line
naming it and what to do; an unwritable location names the path and the reason."""

from __future__ import annotations

import io
import random
import sqlite3
from pathlib import Path

import pytest

from tui.cli import main

READ_ONLY = [
    ("info",),
    ("report", "burden"),
    ("audit",),
    ("users", "list"),
    ("teams", "list", "--json"),
    ("backup", "BACKUP_DIR"),
]
WRITING = [("teams", "add", "North"), ("seed",)]


def run(monkeypatch, capsys, db: str, *args: str, stdin: str = "") -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(["--db", db, *args])
    out, err = capsys.readouterr()
    return code, out, err


def one_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("tandem: ") and "Traceback" not in err
    return lines[0]


def snapshot(path: Path) -> tuple[list[str], str, bytes]:
    conn = sqlite3.connect(path)
    try:
        tables = sorted(r[0] for r in conn.execute("SELECT name FROM sqlite_master"))
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
    finally:
        conn.close()
    return tables, mode, path.read_bytes()


@pytest.mark.parametrize("args", READ_ONLY, ids=lambda a: " ".join(a))
def test_read_only_commands_refuse_a_missing_database_and_create_nothing(
    args, tmp_path, monkeypatch, capsys
) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "typo" / "x.db"
    args = tuple(str(tmp_path / "backups") if a == "BACKUP_DIR" else a for a in args)
    code, _, err = run(monkeypatch, capsys, str(target), *args)
    line = one_line(err)
    assert code != 0 and "no Tandem database" in line and str(target) in line
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("args", READ_ONLY[:1] + WRITING, ids=lambda a: " ".join(a))
def test_another_programs_sqlite_file_is_refused_unchanged(
    args, tmp_path, monkeypatch, capsys
) -> None:  # type: ignore[no-untyped-def]
    other = tmp_path / "notes.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    conn.execute("INSERT INTO notes (body) VALUES ('mine')")
    conn.commit()
    conn.close()
    before = snapshot(other)
    code, _, err = run(monkeypatch, capsys, str(other), *args)
    line = one_line(err)
    assert code != 0 and "not Tandem's" in line and "notes" in line and str(other) in line
    assert snapshot(other) == before
    assert before[1] == "delete"  # never switched to WAL
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.db"]


def test_a_file_that_is_not_a_database_gets_one_line_naming_it(
    tmp_path, monkeypatch, capsys
) -> None:  # type: ignore[no-untyped-def]
    junk = tmp_path / "tandem.db"
    junk.write_bytes(b"these are someone's holiday photos, not a database" * 100)
    before = junk.read_bytes()
    for args in (("info",), ("teams", "add", "North")):
        code, _, err = run(monkeypatch, capsys, str(junk), *args)
        line = one_line(err)
        assert code != 0 and str(junk) in line and "tandem restore" in line
    assert junk.read_bytes() == before


def test_a_damaged_database_is_named_with_what_to_do(
    demo_db, tmp_path, monkeypatch, capsys
) -> None:  # type: ignore[no-untyped-def]
    db = demo_db  # a Tandem database, every page in the file itself (its WAL checkpointed)
    # The schema page itself damaged: nothing can be read.
    broken = tmp_path / "broken.db"
    data = bytearray(db.read_bytes())
    data[100:3000] = b"\xff" * 2900
    broken.write_bytes(bytes(data))
    code, _, err = run(monkeypatch, capsys, str(broken), "info")
    line = one_line(err)
    assert code != 0 and str(broken) in line and "damaged" in line and "tandem restore" in line


def test_a_quick_check_failure_warns_readers_and_stops_writers(
    demo_db, monkeypatch, capsys
) -> None:  # type: ignore[no-untyped-def]
    db = demo_db
    data = bytearray(db.read_bytes())
    page = 4096
    data[page * 20 : page * 23] = random.Random(12).randbytes(3 * page)  # a few data pages
    db.write_bytes(bytes(data))
    before = db.read_bytes()
    code, _, err = run(monkeypatch, capsys, str(db), "teams", "add", "Damaged")
    line = one_line(err)
    assert code != 0 and "integrity check" in line and "Nothing was written" in line
    assert db.read_bytes() == before
    _code, _, err = run(monkeypatch, capsys, str(db), "users", "list")
    assert err.splitlines()[0].startswith("tandem: warning: The database")
    assert "integrity check" in err.splitlines()[0]


def test_an_unwritable_location_names_the_path_and_the_reason(
    tmp_path, monkeypatch, capsys
) -> None:  # type: ignore[no-untyped-def]
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where a folder should be")
    code, _, err = run(monkeypatch, capsys, str(blocker / "sub" / "t.db"), "teams", "add", "North")
    line = one_line(err)
    assert code != 0 and str(blocker) in line and "is a file, not a folder" in line


def test_a_read_only_database_file_names_the_path_and_the_reason(
    demo_db, monkeypatch, capsys
) -> None:  # type: ignore[no-untyped-def]
    import os

    db = demo_db
    real_access = os.access
    # As if the file were read-only for this user (the tests may run as root, who can write it).
    monkeypatch.setattr(
        "storage.guard.os.access",
        lambda p, mode: False if Path(p) == db and mode & os.W_OK else real_access(p, mode),
    )
    code, _, err = run(monkeypatch, capsys, str(db), "info")
    line = one_line(err)
    assert code != 0 and str(db) in line and "not writable (permission denied)" in line


def test_writing_commands_create_the_database(tmp_path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "new" / "tandem.db"
    assert run(monkeypatch, capsys, str(db), "teams", "add", "North")[0] == 0
    code, out, _ = run(monkeypatch, capsys, str(db), "teams", "list", "--json")
    assert code == 0 and '"North"' in out


@pytest.mark.postgres
def test_a_postgres_database_with_other_tables_is_refused_unchanged(
    postgres_url, monkeypatch, capsys
) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import create_engine, inspect, text

    from storage.engine import resolve_url

    engine = create_engine(resolve_url(postgres_url))
    try:
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE invoices (id integer primary key)"))
        code, _, err = run(monkeypatch, capsys, postgres_url, "teams", "add", "North")
        assert code != 0 and "not Tandem's" in one_line(err) and "invoices" in err
        password = engine.url.password
        assert not password or f":{password}@" not in err  # the location is shown redacted
        assert set(inspect(engine).get_table_names()) == {"invoices"}
    finally:
        engine.dispose()
