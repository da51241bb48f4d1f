"""Import a caseload from JSON (SPEC: administration), all or nothing.

The file is a JSON list of families::

    [{"reference": "FAM-0042", "name": "Reid family", "team": "North", "practitioner": "alex",
      "members": [{"name": "Amy Reid", "role": "child", "date_of_birth": "2016-05-01",
                   "legal_status": "child_protection"}]}]

``team`` is a team name and ``practitioner`` a user name (or null: awaiting allocation). A member's
``role`` is one of child, parent, carer, relative, other; ``legal_status`` one of early_help,
child_in_need, child_protection, child_looked_after or null; ``date_of_birth`` ISO or null.
Optional extras: family ``address`` and ``opened_on``; member ``cp_category`` (default
"multiple" for child protection) and ``status_since`` (default: the import day).

Every problem in the file is reported with its position ("Family 3 (FAM-0042), member 2: ...")
and nothing is imported unless the whole file is right.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from domain.audit import AuditAction, AuditEvent
from domain.errors import DomainError, ValidationError
from domain.families import CpCategory, Family, LegalStatus, Member, MemberRole, StatusChange
from domain.people import Role, Team, User
from domain.services.admin import require_admin
from domain.services.context import Context

FAMILY_KEYS = ("reference", "name", "team", "practitioner", "members", "address", "opened_on")
REQUIRED_FAMILY_KEYS = ("reference", "name", "team", "practitioner", "members")
MEMBER_KEYS = ("name", "role", "date_of_birth", "legal_status", "cp_category", "status_since")
REQUIRED_MEMBER_KEYS = ("name", "role")
IMPORT_STATUSES = (
    LegalStatus.EARLY_HELP,
    LegalStatus.CHILD_IN_NEED,
    LegalStatus.CHILD_PROTECTION,
    LegalStatus.CHILD_LOOKED_AFTER,
)
#: How many problems the message lists before "... and N more".
MAX_LISTED = 20


@dataclass(frozen=True)
class CaseloadImported:
    """What an import added."""

    families: int
    members: int
    references: tuple[str, ...]
    family_ids: tuple[int, ...]


class CaseloadImportError(ValidationError):
    """The file was rejected; ``problems`` lists every problem found, each with its position."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        if len(problems) == 1:
            message = f"Nothing was imported. {problems[0]}"
        else:
            listed = "\n".join(f"- {p}" for p in problems[:MAX_LISTED])
            more = len(problems) - MAX_LISTED
            extra = f"\n- ... and {more} more." if more > 0 else ""
            message = f"Nothing was imported; {len(problems)} problems were found:\n{listed}{extra}"
        super().__init__("file", message)


class _Problem(Exception):
    pass


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    return {
        bool: "true/false",
        int: "a number",
        float: "a number",
        str: "text",
        list: "a list",
        dict: "an object",
    }.get(type(value), type(value).__name__)


def _text(raw: dict[str, Any], key: str, *, nullable: bool = False) -> str | None:
    value = raw.get(key)
    if value is None and nullable:
        return None
    if not isinstance(value, str) or not value.strip():
        raise _Problem(f"{key} must be non-empty text (got {_json_type(value)}).")
    return value.strip()


def _date(raw: dict[str, Any], key: str, today: date) -> date | None:
    value = raw.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise _Problem(
            f"{key} must be a date written YYYY-MM-DD, or null (got {_json_type(value)})."
        )
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        raise _Problem(
            f"{key} must be a date written YYYY-MM-DD, or null (got {value!r})."
        ) from None
    if day > today:
        raise _Problem(f"{key} cannot be in the future ({day.isoformat()}).")
    return day


def _choice(raw: dict[str, Any], key: str, allowed: tuple[Any, ...], *, nullable: bool) -> Any:
    value = raw.get(key)
    if value is None and nullable:
        return None
    names = ", ".join(str(a.value) for a in allowed)
    if isinstance(value, str):
        for a in allowed:
            if a.value == value.strip().lower():
                return a
    got = repr(value) if isinstance(value, str) else _json_type(value)
    return_null = " or null" if nullable else ""
    raise _Problem(f"{key} must be one of {names}{return_null} (got {got}).")


def _unknown_keys(raw: dict[str, Any], known: tuple[str, ...]) -> list[str]:
    return [f"unknown field {k!r} (expected: {', '.join(known)})." for k in raw if k not in known]


