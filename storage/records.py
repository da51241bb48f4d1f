"""SQL repositories for the day-to-day records: contacts, recording time, observations with their
consents and feedback, the audit log and editor drafts. (Re-exported by storage/repositories.py.)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import date, datetime

from sqlalchemy import delete, or_, select

from domain.audit import AuditAction, AuditEvent, Draft, family_token
from domain.audit_chain import GENESIS, ChainLink, event_hash
from domain.errors import NotFound
from domain.observations import ErasedRecording, Feedback, Observation
from domain.timeuse import BaselineEntry, Contact, ManualEntry, RecordingSession, TimeCategory
from storage import record_mappers as m
from storage.repo_base import SqlRepository, bulk_insert
from storage.tables import (
    AuditEventRow,
    BaselineEntryRow,
    ConsentRow,
    ContactChildSeenRow,
    ContactRow,
    DraftRow,
    ErasedRecordingRow,
    FeedbackCommentRow,
    FeedbackReplyRow,
    FeedbackRow,
    ManualEntryRow,
    ObservationRow,
    RecordingSessionRow,
)


class SqlContactRepository(SqlRepository):
    """Contacts with the children seen at each (contact_children_seen, migration 0014). The
    contacts row's child_seen / seen_alone are written as "any child" / "any child alone"."""

    def _write_seen(self, contact_id: int, contact: Contact) -> None:
        self.session.execute(
            delete(ContactChildSeenRow).where(ContactChildSeenRow.contact_id == contact_id)
        )
        self.session.add_all(
            ContactChildSeenRow(
                contact_id=contact_id, member_id=c.member_id, name=c.name, alone=c.alone
            )
            for c in contact.seen
        )

    def _with_seen(self, rows: Sequence[ContactRow]) -> list[Contact]:
        ids = [r.id for r in rows]
        seen: dict[int, list[ContactChildSeenRow]] = defaultdict(list)
        for start in range(0, len(ids), 500):
            for s in self.session.scalars(
                select(ContactChildSeenRow)
                .where(ContactChildSeenRow.contact_id.in_(ids[start : start + 500]))
                .order_by(ContactChildSeenRow.id)
            ):
                seen[s.contact_id].append(s)
        return [m.contact_from_row(r, seen.get(r.id or 0, ())) for r in rows]

    def add(self, contact: Contact) -> Contact:
        row = m.contact_to_row(contact)
        self.session.add(row)
        self.session.flush()
        assert row.id is not None
        self._write_seen(row.id, contact)
        self.session.flush()
        return self._with_seen([row])[0]

    def get(self, contact_id: int) -> Contact:
        return self._with_seen([self._row(ContactRow, contact_id, "contact")])[0]

    def update(self, contact: Contact) -> None:
        assert contact.id is not None
        m.contact_to_row(contact, self._row(ContactRow, contact.id, "contact"))
        self._write_seen(contact.id, contact)
        self.session.flush()

    def for_family(
        self, family_id: int, *, start: date | None = None, end: date | None = None
    ) -> list[Contact]:
        query = select(ContactRow).where(ContactRow.family_id == family_id)
        if start is not None:
            query = query.where(ContactRow.on_date >= start)
        if end is not None:
            query = query.where(ContactRow.on_date <= end)
        query = query.order_by(
            ContactRow.on_date.desc(), ContactRow.start_time.desc(), ContactRow.id.desc()
        )
        return self._with_seen(list(self.session.scalars(query)))

    def for_practitioner(self, practitioner_id: int, *, start: date, end: date) -> list[Contact]:
        """The practitioner's contacts dated ``start``..``end`` (every family), oldest first."""
        query = (
            select(ContactRow)
            .where(
                ContactRow.practitioner_id == practitioner_id,
                ContactRow.on_date >= start,
                ContactRow.on_date <= end,
            )
            .order_by(ContactRow.on_date, ContactRow.start_time, ContactRow.id)
        )
        return self._with_seen(list(self.session.scalars(query)))

    def last_for_practitioner(self, practitioner_id: int) -> Contact | None:
        row = self.session.scalars(
            select(ContactRow)
            .where(ContactRow.practitioner_id == practitioner_id)
            .order_by(ContactRow.logged_at.desc().nulls_last(), ContactRow.id.desc())
            .limit(1)
        ).first()
        return self._with_seen([row])[0] if row else None


