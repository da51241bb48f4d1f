"""Teams and users: their rows <-> domain objects and their repositories (sign-in
attempts included).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, func, select
from sqlmodel import col

from domain.errors import ValidationError
from domain.people import Role, Team, TeamSettings, User
from domain.signin import SignInRecord
from storage.repo_base import SqlRepository, known_id, rowcount
from storage.tables import LeadSupportRow, SignInAttemptRow, TeamRow, UserRow


def team_to_row(team: Team, row: TeamRow | None = None) -> TeamRow:
    row = row or TeamRow(name=team.name)
    row.name = team.name
    row.summary_rhythm_weeks = team.settings.summary_rhythm_weeks
    row.visiting_standard_working_days = team.settings.visiting_standard_working_days
    row.practitioners_see_team_families = team.settings.practitioners_see_team_families
    row.cp_first_review_months = team.settings.cp_first_review_months
    row.cp_later_review_months = team.settings.cp_later_review_months
    row.cin_review_months = team.settings.cin_review_months
    row.early_help_review_months = team.settings.early_help_review_months
    row.cla_review_months = team.settings.cla_review_months
    row.phone = team.settings.phone
    return row


def team_from_row(row: TeamRow) -> Team:
    return Team(
        id=row.id,
        name=row.name,
        settings=TeamSettings(
            summary_rhythm_weeks=row.summary_rhythm_weeks,
            visiting_standard_working_days=row.visiting_standard_working_days,
            practitioners_see_team_families=row.practitioners_see_team_families,
            cp_first_review_months=row.cp_first_review_months,
            cp_later_review_months=row.cp_later_review_months,
            cin_review_months=row.cin_review_months,
            early_help_review_months=row.early_help_review_months,
            cla_review_months=row.cla_review_months,
            phone=row.phone,
        ),
    )


def user_to_row(user: User, row: UserRow | None = None) -> UserRow:
    row = row or UserRow(username=user.username, full_name=user.full_name, role=user.role.value)
    row.username = user.username
    row.full_name = user.full_name
    row.role = user.role.value
    row.team_id = user.team_id
    row.passphrase_hash = user.passphrase_hash
    row.active = user.active
    row.must_change_passphrase = user.must_change_passphrase
    return row


def user_from_row(row: UserRow, supports: Iterable[int] = ()) -> User:
    return User(
        id=row.id,
        username=row.username,
        full_name=row.full_name,
        role=Role(row.role),
        team_id=row.team_id,
        passphrase_hash=row.passphrase_hash,
        active=row.active,
        supports=frozenset(supports),
        must_change_passphrase=bool(row.must_change_passphrase),
    )


class SqlTeamRepository(SqlRepository):
    def add(self, team: Team) -> Team:
        row = team_to_row(team)
        self._insert_unique(
            row,
            lambda: self.by_name(team.name) is not None,
            lambda: ValidationError("name", f"A team called {team.name!r} already exists."),
        )
        return team_from_row(row)

    def get(self, team_id: int) -> Team:
        return team_from_row(self._row(TeamRow, team_id, "team"))

    def by_name(self, name: str) -> Team | None:
        row = self.session.scalars(
            select(TeamRow).where(func.lower(col(TeamRow.name)) == name.strip().lower())
        ).first()
        return team_from_row(row) if row else None

    def list(self) -> list[Team]:
        rows = self.session.scalars(select(TeamRow).order_by(col(TeamRow.name), col(TeamRow.id)))
        return [team_from_row(r) for r in rows]

    def update(self, team: Team) -> None:
        team_to_row(team, self._row(TeamRow, team.id, "team"))
        self.session.flush()


class SqlUserRepository(SqlRepository):
    def _supports(self, user_ids: list[int]) -> dict[int, set[int]]:
        out: dict[int, set[int]] = {uid: set() for uid in user_ids}
        if user_ids:
            rows = self.session.execute(
                select(col(LeadSupportRow.lead_id), col(LeadSupportRow.practitioner_id)).where(
                    col(LeadSupportRow.lead_id).in_(user_ids)
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
                    col(LeadSupportRow.lead_id) == user_id,
                    col(LeadSupportRow.practitioner_id).in_(gone),
                )
            )
        for practitioner_id in sorted(supports - current):
            self.session.add(LeadSupportRow(lead_id=user_id, practitioner_id=practitioner_id))
        self.session.flush()

    def add(self, user: User) -> User:
        row = user_to_row(user)
        self._insert_unique(
            row,
            lambda: self.by_username(user.username) is not None,
            lambda: ValidationError(
                "username", f"The user name {user.username!r} is already taken."
            ),
        )
        self._set_supports(known_id(row.id), user.supports)
        return user_from_row(row, user.supports)

    def get(self, user_id: int) -> User:
        row = self._row(UserRow, user_id, "user")
        return user_from_row(row, self._supports([user_id])[user_id])

    def by_username(self, username: str) -> User | None:
        row = self.session.scalars(
            select(UserRow).where(col(UserRow.username) == username.strip().lower())
        ).first()
        return self._with_supports(row) if row else None

    def _with_supports(self, row: UserRow) -> User:
        row_id = known_id(row.id)
        return user_from_row(row, self._supports([row_id])[row_id])

    def list(self) -> list[User]:
        rows = list(self.session.scalars(select(UserRow).order_by(col(UserRow.username))))
        supports = self._supports([known_id(r.id) for r in rows])
        return [user_from_row(r, supports[known_id(r.id)]) for r in rows]

    def update(self, user: User) -> None:
        row = self._row(UserRow, user.id, "user")
        user_to_row(user, row)
        self.session.flush()
        self._set_supports(known_id(row.id), user.supports)

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
            delete(SignInAttemptRow).where(col(SignInAttemptRow.name_key) == name_key)
        )
        return bool(rowcount(result))
