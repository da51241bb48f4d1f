"""Network meetings as other screens show them (SPEC §3 "Family network meeting": shown on the
family's overview, listed in a summary's period like contacts).

- :func:`meeting_glance`: the family Overview's lines: the last meeting (its date and its
  decisions in short) and the next meeting's date, flagged when it has passed with no meeting
  recorded since.
- :func:`overview_screen`: the Overview tab's data (the family, its at-a-glance flags and the
  meetings glance) in one read, audited as one view.
- :func:`period_records` / :func:`period_records_between`: a summary's period as its editor
  lists it beside the text: the contacts and the network meetings held in it, in one read,
  audited as one view.

Each reads through the meeting service's own read (``list_meetings``: access checked, view
audited), joined into the screen's one read by domain/services/one_read.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from domain.errors import ValidationError
from domain.families import Family
from domain.network_meetings import NetworkMeeting
from domain.services.caseload import CaseloadRow
from domain.services.context import Context
from domain.services.one_read import one_read
from domain.timeuse import Contact

#: The most characters of decisions the Overview shows (the Meetings tab shows them whole).
SHORT_DECISIONS = 140


def short_decisions(text: str, limit: int = SHORT_DECISIONS) -> str:
    """The decisions in short: the first one (a line each), cut to ``limit`` characters with
    "…", and how many more there are: "Kiran visits on Tuesdays… (+2 more)"."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        return ""
    first = lines[0]
    if len(first) > limit:
        first = first[: max(1, limit - 1)].rstrip() + "…"
    more = len(lines) - 1
    return first + (f" (+{more} more)" if more else "")


@dataclass(frozen=True)
class MeetingGlance:
    """What the Overview says about the family's network meetings."""

    #: The most recent meeting (by the date held), or None: no network meeting recorded.
    last: NetworkMeeting | None
    #: How many meetings are recorded.
    count: int
    #: The next meeting as agreed at the last one (None: none agreed, or no meeting).
    next_on: date | None
    #: The next meeting's date has passed and no meeting is recorded since.
    next_passed: bool

    @property
    def decisions(self) -> str:
        return short_decisions(self.last.decisions) if self.last else ""


def meeting_glance(meetings: Sequence[NetworkMeeting], today: date) -> MeetingGlance:
    """The glance from the family's meetings (any order)."""
    if not meetings:
        return MeetingGlance(None, 0, None, False)
    last = max(meetings, key=lambda m: (m.held_on, m.id or 0))
    next_on = last.next_meeting_on
    return MeetingGlance(last, len(meetings), next_on, next_on is not None and next_on < today)


@dataclass(frozen=True)
class OverviewData:
    """The family Overview tab."""

    family: Family
    row: CaseloadRow
    meetings: MeetingGlance


def overview_screen(ctx: Context, family_id: int) -> OverviewData:
    """The Overview tab: the family, its flags (as on the caseload) and its network meetings;
    one read, one VIEW event ("family", "overview: ...")."""
    from domain.network_meetings import list_meetings
    from domain.services.caseload import family_overview

    def load(c: Context) -> OverviewData:
        family, row = family_overview(c, family_id)
        meetings = [listed.meeting for listed in list_meetings(c, family_id)]
        return OverviewData(family, row, meeting_glance(meetings, c.clock.today()))

    return one_read(
        ctx, load, entity="family", entity_id=family_id, family_id=family_id, what="overview"
    )


@dataclass(frozen=True)
class PeriodRecords:
    """What a summary's editor lists beside its text for the period: contacts and network
    meetings, each oldest first (read-only: never retyped into the summary)."""

    start: date
    end: date
    contacts: list[Contact]
    meetings: list[NetworkMeeting]


def _oldest_first(meetings: list[NetworkMeeting]) -> list[NetworkMeeting]:
    return sorted(meetings, key=lambda m: (m.held_on, m.id or 0))


def period_records(ctx: Context, summary_id: int) -> PeriodRecords:
    """The contacts and network meetings of the summary's period as saved; one read, one VIEW
    event ("summary")."""
    from domain.network_meetings import list_meetings
    from domain.services.summaries import get_summary, period_contacts

    def load(c: Context) -> PeriodRecords:
        summary = get_summary(c, summary_id)
        start, end = summary.period_start, summary.period_end
        contacts = period_contacts(c, summary_id)
        listed = list_meetings(c, summary.family_id, start, end)
        return PeriodRecords(start, end, contacts, _oldest_first([m.meeting for m in listed]))

    return one_read(ctx, load, entity="summary", entity_id=summary_id, what="summary period")


def period_records_between(ctx: Context, family_id: int, start: date, end: date) -> PeriodRecords:
    """The family's contacts and network meetings from ``start`` to ``end`` (a period being
    typed in a summary's editor); one read, one VIEW event ("family")."""
    from domain.network_meetings import list_meetings
    from domain.services.contacts import list_contacts

    if end < start:
        raise ValidationError("end", "The end date cannot be before the start date.")

    def load(c: Context) -> PeriodRecords:
        contacts = sorted(
            list_contacts(c, family_id, start, end), key=lambda x: (x.on, x.start, x.id or 0)
        )
        listed = list_meetings(c, family_id, start, end)
        return PeriodRecords(start, end, contacts, _oldest_first([m.meeting for m in listed]))

    return one_read(
        ctx, load, entity="family", entity_id=family_id, family_id=family_id, what="summary period"
    )
