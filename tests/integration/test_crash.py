"""Crash safety: a writer saving contacts, scaling and summary text through the real services is
killed with SIGKILL at a random moment, again and again (50 times by default; set
TANDEM_CRASH_KILLS for more). After every kill:

* every write the writer acknowledged (logged to its own file only after the service returned,
  the moment the UI says "Saved") is stored, byte for byte (SHA-256 of the text);
* at most one write per kill is stored without an acknowledgement (a commit that landed just
  before the kill);
* SQLite: ``PRAGMA integrity_check`` is ``ok`` and ``PRAGMA foreign_key_check`` finds nothing;
  PostgreSQL: no row points at a missing parent, for every foreign key.

Writers start from a fork server that has imported the app but opened no database connection
(connections are only ever opened after the fork), so a kill cycle is fast.

Figures are printed as ``FIGURES {...}`` (pytest -s) and appended to ``trust-figures.jsonl`` in
pytest's base temporary directory.
"""

from __future__ import annotations

import functools
import hashlib
import json
import multiprocessing
import os
import random
import signal
import sqlite3
import time
from datetime import datetime
from datetime import time as clock_time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from domain.clock import SystemClock
from domain.services import admin, contacts, families, mappings, summaries
from domain.services.context import Context
from storage.engine import make_engine, resolve_url, sqlite_path
from storage.uow import sql_uow_factory
from tui.bootstrap import open_runtime

#: Tests that start many writer processes run one after another on one xdist worker, never two
#: such crowds at once on a 2-core machine (pyproject: --dist loadgroup).
pytestmark = pytest.mark.xdist_group("many-processes")

KILLS = int(os.environ.get("TANDEM_CRASH_KILLS", "50"))
DELAY = (0.05, 0.4)  # seconds between the writer being ready and the kill
PAYLOAD = "\n".join(["Seen at home with Dana. “Quoted words”, ✓, [sic] and another line:"] * 4)


def sha(text_: str) -> str:
    return hashlib.sha256(text_.encode("utf-8")).hexdigest()


# --- checks shared with test_concurrency ---------------------------------------------------------


def integrity_problems(url: str) -> list[str]:
    """What is wrong with the database's integrity (empty: nothing).

    SQLite: integrity_check and foreign_key_check. Every backend: for each foreign key, rows that
    point at a missing parent."""
    problems: list[str] = []
    path = sqlite_path(resolve_url(url))
    if path is not None:
        conn = sqlite3.connect(path, timeout=30)
        try:
            result = [r[0] for r in conn.execute("PRAGMA integrity_check")]
            if result != ["ok"]:
                problems.append(f"integrity_check: {result[:3]}")
            broken = conn.execute("PRAGMA foreign_key_check").fetchall()
            if broken:
                problems.append(f"foreign_key_check: {len(broken)} rows, first {broken[0]}")
        finally:
            conn.close()
    engine = create_engine(resolve_url(url), poolclass=NullPool)
    with engine.connect() as conn:
        for name, statement in _orphan_queries():
            orphans = conn.execute(text(statement)).scalar()
            if orphans:
                problems.append(f"{name}: {orphans} orphan rows")
    engine.dispose()
    return problems


@functools.cache
def _orphan_queries() -> list[tuple[str, str]]:
    """One count query per foreign key of the schema (storage/tables.py): child rows whose
    parent is missing."""
    from storage.tables import metadata

    queries = []
    for table in metadata.sorted_tables:
        for fk in table.foreign_key_constraints:
            pairs = [(e.parent.name, e.column.name) for e in fk.elements]
            joined = " AND ".join(f"p.{pc} = c.{cc}" for cc, pc in pairs)
            present = " AND ".join(f"c.{cc} IS NOT NULL" for cc, _ in pairs)
            queries.append(
                (
                    f"{table.name}({', '.join(cc for cc, _ in pairs)})",
                    f"SELECT count(*) FROM {table.name} c WHERE {present} AND NOT EXISTS "
                    f"(SELECT 1 FROM {fk.referred_table.name} p WHERE {joined})",
                )
            )
    return queries


def stored_writes(url: str) -> dict[str, str]:
    """Every stored write, as 'kind key' -> SHA-256 of its text (what acknowledgements name)."""
    engine = create_engine(resolve_url(url), poolclass=NullPool)
    out: dict[str, str] = {}
    with engine.connect() as conn:
        for id_, note in conn.execute(text("SELECT id, note FROM contacts")):
            out[f"contact {id_}"] = sha(note)
        for id_, reason in conn.execute(text("SELECT id, reason FROM scaling_ratings")):
            out[f"scaling {id_}"] = sha(reason)
        for sid, number, sections in conn.execute(
            text("SELECT summary_id, number, sections FROM summary_versions")
        ):
            stored = json.loads(sections)  # {"v": 1, "sections": {section: text}}
            out[f"summary {sid}.{number}"] = sha(stored["sections"].get("analysis", ""))
    engine.dispose()
    return out


