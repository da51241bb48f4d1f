"""The audit log: insert-only, hash-chained on SQLite: rows <-> events and the repository."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime

from sqlalchemy import or_, select
from sqlmodel import col

from domain.audit import AuditAction, AuditEvent, family_token
from domain.audit_chain import GENESIS, ChainLink, event_hash
from storage.repo_base import SqlRepository, bulk_insert
from storage.tables import AuditEventRow


def audit_to_row(event: AuditEvent) -> AuditEventRow:
    return AuditEventRow(
        at=event.at,
        user_id=event.user_id,
        action=AuditAction(event.action).value,
        entity=event.entity,
        entity_id=event.entity_id,
        family_id=event.family_id,
        detail=event.detail,
    )


def audit_from_row(row: AuditEventRow) -> AuditEvent:
    return AuditEvent(
        id=row.id,
        at=row.at,
        user_id=row.user_id,
        action=AuditAction(row.action),
        entity=row.entity,
        entity_id=row.entity_id,
        family_id=row.family_id,
        detail=row.detail,
    )


class SqlAuditLog(SqlRepository):
    """Insert-only: this class has no update or delete, and the database refuses both.

    On SQLite each event is chained to the one before (domain/audit_chain.py): the previous hash
    is read and the new one written in the same transaction, which holds SQLite's write lock from
    its start (storage/engine.py), so no other writer can slip an event in between.
    """

    @property
    def chained(self) -> bool:
        return self.session.get_bind().dialect.name == "sqlite"

    def record(self, event: AuditEvent) -> None:
        row = audit_to_row(event)
        if self.chained:
            previous = self.session.scalar(
                select(col(AuditEventRow.hash)).order_by(col(AuditEventRow.id).desc()).limit(1)
            )
            row.prev_hash = previous or GENESIS
            row.hash = event_hash(row.prev_hash, event)
        self.session.add(row)
        self.session.flush()

    def record_many(self, events: Sequence[AuditEvent]) -> None:
        """Insert ``events`` in order with one bulk statement (chained on SQLite, as ``record``)."""
        if not events:
            return
        rows = [
            {
                "at": e.at,
                "user_id": e.user_id,
                "action": AuditAction(e.action).value,
                "entity": e.entity,
                "entity_id": e.entity_id,
                "family_id": e.family_id,
                "detail": e.detail,
                "prev_hash": None,
                "hash": None,
            }
            for e in events
        ]
        if self.chained:
            previous = self.session.scalar(
                select(col(AuditEventRow.hash)).order_by(col(AuditEventRow.id).desc()).limit(1)
            )
            previous = previous or GENESIS
            for row, event in zip(rows, events, strict=True):
                row["prev_hash"] = previous
                row["hash"] = previous = event_hash(previous, event)
        self.session.flush()
        bulk_insert(self.session, AuditEventRow, rows)

    def chain(self, batch: int = 5000) -> Iterator[ChainLink]:
        """Every event with its stored hashes, oldest first, read ``batch`` rows at a time."""
        after = 0
        while True:
            rows = list(
                self.session.scalars(
                    select(AuditEventRow)
                    .where(col(AuditEventRow.id) > after)
                    .order_by(col(AuditEventRow.id))
                    .limit(batch)
                )
            )
            if not rows:
                return
            for row in rows:
                yield ChainLink(audit_from_row(row), row.prev_hash, row.hash)
            after = rows[-1].id or after
            for row in rows:  # a long log is walked without keeping it all in the session
                self.session.expunge(row)

    def list(
        self,
        *,
        family_id: int | None = None,
        user_id: int | None = None,
        since: datetime | None = None,
        limit: int | None = None,
    ) -> list[AuditEvent]:
        query = select(AuditEventRow)
        if family_id is not None:  # its own family, or a list view that showed it
            query = query.where(
                or_(
                    col(AuditEventRow.family_id) == family_id,
                    col(AuditEventRow.detail).contains(family_token(family_id), autoescape=True),
                )
            )
        if user_id is not None:
            query = query.where(col(AuditEventRow.user_id) == user_id)
        if since is not None:
            query = query.where(col(AuditEventRow.at) >= since)
        if limit:
            rows = list(
                self.session.scalars(query.order_by(col(AuditEventRow.id).desc()).limit(limit))
            )
            rows.reverse()
        else:
            rows = list(self.session.scalars(query.order_by(col(AuditEventRow.id))))
        return [audit_from_row(r) for r in rows]
