"""Family network meetings in the database: row <-> domain mapping and the SQL repository
(domain/network_meetings.py ``NetworkMeetingRepository``). The table is ``network_meetings``
(storage/tables.py ``NetworkMeetingRow``, migration 0018); who came is kept as JSON text, a list
of {"name", "role"} in the order they were written.
"""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import select
from sqlmodel import col

from domain.network_meetings import Attendee, NetworkMeeting
from storage.repo_base import SqlRepository
from storage.tables import NetworkMeetingRow


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