def _member(raw: Any, today: date) -> tuple[Member | None, list[str]]:
    if not isinstance(raw, dict):
        return None, [f"must be an object with name and role (got {_json_type(raw)})."]
    problems = _unknown_keys(raw, MEMBER_KEYS)
    problems += [f"{k} is missing." for k in REQUIRED_MEMBER_KEYS if k not in raw]
    values: dict[str, Any] = {}
    for key, read in (
        ("name", lambda: _text(raw, "name")),
        ("role", lambda: _choice(raw, "role", tuple(MemberRole), nullable=False)),
        ("date_of_birth", lambda: _date(raw, "date_of_birth", today)),
        ("legal_status", lambda: _choice(raw, "legal_status", IMPORT_STATUSES, nullable=True)),
        ("cp_category", lambda: _choice(raw, "cp_category", tuple(CpCategory), nullable=True)),
        ("status_since", lambda: _date(raw, "status_since", today)),
    ):
        if key not in raw and key in REQUIRED_MEMBER_KEYS:
            continue
        try:
            values[key] = read()
        except _Problem as p:
            problems.append(str(p))
    status, category = values.get("legal_status"), values.get("cp_category")
    if status is not None and values.get("role") not in (None, MemberRole.CHILD):
        problems.append("only a child can have a legal_status.")
    if category is not None and status is not None and status is not LegalStatus.CHILD_PROTECTION:
        problems.append("cp_category is only for legal_status child_protection.")
    for key in ("cp_category", "status_since"):
        if status is None and values.get(key) is not None:
            problems.append(f"{key} needs a legal_status.")
    if problems:
        return None, problems
    history = []
    if status is not None:
        if status is LegalStatus.CHILD_PROTECTION and category is None:
            category = CpCategory.MULTIPLE
        history.append(
            StatusChange(status=status, since=values["status_since"] or today, cp_category=category)
        )
    try:
        member = Member(
            name=values["name"],
            role=values["role"],
            date_of_birth=values["date_of_birth"],
            status_history=history,
        )
    except DomainError as e:
        return None, [e.message]
    return member, []


class _Lookups:
    """What the file refers to, read once in set-based queries before the file is checked (so the
    check holds no transaction open): teams, users, and which of the file's references are taken."""

    def __init__(self, teams: list[Team], users: list[User], taken: set[str]) -> None:
        self.teams = {t.name.strip().lower(): t for t in teams}
        self.team_names = {t.id: t.name for t in teams}
        self.users = {u.username.strip().lower(): u for u in users}
        self.taken = taken

    def team_id(self, name: str) -> int:
        team = self.teams.get(name.strip().lower())
        if team is None or team.id is None:
            raise _Problem(f"there is no team called {name!r}.")
        return team.id

    def practitioner(self, ref: str, team_id: int) -> User:
        """As :func:`domain.services.admin.check_practitioner`, on the users read up front."""
        found = self.users.get(ref.strip().lower())
        if found is None:
            raise ValidationError("practitioner", f"There is no user called {ref.strip()!r}.")
        if found.role is not Role.PRACTITIONER:
            raise ValidationError(
                "practitioner",
                f"{found.full_name} is a {found.role.label.lower()}, not a practitioner.",
            )
        if not found.active:
            raise ValidationError("practitioner", f"{found.full_name}'s account is not active.")
        if found.team_id != team_id:
            raise ValidationError(
                "practitioner",
                f"{found.full_name} is not in team {self.team_names.get(team_id, team_id)}.",
            )
        return found


