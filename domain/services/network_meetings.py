"""Family network meetings: recording them, listing them, correcting them on the day.

Access is the family's, exactly as for contacts (domain/access.py):

* recording a meeting needs write access to the family (its allocated practitioner, or a team
  manager of the family's team);
* listing them needs read access (as above, or a team-mate where the team lets practitioners
  read the team's families); the listing is audited as a view;
* a meeting can be corrected only on the day it was recorded, by whoever recorded it or by a team
  manager of the family's team; the correction is audited with the values it replaced, so nothing
  recorded is rewritten silently.

Every refusal is audited (a DENIED event) before it is raised.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import Enum

from domain.access import Access, deny, load_family, refuse, require_user
from domain.audit import AuditAction
from domain.clock import local_date
from domain.errors import DomainError, NotFound, ValidationError
from domain.network_meetings import Attendee, NetworkMeeting, parse_attendees
from domain.people import Role
from domain.ports import UnitOfWork
from domain.services.context import Context, audit
from domain.validate import not_future

#: The audit log's name for this record.
ENTITY = "network_meeting"

#: Fields correct_meeting may change, in the order they are reported in the audit log.
EDITABLE = ("held_on", "attendees", "decisions", "next_meeting_on")


def _check_held_on(held_on: object, today: date) -> date:
    if not isinstance(held_on, date) or isinstance(held_on, datetime):
        raise ValidationError("held_on", "The meeting date must be a calendar date.")
    not_future("held_on", "The meeting date", held_on, today)
    return held_on


def _people(attendees: str | Iterable[Attendee | str]) -> tuple[Attendee, ...]:
    """Who came, as typed (one a line) or as a list of people / lines."""
    if isinstance(attendees, str):
        return parse_attendees(attendees)
    out: list[Attendee] = []
    for person in attendees:
        out.extend(parse_attendees(person) if isinstance(person, str) else (person,))
    return tuple(out)


def record_meeting(
    ctx: Context,
    family_id: int,
    held_on: date,
    attendees: str | Iterable[Attendee | str],
    decisions: str,
    next_meeting_on: date | None = None,
) -> NetworkMeeting:
    """Record a network meeting of the family. ``attendees``: one person a line ("Aunt Jo
    (safety person)"), or a list of people. Raises ValidationError naming the field at fault."""
    now = ctx.clock.now()
    with ctx.uow() as uow:
        family = load_family(ctx, uow, family_id, Access.WRITE)
        user = require_user(ctx, uow)
        assert user.id is not None  # require_user returns a stored (or the system) user
        meeting = NetworkMeeting(
            family_id=family_id,
            held_on=_check_held_on(held_on, local_date(now)),
            attendees=_people(attendees),
            decisions=decisions,
            next_meeting_on=next_meeting_on,
            recorded_by=user.id,
            recorded_at=now,
        )
        meeting = uow.network_meetings.add(meeting)
        audit(ctx, uow, AuditAction.CREATE, ENTITY, meeting.id, family_id=family.id)
        uow.commit()
    return meeting


@dataclass(frozen=True)
class ListedMeeting:
    """A meeting as the family's list shows it: the record and who recorded it, by name."""

    meeting: NetworkMeeting
    recorded_by_name: str


def list_meetings(
    ctx: Context, family_id: int, start: date | None = None, end: date | None = None
) -> list[ListedMeeting]:
    """The family's network meetings (optionally held ``start``..``end``), newest first."""
    if start is not None and end is not None and end < start:
        raise ValidationError("end", "The end date cannot be before the start date.")
    with ctx.read() as uow:  # a read: one snapshot, no write lock; its view audited at commit
        family = load_family(ctx, uow, family_id, Access.READ)
        meetings = uow.network_meetings.for_family(family_id, start=start, end=end)
        names = {m.recorded_by: _name(uow, m.recorded_by) for m in meetings}
        audit(ctx, uow, AuditAction.VIEW, ENTITY, None, family_id=family.id, detail="list")
        uow.commit()
    ordered = sorted(meetings, key=lambda m: (m.held_on, m.id or 0), reverse=True)
    return [ListedMeeting(m, names[m.recorded_by]) for m in ordered]


def _name(uow: UnitOfWork, user_id: int) -> str:
    try:
        return uow.users.get(user_id).full_name
    except NotFound:
        return "a former user"


def may_correct(meeting: NetworkMeeting, today: date) -> bool:
    """Whether the meeting can still be corrected today (it was recorded today)."""
    return local_date(meeting.recorded_at) == today


def _may_edit(ctx: Context, uow: UnitOfWork, meeting: NetworkMeeting) -> None:
    family = load_family(ctx, uow, meeting.family_id, Access.WRITE)
    user = require_user(ctx, uow)
    if user.role is not Role.TEAM_MANAGER and meeting.recorded_by != user.id:
        raise deny(
            ctx,
            uow,
            f"change a network meeting someone else recorded for family {family.reference}",
            entity=ENTITY,
            entity_id=meeting.id,
            family_id=family.id,
        )


def _jsonable(value: object) -> object:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return [a.text() if isinstance(a, Attendee) else a for a in value]
    return value


class _Keep(Enum):
    """``next_meeting_on=KEEP``: leave the next meeting as it is (None is a value: none agreed)."""

    KEEP = "keep"


KEEP = _Keep.KEEP


def correct_meeting(
    ctx: Context,
    meeting_id: int,
    *,
    held_on: date | None = None,
    attendees: str | Iterable[Attendee | str] | None = None,
    decisions: str | None = None,
    next_meeting_on: date | None | _Keep = KEEP,
) -> NetworkMeeting:
    """Correct a meeting on the day it was recorded. A field given as None is left as it is,
    except ``next_meeting_on``, where None is a value (no next meeting agreed): leave it out
    (KEEP) to keep it."""
    now = ctx.clock.now()
    with ctx.uow() as uow:
        meeting = uow.network_meetings.get(meeting_id)
        _may_edit(ctx, uow, meeting)
        if not may_correct(meeting, local_date(now)):
            recorded = local_date(meeting.recorded_at)
            late = DomainError(
                "A network meeting can only be corrected on the day it was recorded; this one "
                f"was recorded on {recorded.day} {recorded:%b %Y}."
            )
            raise refuse(
                ctx,
                uow,
                late,
                what="correct a network meeting after the day it was recorded",
                entity=ENTITY,
                entity_id=meeting.id,
                family_id=meeting.family_id,
            )
        updated = replace(  # checked again by NetworkMeeting.__post_init__
            meeting,
            held_on=(
                meeting.held_on if held_on is None else _check_held_on(held_on, local_date(now))
            ),
            attendees=meeting.attendees if attendees is None else _people(attendees),
            decisions=meeting.decisions if decisions is None else decisions,
            next_meeting_on=(
                meeting.next_meeting_on if next_meeting_on is KEEP else next_meeting_on
            ),
        )
        old = {
            f: _jsonable(getattr(meeting, f))
            for f in EDITABLE
            if getattr(meeting, f) != getattr(updated, f)
        }
        if not old:
            return meeting
        updated = replace(updated, edited_at=now)
        uow.network_meetings.update(updated)
        audit(
            ctx,
            uow,
            AuditAction.UPDATE,
            ENTITY,
            meeting.id,
            family_id=meeting.family_id,
            detail="old values: " + json.dumps(old, ensure_ascii=False),
        )
        uow.commit()
    return updated
