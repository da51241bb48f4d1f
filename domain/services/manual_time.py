"""Manual recording time and "My time" (SPEC §3 "Recording time").

- A practitioner (anyone who records) adds manual entries with
  :func:`domain.services.recording.add_manual_entry`; here they **correct** one (on the day it was
  entered, as a contact on the day it was logged) and **remove** one. Only their own: an entry is
  never shown to, changed or removed by anyone else. Every change is audited.
- **My time** (:func:`my_time`): a practitioner's own recording (automatic sessions by activity
  and manual entries by kind) against their own time with families, this week and every week of
  the trial, beside their own pre-trial baseline. It takes no user: it is always the signed-in
  practitioner's own, so no one can ask for someone else's, and project staff never see it. The
  sums come from the recording-burden report's SQL (:class:`domain.ports.BurdenQueries`) for one
  practitioner, so My time and the report always agree. Each view is audited.
- **Import** (:func:`import_manual`): manual entries collected on paper, from a CSV file
  (``practitioner,date,kind,minutes`` and optionally ``family`` and ``note``). All rows or none;
  every problem is reported with its line number. Rows already imported (the same practitioner,
  date and kind) refuse the file unless ``replace`` is asked for, which first removes those
  practitioners' entries of those kinds over the file's date range. Audited.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from domain.access import deny, require_role
from domain.audit import AuditAction, family_list_detail
from domain.clock import local_date
from domain.errors import DomainError
from domain.families import Family
from domain.people import Role, User
from domain.ports import UnitOfWork
from domain.reports import (
    BurdenQuery,
    Figures,
    TrialSums,
    baseline_figures,
    trial_figures,
    week_start,
)
from domain.services.context import Context, audit
from domain.services.recording import RECORDERS, FileImportError, _check_family_link
from domain.timeuse import MANUAL_NOTE_MAX, ManualEntry, ManualKind
from domain.validate import MINUTES_PER_DAY, not_future, one_of

# --- correct and remove -----------------------------------------------------------------------


@dataclass(frozen=True)
class FamilyChoice:
    """A family a manual entry may name: one of the practitioner's own caseload."""

    id: int
    reference: str
    name: str


def manual_entry_families(ctx: Context) -> list[FamilyChoice]:
    """The families the signed-in user may name on a manual entry (their open caseload)."""
    with ctx.read() as uow:
        user = require_role(ctx, uow, *RECORDERS, what="recording time")
        families = uow.families.list(practitioner_id=user.id)
        audit(  # the choices show each family's reference and name: who saw them is recorded
            ctx,
            uow,
            AuditAction.VIEW,
            "caseload",
            user.id,
            detail=family_list_detail(
                f"{len(families)} families to choose for recording time", (f.id for f in families)
            ),
        )
        uow.commit()
    return sorted(
        (FamilyChoice(f.id, f.reference, f.name) for f in families if f.id is not None),
        key=lambda f: f.reference,
    )


def _own_entry(ctx: Context, uow: UnitOfWork, user: User, entry_id: int) -> ManualEntry:
    entry = uow.recording.get_manual(entry_id)
    if entry.user_id != user.id:
        raise deny(
            ctx,
            uow,
            "another person's manual recording time",
            entity="manual_entry",
            entity_id=entry_id,
        )
    return entry


def _describe(entry: ManualEntry) -> str:
    return f"{entry.kind.value}, {entry.minutes} min on {entry.on.isoformat()}"


def correct_manual_entry(
    ctx: Context,
    entry_id: int,
    *,
    on: date,
    minutes: int,
    kind: ManualKind | str,
    note: str = "",
    family_id: int | None = None,
) -> ManualEntry:
    """Correct one of the signed-in user's own manual entries, on the day it was entered."""
    with ctx.uow() as uow:
        user = require_role(ctx, uow, *RECORDERS, what="recording time")
        entry = _own_entry(ctx, uow, user, entry_id)
        today = ctx.clock.today()
        entered_on = local_date(entry.entered_at) if entry.entered_at else None
        if entered_on != today:
            when = f"on {entered_on:%d %b %Y}" if entered_on else "before corrections were kept"
            raise DomainError(
                f"A manual entry can only be corrected on the day it was entered; this one was "
                f"entered {when}."
            )
        not_future("on", "Date", on, today)
        if family_id is not None and family_id != entry.family_id:
            _check_family_link(ctx, uow, user, family_id)
        updated = replace(
            entry,
            on=on,
            minutes=minutes,
            kind=one_of("kind", "Kind of recording", kind, ManualKind),
            note=note,
            family_id=family_id,
        )
        changes = [
            f"{name} {before} -> {after}"
            for name, before, after in (
                ("date", entry.on.isoformat(), updated.on.isoformat()),
                ("minutes", entry.minutes, updated.minutes),
                ("kind", entry.kind.value, updated.kind.value),
                ("family", entry.family_id, updated.family_id),
                ("note", f"{len(entry.note)} chars", f"{len(updated.note)} chars"),
            )
            if before != after
        ]
        uow.recording.update_manual(updated)
        audit(
            ctx,
            uow,
            AuditAction.UPDATE,
            "manual_entry",
            entry_id,
            family_id=updated.family_id,
            detail="; ".join(changes) or "no change",
        )
        uow.commit()
    return updated


