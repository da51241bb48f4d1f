"""Recording time: automatic editor sessions, manual entries, the pre-trial baseline import, and a
user's own totals (SPEC §3 "Recording time").

Sessions and manual entries are the signed-in user's own, and only people who record
(practitioners, team managers, practice leads) have them. A session or entry may name a family
only if the user can see that family's records (a practice lead: a family with an observation of
a practitioner they support).
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from domain.access import Access, deny, load_family, require_role
from domain.audit import AuditAction
from domain.errors import ValidationError
from domain.people import Role, User
from domain.ports import UnitOfWork
from domain.services.context import Context, audit
from domain.timeuse import (
    BaselineEntry,
    ManualEntry,
    ManualKind,
    RecordingActivity,
    RecordingSession,
    TimeCategory,
)
from domain.validate import MINUTES_PER_DAY, not_future, one_of

RECORDERS = (Role.PRACTITIONER, Role.TEAM_MANAGER, Role.PRACTICE_LEAD)
BASELINE_COLUMNS = ("practitioner", "date", "category", "minutes")


def _check_family_link(ctx: Context, uow: UnitOfWork, user: User, family_id: int) -> None:
    if user.role is Role.PRACTICE_LEAD:
        family = uow.families.get(family_id)
        observed = uow.observations.list(
            practitioner_ids=sorted(user.supports), family_id=family.id
        )
        if not observed:
            raise deny(
                ctx,
                uow,
                f"the records of family {family.reference}",
                entity="family",
                entity_id=family.id,
                family_id=family.id,
            )
        return
    load_family(ctx, uow, family_id, Access.READ)


def record_session(
    ctx: Context,
    family_id: int | None,
    activity: RecordingActivity | str,
    started: datetime,
    ended: datetime,
    active_seconds: int,
) -> RecordingSession:
    """Store one editor opening's recording session (usually from ActivityClock.finish)."""
    with ctx.uow() as uow:
        user = require_role(ctx, uow, *RECORDERS, what="recording time")
        if family_id is not None:
            _check_family_link(ctx, uow, user, family_id)
        session = RecordingSession(
            user_id=user.id,
            activity=one_of("activity", "Activity", activity, RecordingActivity),
            started=started,
            ended=ended,
            active_seconds=int(active_seconds),
            family_id=family_id,
        )
        session = uow.recording.add_session(session)
        audit(
            ctx,
            uow,
            AuditAction.CREATE,
            "recording_session",
            session.id,
            family_id=family_id,
            detail=f"{session.activity.value}, {session.active_seconds} s active",
        )
        uow.commit()
    return session


def add_manual_entry(
    ctx: Context,
    on: date,
    minutes: int,
    kind: ManualKind | str,
    note: str = "",
    family_id: int | None = None,
) -> ManualEntry:
    """Recording done outside Tandem (legacy forms, court statements, letters...)."""
    with ctx.uow() as uow:
        user = require_role(ctx, uow, *RECORDERS, what="recording time")
        not_future("on", "Date", on, ctx.clock.today())
        if family_id is not None:
            _check_family_link(ctx, uow, user, family_id)
        entry = ManualEntry(
            user_id=user.id,
            on=on,
            minutes=minutes,
            kind=one_of("kind", "Kind of recording", kind, ManualKind),
            note=note,
            family_id=family_id,
        )
        entry = uow.recording.add_manual(entry)
        audit(
            ctx,
            uow,
            AuditAction.CREATE,
            "manual_entry",
            entry.id,
            family_id=family_id,
            detail=f"{entry.kind.value}, {entry.minutes} min",
        )
        uow.commit()
    return entry