class SqlRecordingRepository(SqlRepository):
    def add_session(self, session: RecordingSession) -> RecordingSession:
        row = m.session_to_row(session)
        self.session.add(row)
        self.session.flush()
        return m.session_from_row(row)

    def get_session(self, session_id: int) -> RecordingSession:
        row = self.session.get(RecordingSessionRow, session_id)
        if row is None:
            raise NotFound(f"No recording session with id {session_id}.")
        return m.session_from_row(row)

    def update_session(self, session: RecordingSession) -> None:
        row = self.session.get(RecordingSessionRow, session.id)
        if row is None:
            raise NotFound(f"No recording session with id {session.id}.")
        row.ended = session.ended
        row.active_seconds = session.active_seconds
        self.session.add(row)
        self.session.flush()

    def add_manual(self, entry: ManualEntry) -> ManualEntry:
        row = m.manual_to_row(entry)
        self.session.add(row)
        self.session.flush()
        return m.manual_from_row(row)

    def add_baseline(self, entries: Iterable[BaselineEntry]) -> int:
        """One bulk INSERT (an import of a whole diary holds the write lock for a moment)."""
        rows = [
            {
                "user_id": e.user_id,
                "on_date": e.on,
                "category": TimeCategory(e.category).value,
                "minutes": e.minutes,
            }
            for e in entries
        ]
        self.session.flush()
        bulk_insert(self.session, BaselineEntryRow, rows)
        return len(rows)

    def sessions(
        self, *, user_id: int | None = None, family_id: int | None = None
    ) -> list[RecordingSession]:
        query = select(RecordingSessionRow).order_by(
            RecordingSessionRow.started, RecordingSessionRow.id
        )
        if user_id is not None:
            query = query.where(RecordingSessionRow.user_id == user_id)
        if family_id is not None:
            query = query.where(RecordingSessionRow.family_id == family_id)
        return [m.session_from_row(r) for r in self.session.scalars(query)]

    def manual_entries(
        self,
        *,
        user_id: int | None = None,
        start: date | None = None,
        end: date | None = None,
    ) -> list[ManualEntry]:
        query = select(ManualEntryRow).order_by(ManualEntryRow.on_date, ManualEntryRow.id)
        if user_id is not None:
            query = query.where(ManualEntryRow.user_id == user_id)
        if start is not None:
            query = query.where(ManualEntryRow.on_date >= start)
        if end is not None:
            query = query.where(ManualEntryRow.on_date <= end)
        return [m.manual_from_row(r) for r in self.session.scalars(query)]

    def get_manual(self, entry_id: int) -> ManualEntry:
        return m.manual_from_row(self._row(ManualEntryRow, entry_id, "manual entry"))

    def update_manual(self, entry: ManualEntry) -> None:
        m.manual_to_row(entry, self._row(ManualEntryRow, entry.id, "manual entry"))
        self.session.flush()

    def delete_manual(self, entry_id: int) -> None:
        self.session.delete(self._row(ManualEntryRow, entry_id, "manual entry"))
        self.session.flush()

    def delete_manual_between(self, user_id: int, kind: str, start: date, end: date) -> int:
        result = self.session.execute(
            delete(ManualEntryRow).where(
                ManualEntryRow.user_id == user_id,
                ManualEntryRow.kind == kind,
                ManualEntryRow.on_date >= start,
                ManualEntryRow.on_date <= end,
            )
        )
        self.session.flush()
        return int(result.rowcount or 0)  # type: ignore[attr-defined]