def remove_manual_entry(ctx: Context, entry_id: int) -> ManualEntry:
    """Remove one of the signed-in user's own manual entries (audited with what it held)."""
    with ctx.uow() as uow:
        user = require_role(ctx, uow, *RECORDERS, what="recording time")
        entry = _own_entry(ctx, uow, user, entry_id)
        uow.recording.delete_manual(entry_id)
        audit(
            ctx,
            uow,
            AuditAction.DISCARD,
            "manual_entry",
            entry_id,
            family_id=entry.family_id,
            detail=f"removed: {_describe(entry)}",
        )
        uow.commit()
    return entry


# --- My time ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class WeekTime:
    week_start: date
    figures: Figures


@dataclass(frozen=True)
class MyTime:
    """The signed-in practitioner's own figures. ``figures.recording_minutes`` is automatic +
    manual; ``direct_minutes`` is contact-log time with families."""

    today: date
    this_week: WeekTime
    #: Every week from the practitioner's first trial record to this week, newest first (weeks
    #: with nothing logged are there, as zeros).
    weeks: list[WeekTime]
    #: The whole trial so far.
    trial: Figures
    #: Their pre-trial time-use diary (None: no diary rows for them).
    baseline: Figures | None
    #: Their manual entries, newest first.
    entries: list[ManualEntry]
    #: Reference of each family named by an entry (by family id).
    family_refs: dict[int, str]

    def may_correct(self, entry: ManualEntry) -> bool:
        return entry.entered_at is not None and local_date(entry.entered_at) == self.today


def my_time(ctx: Context) -> MyTime:
    """The signed-in practitioner's own recording against time with families (audited view)."""
    with ctx.read() as uow:
        user = require_role(ctx, uow, Role.PRACTITIONER, what="'My time' (practitioners only)")
        today = ctx.clock.today()
        entries = uow.recording.manual_entries(user_id=user.id)
        refs: dict[int, str] = {}
        for fid in sorted({e.family_id for e in entries if e.family_id is not None}):
            refs[fid] = uow.families.get(fid).reference
        audit(
            ctx,
            uow,
            AuditAction.VIEW,
            "my_time",
            user.id,
            detail=family_list_detail("own recording time", refs),
        )
        uow.commit()  # the view is recorded; the sums below are read-only
        query = BurdenQuery(end=today, practitioner_id=user.id)
        trial = uow.reports.trial(query)
        baseline = uow.reports.baseline(query)
    this_monday = week_start(today)
    first = min(trial.first_week or this_monday, this_monday)
    weeks: list[WeekTime] = []
    monday = this_monday
    while monday >= first:
        weeks.append(WeekTime(monday, trial_figures(trial.by_week.get(monday, TrialSums()))))
        monday -= timedelta(weeks=1)
    has_baseline = baseline.overall.practitioners > 0
    return MyTime(
        today=today,
        this_week=weeks[0],
        weeks=weeks,
        trial=trial_figures(trial.overall),
        baseline=baseline_figures(baseline.overall) if has_baseline else None,
        entries=sorted(entries, key=lambda e: (e.on, e.id or 0), reverse=True),
        family_refs=refs,
    )


# --- import from a CSV file -------------------------------------------------------------------

MANUAL_COLUMNS = ("practitioner", "date", "kind", "minutes")
MANUAL_OPTIONAL_COLUMNS = ("family", "note")
#: At most this many line numbers are listed in one message.
LINES_LISTED = 30

_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


class ManualImportError(FileImportError):
    """The manual-entries file has problems; nothing was imported. ``problems`` lists each."""


