"""Families with their members and each member's legal status history: rows <-> domain
objects and the repository (bulk import included).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import delete, select, text
from sqlmodel import col

from domain.errors import NotFound, ValidationError
from domain.families import CpCategory, Family, LegalStatus, Member, MemberRole, StatusChange
from storage.repo_base import SqlRepository, bulk_insert, known_id
from storage.tables import FamilyRow, MemberRow, MemberStatusRow, Row


def family_to_row(family: Family, row: FamilyRow | None = None) -> FamilyRow:
    row = row or FamilyRow(
        reference=family.reference,
        name=family.name,
        team_id=family.team_id,
        opened_on=family.opened_on,
    )
    row.reference = family.reference
    row.name = family.name
    row.team_id = family.team_id
    row.practitioner_id = family.practitioner_id
    row.opened_on = family.opened_on
    row.address = family.address
    row.closed_on = family.closed_on
    row.closure_reason = family.closure_reason
    return row


def member_to_row(member: Member, family_id: int, row: MemberRow | None = None) -> MemberRow:
    row = row or MemberRow(family_id=family_id, name=member.name, role=member.role.value)
    row.family_id = family_id
    row.name = member.name
    row.role = member.role.value
    row.date_of_birth = member.date_of_birth
    row.external_id = member.external_id
    return row


def status_key(change: StatusChange) -> tuple[str, date, str | None, str]:
    return (
        change.status.value,
        change.since,
        change.cp_category.value if change.cp_category else None,
        change.code,
    )


def status_to_row(change: StatusChange, member_id: int) -> MemberStatusRow:
    status, since, category, code = status_key(change)
    return MemberStatusRow(
        member_id=member_id, status=status, since=since, cp_category=category, code=code
    )


def status_from_row(row: MemberStatusRow) -> StatusChange:
    return StatusChange(
        status=LegalStatus(row.status),
        since=row.since,
        cp_category=CpCategory(row.cp_category) if row.cp_category else None,
        code=row.code or "",
    )


def member_from_row(row: MemberRow, statuses: Iterable[MemberStatusRow]) -> Member:
    return Member(
        id=row.id,
        family_id=row.family_id,
        name=row.name,
        role=MemberRole(row.role),
        date_of_birth=row.date_of_birth,
        status_history=[status_from_row(s) for s in statuses],
        external_id=row.external_id,
    )


def family_from_row(row: FamilyRow, members: list[Member]) -> Family:
    return Family(
        id=row.id,
        reference=row.reference,
        name=row.name,
        team_id=row.team_id,
        practitioner_id=row.practitioner_id,
        opened_on=row.opened_on,
        address=row.address,
        closed_on=row.closed_on,
        closure_reason=row.closure_reason,
        members=members,
    )


#: References per IN (...) list (well under SQLite's oldest limit of 999 bound parameters).
REFERENCE_CHUNK = 900


class SqlFamilyRepository(SqlRepository):
    def _members(self, family_ids: list[int]) -> dict[int, list[Member]]:
        out: dict[int, list[Member]] = {fid: [] for fid in family_ids}
        if not family_ids:
            return out
        members = list(
            self.session.scalars(
                select(MemberRow)
                .where(col(MemberRow.family_id).in_(family_ids))
                .order_by(col(MemberRow.id))
            )
        )
        statuses: dict[int, list[MemberStatusRow]] = {known_id(mr.id): [] for mr in members}
        if members:
            for status in self.session.scalars(
                select(MemberStatusRow)
                .where(col(MemberStatusRow.member_id).in_(list(statuses)))
                .order_by(col(MemberStatusRow.since), col(MemberStatusRow.id))
            ):
                statuses[status.member_id].append(status)
        for row in members:
            out[row.family_id].append(member_from_row(row, statuses[known_id(row.id)]))
        return out

    def _sync_statuses(self, member: Member) -> None:
        rows = list(
            self.session.scalars(
                select(MemberStatusRow)
                .where(col(MemberStatusRow.member_id) == member.id)
                .order_by(col(MemberStatusRow.since), col(MemberStatusRow.id))
            )
        )
        stored = [(r.status, r.since, r.cp_category, r.code or "") for r in rows]
        wanted = [status_key(c) for c in member.status_history]
        if stored == wanted:
            return
        for row in rows:
            self.session.delete(row)
        self.session.flush()
        member_id = known_id(member.id)
        self.session.add_all(status_to_row(c, member_id) for c in member.status_history)

    def _save_members(self, family: Family) -> None:
        family_id = known_id(family.id)
        existing = {
            known_id(r.id): r
            for r in self.session.scalars(
                select(MemberRow).where(col(MemberRow.family_id) == family.id)
            )
        }
        kept: set[int] = set()
        for member in family.members:
            if member.id is None:
                row = member_to_row(member, family_id)
                self.session.add(row)
                self.session.flush()
                member.id = known_id(row.id)
            elif member.id in existing:
                member_to_row(member, family_id, existing[member.id])
            else:
                raise NotFound(f"No member with id {member.id} in family {family.reference}.")
            member.family_id = family_id
            kept.add(member.id)
            self._sync_statuses(member)
        for member_id, row in existing.items():
            if member_id not in kept:
                self.session.execute(
                    delete(MemberStatusRow).where(col(MemberStatusRow.member_id) == member_id)
                )
                self.session.delete(row)
        self.session.flush()

    def existing_references(self, references: Iterable[str]) -> set[str]:
        wanted = sorted({r.strip().upper() for r in references})
        found: set[str] = set()
        for start in range(0, len(wanted), REFERENCE_CHUNK):
            chunk = wanted[start : start + REFERENCE_CHUNK]
            found.update(
                self.session.scalars(
                    select(col(FamilyRow.reference)).where(col(FamilyRow.reference).in_(chunk))
                )
            )
        return found

    def add_many(self, families: Sequence[Family]) -> list[Family]:
        """Add ``families`` with their members and statuses in three bulk INSERTs (one
        ``executemany`` each, whatever the number of families), so an import holds the write lock
        for a moment rather than for a statement per row. The ids are reserved first (below) and
        assigned to the given objects, which are returned (no copies: an import's families are its
        own). A reference taken meanwhile fails the unique constraint, and the caller's
        transaction is rolled back whole."""
        added = list(families)
        if not added:
            return added
        self.session.flush()
        members = [mb for f in added for mb in f.members]
        family_ids = self._reserve_ids(FamilyRow, len(added))
        member_ids = self._reserve_ids(MemberRow, len(members))
        for family, family_id in zip(added, family_ids, strict=True):
            family.id = family_id
            for member in family.members:
                member.family_id = family_id
        for member, member_id in zip(members, member_ids, strict=True):
            member.id = member_id
        self._insert(
            FamilyRow,
            [
                {
                    "id": f.id,
                    "reference": f.reference,
                    "name": f.name,
                    "team_id": f.team_id,
                    "practitioner_id": f.practitioner_id,
                    "opened_on": f.opened_on,
                    "address": f.address,
                    "closed_on": f.closed_on,
                    "closure_reason": f.closure_reason,
                }
                for f in added
            ],
        )
        self._insert(
            MemberRow,
            [
                {
                    "id": mb.id,
                    "family_id": mb.family_id,
                    "name": mb.name,
                    "role": mb.role.value,
                    "date_of_birth": mb.date_of_birth,
                    "external_id": mb.external_id,
                }
                for mb in members
            ],
        )
        statuses = []
        for member in members:
            for change in member.status_history:
                status, since, category, code = status_key(change)
                statuses.append(
                    {
                        "member_id": member.id,
                        "status": status,
                        "since": since,
                        "cp_category": category,
                        "code": code,
                    }
                )
        self._insert(MemberStatusRow, statuses)
        return added

    def _insert(self, table: type[Row], rows: list[dict[str, Any]]) -> None:
        bulk_insert(self.session, table, rows)

    def _reserve_ids(self, table: type[Row], count: int) -> list[int]:
        """``count`` new primary keys for ``table``, never used before nor by anyone else.

        PostgreSQL: drawn from the table's own sequence (as a plain INSERT would, so concurrent
        inserts never collide). SQLite: the ids after the highest in use (and after
        ``sqlite_sequence`` for an AUTOINCREMENT table), as SQLite itself would give them; this
        transaction holds the write lock, so nobody else can take them meanwhile."""
        if count == 0:
            return []
        name = table.__tablename__
        if self.session.get_bind().dialect.name == "postgresql":
            ids = self.session.execute(
                text(
                    "SELECT nextval(pg_get_serial_sequence(:t, 'id')) FROM generate_series(1, :n)"
                ),
                {"t": name, "n": count},
            ).scalars()
            return sorted(int(i) for i in ids)
        highest = self.session.execute(text(f"SELECT coalesce(max(id), 0) FROM {name}")).scalar()
        has_sequence = self.session.execute(
            text("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_sequence'")
        ).scalar()
        if has_sequence:
            used = self.session.execute(
                text("SELECT seq FROM sqlite_sequence WHERE name = :t"), {"t": name}
            ).scalar()
            highest = max(int(highest or 0), int(used or 0))
        first = int(highest or 0) + 1
        return list(range(first, first + count))

    def add(self, family: Family) -> Family:
        family = copy.deepcopy(family)
        row = family_to_row(family)
        self._insert_unique(
            row,
            lambda: self.by_reference(family.reference) is not None,
            lambda: ValidationError(
                "reference", f"A family with reference {family.reference} already exists."
            ),
        )
        family.id = known_id(row.id)
        for member in family.members:
            member.id = None
        self._save_members(family)
        return family

    def get(self, family_id: int) -> Family:
        return self._with_members(self._row(FamilyRow, family_id, "family"))

    def _with_members(self, row: FamilyRow) -> Family:
        row_id = known_id(row.id)
        return family_from_row(row, self._members([row_id])[row_id])

    def by_reference(self, reference: str) -> Family | None:
        row = self.session.scalars(
            select(FamilyRow).where(col(FamilyRow.reference) == reference.strip().upper())
        ).first()
        return self._with_members(row) if row else None

    def by_member_external_ids(self, external_ids: Sequence[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        wanted = sorted({i for i in external_ids if i})
        for start in range(0, len(wanted), 500):  # keep each IN (...) list modest
            chunk = wanted[start : start + 500]
            for external_id, family_id in self.session.execute(
                select(col(MemberRow.external_id), col(MemberRow.family_id)).where(
                    col(MemberRow.external_id).in_(chunk)
                )
            ):
                if external_id is not None:  # the IN (...) list above has no NULL
                    found.setdefault(external_id, family_id)
        return found

    def list(
        self,
        *,
        team_id: int | None = None,
        practitioner_id: int | None = None,
        include_closed: bool = False,
    ) -> list[Family]:
        query = select(FamilyRow).order_by(col(FamilyRow.reference))
        if team_id is not None:
            query = query.where(col(FamilyRow.team_id) == team_id)
        if practitioner_id is not None:
            query = query.where(col(FamilyRow.practitioner_id) == practitioner_id)
        if not include_closed:
            query = query.where(col(FamilyRow.closed_on).is_(None))
        rows = list(self.session.scalars(query))
        members = self._members([known_id(r.id) for r in rows])
        return [family_from_row(r, members[known_id(r.id)]) for r in rows]

    def update(self, family: Family) -> None:
        row = self._row(FamilyRow, family.id, "family")
        family_to_row(family, row)
        self.session.flush()
        self._save_members(family)
