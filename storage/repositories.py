"""SQL implementations of the repository ports in domain/ports.py. They take the unit of work's
Session, speak rows only inside, and hand back domain objects.

This module holds teams, users and families, and re-exports the rest: plans, mappings and
summaries (compare-and-set saves) from storage/revisioned.py; contacts, recording time,
observations, the audit log and drafts from storage/records.py.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import delete, func, select, text

from domain.errors import NotFound, ValidationError
from domain.families import Family, Member
from domain.people import Team, User
from domain.signin import SignInRecord
from storage import mappers as m
from storage.repo_base import SqlRepository, bulk_insert
from storage.tables import (
    FamilyRow,
    LeadSupportRow,
    MemberRow,
    MemberStatusRow,
    Row,
    SignInAttemptRow,
    TeamRow,
    UserRow,
)

# --- teams and users --------------------------------------------------------------------------


class SqlTeamRepository(SqlRepository):
    def add(self, team: Team) -> Team:
        row = m.team_to_row(team)
        self._insert_unique(
            row,
            lambda: self.by_name(team.name) is not None,
            lambda: ValidationError("name", f"A team called {team.name!r} already exists."),
        )
        return m.team_from_row(row)

    def get(self, team_id: int) -> Team:
        return m.team_from_row(self._row(TeamRow, team_id, "team"))

    def by_name(self, name: str) -> Team | None:
        row = self.session.scalars(
            select(TeamRow).where(func.lower(TeamRow.name) == name.strip().lower())
        ).first()
        return m.team_from_row(row) if row else None

    def list(self) -> list[Team]:
        rows = self.session.scalars(select(TeamRow).order_by(TeamRow.name, TeamRow.id))
        return [m.team_from_row(r) for r in rows]

    def update(self, team: Team) -> None:
        m.team_to_row(team, self._row(TeamRow, team.id, "team"))
        self.session.flush()


class SqlUserRepository(SqlRepository):
    def _supports(self, user_ids: list[int]) -> dict[int, set[int]]:
        out: dict[int, set[int]] = {uid: set() for uid in user_ids}
        if user_ids:
            rows = self.session.execute(
                select(LeadSupportRow.lead_id, LeadSupportRow.practitioner_id).where(
                    LeadSupportRow.lead_id.in_(user_ids)
                )
            )
            for lead_id, practitioner_id in rows:
                out[lead_id].add(practitioner_id)
        return out

    def _set_supports(self, user_id: int, supports: frozenset[int]) -> None:
        current = self._supports([user_id])[user_id]
        gone = current - supports
        if gone:
            self.session.execute(
                delete(LeadSupportRow).where(
                    LeadSupportRow.lead_id == user_id,
                    LeadSupportRow.practitioner_id.in_(gone),
                )
            )
        for practitioner_id in sorted(supports - current):
            self.session.add(LeadSupportRow(lead_id=user_id, practitioner_id=practitioner_id))
        self.session.flush()

    def add(self, user: User) -> User:
        row = m.user_to_row(user)
        self._insert_unique(
            row,
            lambda: self.by_username(user.username) is not None,
            lambda: ValidationError(
                "username", f"The user name {user.username!r} is already taken."
            ),
        )
        self._set_supports(row.id, user.supports)
        return m.user_from_row(row, user.supports)

    def get(self, user_id: int) -> User:
        row = self._row(UserRow, user_id, "user")
        return m.user_from_row(row, self._supports([user_id])[user_id])

    def by_username(self, username: str) -> User | None:
        row = self.session.scalars(
            select(UserRow).where(UserRow.username == username.strip().lower())
        ).first()
        return m.user_from_row(row, self._supports([row.id])[row.id]) if row else None

    def list(self) -> list[User]:
        rows = list(self.session.scalars(select(UserRow).order_by(UserRow.username)))
        supports = self._supports([r.id for r in rows])
        return [m.user_from_row(r, supports[r.id]) for r in rows]

    def update(self, user: User) -> None:
        m.user_to_row(user, self._row(UserRow, user.id, "user"))
        self.session.flush()
        self._set_supports(user.id, user.supports)

    def sign_in_record(self, name_key: str) -> SignInRecord | None:
        row = self.session.get(SignInAttemptRow, name_key)
        if row is None:
            return None
        return SignInRecord(row.name_key, row.failures, row.last_failed_at, row.locked_at)

    def save_sign_in_record(self, record: SignInRecord) -> None:
        row = self.session.get(SignInAttemptRow, record.name_key)
        if row is None:
            row = SignInAttemptRow(name_key=record.name_key)
            self.session.add(row)
        row.failures = record.failures
        row.last_failed_at = record.last_failed_at
        row.locked_at = record.locked_at
        self.session.flush()

    def clear_sign_in_record(self, name_key: str) -> bool:
        result = self.session.execute(
            delete(SignInAttemptRow).where(SignInAttemptRow.name_key == name_key)
        )
        return bool(result.rowcount)


# --- families ---------------------------------------------------------------------------------


#: References per IN (...) list (well under SQLite's oldest limit of 999 bound parameters).
REFERENCE_CHUNK = 900


class SqlFamilyRepository(SqlRepository):
    def _members(self, family_ids: list[int]) -> dict[int, list[Member]]:
        out: dict[int, list[Member]] = {fid: [] for fid in family_ids}
        if not family_ids:
            return out
        members = list(
            self.session.scalars(
                select(MemberRow).where(MemberRow.family_id.in_(family_ids)).order_by(MemberRow.id)
            )
        )
        statuses: dict[int, list[MemberStatusRow]] = {mr.id: [] for mr in members}
        if members:
            for status in self.session.scalars(
                select(MemberStatusRow)
                .where(MemberStatusRow.member_id.in_(list(statuses)))
                .order_by(MemberStatusRow.since, MemberStatusRow.id)
            ):
                statuses[status.member_id].append(status)
        for row in members:
            out[row.family_id].append(m.member_from_row(row, statuses[row.id]))
        return out

    def _sync_statuses(self, member: Member) -> None:
        rows = list(
            self.session.scalars(
                select(MemberStatusRow)
                .where(MemberStatusRow.member_id == member.id)
                .order_by(MemberStatusRow.since, MemberStatusRow.id)
            )
        )
        stored = [(r.status, r.since, r.cp_category, r.code or "") for r in rows]
        wanted = [m.status_key(c) for c in member.status_history]
        if stored == wanted:
            return
        for row in rows:
            self.session.delete(row)
        self.session.flush()
        self.session.add_all(m.status_to_row(c, member.id) for c in member.status_history)

    def _save_members(self, family: Family) -> None:
        existing = {
            r.id: r
            for r in self.session.scalars(select(MemberRow).where(MemberRow.family_id == family.id))
        }
        kept: set[int] = set()
        for member in family.members:
            if member.id is None:
                row = m.member_to_row(member, family.id)
                self.session.add(row)
                self.session.flush()
                member.id = row.id
            elif member.id in existing:
                m.member_to_row(member, family.id, existing[member.id])
            else:
                raise NotFound(f"No member with id {member.id} in family {family.reference}.")
            member.family_id = family.id
            kept.add(member.id)
            self._sync_statuses(member)
        for member_id, row in existing.items():
            if member_id not in kept:
                self.session.execute(
                    delete(MemberStatusRow).where(MemberStatusRow.member_id == member_id)
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
                    select(FamilyRow.reference).where(FamilyRow.reference.in_(chunk))
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
                status, since, category, code = m.status_key(change)
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
        name = table.__tablename__  # type: ignore[attr-defined]
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
        row = m.family_to_row(family)
        self._insert_unique(
            row,
            lambda: self.by_reference(family.reference) is not None,
            lambda: ValidationError(
                "reference", f"A family with reference {family.reference} already exists."
            ),
        )
        family.id = row.id
        for member in family.members:
            member.id = None
        self._save_members(family)
        return family

    def get(self, family_id: int) -> Family:
        row = self._row(FamilyRow, family_id, "family")
        return m.family_from_row(row, self._members([row.id])[row.id])

    def by_reference(self, reference: str) -> Family | None:
        row = self.session.scalars(
            select(FamilyRow).where(FamilyRow.reference == reference.strip().upper())
        ).first()
        return m.family_from_row(row, self._members([row.id])[row.id]) if row else None

    def by_member_external_ids(self, external_ids: Sequence[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        wanted = sorted({i for i in external_ids if i})
        for start in range(0, len(wanted), 500):  # keep each IN (...) list modest
            chunk = wanted[start : start + 500]
            for external_id, family_id in self.session.execute(
                select(MemberRow.external_id, MemberRow.family_id).where(
                    MemberRow.external_id.in_(chunk)
                )
            ):
                found.setdefault(external_id, family_id)
        return found

    def list(
        self,
        *,
        team_id: int | None = None,
        practitioner_id: int | None = None,
        include_closed: bool = False,
    ) -> list[Family]:
        query = select(FamilyRow).order_by(FamilyRow.reference)
        if team_id is not None:
            query = query.where(FamilyRow.team_id == team_id)
        if practitioner_id is not None:
            query = query.where(FamilyRow.practitioner_id == practitioner_id)
        if not include_closed:
            query = query.where(FamilyRow.closed_on.is_(None))
        rows = list(self.session.scalars(query))
        members = self._members([r.id for r in rows])
        return [m.family_from_row(r, members[r.id]) for r in rows]

    def update(self, family: Family) -> None:
        row = self._row(FamilyRow, family.id, "family")
        m.family_to_row(family, row)
        self.session.flush()
        self._save_members(family)


# Plans, mappings and summaries live in storage/revisioned.py, and contacts, recording,
# observations, audit and drafts in storage/records.py, to keep each module readable.
from storage.records import (  # noqa: E402
    SqlAuditLog,
    SqlContactRepository,
    SqlDraftRepository,
    SqlObservationRepository,
    SqlRecordingRepository,
)
from storage.revisioned import (  # noqa: E402
    SqlMappingRepository,
    SqlPlanRepository,
    SqlSummaryRepository,
)

__all__ = [
    "SqlAuditLog",
    "SqlContactRepository",
    "SqlDraftRepository",
    "SqlFamilyRepository",
    "SqlMappingRepository",
    "SqlObservationRepository",
    "SqlPlanRepository",
    "SqlRecordingRepository",
    "SqlRepository",
    "SqlSummaryRepository",
    "SqlTeamRepository",
    "SqlUserRepository",
]