class AlreadyImported(ManualImportError):
    """Rows of the file are already in Tandem; ``lines`` are their line numbers."""

    def __init__(self, lines: list[int], start: date, end: date) -> None:
        self.lines = lines
        shown = ", ".join(str(n) for n in lines[:LINES_LISTED])
        if len(lines) > LINES_LISTED:
            shown += f" and {len(lines) - LINES_LISTED} more"
        rows = "1 row is" if len(lines) == 1 else f"{len(lines)} rows are"
        super().__init__(
            [
                f"{rows} already imported (same practitioner, date and kind as an entry "
                f"imported or entered before): line{'s' if len(lines) > 1 else ''} {shown}. "
                "To replace those practitioners' "
                f"entries of those kinds from {start.isoformat()} to {end.isoformat()}, import "
                "the file again with --replace."
            ]
        )


def parse_day(text: str) -> date:
    """``yyyy-mm-dd`` or ``dd/mm/yyyy`` (also with '.' or '-'); ValueError otherwise."""
    raw = text.strip()
    m = _ISO.match(raw)
    if m:
        y, mth, d = (int(g) for g in m.groups())
        return date(y, mth, d)
    m = _DMY.match(raw)
    if m:
        d, mth, y = (int(g) for g in m.groups())
        return date(y, mth, d)
    raise ValueError(raw)


def _kind(text: str) -> ManualKind | None:
    key = re.sub(r"[\s\-/]+", "_", text.strip().lower()).strip("_")
    for kind in ManualKind:
        label = re.sub(r"[\s\-/]+", "_", kind.label.lower()).strip("_")
        if key in (kind.value, label):
            return kind
    return None


@dataclass(frozen=True)
class ManualRow:
    line: int
    entry: ManualEntry


def _parse_row(
    cells: dict[str, str],
    line: int,
    users: dict[str, User],
    family: Callable[[str], Family | None],
    today: date,
) -> ManualEntry | str:
    name = cells["practitioner"]
    if not name:
        return f"Line {line}: practitioner is empty."
    user = users.get(name.lower())
    if user is None:
        return f"Line {line}: there is no user called {name!r}."
    if user.role not in RECORDERS:
        return f"Line {line}: {name!r} is a {user.role.label.lower()}, who does not record."
    raw_day = cells["date"]
    try:
        on = parse_day(raw_day)
    except ValueError:
        return f"Line {line}: date must be written dd/mm/yyyy or yyyy-mm-dd (got {raw_day!r})."
    if on > today:
        return f"Line {line}: date cannot be in the future (got {raw_day!r})."
    kind = _kind(cells["kind"])
    if kind is None:
        allowed = ", ".join(k.value for k in ManualKind)
        return f"Line {line}: kind must be one of {allowed} (got {cells['kind']!r})."
    raw_minutes = cells["minutes"]
    try:
        mins = int(raw_minutes)
    except ValueError:
        return f"Line {line}: minutes must be a whole number (got {raw_minutes!r})."
    if mins <= 0:
        return f"Line {line}: minutes must be more than 0 (got {mins})."
    if mins > MINUTES_PER_DAY:
        return f"Line {line}: minutes cannot be more than {MINUTES_PER_DAY} in a day (got {mins})."
    note = cells.get("note", "")
    if len(note) > MANUAL_NOTE_MAX:
        return (
            f"Line {line}: note must be at most {MANUAL_NOTE_MAX} characters (it has {len(note)})."
        )
    family_id = None
    reference = cells.get("family", "")
    if reference:
        found = family(reference.upper())
        if found is None:
            return f"Line {line}: there is no family with reference {reference!r}."
        if found.practitioner_id != user.id and found.team_id != user.team_id:
            return (
                f"Line {line}: family {found.reference} is neither allocated to {user.username} "
                "nor in their team."
            )
        family_id = found.id
    return ManualEntry(
        user_id=user.saved_id,
        on=on,
        minutes=mins,
        kind=kind,
        note=note,
        family_id=family_id,
    )


