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
and nothing is imported unless the whole file is right. A family whose reference is already in
the database is updated, not duplicated (domain/services/caseload_reconcile.py, shared with the
council's national formats: :func:`import_council_files`).
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from domain.caseload_grouping import FamilyRecord
from domain.errors import DomainError
from domain.families import (
    REFERENCE_RE,
    CpCategory,
    LegalStatus,
    Member,
    MemberRole,
    StatusChange,
)
from domain.services.admin import require_admin
from domain.services.caseload_reconcile import (
    CaseloadImported,
    CaseloadImportError,
    import_council_files,
    reconcile_caseload,
)
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


def _family(raw: Any, today: date, seen: dict[str, int], position: int) -> FamilyRecord | None:
    """Parse one JSON family into a record (its problems in ``record.problems``)."""
    label = f"Family {position}"
    if not isinstance(raw, dict):
        return FamilyRecord(
            label=label,
            reference=None,
            name="",
            team=None,
            worker=None,
            members=[],
            strict=True,
            problems=[f"{label}: must be an object (got {_json_type(raw)})."],
        )
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
    opened_on = attempt(lambda: _date(raw, "opened_on", today))

    if reference is not None:
        normalised = reference.upper()
        if not REFERENCE_RE.match(normalised):
            problems.append(
                f"{label}: Reference must be letters, digits and '-' (for example FAM-0042)."
            )
        elif normalised in seen:
            problems.append(
                f"{label}: reference {normalised} is also used by family {seen[normalised]} "
                "in this file."
            )
        else:
            seen[normalised] = position

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
    return FamilyRecord(
        label=label,
        reference=reference.upper() if reference else None,
        name=name or "",
        team=team_name,
        worker=username,
        members=members,
        strict=True,
        address=address or "",
        opened_on=opened_on,
        problems=problems,
    )


def load_caseload_json(text: str) -> Any:
    """Parse the file's text; a syntax error is reported with its line and column."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise CaseloadImportError(
            [f"The file is not valid JSON: {e.msg} at line {e.lineno}, column {e.colno}."]
        ) from None


def import_caseload(ctx: Context, data: Any, *, check: bool = False) -> CaseloadImported:
    """Import families from parsed JSON (see the module docstring), all or nothing: new families
    are added, families already in the database (by reference) are updated.

    Administrators only. Bootstrap: also accepts a system context (seeding)."""
    today = ctx.clock.today()
    if not isinstance(data, list):
        problems = [f"The file must hold a JSON list of families (it holds {_json_type(data)})."]
    elif not data:
        problems = ["The file holds no families."]
    else:
        problems = []
    if problems:
        with ctx.uow() as uow:
            require_admin(ctx, uow, "import a caseload")
        raise CaseloadImportError(problems)
    seen: dict[str, int] = {}
    records = [_family(raw, today, seen, position) for position, raw in enumerate(data, start=1)]
    return reconcile_caseload(
        ctx, [r for r in records if r is not None], formats=("json",), check=check
    )


def import_caseload_json(ctx: Context, text: str) -> CaseloadImported:
    """:func:`import_caseload` from the file's text."""
    return import_caseload(ctx, load_caseload_json(text))


__all__ = [
    "CaseloadImportError",
    "CaseloadImported",
    "import_caseload",
    "import_caseload_json",
    "import_council_files",
    "load_caseload_json",
    "reconcile_caseload",
]
