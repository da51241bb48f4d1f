"""Reading the audit log, and recording the maintenance work done outside the services.

The log itself is written by every service (``context.audit``) and can never be changed: the
AuditLog port has no update or delete, and the database refuses both (migration 0001). Reading it
is for administrators only (``tandem audit`` acts as the system, an administrator), and every
reading is itself audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from domain.access import require_user
from domain.audit import AuditAction, AuditEvent
from domain.audit_chain import ChainCheck, verify_chain
from domain.clock import as_utc, local_date, local_midnight, to_local
from domain.errors import NotFound, ValidationError
from domain.ports import UnitOfWork
from domain.services.admin import SYSTEM_USER_ID, find_user, require_admin
from domain.services.context import Context, audit

#: How ``user`` reads for an event with nobody signed in (e.g. a failed sign-in).
NOBODY = "-"
#: The user name shown for the system's own actions (seeding, command-line set-up).
SYSTEM_NAME = "system"


@dataclass(frozen=True)
class AuditEntry:
    """One audit event as ``tandem audit`` shows it: ids resolved to names and references."""

    id: int | None
    at: datetime
    user_id: int | None
    #: The user name of whoever acted, ``system`` for the system, ``-`` for nobody signed in.
    user: str
    action: AuditAction
    entity: str
    entity_id: int | None
    family_id: int | None
    #: The family's reference (``None`` when the event is about no family).
    family: str | None
    detail: str

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "at": to_local(self.at).isoformat(sep=" ", timespec="seconds"),
            "user": self.user,
            "user_id": self.user_id,
            "action": self.action.value,
            "entity": self.entity,
            "entity_id": self.entity_id,
            "family": self.family,
            "family_id": self.family_id,
            "detail": self.detail,
        }


def _start_of(since: date | datetime | None) -> datetime | None:
    if since is None:
        return None
    if isinstance(since, datetime):
        return as_utc(since)
    if isinstance(since, date):
        return local_midnight(since)
    raise ValidationError("from", "The start of the period must be a date, e.g. 2025-03-01.")


def _family_id(uow: UnitOfWork, reference: str) -> int:
    text = (reference or "").strip()
    family = uow.families.by_reference(text) if text else None
    if family is None or family.id is None:
        raise NotFound(f"There is no family with the reference {text!r}.")
    return family.id


def _user_id(uow: UnitOfWork, username: str) -> int:
    text = (username or "").strip().lower()
    if text == SYSTEM_NAME:
        return SYSTEM_USER_ID
    found = find_user(uow, text)
    assert found.id is not None
    return found.id


def _describe(family: str | None, user: str | None, since: datetime | None, found: int) -> str:
    parts = []
    if family:
        parts.append(f"family {family.strip()}")
    if user:
        parts.append(f"user {user.strip().lower()}")
    if since:
        parts.append(f"from {local_date(since).isoformat()}")
    filters = ", ".join(parts) if parts else "everything"
    return f"audit log listed ({filters}): {found} event{'' if found == 1 else 's'}"


def list_audit(
    ctx: Context,
    *,
    family: str | None = None,
    user: str | None = None,
    since: date | datetime | None = None,
    limit: int | None = None,
) -> list[AuditEntry]:
    """Audit events, oldest first: of one family (by reference), by one user (by user name; use
    ``system`` for the system's actions), from a day on, or the newest ``limit`` of them.

    Administrators only (the system context too); the listing is itself audited."""
    start = _start_of(since)
    if limit is not None and limit < 1:
        raise ValidationError("limit", "The number of events to show must be at least 1.")
    with ctx.read() as uow:
        require_user(ctx, uow)
        require_admin(ctx, uow, "the audit log")
        family_id = _family_id(uow, family) if family is not None else None
        user_id = _user_id(uow, user) if user is not None else None
        events = uow.audit.list(family_id=family_id, user_id=user_id, since=start, limit=limit)
        entries = _entries(uow, events)
        audit(
            ctx,
            uow,
            AuditAction.VIEW,
            "audit",
            family_id=family_id,
            detail=_describe(family, user, start, len(entries)),
        )
        uow.commit()
    return entries


def _entries(uow: UnitOfWork, events: list[AuditEvent]) -> list[AuditEntry]:
    names = {u.id: u.username for u in uow.users.list()}
    names[SYSTEM_USER_ID] = SYSTEM_NAME
    references: dict[int, str] = {}
    for family_id in {e.family_id for e in events if e.family_id is not None}:
        assert family_id is not None
        try:
            references[family_id] = uow.families.get(family_id).reference
        except NotFound:  # the family's records were removed; the log outlives them
            references[family_id] = f"(family {family_id})"
    return [
        AuditEntry(
            id=e.id,
            at=e.at,
            user_id=e.user_id,
            user=NOBODY if e.user_id is None else names.get(e.user_id, f"(user {e.user_id})"),
            action=e.action,
            entity=e.entity,
            entity_id=e.entity_id,
            family_id=e.family_id,
            family=references.get(e.family_id) if e.family_id is not None else None,
            detail=e.detail,
        )
        for e in events
    ]


def record_maintenance(ctx: Context, action: AuditAction, what: str) -> None:
    """Audit work done on the whole database outside the services (administrators only):
    ``EXPORT`` for a backup, ``IMPORT`` for a restore. ``what`` says where to or from."""
    if action not in (AuditAction.EXPORT, AuditAction.IMPORT):
        raise ValueError(f"not a maintenance action: {action}")
    with ctx.uow() as uow:
        require_user(ctx, uow)
        require_admin(ctx, uow, "back up or restore the database")
        audit(ctx, uow, action, "database", detail=what)
        uow.commit()


@dataclass(frozen=True)
class AuditVerification:
    """What ``tandem audit --verify`` found. ``chained`` is False on PostgreSQL, where the log is
    protected by database roles instead of a hash chain (``check`` is then None)."""

    chained: bool
    check: ChainCheck | None


def verify_audit(ctx: Context) -> AuditVerification:
    """Walk the audit log's hash chain and report the first broken link (administrators only).

    The check is itself audited, after the walk (so the event it adds is not part of what it
    checked)."""
    with ctx.read() as uow:
        require_user(ctx, uow)
        require_admin(ctx, uow, "the audit log")
        if not uow.audit.chained:
            result = AuditVerification(False, None)
            detail = "audit log verification: no hash chain on this database (roles protect it)"
        else:
            check = verify_chain(uow.audit.chain())
            result = AuditVerification(True, check)
            detail = (
                f"audit log verified: intact, {check.events} events"
                if check.intact
                else f"audit log verified: BROKEN at event {check.broken_at} ({check.reason})"
            )
        audit(ctx, uow, AuditAction.VIEW, "audit", detail=detail)
        uow.commit()
    return result