class BaselineImportError(ValidationError):
    """The baseline file has problems; nothing was imported. ``problems`` lists each one."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        if len(problems) == 1:
            message = f"{problems[0]} Nothing was imported."
        else:
            message = (
                f"{len(problems)} problems were found, so nothing was imported:\n"
                + "\n".join(problems)
            )
        super().__init__("csv", message)


@dataclass(frozen=True)
class ImportResult:
    rows: int
    practitioners: int
    first_date: date | None
    last_date: date | None


def _parse_row(
    values: list[str], line: int, users: dict[str, User], today: date
) -> BaselineEntry | str:
    if len(values) != len(BASELINE_COLUMNS):
        return (
            f"Line {line}: expected {len(BASELINE_COLUMNS)} values "
            f"({', '.join(BASELINE_COLUMNS)}) but found {len(values)}."
        )
    name, day, category, minutes = (v.strip() for v in values)
    if not name:
        return f"Line {line}: practitioner is empty."
    user = users.get(name.lower())
    if user is None:
        return f"Line {line}: there is no user called {name!r}."
    if user.role is not Role.PRACTITIONER:
        return f"Line {line}: {name!r} is a {user.role.label.lower()}, not a practitioner."
    try:
        on = date.fromisoformat(day)
    except ValueError:
        return f"Line {line}: date must be written YYYY-MM-DD (got {day!r})."
    if on > today:
        return f"Line {line}: date cannot be in the future (got {day!r})."
    try:
        cat = TimeCategory(category.lower())
    except ValueError:
        allowed = ", ".join(c.value for c in TimeCategory)
        return f"Line {line}: category must be one of {allowed} (got {category!r})."
    try:
        mins = int(minutes)
    except ValueError:
        return f"Line {line}: minutes must be a whole number (got {minutes!r})."
    if mins < 0:
        return f"Line {line}: minutes cannot be negative (got {mins})."
    if mins > MINUTES_PER_DAY:
        return f"Line {line}: minutes cannot be more than {MINUTES_PER_DAY} in a day (got {mins})."
    return BaselineEntry(user_id=user.id, on=on, category=cat, minutes=mins)


def parse_baseline(csv_text: str, users: list[User], today: date) -> list[BaselineEntry]:
    """Parse the whole file, or raise BaselineImportError listing every problem (line numbers
    count from 1, the header being line 1)."""
    text = (csv_text or "").lstrip("\ufeff")
    by_name = {u.username: u for u in users}
    reader = csv.reader(io.StringIO(text, newline=""))
    problems: list[str] = []
    entries: list[BaselineEntry] = []
    seen: dict[tuple[int, date, TimeCategory], int] = {}
    header: list[str] | None = None
    try:
        for values in reader:
            line = reader.line_num
            if not values or all(not v.strip() for v in values):
                continue
            if header is None:
                header = [v.strip().lower() for v in values]
                if sorted(header) != sorted(BASELINE_COLUMNS):
                    raise BaselineImportError(
                        [
                            f"Line {line}: the first line must be the header "
                            f"{','.join(BASELINE_COLUMNS)} (got {','.join(values)!r})."
                        ]
                    )
                continue
            if len(values) == len(header):
                values = [values[header.index(c)] for c in BASELINE_COLUMNS]
            parsed = _parse_row(values, line, by_name, today)
            if isinstance(parsed, str):
                problems.append(parsed)
                continue
            key = (parsed.user_id, parsed.on, parsed.category)
            if key in seen:
                problems.append(
                    f"Line {line}: repeats line {seen[key]} (same practitioner, date and category)."
                )
                continue
            seen[key] = line
            entries.append(parsed)
    except csv.Error as err:
        problems.append(f"Line {reader.line_num}: could not be read as CSV ({err}).")
    if header is None:
        raise BaselineImportError(
            [f"Line 1: the file is empty; it needs the header {','.join(BASELINE_COLUMNS)}."]
        )
    if problems:
        raise BaselineImportError(problems)
    if not entries:
        raise BaselineImportError(["Line 2: there are no rows to import after the header."])
    return entries


def import_baseline(ctx: Context, csv_text: str) -> ImportResult:
    """Import pre-trial time-use diary figures: all rows or none."""
    # Read the users in one short unit of work, check the file with none open, then write it in
    # one bulk statement: a concurrent save never waits for the parsing.
    with ctx.uow() as uow:
        require_role(ctx, uow, Role.ADMIN, Role.PROJECT_STAFF, what="import baseline figures")
        users = uow.users.list()
    entries = parse_baseline(csv_text, users, ctx.clock.today())
    with ctx.uow() as uow:
        require_role(ctx, uow, Role.ADMIN, Role.PROJECT_STAFF, what="import baseline figures")
        count = uow.recording.add_baseline(entries)
        people = {e.user_id for e in entries}
        days = [e.on for e in entries]
        audit(
            ctx,
            uow,
            AuditAction.IMPORT,
            "baseline",
            None,
            detail=f"{count} rows for {len(people)} practitioners",
        )
        uow.commit()
    return ImportResult(count, len(people), min(days), max(days))


@dataclass(frozen=True)
class MyRecordingTime:
    start: date
    end: date
    #: Active seconds of automatic sessions, by editor.
    automatic_seconds: dict[RecordingActivity, int] = field(default_factory=dict)
    #: Minutes entered by hand, by kind.
    manual_minutes: dict[ManualKind, int] = field(default_factory=dict)
    sessions: int = 0

    @property
    def automatic_minutes(self) -> float:
        return round(sum(self.automatic_seconds.values()) / 60, 1)

    @property
    def total_manual_minutes(self) -> int:
        return sum(self.manual_minutes.values())

    @property
    def total_minutes(self) -> float:
        return round(sum(self.automatic_seconds.values()) / 60 + self.total_manual_minutes, 1)


def my_recording_time(ctx: Context, start: date, end: date) -> MyRecordingTime:
    """The signed-in user's own recording time from ``start`` to ``end`` (inclusive; a session
    counts on the day it started)."""
    if end < start:
        raise ValidationError("end", "The end date cannot be before the start date.")
    with ctx.uow() as uow:
        user = require_role(ctx, uow, *RECORDERS, what="recording time")
        sessions = [
            s for s in uow.recording.sessions(user_id=user.id) if start <= s.started.date() <= end
        ]
        manual = [m for m in uow.recording.manual_entries(user_id=user.id) if start <= m.on <= end]
    auto: Counter[RecordingActivity] = Counter()
    for s in sessions:
        auto[s.activity] += s.active_seconds
    by_kind: Counter[ManualKind] = Counter()
    for m in manual:
        by_kind[m.kind] += m.minutes
    return MyRecordingTime(start, end, dict(auto), dict(by_kind), len(sessions))