class SqlObservationRepository(SqlRepository):
    def _consents(self, observation_ids: list[int]) -> dict[int, list[ConsentRow]]:
        out: dict[int, list[ConsentRow]] = {oid: [] for oid in observation_ids}
        if observation_ids:
            for row in self.session.scalars(
                select(ConsentRow)
                .where(ConsentRow.observation_id.in_(observation_ids))
                .order_by(ConsentRow.id)
            ):
                out[row.observation_id].append(row)
        return out

    def _save_consents(self, observation: Observation) -> None:
        existing = self._consents([observation.id])[observation.id]
        by_id = {row.id: row for row in existing}
        kept: set[int] = set()
        for consent in observation.consents:
            if consent.id is not None and consent.id not in by_id:
                raise NotFound(f"No consent with id {consent.id} on observation {observation.id}.")
            row = by_id.get(consent.id) if consent.id is not None else None
            if row is None:
                row = m.consent_to_row(consent, observation.id)
                self.session.add(row)
                self.session.flush()
                consent.id = row.id
            else:
                m.consent_to_row(consent, observation.id, row)
            consent.observation_id = observation.id
            kept.add(row.id)
        for row in existing:
            if row.id not in kept:
                self.session.delete(row)
        self.session.flush()

    def add(self, observation: Observation) -> Observation:
        observation = replace(observation, consents=[replace(c) for c in observation.consents])
        row = m.observation_to_row(observation)
        self.session.add(row)
        self.session.flush()
        observation.id = row.id
        for consent in observation.consents:
            consent.id = None
        self._save_consents(observation)
        return observation

    def get(self, observation_id: int) -> Observation:
        row = self._row(ObservationRow, observation_id, "observation")
        return m.observation_from_row(row, self._consents([row.id])[row.id])

    def update(self, observation: Observation) -> None:
        row = self._row(ObservationRow, observation.id, "observation")
        m.observation_to_row(observation, row)
        self.session.flush()
        self._save_consents(observation)

    def list(
        self, *, practitioner_ids: Sequence[int] | None = None, family_id: int | None = None
    ) -> list[Observation]:
        query = select(ObservationRow).order_by(ObservationRow.session_date, ObservationRow.id)
        if practitioner_ids is not None:
            query = query.where(ObservationRow.practitioner_id.in_(list(practitioner_ids)))
        if family_id is not None:
            query = query.where(ObservationRow.family_id == family_id)
        rows = list(self.session.scalars(query))
        consents = self._consents([r.id for r in rows])
        return [m.observation_from_row(r, consents[r.id]) for r in rows]

    def record_erased(self, erased: ErasedRecording) -> None:
        row = self.session.get(ErasedRecordingRow, erased.address_sha256)
        if row is None:
            row = ErasedRecordingRow(
                address_sha256=erased.address_sha256,
                erased_at=erased.erased_at,
                withdrawn_person=erased.withdrawn_person,
                withdrawn_on=erased.withdrawn_on,
            )
            self.session.add(row)
        row.erased_at = erased.erased_at
        row.withdrawn_person = erased.withdrawn_person
        row.withdrawn_on = erased.withdrawn_on
        self.session.flush()

    def erased(self, address_sha256: str) -> ErasedRecording | None:
        row = self.session.get(ErasedRecordingRow, address_sha256)
        if row is None:
            return None
        return ErasedRecording(
            row.address_sha256, row.erased_at, row.withdrawn_person, row.withdrawn_on
        )

    def feedback(self, observation_id: int) -> Feedback | None:
        row = self.session.scalars(
            select(FeedbackRow).where(FeedbackRow.observation_id == observation_id)
        ).first()
        if row is None:
            return None
        comments = self.session.scalars(
            select(FeedbackCommentRow)
            .where(FeedbackCommentRow.feedback_id == row.id)
            .order_by(FeedbackCommentRow.at_seconds, FeedbackCommentRow.id)
        )
        replies = self.session.scalars(
            select(FeedbackReplyRow)
            .where(FeedbackReplyRow.feedback_id == row.id)
            .order_by(FeedbackReplyRow.at, FeedbackReplyRow.id)
        )
        return m.feedback_from_rows(row, comments, replies)

    def save_feedback(self, feedback: Feedback) -> Feedback:
        """Insert or replace the feedback on ``feedback.observation_id``, comments and replies too."""
        row = self.session.scalars(
            select(FeedbackRow).where(FeedbackRow.observation_id == feedback.observation_id)
        ).first()
        if row is None:
            row = m.feedback_to_row(feedback)
            self.session.add(row)
        else:
            m.feedback_to_row(feedback, row)
            for table in (FeedbackCommentRow, FeedbackReplyRow):
                self.session.execute(delete(table).where(table.feedback_id == row.id))
        self.session.flush()
        self.session.add_all(
            FeedbackCommentRow(feedback_id=row.id, at_seconds=c.at_seconds, text=c.text)
            for c in feedback.comments
        )
        self.session.add_all(
            FeedbackReplyRow(feedback_id=row.id, author_id=r.author_id, text=r.text, at=r.at)
            for r in feedback.replies
        )
        self.session.flush()
        return replace(feedback, id=row.id)


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
        row = m.audit_to_row(event)
        if self.chained:
            previous = self.session.scalar(
                select(AuditEventRow.hash).order_by(AuditEventRow.id.desc()).limit(1)
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
                select(AuditEventRow.hash).order_by(AuditEventRow.id.desc()).limit(1)
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
                    .where(AuditEventRow.id > after)
                    .order_by(AuditEventRow.id)
                    .limit(batch)
                )
            )
            if not rows:
                return
            for row in rows:
                yield ChainLink(m.audit_from_row(row), row.prev_hash, row.hash)
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
                    AuditEventRow.family_id == family_id,
                    AuditEventRow.detail.contains(family_token(family_id), autoescape=True),
                )
            )
        if user_id is not None:
            query = query.where(AuditEventRow.user_id == user_id)
        if since is not None:
            query = query.where(AuditEventRow.at >= since)
        if limit:
            rows = list(self.session.scalars(query.order_by(AuditEventRow.id.desc()).limit(limit)))
            rows.reverse()
        else:
            rows = list(self.session.scalars(query.order_by(AuditEventRow.id)))
        return [m.audit_from_row(r) for r in rows]


