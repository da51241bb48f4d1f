"""The contact log: time with families, entered in seconds (SPEC §3 "Contact log").

* Logging needs write access to the family (its allocated practitioner or the team's manager).
* A contact can be corrected only on the day it was logged, by whoever logged it or by a team
  manager of the family's team; the correction is audited with the old values.
* Reading needs read access to the family.
* Which children were seen, and which of them alone, is recorded per child (``seen``: the
  family's children, by member id); the visiting standard counts each child's own visits.
* A contact that overlaps another contact of the same practitioner, or lasts longer than
  LONG_CONTACT_MINUTES, is accepted: ``contact_warnings`` says why it looks wrong, and the
  contact form shows that before and after saving.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from domain.access import Access, deny, load_family, refuse, require_user
from domain.audit import AuditAction
from domain.clock import local_date, local_instant, to_local
from domain.errors import DomainError, ValidationError
from domain.families import Family
from domain.people import Role
from domain.ports import UnitOfWork
from domain.services.context import Context, audit
from domain.timeuse import LONG_CONTACT_MINUTES, ChildSeen, Contact, ContactKind
from domain.validate import not_future, one_of

#: Fields edit_contact may change, in the order they are reported.
EDITABLE = (
    "on",
    "start",
    "minutes",
    "kind",
    "note",
    "present",
    "seen",
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
    seen: Iterable[ChildSeen | int] = (),
    travel_minutes: int = 0,
    seen_alone: Iterable[int] = (),
) -> Contact:
    """``seen``: the children seen (ChildSeen, or member ids with ``seen_alone`` the ids of those
    seen alone)."""
    now = ctx.clock.now()
    with ctx.uow() as uow:
        family = load_family(ctx, uow, family_id, Access.WRITE)
        _check_when(on, start, now)
        contact = Contact(
            family_id=family.saved_id,
            practitioner_id=ctx.acting_id,
            on=on,
            start=start.replace(second=0, microsecond=0),
            minutes=minutes,
            kind=one_of("kind", "Kind of contact", kind, ContactKind),
            note=note,
            present=present,
            seen=children_seen(family, seen, seen_alone),
            travel_minutes=travel_minutes,
            logged_at=now,
        )
        contact = uow.contacts.add(contact)
        audit(ctx, uow, AuditAction.CREATE, "contact", contact.id, family_id=family.id)
        uow.commit()
    return contact


def children_seen(
    family: Family, seen: Iterable[ChildSeen | int], alone: Iterable[int] = ()
) -> tuple[ChildSeen, ...]:
    """The children seen, checked against the family: each must be one of its children. Given as
    ChildSeen or as member ids (then ``alone`` holds the ids of those seen alone)."""
    children = {c.id: c for c in family.children}
    alone_ids = set(alone)
    out: list[ChildSeen] = []
    for item in seen:
        if isinstance(item, ChildSeen) and item.member_id is None:
            out.append(item)  # a child since removed from the family: kept as recorded
            continue
        member_id = item.member_id if isinstance(item, ChildSeen) else item
        child = children.get(member_id)
        if child is None:
            raise ValidationError(
                "seen",
                f"Only the family's children can be marked as seen (not member {member_id}).",
            )
        is_alone = item.alone if isinstance(item, ChildSeen) else member_id in alone_ids
        out.append(ChildSeen(child.id, child.name, is_alone))
    stray = alone_ids - {c.member_id for c in out}
    if stray:
        raise ValidationError("seen", "A child seen alone must also be marked as seen.")
    order = {c.id: i for i, c in enumerate(family.children)}
    return tuple(sorted(out, key=lambda c: order.get(c.member_id, len(order))))


def _clock(at: datetime) -> str:
    return f"{at:%H:%M}"


def contact_warnings(
    ctx: Context,
    family_id: int,
    on: date,
    start: time,
    minutes: int,
    contact_id: int | None = None,
) -> list[str]:
    """Why a contact about to be saved looks wrong, without refusing it: longer than
    LONG_CONTACT_MINUTES, or overlapping another contact of the same practitioner (the one who
    logs it, or for a correction the one who logged it). ``contact_id``: the contact corrected
    (never compared with itself). Empty when nothing looks wrong."""
    warnings: list[str] = []
    if isinstance(minutes, int) and minutes > LONG_CONTACT_MINUTES:
        hours, mins = divmod(minutes, 60)
        warnings.append(
            f"{minutes} minutes is {hours} h {mins:02d} min, longer than "
            f"{LONG_CONTACT_MINUTES // 60} hours: check the minutes (it is saved as typed)."
        )
    with ctx.read() as uow:
        family = load_family(ctx, uow, family_id, Access.WRITE)
        user = require_user(ctx, uow)
        practitioner_id = user.saved_id
        if contact_id is not None:
            practitioner_id = uow.contacts.get(contact_id).practitioner_id
        nearby = uow.contacts.for_practitioner(
            practitioner_id, start=on - timedelta(days=1), end=on
        )
    begins = datetime.combine(on, start.replace(second=0, microsecond=0))
    ends = begins + timedelta(minutes=max(minutes, 1) if isinstance(minutes, int) else 1)
    who = "your" if practitioner_id == user.id else "the practitioner's"
    for other in sorted(nearby, key=lambda c: (c.on, c.start)):
        if other.id is not None and other.id == contact_id:
            continue
        other_begins = datetime.combine(other.on, other.start)
        if other_begins < ends and begins < other.ends:
            where = "this family" if other.family_id == family.id else "another family"
            day = "" if other.on == on else f" on {other.on.day} {other.on:%b}"
            warnings.append(
                f"Overlaps {who} {other.kind.label.lower()} with {where}{day}, "
                f"{_clock(other_begins)}–{_clock(other.ends)}: check the start and minutes "
                "(it is saved as typed)."
            )
    return warnings


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
    with ctx.read() as uow:
        user = require_user(ctx, uow)
        last = uow.contacts.last_for_practitioner(user.saved_id)
    if last is None:
        return ContactDefaults(now.date(), start, ContactKind.HOME_VISIT, False)
    return ContactDefaults(now.date(), start, last.kind, True)


def _jsonable(value: object) -> object:
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, tuple):
        return [
            {"member_id": c.member_id, "name": c.name, "alone": c.alone}
            if isinstance(c, ChildSeen)
            else c
            for c in value
        ]
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
        # Checked as the Contact is rebuilt (replace runs its validation).
        given: dict[str, Any] = {k: v for k, v in changes.items() if v is not None}
        if "kind" in given:
            given["kind"] = one_of("kind", "Kind of contact", given["kind"], ContactKind)
        if "start" in given and isinstance(given["start"], time):
            given["start"] = given["start"].replace(second=0, microsecond=0)
        if "seen" in given:
            family = load_family(ctx, uow, contact.family_id, Access.WRITE)
            given["seen"] = children_seen(family, given["seen"])
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
    with ctx.read() as uow:
        family = load_family(ctx, uow, family_id, Access.READ)
        contacts = uow.contacts.for_family(family.saved_id, start=start, end=end)
        audit(ctx, uow, AuditAction.VIEW, "contact", None, family_id=family.id, detail="list")
        uow.commit()
    return sorted(contacts, key=lambda c: (c.on, c.start, c.id or 0), reverse=True)
