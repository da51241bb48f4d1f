"""Contacts with the children seen at each: rows <-> domain objects and the repository."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from sqlalchemy import delete, select
from sqlmodel import col

from domain.timeuse import ChildSeen, Contact, ContactKind
from storage.repo_base import SqlRepository
from storage.tables import ContactChildSeenRow, ContactRow


def contact_to_row(contact: Contact, row: ContactRow | None = None) -> ContactRow:
    row = row or ContactRow(
        family_id=contact.family_id,
        practitioner_id=contact.practitioner_id,
        on_date=contact.on,
        start_time=contact.start,
        minutes=contact.minutes,
        kind=contact.kind.value,
        note=contact.note,
    )
    row.family_id = contact.family_id
    row.practitioner_id = contact.practitioner_id
    row.on_date = contact.on
    row.start_time = contact.start
    row.minutes = contact.minutes
    row.kind = contact.kind.value
    row.note = contact.note
    row.present = contact.present
    row.child_seen = contact.child_seen
    row.seen_alone = contact.seen_alone
    row.travel_minutes = contact.travel_minutes
    row.logged_at = contact.logged_at
    row.edited_at = contact.edited_at
    return row


def contact_from_row(row: ContactRow, seen: Sequence[ContactChildSeenRow] = ()) -> Contact:
    return Contact(
        id=row.id,
        family_id=row.family_id,
        practitioner_id=row.practitioner_id,
        on=row.on_date,
        start=row.start_time,
        minutes=row.minutes,
        kind=ContactKind(row.kind),
        note=row.note,
        present=row.present,
        seen=tuple(ChildSeen(r.member_id, r.name, r.alone) for r in seen),
        travel_minutes=row.travel_minutes,
        logged_at=row.logged_at,
        edited_at=row.edited_at,
    )


class SqlContactRepository(SqlRepository):
    """Contacts with the children seen at each (contact_children_seen, migration 0014). The
    contacts row's child_seen / seen_alone are written as "any child" / "any child alone"."""

    def _write_seen(
        self, contact_id: int, contact: Contact, *, replace: bool = True
    ) -> list[ContactChildSeenRow]:
        if replace:
            self.session.execute(
                delete(ContactChildSeenRow).where(col(ContactChildSeenRow.contact_id) == contact_id)
            )
        rows = [
            ContactChildSeenRow(
                contact_id=contact_id, member_id=c.member_id, name=c.name, alone=c.alone
            )
            for c in contact.seen
        ]
        self.session.add_all(rows)
        return rows

    def _with_seen(self, rows: Sequence[ContactRow]) -> list[Contact]:
        ids = [r.id for r in rows]
        seen: dict[int, list[ContactChildSeenRow]] = defaultdict(list)
        for start in range(0, len(ids), 500):
            for s in self.session.scalars(
                select(ContactChildSeenRow)
                .where(col(ContactChildSeenRow.contact_id).in_(ids[start : start + 500]))
                .order_by(col(ContactChildSeenRow.id))
            ):
                seen[s.contact_id].append(s)
        return [contact_from_row(r, seen.get(r.id or 0, ())) for r in rows]

    def add(self, contact: Contact) -> Contact:
        row = contact_to_row(contact)
        self.session.add(row)
        self.session.flush()
        assert row.id is not None
        # A new contact has no children-seen rows to replace, and it is what was just written:
        # no DELETE and no read back (two statements of four, for every contact logged).
        seen = self._write_seen(row.id, contact, replace=False)
        self.session.flush()
        return contact_from_row(row, seen)

    def get(self, contact_id: int) -> Contact:
        return self._with_seen([self._row(ContactRow, contact_id, "contact")])[0]

    def update(self, contact: Contact) -> None:
        assert contact.id is not None
        contact_to_row(contact, self._row(ContactRow, contact.id, "contact"))
        self._write_seen(contact.id, contact)
        self.session.flush()

    def for_family(
        self, family_id: int, *, start: date | None = None, end: date | None = None
    ) -> list[Contact]:
        query = select(ContactRow).where(col(ContactRow.family_id) == family_id)
        if start is not None:
            query = query.where(col(ContactRow.on_date) >= start)
        if end is not None:
            query = query.where(col(ContactRow.on_date) <= end)
        query = query.order_by(
            col(ContactRow.on_date).desc(),
            col(ContactRow.start_time).desc(),
            col(ContactRow.id).desc(),
        )
        return self._with_seen(list(self.session.scalars(query)))

    def for_practitioner(self, practitioner_id: int, *, start: date, end: date) -> list[Contact]:
        """The practitioner's contacts dated ``start``..``end`` (every family), oldest first."""
        query = (
            select(ContactRow)
            .where(
                col(ContactRow.practitioner_id) == practitioner_id,
                col(ContactRow.on_date) >= start,
                col(ContactRow.on_date) <= end,
            )
            .order_by(col(ContactRow.on_date), col(ContactRow.start_time), col(ContactRow.id))
        )
        return self._with_seen(list(self.session.scalars(query)))

    def last_for_practitioner(self, practitioner_id: int) -> Contact | None:
        row = self.session.scalars(
            select(ContactRow)
            .where(col(ContactRow.practitioner_id) == practitioner_id)
            .order_by(col(ContactRow.logged_at).desc().nulls_last(), col(ContactRow.id).desc())
            .limit(1)
        ).first()
        return self._with_seen([row])[0] if row else None