def read_acks(path: Path) -> dict[str, str]:
    """'kind key' -> SHA-256, from a writer's acknowledgement file (complete lines only)."""
    if not path.exists():
        return {}
    acks = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) == 3:
            acks[f"{parts[0]} {parts[1]}"] = parts[2]
    return acks


def ack(fd: int, kind: str, key: object, text_: str) -> None:
    """One line, written with a single write() only after the service returned."""
    os.write(fd, f"{kind} {key} {sha(text_)}\n".encode())


# --- the writer ----------------------------------------------------------------------------------


def _writer(url: str, ids: dict[str, int], round_no: int, ready, ack_path: str) -> None:  # type: ignore[no-untyped-def]
    """Child process: save for ever (a contact, a scaling, a summary version, in turn)."""
    engine = make_engine(url)
    make_uow = sql_uow_factory(engine)
    with make_uow() as uow:
        user = uow.users.get(ids["user"])
    ctx = Context(make_uow, SystemClock(), user)
    base = summaries.get_summary(ctx, ids["summary"]).version
    fd = os.open(ack_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    ready.set()
    seq = 0
    while True:
        seq += 1
        words = f"r{round_no}-{seq} {PAYLOAD}"
        if seq % 3 == 1:
            c = contacts.log_contact(
                ctx, ids["family"], datetime.now().date(), clock_time(0, 0), 20, "home_visit", words
            )
            ack(fd, "contact", c.id, words)
        elif seq % 3 == 2:
            r = mappings.record_scaling(
                ctx, ids["family"], None, "Dana Reid", "parent", seq % 11, words
            )
            ack(fd, "scaling", r.id, words)
        else:
            s = summaries.save_summary(ctx, ids["summary"], {"analysis": words}, base)
            base = s.version
            ack(fd, "summary", f"{s.id}.{s.version}", words)


def _world(url: str) -> dict[str, int]:
    runtime = open_runtime(url)
    system = runtime.system_context()
    team = admin.create_team(system, "North")
    user = admin.create_user(system, "alex", "Alex Smith", "practitioner", "North")
    family = families.create_family(
        system, "FAM-0001", "Reid family", team_id=team.id, practitioner="alex"
    )
    summary = summaries.start_summary(Context(runtime.uow_factory, runtime.clock, user), family.id)
    runtime.engine.dispose()
    return {"user": user.id, "family": family.id, "summary": summary.id}


def test_acknowledged_writes_survive_sigkill_and_the_database_stays_intact(  # type: ignore[no-untyped-def]
    database_url, tmp_path, figures
) -> None:
    ids = _world(database_url)
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    rng = random.Random(20250310)
    acked: dict[str, str] = {}
    unacked_stored = 0
    first_version = f"summary {ids['summary']}.1"  # start_summary's, before any writer
    started = time.monotonic()
    for k in range(KILLS):
        ack_path = tmp_path / f"acks-{k}"
        ready = context.Event()
        writer = context.Process(target=_writer, args=(database_url, ids, k, ready, str(ack_path)))
        writer.start()
        assert ready.wait(60), f"writer {k} did not start"
        time.sleep(rng.uniform(*DELAY))
        os.kill(writer.pid, signal.SIGKILL)
        writer.join(30)
        assert writer.exitcode == -signal.SIGKILL, f"writer {k} ended by itself: {writer.exitcode}"

        acked.update(read_acks(ack_path))
        stored = stored_writes(database_url)
        missing = [key for key in acked if key not in stored]
        altered = [key for key in acked if key in stored and stored[key] != acked[key]]
        assert missing == [] and altered == [], f"kill {k}: lost {missing}, changed {altered}"
        extra = [key for key in stored if key not in acked and key != first_version]
        assert len(extra) - unacked_stored <= 1, f"kill {k}: {extra}"
        unacked_stored = len(extra)
        assert integrity_problems(database_url) == [], f"after kill {k}"
    figures(
        backend="sqlite" if database_url.startswith("sqlite") else "postgresql",
        kills=KILLS,
        acked_writes=len(acked),
        lost=0,
        altered=0,
        stored_but_unacknowledged=unacked_stored,
        integrity_failures=0,
        seconds=round(time.monotonic() - started, 1),
    )
    assert len(acked) >= KILLS  # the writers did get work done between kills


def test_the_integrity_checks_can_fail(sqlite_url) -> None:  # type: ignore[no-untyped-def]
    """The checks above find a broken reference (so a pass means something)."""
    _world(sqlite_url)
    assert integrity_problems(sqlite_url) == []
    conn = sqlite3.connect(sqlite_path(resolve_url(sqlite_url)))
    conn.execute("PRAGMA foreign_keys=OFF")
    conn.execute("INSERT INTO members (family_id, name, role) VALUES (999, 'Ghost', 'child')")
    conn.commit()
    conn.close()
    problems = integrity_problems(sqlite_url)
    assert any(p.startswith("foreign_key_check") for p in problems), problems
    assert any(p.startswith("members(family_id)") for p in problems), problems
