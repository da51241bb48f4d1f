"""Family network meetings (SPEC §3 "Family network meeting").

Signs of Safety work builds a safety network around the children: the family and the people who
know them (relatives, friends, neighbours, "safety people") meet with the professionals to agree
how the children will be kept safe. A meeting record says when it was held, who came (each with
their relationship or role, as the family names them: "Mum", "Aunt Jo (safety person)", "Health
visitor"), what was decided, and when the network meets next.

The record is contemporaneous, like a contact: it can be corrected only on the day it was
recorded, and a correction is audited with the values it replaced (domain/services/
network_meetings.py). The repository port lives here, beside the record it stores.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from domain.errors import ValidationError
from domain.validate import required_text

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


class NetworkMeetingRepository(Protocol):
    def add(self, meeting: NetworkMeeting) -> NetworkMeeting: ...  # assigns the id
    def get(self, meeting_id: int) -> NetworkMeeting: ...  # raises NotFound
    def update(self, meeting: NetworkMeeting) -> None: ...  # raises NotFound
    def for_family(
        self, family_id: int, *, start: date | None = None, end: date | None = None
    ) -> list[NetworkMeeting]:
        """The family's meetings held ``start``..``end`` (inclusive; None: unbounded), newest
        first."""
        ...
