"""The audit log is insert-only in the database itself: even SQL that bypasses the repositories
cannot change or delete an audit row, on either backend."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from domain.audit import AuditAction, AuditEvent
from tests.integration.builders import NOW


@pytest.fixture
def recorded(uow_factory):  # type: ignore[no-untyped-def]
    with uow_factory() as uow:
        uow.audit.record(AuditEvent(NOW, 1, AuditAction.VIEW, "family", 5, 5, "opened"))
        uow.commit()
    with uow_factory() as uow:
        return uow.audit.list()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_events SET detail = 'tampered'",
        "UPDATE audit_events SET user_id = NULL WHERE id > 0",
        "DELETE FROM audit_events",
        "DELETE FROM audit_events WHERE action = 'view'",
    ],
)
def test_database_refuses_to_change_audit_rows(engine, uow_factory, recorded, statement) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DBAPIError, match="insert-only"), engine.begin() as conn:
        conn.execute(text(statement))
    with uow_factory() as uow:
        assert uow.audit.list() == recorded
        assert recorded[0].detail == "opened"


def test_database_refuses_truncate_on_postgres(engine, uow_factory, recorded, backend) -> None:  # type: ignore[no-untyped-def]
    if backend != "postgresql":
        pytest.skip("TRUNCATE is PostgreSQL only (SQLite's DELETE is covered above)")
    with pytest.raises(DBAPIError, match="insert-only"), engine.begin() as conn:
        conn.execute(text("TRUNCATE audit_events"))
    with uow_factory() as uow:
        assert uow.audit.list() == recorded


def test_inserting_is_still_allowed(engine, uow_factory, recorded) -> None:  # type: ignore[no-untyped-def]
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO audit_events (at, action, entity, detail) "
                "VALUES (:at, 'sign_in', 'user', '')"
            ),
            {"at": NOW},
        )
    with uow_factory() as uow:
        assert [e.action for e in uow.audit.list()] == [AuditAction.VIEW, AuditAction.SIGN_IN]
