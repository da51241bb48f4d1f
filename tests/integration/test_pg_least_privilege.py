"""Least privilege on PostgreSQL (issue 11, item 4): ``tandem db roles --run`` makes a schema
owner and a runtime role; the owner migrates (``tandem db upgrade``); the app, signed in as the
runtime role, does its ordinary work but every statement that could rewrite the audit log is
refused, and it may not migrate the schema itself.

Creating roles needs a superuser (or CREATEROLE): $TANDEM_TEST_POSTGRES_ADMIN_URL (.ci/run sets it),
else the ``postgres`` user on the server of $TANDEM_TEST_POSTGRES_URL. Skipped only when neither
is set or neither may create roles.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import date, datetime

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from domain.audit import AuditAction, AuditEvent
from domain.services import admin, families
from storage.engine import make_engine, resolve_url
from tui.bootstrap import open_runtime
from tui.cli import main

pytestmark = pytest.mark.postgres

ADMIN_ENV = "TANDEM_TEST_POSTGRES_ADMIN_URL"

TAMPERING = [
    "ALTER TABLE audit_events DISABLE TRIGGER USER",
    "ALTER TABLE audit_events DISABLE TRIGGER ALL",
    "UPDATE audit_events SET detail = 'tampered'",
    "DELETE FROM audit_events",
    "TRUNCATE audit_events",
    "CREATE OR REPLACE FUNCTION audit_events_refuse_change() RETURNS trigger "
    "LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$",
    "DROP TRIGGER audit_events_no_update_or_delete ON audit_events",
    "DROP TRIGGER audit_events_no_truncate ON audit_events",
    "DROP FUNCTION audit_events_refuse_change() CASCADE",
    "ALTER TABLE audit_events OWNER TO CURRENT_USER",
    "DROP TABLE audit_events",
    "ALTER TABLE audit_events RENAME TO audit_events_old",
    "CREATE TABLE my_own (id int)",
]


def _admin_url() -> str | None:
    if os.environ.get(ADMIN_ENV):
        return resolve_url(os.environ[ADMIN_ENV])
    base = os.environ.get("TANDEM_TEST_POSTGRES_URL")
    if not base:
        return None
    return (
        make_url(resolve_url(base))
        .set(username="postgres", password=None, database="postgres")
        .render_as_string(hide_password=False)
    )


@pytest.fixture
def superuser() -> Iterator[Engine]:
    url = _admin_url()
    if url is None:
        pytest.skip(f"needs {ADMIN_ENV} or TANDEM_TEST_POSTGRES_URL")
    engine = create_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        with engine.connect() as conn:
            may = conn.execute(
                text("SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user")
            ).scalar()
    except DBAPIError as exc:
        engine.dispose()
        pytest.skip(f"cannot reach the PostgreSQL administrator {url!r}: {exc.orig}")
    if not may:
        engine.dispose()
        pytest.skip(f"{url!r} may not create roles (set {ADMIN_ENV} to a superuser's URL)")
    yield engine
    engine.dispose()


def _url(admin: Engine, database: str, user: str) -> str:
    return admin.url.set(username=user, password=None, database=database).render_as_string(
        hide_password=False
    )


@pytest.fixture
def council(superuser: Engine) -> Iterator[dict[str, str]]:
    """A database of its own and two roles of their own (dropped after)."""
    suffix = uuid.uuid4().hex[:10]
    owner, runtime, database = f"t_owner_{suffix}", f"t_app_{suffix}", f"tandem_roles_{suffix}"
    with superuser.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{database}"'))
    try:
        yield {
            "owner": owner,
            "runtime": runtime,
            "admin_url": _url(superuser, database, superuser.url.username or "postgres"),
            "owner_url": _url(superuser, database, owner),
            "app_url": _url(superuser, database, runtime),
        }
    finally:
        with superuser.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
            for role in (runtime, owner):
                conn.execute(text(f"DROP ROLE IF EXISTS {role}"))


def test_runtime_role_cannot_rewrite_the_audit_log(council, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    c = council
    args = ["db", "roles", "--owner", c["owner"], "--runtime", c["runtime"], "--run"]
    assert main(["--db", c["admin_url"], *args]) == 0
    capsys.readouterr()

    # The app's login may not create the schema: a clear one-line refusal, nothing half-made.
    assert main(["--db", c["app_url"], "info"]) == 1
    err = capsys.readouterr().err
    assert "tandem db upgrade" in err and "may not change the schema" in err
    assert "Traceback" not in err

    assert main(["--db", c["app_url"], "db", "upgrade"]) == 1
    assert "may not change the schema" in capsys.readouterr().err

    # With the owner's URL in TANDEM_MIGRATION_DATABASE_URL, the app migrates as the owner first.
    monkeypatch.setenv("TANDEM_MIGRATION_DATABASE_URL", c["owner_url"])
    assert main(["--db", c["app_url"], "info"]) == 0
    monkeypatch.delenv("TANDEM_MIGRATION_DATABASE_URL")
    assert main(["--db", c["owner_url"], "db", "upgrade"]) == 0
    assert "schema at revision" in capsys.readouterr().out
    with make_engine(c["owner_url"]).connect() as conn:
        owners = set(
            conn.execute(
                text("SELECT tableowner FROM pg_tables WHERE schemaname = 'public'")
            ).scalars()
        )
    assert owners == {c["owner"]}

    # The app, as the runtime role, does its ordinary work (inserts, updates, audit rows) ...
    runtime = open_runtime(c["app_url"])
    try:
        system = runtime.system_context()
        admin.create_team(system, "North")
        admin.create_user(system, "alex", "Alex Smith", "practitioner", "North")
        family = families.create_family(
            system, "FAM-0001", "Reid family", team_id=1, opened_on=date(2025, 1, 1)
        )
        with runtime.engine.begin() as conn:  # ordinary tables: UPDATE and DELETE allowed
            conn.execute(
                text("UPDATE families SET name = 'Reid-Khan family' WHERE id = :id"),
                {"id": family.id},
            )
            conn.execute(text("DELETE FROM drafts"))
        with runtime.engine.begin() as conn:  # the report's rollups follow, by trigger
            conn.execute(
                text(
                    "INSERT INTO manual_recording_entries (user_id, on_date, minutes, kind, note) "
                    "SELECT id, DATE '2025-03-10', 30, 'other', '' FROM users "
                    "WHERE username = 'alex'"
                )
            )
            assert conn.execute(text("SELECT m_other FROM rollup_trial_days")).scalar() == 30
            assert conn.execute(text("SELECT m_other FROM rollup_trial_weeks")).scalar() == 30
        with runtime.uow_factory() as uow:
            uow.audit.record(AuditEvent(datetime(2025, 3, 10, 9, 0), None, AuditAction.VIEW, "x"))
            uow.commit()
        with runtime.uow_factory() as uow:
            before = uow.audit.list()
        assert len(before) >= 4

        # ... but every statement that could change the audit log is refused.
        for statement in TAMPERING:
            with pytest.raises(DBAPIError) as refused, runtime.engine.begin() as conn:
                conn.exec_driver_sql(statement)
            message = str(refused.value.orig).lower()
            assert any(
                why in message for why in ("permission denied", "must be owner", "insert-only")
            ), (statement, message)

        with runtime.uow_factory() as uow:
            assert uow.audit.list() == before
        with runtime.engine.connect() as conn:
            triggers = conn.execute(
                text(
                    "SELECT tgname, tgenabled FROM pg_trigger "
                    "WHERE tgrelid = 'audit_events'::regclass AND NOT tgisinternal ORDER BY 1"
                )
            ).all()
        assert [(t.tgname, t.tgenabled) for t in triggers] == [
            ("audit_events_no_truncate", "O"),
            ("audit_events_no_update_or_delete", "O"),
        ]
    finally:
        runtime.engine.dispose()

    # tandem audit --verify says how this database protects the log (it runs as the app's login).
    assert main(["--db", c["app_url"], "audit", "--verify"]) == 0
    assert "protected by database roles" in capsys.readouterr().out

    # Running the roles script again (an existing database) changes none of this.
    assert main(["--db", c["admin_url"], *args]) == 0
    engine = make_engine(c["app_url"])
    try:
        with pytest.raises(DBAPIError, match="permission denied"), engine.begin() as conn:
            conn.exec_driver_sql("DELETE FROM audit_events")
        with engine.begin() as conn:  # and it still reads and adds
            conn.exec_driver_sql(
                "INSERT INTO audit_events (at, action, entity, detail) "
                "VALUES (now(), 'view', 'x', '')"
            )
    finally:
        engine.dispose()
