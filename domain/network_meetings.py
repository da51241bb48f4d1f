"""Family network meetings (SPEC §3 "Family network meeting").

Signs of Safety work builds a safety network around the children: the family and the people who
know them (relatives, friends, neighbours, "safety people") meet with the professionals to agree
how the children will be kept safe. A meeting record says when it was held, who came (each with
their relationship or role, as the family names them: "Mum", "Aunt Jo (safety person)", "Health
visitor"), what was decided, and when the network meets next.

The record is contemporaneous, like a contact: it can be corrected only on the day it was
recorded, and a correction is audited with the values it replaced.

This module is the record's one home in the domain (ARCHITECTURE.md "Adding a record type"): the
model and its rules, the repository port and its key (``MEETINGS``: the unit of work serves it as
``uow.repo(MEETINGS)``; storage/records/network_meetings.py registers the SQL one), and below them
the use cases.

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
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import Enum

from domain.access import Access, deny, load_family, refuse, require_user
from domain.audit import AuditAction
from domain.clock import local_date
from domain.errors import DomainError, NotFound, ValidationError
from domain.people import Role
from domain.ports import FamilyRecords, FamilyRecordsKey, UnitOfWork
from domain.services.context import Context, audit
from domain.validate import not_future, required_text

#: Longest name (or relationship / role) of one person who came.
ATTENDEE_NAME_MAX = 120
#: Most people recorded as having come to one meeting.
ATTENDEES_MAX = 60
#: Longest "what was decided" text.
DECISIONS_MAX = 4000

_ROLE_AT_END = re.compile(r"^(?P<name>.*?)\s*\((?P<role>[^()]*)\)$")
_BULLET = re.compile(r"^(?:[-*•]\s+)")


@dataclass(frozen=True)
class Attendee:
    """One person who came: their name as written ("Aunt Jo", "Mum", "Health visitor") and,
    when given, their relationship or role in the network ("safety person", "school")."""

    name: str
    role: str = ""

    def text(self) -> str:
        """As typed in the form and shown in lists: ``Aunt Jo (safety person)``."""
        return f"{self.name} ({self.role})" if self.role else self.name


def parse_attendee(line: str) -> Attendee:
    """One line of "who came": ``Aunt Jo (safety person)`` is Aunt Jo, role "safety person";
    ``Mum`` is just Mum. A leading "- " or "* " (a typed bullet) is dropped."""
    text = _BULLET.sub("", line.strip())
    match = _ROLE_AT_END.match(text)
    if match and match.group("name").strip():
        return Attendee(match.group("name").strip(), match.group("role").strip())
    return Attendee(text)


def parse_attendees(text: str) -> tuple[Attendee, ...]:
    """ "Who came" as typed: one person a line; blank lines are skipped."""
    return tuple(parse_attendee(line) for line in (text or "").splitlines() if line.strip())


def attendees_text(attendees: Iterable[Attendee]) -> str:
    """The people who came, one a line, as the form shows them (parse_attendees reads it back)."""
    return "\n".join(a.text() for a in attendees)


def check_attendees(attendees: Iterable[Attendee]) -> tuple[Attendee, ...]:
    people = tuple(attendees)
    if not people:
        raise ValidationError(
            "attendees", "Who came cannot be empty: write each person on a line of their own."
        )
    if len(people) > ATTENDEES_MAX:
        raise ValidationError(
            "attendees",
            f"Who came can list at most {ATTENDEES_MAX} people (it has {len(people)}).",
        )
    checked: list[Attendee] = []
    for number, person in enumerate(people, start=1):
        if not isinstance(person, Attendee):
            raise ValidationError("attendees", f"Person {number} who came is not a person.")
        name = person.name.strip()
        role = person.role.strip()
        if not name:
            raise ValidationError(
                "attendees", f"Line {number} of who came has a role but no name: {person.text()}"
            )
        if len(name) > ATTENDEE_NAME_MAX or len(role) > ATTENDEE_NAME_MAX:
            raise ValidationError(
                "attendees",
                f"Line {number} of who came is too long (at most {ATTENDEE_NAME_MAX} characters "
                "for a name and for a role).",
            )
        checked.append(Attendee(name, role))
    return tuple(checked)


def check_next_meeting(held_on: date, next_meeting_on: date | None) -> date | None:
    if next_meeting_on is None:
        return None
    if not isinstance(next_meeting_on, date) or isinstance(next_meeting_on, datetime):
        raise ValidationError("next_meeting_on", "The next meeting must be a calendar date.")
    if next_meeting_on <= held_on:
        raise ValidationError(
            "next_meeting_on",
            f"The next meeting must be after this one ({next_meeting_on:%d/%m/%Y} is not after "
            f"{held_on:%d/%m/%Y}).",
        )
    return next_meeting_on


@dataclass
class NetworkMeeting:
    family_id: int
    #: The local calendar date the meeting was held on.
    held_on: date
    attendees: tuple[Attendee, ...]
    #: What was decided (who will do what by when), as written with the network.
    decisions: str
    #: The user who recorded it, and when (an aware UTC instant).
    recorded_by: int
    recorded_at: datetime
    #: When the network meets next (after ``held_on``), if it was agreed.
    next_meeting_on: date | None = None
    #: When it was last corrected (on the day it was recorded).
    edited_at: datetime | None = None
    id: int | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.held_on, date) or isinstance(self.held_on, datetime):
            raise ValidationError("held_on", "The meeting date must be a calendar date.")
        self.attendees = check_attendees(self.attendees)
        self.decisions = required_text(
            "decisions", "What was decided", self.decisions, max_length=DECISIONS_MAX
        )
        self.next_meeting_on = check_next_meeting(self.held_on, self.next_meeting_on)

    def who_came(self) -> str:
        """One line for a list: "Mum, Aunt Jo (safety person), Health visitor"."""
        return ", ".join(a.text() for a in self.attendees)


#: The repository port: add, get, update, and a family's meetings held ``start``..``end``
#: (inclusive; None: unbounded), newest first.
NetworkMeetingRepository = FamilyRecords[NetworkMeeting]

#: The unit of work's repository of network meetings: ``uow.repo(MEETINGS)``.
MEETINGS = FamilyRecordsKey[NetworkMeeting]("network_meetings", dated=lambda m: m.held_on)


# --- use cases ----------------------------------------------------------------------------

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
        meeting = uow.repo(MEETINGS).add(meeting)
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
        meetings = uow.repo(MEETINGS).for_family(family_id, start=start, end=end)
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
        meeting = uow.repo(MEETINGS).get(meeting_id)
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
        uow.repo(MEETINGS).update(updated)
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
