"""Secrets: passphrases are stored only as memory-hard (scrypt) hashes, and neither a passphrase
nor a hash ever shows up anywhere else: not in a log record, an audit row, any other column of any
table, the database file itself (SQLite), the family copy export, a report, the output of
``tandem info`` / ``users list`` / ``audit`` (/ ``report``), an error message of a failed sign-in
or a refused passphrase, or a draft.

Everything below is done for real against SQLite and PostgreSQL, then grepped.
"""

from __future__ import annotations

import base64
import importlib.util
import io
import logging
from datetime import date, datetime, time
from pathlib import Path

import pytest
from sqlalchemy import MetaData, String, Text, create_engine, select
from sqlalchemy.pool import NullPool

from domain.clock import FixedClock
from domain.errors import DomainError
from domain.passwords import verify_passphrase
from domain.plans import PlanContent, PlanGoal
from domain.services import admin, contacts, drafts, families, plans, recording
from domain.services.context import Context
from storage.engine import resolve_url, sqlite_path
from tui.bootstrap import open_runtime
from tui.cli import main

NOW = datetime(2025, 3, 10, 9, 30)
#: Every passphrase used below: none may appear anywhere but (hashed) in users.passphrase_hash.
PASSPHRASES = {
    "ada": "Quartz-Lantern-Umbrella-73",
    "alex": "violet kettle marathon 9914",
    "mo": "Mo's very own passphrase §¶ 42",
    "pat": "project staff secret swordfish",
}
ALEX_NEW = "alex replaced this passphrase 2025"
WEAK = "tiny1"
#: Columns that hold a secret on purpose (each is checked to appear nowhere else).
KEPT_SECRETS = {("users", "passphrase_hash"), ("pseudonym_keys", "secret")}


def _cli(monkeypatch, capsys, db: str, *args: str, stdin: str = "") -> str:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    main(["--db", db, *args])
    out, err = capsys.readouterr()
    return out + err


def _hash_parts(encoded: str) -> list[str]:
    """The whole hash and its salt and digest, as stored (base64) and decoded (hex)."""
    _, _, _, _, salt, digest = encoded.split("$")
    parts = [encoded, salt, digest]
    parts += [base64.b64decode(p).hex() for p in (salt, digest)]
    return parts


