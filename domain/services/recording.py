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
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from domain.access import Access, deny, load_family, require_role
from domain.audit import AuditAction
from domain.clock import local_date
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
    seconds = int(active_seconds)
    return _add_session(ctx, family_id, activity, started, ended, seconds, f"{seconds} s active")


def start_session(
    ctx: Context, family_id: int | None, activity: RecordingActivity | str
) -> RecordingSession:
    """Store an editor opening's recording session as the editor opens (no active time yet).

    The editor then keeps the same row up to date through ``save_session_progress`` (every 30 s,
    at every autosave and when it closes), so a crash loses at most the time since the last
    update and a restart never stores the same opening twice."""
    now = ctx.clock.now()
    return _add_session(ctx, family_id, activity, now, now, 0, "opened")


def _add_session(
    ctx: Context,
    family_id: int | None,
    activity: RecordingActivity | str,
    started: datetime,
    ended: datetime,
    active_seconds: int,
    what: str,
) -> RecordingSession:
    """Check, store and audit one new recording session (``what`` ends the audit detail)."""
    with ctx.uow() as uow:
        user = require_role(ctx, uow, *RECORDERS, what="recording time")
        if family_id is not None:
            _check_family_link(ctx, uow, user, family_id)
        session = RecordingSession(
            user_id=user.saved_id,
            activity=one_of("activity", "Activity", activity, RecordingActivity),
            started=started,
            ended=ended,
            active_seconds=active_seconds,
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
            detail=f"{session.activity.value}, {what}",
        )
        uow.commit()
    return session


def save_session_progress(
    ctx: Context,
    session_id: int,
    active_seconds: int,
    elapsed_seconds: float,
    *,
    final: bool = False,
) -> RecordingSession:
    """Store how far an open session has got: its active seconds and how long it has been open
    (both from the monotonic clock, so ``ended`` is ``started`` plus the real elapsed time,
    whatever the wall clock did). ``final`` marks the editor's close (audited).

    This is the one place a stored session's seconds change. Figures never go backwards: an
    update that arrives late (after a later one) changes nothing. Per-day rollups of recording
    time hook in here (the change is ``updated.active_seconds - stored.active_seconds``)."""
    with ctx.uow() as uow:
        user = require_role(ctx, uow, *RECORDERS, what="recording time")
        stored = uow.recording.get_session(session_id)
        if stored.user_id != user.id:
            raise deny(
                ctx,
                uow,
                "another person's recording session",
                entity="recording_session",
                entity_id=session_id,
                family_id=stored.family_id,
            )
        ended = max(stored.ended, stored.started + timedelta(seconds=max(elapsed_seconds, 0)))
        span = (ended - stored.started).total_seconds()
        # Active time never exceeds the span (whole seconds) and never goes back.
        active = max(stored.active_seconds, min(int(active_seconds), int(span) + 1))
        updated = replace(stored, ended=ended, active_seconds=active)
        changed = (updated.ended, updated.active_seconds) != (stored.ended, stored.active_seconds)
        if changed:
            uow.recording.update_session(updated)
        if final:
            audit(
                ctx,
                uow,
                AuditAction.UPDATE,
                "recording_session",
                session_id,
                family_id=stored.family_id,
                detail=f"{updated.activity.value}, {updated.active_seconds} s active",
            )
        if changed or final:
            uow.commit()
    return updated


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
            user_id=user.saved_id,
            on=on,
            minutes=minutes,
            kind=one_of("kind", "Kind of recording", kind, ManualKind),
            note=note,
            family_id=family_id,
            entered_at=ctx.clock.now(),
        )
        entry = uow.recording.add_manual(entry)
        audit(
            ctx,
            uow,
            AuditAction.CREATE,
            "manual_entry",
            entry.id,
            family_id=family_id,
            detail=f"{entry.kind.value}, {entry.minutes} min on {entry.on.isoformat()}",
        )
        uow.commit()
    return entry


class FileImportError(ValidationError):
    """An imported file has problems; nothing was imported. ``problems`` lists each one."""

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


class BaselineImportError(FileImportError):
    """The baseline (time-use diary) file has problems; nothing was imported."""


@dataclass(frozen=True)
class ImportResult:
    rows: int
    practitioners: int
    first_date: date | None
    last_date: date | None
    #: Rows removed first by a replacing import (domain/services/diary.py).
    replaced: int = 0


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
    return BaselineEntry(user_id=user.saved_id, on=on, category=cat, minutes=mins)


def parse_baseline(csv_text: str, users: list[User], today: date) -> list[BaselineEntry]:
    """Parse the whole file, or raise BaselineImportError listing every problem (line numbers
    count from 1, the header being line 1)."""
    return [entry for _, entry in parse_baseline_lines(csv_text, users, today)]


def parse_baseline_lines(
    csv_text: str, users: list[User], today: date
) -> list[tuple[int, BaselineEntry]]:
    """As :func:`parse_baseline`, each entry with its line number."""
    text = (csv_text or "").lstrip("\ufeff")
    by_name = {u.username: u for u in users}
    reader = csv.reader(io.StringIO(text, newline=""))
    problems: list[str] = []
    entries: list[tuple[int, BaselineEntry]] = []
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
            entries.append((line, parsed))
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


def import_baseline(ctx: Context, csv_text: str, *, replace: bool = False) -> ImportResult:
    """Import pre-trial time-use diary figures: all rows or none, never doubled
    (domain/services/diary.py, phase baseline)."""
    from domain.diary import DiaryPhase
    from domain.services.diary import import_diary

    return import_diary(ctx, csv_text, DiaryPhase.BASELINE, replace=replace)


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
            s
            for s in uow.recording.sessions(user_id=user.id)
            if start <= local_date(s.started) <= end
        ]
        manual = [m for m in uow.recording.manual_entries(user_id=user.id) if start <= m.on <= end]
    auto: Counter[RecordingActivity] = Counter()
    for s in sessions:
        auto[s.activity] += s.active_seconds
    by_kind: Counter[ManualKind] = Counter()
    for m in manual:
        by_kind[m.kind] += m.minutes
    return MyRecordingTime(start, end, dict(auto), dict(by_kind), len(sessions))
