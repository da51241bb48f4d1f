"""Family network meetings in the database, the record's one home in storage/: the row (table
``network_meetings``, migration 0018), row <-> domain mapping and the SQL repository
(domain/network_meetings.py ``NetworkMeetingRepository``), registered against ``MEETINGS`` at the
end. Who came is kept as JSON text, a list of {"name", "role"} in the order they were written.
"""

from __future__ import annotations

import json
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Index, Text, select
from sqlmodel import Field, col

from domain.network_meetings import MEETINGS, Attendee, NetworkMeeting
from storage.repo_base import SqlRepository, register
from storage.tables import Row
from storage.utc import UtcDateTime


class NetworkMeetingRow(Row, table=True):
    """Migration 0018: a family network meeting (domain/network_meetings.py). ``attendees`` is
    JSON text: a list of {"name", "role"}, in the order they were written."""

    __tablename__ = "network_meetings"
    __table_args__ = (
        CheckConstraint(
            "next_meeting_on IS NULL OR next_meeting_on > held_on", name="next_after_held"
        ),
        Index("ix_network_meetings_family_id_held_on", "family_id", "held_on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    family_id: int = Field(foreign_key="families.id")
    held_on: date
    attendees: str = Field(sa_type=Text)
    decisions: str = Field(sa_type=Text)
    next_meeting_on: date | None = None
    recorded_by: int = Field(foreign_key="users.id")
    recorded_at: datetime = Field(sa_type=UtcDateTime)
    edited_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


def attendees_to_json(attendees: tuple[Attendee, ...]) -> str:
    return json.dumps([{"name": a.name, "role": a.role} for a in attendees], ensure_ascii=False)


def attendees_from_json(text: str) -> tuple[Attendee, ...]:
    return tuple(Attendee(p["name"], p.get("role", "")) for p in json.loads(text or "[]"))


def meeting_to_row(
    meeting: NetworkMeeting, row: NetworkMeetingRow | None = None
) -> NetworkMeetingRow:
    row = row or NetworkMeetingRow(
        family_id=meeting.family_id,
        held_on=meeting.held_on,
        attendees="[]",
        decisions=meeting.decisions,
        recorded_by=meeting.recorded_by,
        recorded_at=meeting.recorded_at,
    )
    row.family_id = meeting.family_id
    row.held_on = meeting.held_on
    row.attendees = attendees_to_json(meeting.attendees)
    row.decisions = meeting.decisions
    row.next_meeting_on = meeting.next_meeting_on
    row.recorded_by = meeting.recorded_by
    row.recorded_at = meeting.recorded_at
    row.edited_at = meeting.edited_at
    return row


def meeting_from_row(row: NetworkMeetingRow) -> NetworkMeeting:
    return NetworkMeeting(
        id=row.id,
        family_id=row.family_id,
        held_on=row.held_on,
        attendees=attendees_from_json(row.attendees),
        decisions=row.decisions,
        next_meeting_on=row.next_meeting_on,
        recorded_by=row.recorded_by,
        recorded_at=row.recorded_at,
        edited_at=row.edited_at,
    )


class SqlNetworkMeetingRepository(SqlRepository):
    def add(self, meeting: NetworkMeeting) -> NetworkMeeting:
        row = meeting_to_row(meeting)
        self.session.add(row)
        self.session.flush()
        return meeting_from_row(row)

    def get(self, meeting_id: int) -> NetworkMeeting:
        return meeting_from_row(self._row(NetworkMeetingRow, meeting_id, "network meeting"))

    def update(self, meeting: NetworkMeeting) -> None:
        meeting_to_row(meeting, self._row(NetworkMeetingRow, meeting.id, "network meeting"))
        self.session.flush()

    def for_family(
        self, family_id: int, *, start: date | None = None, end: date | None = None
    ) -> list[NetworkMeeting]:
        held_on = col(NetworkMeetingRow.held_on)
        query = select(NetworkMeetingRow).where(col(NetworkMeetingRow.family_id) == family_id)
        if start is not None:
            query = query.where(held_on >= start)
        if end is not None:
            query = query.where(held_on <= end)
        query = query.order_by(held_on.desc(), col(NetworkMeetingRow.id).desc())
        return [meeting_from_row(r) for r in self.session.scalars(query)]


register(MEETINGS, SqlNetworkMeetingRepository)