def test_no_passphrase_or_hash_leaks_anywhere(  # type: ignore[no-untyped-def]
    database_url, monkeypatch, capsys, caplog, figures
) -> None:
    caplog.set_level(logging.DEBUG)
    outputs: list[str] = []  # everything a person could see
    db = database_url
    outputs.append(_cli(monkeypatch, capsys, db, "teams", "add", "North"))
    for name, role, team in (
        ("ada", "admin", None),
        ("alex", "practitioner", "North"),
        ("mo", "team_manager", "North"),
        ("pat", "project_staff", None),
    ):
        args = ["users", "add", name, "--name", name.title(), "--role", role]
        args += ["--team", team] if team else []
        outputs.append(
            _cli(
                monkeypatch, capsys, db, *args, "--passphrase-stdin", stdin=PASSPHRASES[name] + "\n"
            )
        )

    clock = FixedClock(NOW)
    runtime = open_runtime(db, clock=clock)
    nobody = Context(runtime.uow_factory, clock, None)
    errors: list[str] = []

    def refused(call) -> None:  # type: ignore[no-untyped-def]
        with pytest.raises(DomainError) as caught:
            call()
        errors.append(str(caught.value))
        errors.append(repr(caught.value))

    # Sign-ins: right, wrong, the passphrase typed as the user name, an unknown name.
    alex = admin.authenticate(nobody, "alex", PASSPHRASES["alex"])
    assert alex.passphrase_hash is None
    outputs.append(repr(alex))
    refused(lambda: admin.authenticate(nobody, "alex", PASSPHRASES["mo"]))
    refused(lambda: admin.authenticate(nobody, PASSPHRASES["alex"], PASSPHRASES["alex"]))
    refused(lambda: admin.authenticate(nobody, "nobody-here", PASSPHRASES["ada"]))
    refused(lambda: admin.authenticate(nobody, "", ""))
    # Passphrase changes: refused ones, then a real one.
    as_alex = Context(runtime.uow_factory, clock, alex)
    refused(lambda: admin.set_passphrase(as_alex, "alex", ALEX_NEW, current=PASSPHRASES["mo"]))
    refused(lambda: admin.set_passphrase(as_alex, "alex", WEAK, current=PASSPHRASES["alex"]))
    refused(lambda: admin.set_passphrase(as_alex, "mo", ALEX_NEW))
    admin.set_passphrase(as_alex, "alex", ALEX_NEW, current=PASSPHRASES["alex"])
    system = runtime.system_context()
    refused(lambda: admin.create_user(system, "weak", "Weak One", "admin", passphrase=WEAK))
    refused(lambda: admin.bootstrap_admin(nobody, "second", "Second", PASSPHRASES["ada"]))
    alex = admin.authenticate(nobody, "alex", ALEX_NEW)
    as_alex = Context(runtime.uow_factory, clock, alex)

    # Family records, a draft, the family copy export, a report.
    fam = families.create_family(
        system,
        "FAM-0001",
        "Reid family",
        team_id=1,
        practitioner="alex",
        opened_on=date(2024, 10, 1),
    )
    content = PlanContent(
        start_date=date(2025, 2, 1),
        review_date=date(2025, 5, 1),
        family_words="We want to stay together.",
        goals=(PlanGoal(text="School every day"),),
    )
    plans.save_plan(as_alex, fam.id, content, None)
    contacts.log_contact(as_alex, fam.id, NOW.date(), time(9, 0), 60, "home_visit", "Visit.")
    drafts.autosave(as_alex, "plan:family:1", "Typed, not yet saved: the plan for next week.")
    for fmt in ("markdown", "html"):
        outputs.append(plans.export_family_copy(as_alex, fam.id, fmt))
    recording.import_baseline(
        system, "practitioner,date,category,minutes\nalex,2024-09-02,recording,90\n"
    )
    if importlib.util.find_spec("domain.services.reports"):
        from domain.services import reports

        outputs.append(repr(reports.burden_report(system, identify=False, min_group_size=1)))
    outputs.append(repr(admin.list_users(system)))

    # Command-line output.
    for args in (
        ["info"],
        ["info", "--json"],
        ["users", "list"],
        ["users", "list", "--json"],
        ["audit"],
        ["audit", "--json"],
    ):
        outputs.append(_cli(monkeypatch, capsys, db, *args))
    if importlib.util.find_spec("tui.cli_report"):
        for fmt in ("table", "csv", "json"):
            for names in ([], ["--names"]):
                args = ["report", "burden", "--min-group", "1", "--format", fmt, *names]
                monkeypatch.setattr("sys.stdin", io.StringIO(""))
                code = main(["--db", db, *args])
                out, err = capsys.readouterr()
                assert code == 0, err
                outputs.append(out + err)
    runtime.engine.dispose()

    # The stored hashes: scrypt, at least 16 MiB of memory, each verifying its passphrase only.
    engine = create_engine(resolve_url(db), poolclass=NullPool)
    meta = MetaData()
    meta.reflect(engine)
    with engine.connect() as conn:
        users = {r.username: r.passphrase_hash for r in conn.execute(select(meta.tables["users"]))}
        texts = []  # every text value of every other column of every table
        for table in meta.sorted_tables:
            columns = [
                c
                for c in table.columns
                if isinstance(c.type, String | Text) and (table.name, c.name) not in KEPT_SECRETS
            ]
            if columns:
                for row in conn.execute(select(*columns)):
                    texts.extend(str(v) for v in row if v is not None)
        keys = meta.tables.get("pseudonym_keys")
        report_keys = [r.secret for r in conn.execute(select(keys))] if keys is not None else []
        audit_rows = [repr(tuple(r)) for r in conn.execute(select(meta.tables["audit_events"]))]
        draft_rows = [repr(tuple(r)) for r in conn.execute(select(meta.tables["drafts"]))]
    engine.dispose()
    final = {**PASSPHRASES, "alex": ALEX_NEW}
    for name, encoded in users.items():
        if name not in final:
            continue
        scheme, n, r, p, _, _ = encoded.split("$")
        assert scheme == "scrypt" and int(n) * int(r) * 128 >= 16 * 1024 * 1024
        assert verify_passphrase(final[name], encoded)
        assert not any(
            verify_passphrase(other, encoded)
            for other in [*PASSPHRASES.values(), ALEX_NEW]
            if other != final[name]
        )
    assert len(set(users.values())) == len(users), "salted: no two hashes alike"

    secrets = [*PASSPHRASES.values(), ALEX_NEW, WEAK, *report_keys]
    secrets += [part for encoded in users.values() if encoded for part in _hash_parts(encoded)]
    logs = [caplog.text] + [str(r.args) for r in caplog.records]
    places = {
        "command-line and service output": outputs,
        "error messages": errors,
        "log records": logs,
        "audit rows": audit_rows,
        "drafts": draft_rows,
        "other columns of every table": texts,
    }
    found = [
        (where, secret[:6] + "…")
        for where, values in places.items()
        for value in values
        for secret in secrets
        if secret in value
    ]
    path = sqlite_path(resolve_url(db))
    if path is not None:  # the file on disk holds hashes (users), never a passphrase
        for suffix in ("", "-wal"):
            if Path(str(path) + suffix).exists():
                data = Path(str(path) + suffix).read_bytes()
                places[f"database file{suffix}"] = [data.decode("latin-1")]
                found += [
                    (f"database file{suffix}", secret[:6] + "…")
                    for secret in [*PASSPHRASES.values(), ALEX_NEW, WEAK]
                    if secret.encode("utf-8") in data
                ]
    assert found == []
    assert len(errors) >= 16 and audit_rows and draft_rows
    figures(
        backend=engine.dialect.name,
        secrets=len(secrets),
        places=len(places),
        texts_scanned=sum(len(v) for v in places.values()),
        leaks=0,
    )