class SqlDraftRepository(SqlRepository):
    def put(self, draft: Draft) -> None:
        """Insert or replace by (user_id, key) in one statement (no read-then-write race)."""
        values = m.draft_values(draft)
        dialect = self.session.get_bind().dialect.name
        # Imported here: the PostgreSQL dialect package is 4 MiB a SQLite session need not hold.
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        statement = insert(DraftRow).values(**values)
        statement = statement.on_conflict_do_update(
            index_elements=["user_id", "key"],
            set_={k: statement.excluded[k] for k in ("content", "saved_at", "base_revision")},
        )
        self.session.execute(statement)

    def get(self, user_id: int, key: str) -> Draft | None:
        row = self.session.scalars(
            select(DraftRow)
            .where(DraftRow.user_id == user_id, DraftRow.key == key)
            .execution_options(populate_existing=True)
        ).first()
        return m.draft_from_row(row) if row else None

    def delete(self, user_id: int, key: str) -> None:
        self.session.execute(
            delete(DraftRow).where(DraftRow.user_id == user_id, DraftRow.key == key)
        )

    def delete_for_everyone(self, key: str) -> None:
        self.session.execute(delete(DraftRow).where(DraftRow.key == key))

    def for_user(self, user_id: int) -> list[Draft]:
        rows = self.session.scalars(
            select(DraftRow)
            .where(DraftRow.user_id == user_id)
            .order_by(DraftRow.id)
            .execution_options(populate_existing=True)
        )
        return [m.draft_from_row(r) for r in rows]