def parse_manual_csv(
    csv_text: str, users: list[User], family: Callable[[str], Family | None], today: date
) -> list[ManualRow]:
    """Parse the whole file, or raise ManualImportError listing every problem by line number
    (the header is line 1). ``family(reference)`` finds a family by its reference."""
    text = (csv_text or "").lstrip("\ufeff")
    by_name = {u.username: u for u in users}
    reader = csv.reader(io.StringIO(text, newline=""))
    problems: list[str] = []
    rows: list[ManualRow] = []
    seen: dict[tuple[int, date, ManualKind], int] = {}
    header: list[str] | None = None
    allowed = (*MANUAL_COLUMNS, *MANUAL_OPTIONAL_COLUMNS)
    expected = ",".join(MANUAL_COLUMNS)
    try:
        for values in reader:
            line = reader.line_num
            values = [v.strip() for v in values]
            while values and not values[-1]:
                values.pop()  # trailing empty cells (spreadsheets add them)
            if not values:
                continue
            if header is None:
                header = [v.lower() for v in values]
                missing = [c for c in MANUAL_COLUMNS if c not in header]
                unknown = [c for c in header if c not in allowed]
                repeated = sorted({c for c in header if header.count(c) > 1})
                if missing or unknown or repeated:
                    raise ManualImportError(
                        [
                            f"Line {line}: the first line must be the header {expected} "
                            f"(optionally also family and note); got {','.join(values)!r}."
                        ]
                    )
                continue
            if len(values) > len(header):
                problems.append(
                    f"Line {line}: expected at most {len(header)} values "
                    f"({','.join(header)}) but found {len(values)}."
                )
                continue
            cells = dict(zip(header, values + [""] * (len(header) - len(values)), strict=True))
            parsed = _parse_row(cells, line, by_name, family, today)
            if isinstance(parsed, str):
                problems.append(parsed)
                continue
            key = (parsed.user_id, parsed.on, parsed.kind)
            if key in seen:
                problems.append(
                    f"Line {line}: repeats line {seen[key]} (same practitioner, date and kind); "
                    "add the minutes up into one line."
                )
                continue
            seen[key] = line
            rows.append(ManualRow(line, parsed))
    except csv.Error as err:
        problems.append(f"Line {reader.line_num}: could not be read as CSV ({err}).")
    if header is None:
        raise ManualImportError([f"Line 1: the file is empty; it needs the header {expected}."])
    if problems:
        raise ManualImportError(problems)
    if not rows:
        raise ManualImportError(["Line 2: there are no rows to import after the header."])
    return rows


@dataclass(frozen=True)
class ManualImportResult:
    rows: int
    practitioners: int
    first_date: date
    last_date: date
    #: Entries removed first (``replace``).
    replaced: int = 0


def import_manual(
    ctx: Context, csv_text: str, *, replace_existing: bool = False
) -> ManualImportResult:
    """Import manual entries collected on paper: all rows or none (administrators only).

    A row matching an entry already stored (same practitioner, date and kind) refuses the whole
    file (:class:`AlreadyImported`), unless ``replace_existing``: then, for each practitioner and
    kind in the file, their entries of that kind from the file's first to its last date are
    removed before the file's rows are added.
    """
    with ctx.uow() as uow:
        require_role(ctx, uow, Role.ADMIN, what="import manual recording time")
        today = ctx.clock.today()
        rows = parse_manual_csv(csv_text, uow.users.list(), uow.families.by_reference, today)
        start = min(r.entry.on for r in rows)
        end = max(r.entry.on for r in rows)
        people = sorted({r.entry.user_id for r in rows})
        replaced = 0
        if replace_existing:
            for uid, kind in sorted({(r.entry.user_id, r.entry.kind.value) for r in rows}):
                replaced += uow.recording.delete_manual_between(uid, kind, start, end)
        else:
            stored = {
                (e.user_id, e.on, e.kind)
                for uid in people
                for e in uow.recording.manual_entries(user_id=uid, start=start, end=end)
            }
            clash = [r.line for r in rows if (r.entry.user_id, r.entry.on, r.entry.kind) in stored]
            if clash:
                raise AlreadyImported(clash, start, end)
        now = ctx.clock.now()
        for r in rows:
            uow.recording.add_manual(replace(r.entry, entered_at=now))
        if replaced:
            audit(
                ctx,
                uow,
                AuditAction.DISCARD,
                "manual_entries",
                None,
                detail=(
                    f"replaced by an import: {replaced} entries of the file's practitioners and "
                    f"kinds from {start.isoformat()} to {end.isoformat()}"
                ),
            )
        audit(
            ctx,
            uow,
            AuditAction.IMPORT,
            "manual_entries",
            None,
            detail=(
                f"{len(rows)} rows for {len(people)} practitioners, {start.isoformat()} to "
                f"{end.isoformat()}"
                + (f"; replaced {replaced} earlier entries" if replaced else "")
            ),
        )
        uow.commit()
    return ManualImportResult(len(rows), len(people), start, end, replaced)


__all__ = [
    "LINES_LISTED",
    "MANUAL_COLUMNS",
    "AlreadyImported",
    "FamilyChoice",
    "ManualImportError",
    "ManualImportResult",
    "MyTime",
    "WeekTime",
    "correct_manual_entry",
    "import_manual",
    "manual_entry_families",
    "my_time",
    "parse_day",
    "parse_manual_csv",
    "remove_manual_entry",
]