def _family(
    raw: Any, lookups: _Lookups, today: date, seen: dict[str, int], position: int
) -> tuple[Family | None, str, list[str]]:
    """Parse one family; returns (family or None, position label, problems)."""
    label = f"Family {position}"
    if not isinstance(raw, dict):
        return None, label, [f"{label}: must be an object (got {_json_type(raw)})."]
    ref = raw.get("reference")
    if isinstance(ref, str) and ref.strip():
        label = f"{label} ({ref.strip()})"
    problems = [f"{label}: {p}" for p in _unknown_keys(raw, FAMILY_KEYS)]
    problems += [f"{label}: {k} is missing." for k in REQUIRED_FAMILY_KEYS if k not in raw]

    def attempt(read: Any) -> Any:
        try:
            return read()
        except _Problem as p:
            problems.append(f"{label}: {p}")
        except DomainError as e:
            problems.append(f"{label}: {e.message}")
        return None

    reference = attempt(lambda: _text(raw, "reference")) if "reference" in raw else None
    name = attempt(lambda: _text(raw, "name")) if "name" in raw else None
    team_name = attempt(lambda: _text(raw, "team")) if "team" in raw else None
    username = attempt(lambda: _text(raw, "practitioner", nullable=True))
    address = attempt(lambda: _text(raw, "address", nullable=True)) if "address" in raw else ""
    opened_on = attempt(lambda: _date(raw, "opened_on", today)) or today
    team_id = attempt(lambda: lookups.team_id(team_name)) if team_name else None
    practitioner_id = None
    if username and team_id is not None:
        user = attempt(lambda: lookups.practitioner(username, team_id))
        practitioner_id = user.id if user else None

    if reference is not None:
        normalised = reference.upper()
        if normalised in seen:
            problems.append(
                f"{label}: reference {normalised} is also used by family {seen[normalised]} "
                "in this file."
            )
        else:
            seen[normalised] = position
            if normalised in lookups.taken:
                problems.append(f"{label}: reference {normalised} is already in the database.")

    members: list[Member] = []
    raw_members = raw.get("members")
    if "members" in raw and not isinstance(raw_members, list):
        problems.append(f"{label}: members must be a list (got {_json_type(raw_members)}).")
    elif isinstance(raw_members, list):
        for j, raw_member in enumerate(raw_members, start=1):
            member, member_problems = _member(raw_member, today)
            problems += [f"{label}, member {j}: {p}" for p in member_problems]
            if member is not None:
                members.append(member)
    if problems or team_id is None:
        return None, label, problems
    try:
        family = Family(
            reference=reference or "",
            name=name or "",
            team_id=team_id,
            practitioner_id=practitioner_id,
            opened_on=opened_on,
            address=address or "",
            members=members,
        )
    except DomainError as e:
        return None, label, [f"{label}: {e.message}"]
    return family, label, []


def load_caseload_json(text: str) -> Any:
    """Parse the file's text; a syntax error is reported with its line and column."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise CaseloadImportError(
            [f"The file is not valid JSON: {e.msg} at line {e.lineno}, column {e.colno}."]
        ) from None


def _references(data: list[Any]) -> set[str]:
    """Every reference the file names (upper case), for one set-based look-up."""
    return {
        raw["reference"].strip().upper()
        for raw in data
        if isinstance(raw, dict) and isinstance(raw.get("reference"), str)
    }


def import_caseload(ctx: Context, data: Any) -> CaseloadImported:
    """Import families from parsed JSON (see the module docstring), all or nothing.

    Administrators only. Bootstrap: also accepts a system context (seeding).

    Saves never wait long behind an import: what the file refers to is read first in one short
    unit of work (teams, users, taken references: three statements), the file is checked with no
    transaction open, and the families, their members and statuses and the audit events are then
    written in one transaction of a few bulk statements (a 4,000-family file holds SQLite's write
    lock for well under a second: ``bench/import_lock.py``). That transaction checks the
    references again, so a family added meanwhile is reported, and either everything is written
    or nothing is."""
    today = ctx.clock.today()
    with ctx.uow() as uow:
        require_admin(ctx, uow, "import a caseload")
        if not isinstance(data, list):
            raise CaseloadImportError(
                [f"The file must hold a JSON list of families (it holds {_json_type(data)})."]
            )
        if not data:
            raise CaseloadImportError(["The file holds no families."])
        references = _references(data)
        lookups = _Lookups(
            uow.teams.list(), uow.users.list(), uow.families.existing_references(references)
        )
    seen: dict[str, int] = {}
    parsed: list[Family] = []
    problems: list[str] = []
    for position, raw in enumerate(data, start=1):
        family, _, found = _family(raw, lookups, today, seen, position)
        problems += found
        if family is not None:
            parsed.append(family)
    if problems:
        raise CaseloadImportError(problems)
    now = ctx.clock.now()
    with ctx.uow() as uow:
        require_admin(ctx, uow, "import a caseload")
        taken = uow.families.existing_references(f.reference for f in parsed)
        if taken:
            raise CaseloadImportError(
                [
                    f"reference {ref} was added to the database while the file was being checked."
                    for ref in sorted(taken)
                ]
            )
        added = uow.families.add_many(parsed)
        uow.audit.record_many(
            [
                AuditEvent(
                    at=now,
                    user_id=ctx.user_id,
                    action=AuditAction.IMPORT,
                    entity="family",
                    entity_id=family.id,
                    family_id=family.id,
                    detail="caseload import",
                )
                for family in added
            ]
        )
        uow.commit()
    return CaseloadImported(
        families=len(added),
        members=sum(len(f.members) for f in added),
        references=tuple(f.reference for f in added),
        family_ids=tuple(f.id for f in added if f.id is not None),
    )


def import_caseload_json(ctx: Context, text: str) -> CaseloadImported:
    """:func:`import_caseload` from the file's text."""
    return import_caseload(ctx, load_caseload_json(text))
