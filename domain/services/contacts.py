"""The contact log: time with families, entered in seconds (SPEC §3 "Contact log").

* Logging needs write access to the family (its allocated practitioner or the team's manager).
* A contact can be corrected only on the day it was logged, by whoever logged it or by a team
  manager of the family's team; the correction is audited with the old values.
* Reading needs read access to the family.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date, datetime, time

from domain.access import Access, deny, load_family, refuse, require_user
from domain.audit import AuditAction
from domain.clock import local_date, local_instant, to_local
from domain.errors import DomainError, ValidationError
from domain.people import Role
from domain.ports import UnitOfWork
from domain.services.context import Context, audit
from domain.timeuse import Contact, ContactKind
from domain.validate import not_future, one_of

#: Fields edit_contact may change, in the order they are reported.
EDITABLE = (
    "on",
    "start",
    "minutes",
    "kind",
    "note",
    "present",
    "child_seen",
    "seen_alone",
    "travel_minutes",
)


def _check_when(on: date, start: time, now: datetime) -> None:
    if not isinstance(on, date) or isinstance(on, datetime):
        raise ValidationError("on", "Date must be a calendar date.")
    if not isinstance(start, time):
        raise ValidationError("start", "Start time must be a time of day, for example 14:30.")
    not_future("on", "Date", on, local_date(now))
    # Checked against the real local calendar: a time the clocks skip (01:30 on the spring
    # night) is refused; one in the repeated autumn hour is its first occurrence, and is only
    # "in the future" if that instant is still to come.
    begins = local_instant(on, start, field="start")
    if begins > now:
        raise ValidationError(
            "start",
            f"Start time cannot be in the future ({start:%H:%M} is after now, "
            f"{to_local(now):%H:%M}).",
        )


def log_contact(
    ctx: Context,
    family_id: int,
    on: date,
    start: time,
    minutes: int,
    kind: ContactKind | str,
    note: str,
    present: str = "",
    child_seen: bool = False,
    seen_alone: bool = False,
    travel_minutes: int = 0,
) -> Contact:
    now = ctx.clock.now()
    with ctx.uow() as uow:
        family = load_family(ctx, uow, family_id, Access.WRITE)
        _check_when(on, start, now)
        contact = Contact(
            family_id=family.id,
            practitioner_id=ctx.user_id,
            on=on,
            start=start.replace(second=0, microsecond=0),
            minutes=minutes,
            kind=one_of("kind", "Kind of contact", kind, ContactKind),
            note=note,
            present=present,
            child_seen=child_seen,
            seen_alone=seen_alone,
            travel_minutes=travel_minutes,
            logged_at=now,
        )
        contact = uow.contacts.add(contact)
        audit(ctx, uow, AuditAction.CREATE, "contact", contact.id, family_id=family.id)
        uow.commit()
    return contact


@dataclass(frozen=True)
class ContactDefaults:
    on: date
    start: time
    kind: ContactKind
    #: True when ``kind`` is the one this user logged last (False: the app's default).
    kind_from_last: bool


def contact_defaults(ctx: Context) -> ContactDefaults:
    """What a new contact form starts with: today, now (rounded down to 5 minutes, so it is
    never in the future) and the kind of contact this user logged last (else a home visit)."""
    now = to_local(ctx.clock.now())
    start = time(now.hour, now.minute - now.minute % 5)
    with ctx.uow() as uow:
        user = require_user(ctx, uow)
        last = uow.contacts.last_for_practitioner(user.id)
    if last is None:
        return ContactDefaults(now.date(), start, ContactKind.HOME_VISIT, False)
    return ContactDefaults(now.date(), start, last.kind, True)


def _jsonable(value: object) -> object:
    if isinstance(value, date | time):
        return value.isoformat()
    return value


def _may_edit(ctx: Context, uow: UnitOfWork, contact: Contact) -> None:
    family = load_family(ctx, uow, contact.family_id, Access.WRITE)
    user = require_user(ctx, uow)
    if user.role is not Role.TEAM_MANAGER and contact.practitioner_id != user.id:
        raise deny(
            ctx,
            uow,
            f"change a contact someone else logged for family {family.reference}",
            entity="contact",
            entity_id=contact.id,
            family_id=family.id,
        )


def edit_contact(ctx: Context, contact_id: int, **changes: object) -> Contact:
    """Correct a contact on the day it was logged. Keyword arguments name the fields to change
    (any of EDITABLE); a value of None leaves that field as it is."""
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise ValidationError(unknown[0], f"A contact has no field {unknown[0]!r}.")
    now = ctx.clock.now()
    with ctx.uow() as uow:
        contact = uow.contacts.get(contact_id)
        _may_edit(ctx, uow, contact)
        logged_on = local_date(contact.logged_at or now)
        if logged_on != local_date(now):
            late = DomainError(
                f"A contact can only be changed on the day it was logged; this one was logged "
                f"on {logged_on.day} {logged_on:%b %Y}."
            )
            raise refuse(
                ctx,
                uow,
                late,
                what="change a contact after the day it was logged",
                entity="contact",
                entity_id=contact.id,
                family_id=contact.family_id,
            )
        given = {k: v for k, v in changes.items() if v is not None}
        if "kind" in given:
            given["kind"] = one_of("kind", "Kind of contact", given["kind"], ContactKind)
        if "start" in given and isinstance(given["start"], time):
            given["start"] = given["start"].replace(second=0, microsecond=0)
        updated = replace(contact, **given)
        _check_when(updated.on, updated.start, now)
        old = {
            f: _jsonable(getattr(contact, f))
            for f in EDITABLE
            if getattr(contact, f) != getattr(updated, f)
        }
        if not old:
            return contact
        updated = replace(updated, edited_at=now)
        uow.contacts.update(updated)
        audit(
            ctx,
            uow,
            AuditAction.UPDATE,
            "contact",
            contact.id,
            family_id=contact.family_id,
            detail="old values: " + json.dumps(old, ensure_ascii=False),
        )
        uow.commit()
    return updated


def list_contacts(
    ctx: Context, family_id: int, start: date | None = None, end: date | None = None
) -> list[Contact]:
    """The family's contacts (optionally from ``start`` to ``end`` inclusive), newest first."""
    if start is not None and end is not None and end < start:
        raise ValidationError("end", "The end date cannot be before the start date.")
    with ctx.uow() as uow:
        family = load_family(ctx, uow, family_id, Access.READ)
        contacts = uow.contacts.for_family(family.id, start=start, end=end)
        audit(ctx, uow, AuditAction.VIEW, "contact", None, family_id=family.id, detail="list")
        uow.commit()
    return sorted(contacts, key=lambda c: (c.on, c.start, c.id or 0), reverse=True)
