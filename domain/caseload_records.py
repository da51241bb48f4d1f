"""What a council's caseload file says, in one shape whatever the format.

Each format's parser (domain/caseload_formats.py) turns its rows or elements into
:class:`ChildRecord` s: the council's child identifier, what the file knows about the child (name,
date of birth, allocated team and worker) and the *episodes* it lists — a child in need episode, a
child protection plan with its category, a period looked after under a legal status code. The
child's legal status history is derived from the episodes (:func:`history_from_episodes`), so
files that list the same child several times (Annex A lists 6, 7 and 8; SSDA903 episodes) agree.

The cleaners here forgive what real exports do: dates as dd/mm/yyyy, yyyy-mm-dd, 1 Feb 2024,
spreadsheet dates or serial numbers; values such as ``b) Female`` or ``C2: FCO``; ``#N/A``,
``NULL`` and ``-`` for "nothing"; non-breaking spaces and stray whitespace.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from domain.families import CpCategory, LegalStatus, StatusChange

#: Cell values that mean "nothing here".
BLANKS = frozenset(
    {"", "#N/A", "N/A", "NA", "#NA", "NULL", "NONE", "-", "--", "#VALUE!", "#REF!", "NAN", "NIL"}
)

#: The legal status that wins when episodes overlap (a looked-after child on a CP plan is shown
#: as looked after).
PRECEDENCE = {
    LegalStatus.CHILD_LOOKED_AFTER: 4,
    LegalStatus.CHILD_PROTECTION: 3,
    LegalStatus.CHILD_IN_NEED: 2,
    LegalStatus.EARLY_HELP: 1,
}

#: CIN census / Annex A category of abuse codes.
CP_CODES = {
    "NEG": CpCategory.NEGLECT,
    "PHY": CpCategory.PHYSICAL_ABUSE,
    "EMO": CpCategory.EMOTIONAL_ABUSE,
    "SAB": CpCategory.SEXUAL_ABUSE,
    "MUL": CpCategory.MULTIPLE,
}

#: Annex A list 7's lettered categories of abuse.
ANNEX_A_CP_LETTERS = {
    "a": CpCategory.NEGLECT,
    "b": CpCategory.PHYSICAL_ABUSE,
    "c": CpCategory.SEXUAL_ABUSE,
    "d": CpCategory.EMOTIONAL_ABUSE,
    "e": CpCategory.MULTIPLE,
}

#: SSDA903 legal status codes (the "LS" field), with what they mean.
LEGAL_STATUS_CODES = {
    "C1": "interim care order",
    "C2": "full care order",
    "D1": "freeing order",
    "E1": "placement order",
    "J1": "remanded to local authority accommodation or youth detention",
    "J2": "accommodated under PACE",
    "J3": "youth rehabilitation order with residence requirement",
    "L1": "police protection, in local authority accommodation",
    "L2": "emergency protection order",
    "L3": "child assessment order, in local authority accommodation",
    "V2": "single period of accommodation under section 20",
    "V3": "accommodated under an agreed series of short-term breaks (episodes recorded)",
    "V4": "accommodated under an agreed series of short-term breaks (agreement recorded)",
}

_SPACES = re.compile(r"[\s\u00a0\u2007\u202f\ufeff\u200b]+")
_PREFIX = re.compile(r"^\s*[a-z]{1,2}\d?\)\s*", re.IGNORECASE)  # "b) Female", "p1) 5D: ..."
_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for m in names
}


class CellProblem(ValueError):
    """A value that cannot be read; the message says what was found and what was expected."""


def clean_text(value: object) -> str | None:
    """The value as tidy text (spaces of every kind collapsed), or None for a blank."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = _SPACES.sub(" ", str(value)).strip()
    if text.upper() in BLANKS:
        return None
    return text


def strip_choice_prefix(text: str) -> str:
    """``b) Female`` -> ``Female``; ``a) E11: Adopted`` -> ``E11: Adopted``."""
    return _PREFIX.sub("", text).strip()


def clean_date(value: object) -> date | None:
    """A date from the forms councils' exports use, or None for a blank; CellProblem otherwise.

    Day-first throughout (UK exports): 05/03/2024 is 5 March."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        serial = float(value)
        if 1 <= serial < 100000:  # a spreadsheet serial number (days since 1899-12-30)
            return date(1899, 12, 30) + timedelta(days=int(serial))
        raise CellProblem(f"{value!r} is not a date")
    text = clean_text(value)
    if text is None:
        return None
    text = text.split("T")[0] if re.match(r"^\d{4}-\d{2}-\d{2}T", text) else text
    text = re.sub(r"\s+\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?\s*([ap]m)?$", "", text, flags=re.I)
    m = re.match(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$", text)
    if m:
        return _ymd(int(m[1]), int(m[2]), int(m[3]), text)
    m = re.match(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})$", text)
    if m:
        year = int(m[3])
        if len(m[3]) == 2:
            year += 2000 if year < 70 else 1900
        return _ymd(year, int(m[2]), int(m[1]), text)
    m = re.match(r"^(\d{1,2})(?:st|nd|rd|th)?[\s\-/]+([A-Za-z]+)[\s\-/,]+(\d{4})$", text)
    if m and m[2].lower() in _MONTHS:
        return _ymd(int(m[3]), _MONTHS[m[2].lower()], int(m[1]), text)
    m = re.match(r"^(\d{8})$", text)
    if m:
        return _ymd(int(text[:4]), int(text[4:6]), int(text[6:]), text)
    raise CellProblem(f"{text!r} is not a date (expected dd/mm/yyyy or yyyy-mm-dd)")


def _ymd(year: int, month: int, day: int, text: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise CellProblem(f"{text!r} is not a real date") from None


def clean_cp_category(value: object) -> CpCategory | None:
    """NEG/PHY/EMO/SAB/MUL, or Annex A's ``a) Neglect`` ... ``e) Multiple/not recommended``."""
    text = clean_text(value)
    if text is None:
        return None
    code = text.upper()
    if code[:3] in CP_CODES and (len(code) == 3 or not code[3].isalpha()):
        return CP_CODES[code[:3]]
    prefix = re.match(r"^\s*([a-e])\)", text, re.IGNORECASE)
    if prefix:  # Annex A: a) Neglect, b) Physical, c) Sexual, d) Emotional, e) Multiple
        return ANNEX_A_CP_LETTERS[prefix[1].lower()]
    words = strip_choice_prefix(text).lower()
    for key, category in (
        ("neglect", CpCategory.NEGLECT),
        ("physical", CpCategory.PHYSICAL_ABUSE),
        ("emotional", CpCategory.EMOTIONAL_ABUSE),
        ("sexual", CpCategory.SEXUAL_ABUSE),
        ("multiple", CpCategory.MULTIPLE),
    ):
        if key in words:
            return category
    raise CellProblem(f"{text!r} is not a category of abuse (NEG, PHY, EMO, SAB or MUL)")


def clean_legal_status_code(value: object) -> str | None:
    """``C2``, ``C2: FCO``, ``b) C2 - Full care order`` -> ``C2``; words alone are recognised too."""
    text = clean_text(value)
    if text is None:
        return None
    bare = strip_choice_prefix(text)
    m = re.match(r"^([A-Za-z]\d)\b", bare)
    if m and m[1].upper() in LEGAL_STATUS_CODES:
        return m[1].upper()
    words = bare.lower()
    for needle, code in (
        ("placement order", "E1"),
        ("interim care", "C1"),
        ("full care", "C2"),
        ("care order", "C2"),
        ("freeing", "D1"),
        ("section 20", "V2"),
        ("s20", "V2"),
        ("s.20", "V2"),
        ("police protection", "L1"),
        ("emergency protection", "L2"),
        ("child assessment order", "L3"),
        ("remand", "J1"),
        ("pace", "J2"),
        ("youth rehabilitation", "J3"),
    ):
        if needle in words:
            return code
    raise CellProblem(f"{text!r} is not an SSDA903 legal status code (C1, C2, E1, V2 ...)")


def placeholder_name(child_id: str) -> str:
    """The display name of a child whose file has no name: plainly not a real name."""
    return f"Child {child_id} (no name in file)"


def is_placeholder_name(name: str) -> bool:
    return name.startswith("Child ") and name.endswith("(no name in file)")


def reference_for(child_id: str) -> str:
    """A family reference (letters, digits, '-') made from the child's identifier."""
    tidy = re.sub(r"[^A-Z0-9]+", "-", child_id.upper()).strip("-") or "X"
    return f"LA-{tidy}"[:30].rstrip("-")


@dataclass(frozen=True)
class Episode:
    """A period under one legal status, as the file gives it (``end`` None: still open)."""

    status: LegalStatus
    start: date
    end: date | None = None
    cp_category: CpCategory | None = None
    code: str = ""
    #: Why it ended, as the file says (SSDA903 REC, CIN reason for closure).
    end_reason: str = ""


@dataclass
class ChildRecord:
    """One child as one file (or one list or row of it) describes them."""

    child_id: str
    source: str
    name: str | None = None
    date_of_birth: date | None = None
    team: str | None = None
    worker: str | None = None
    episodes: list[Episode] = field(default_factory=list)


@dataclass
class ParsedFile:
    """What a parser read from one file (or one set of SSDA903 CSV files)."""

    format: str
    label: str
    children: list[ChildRecord] = field(default_factory=list)
    #: Rows or parts left out, each with why ("List 3 (referrals): 12 rows, not a caseload list").
    ignored: list[str] = field(default_factory=list)
    #: What this format does not hold ("names", "the allocated worker", "family grouping").
    lacks: list[str] = field(default_factory=list)
    #: Problems that stop the import (a file that is not what it claims to be, bad cells).
    problems: list[str] = field(default_factory=list)


def merge_children(records: list[ChildRecord]) -> dict[str, ChildRecord]:
    """One record per child id: the first name / date of birth given, the team and worker of the
    record with the latest episode, and every distinct episode."""
    merged: dict[str, ChildRecord] = {}
    latest: dict[str, date] = {}
    for record in records:
        key = record.child_id
        newest = max((e.end or e.start for e in record.episodes), default=date.min)
        if key not in merged:
            merged[key] = ChildRecord(
                child_id=key,
                source=record.source,
                name=record.name,
                date_of_birth=record.date_of_birth,
                team=record.team,
                worker=record.worker,
                episodes=list(record.episodes),
            )
            latest[key] = newest
            continue
        into = merged[key]
        into.name = into.name or record.name
        into.date_of_birth = into.date_of_birth or record.date_of_birth
        if newest >= latest[key]:
            into.team = record.team or into.team
            into.worker = record.worker or into.worker
            latest[key] = newest
        else:
            into.team = into.team or record.team
            into.worker = into.worker or record.worker
        for episode in record.episodes:
            if episode not in into.episodes:
                into.episodes.append(episode)
    return merged


def history_from_episodes(episodes: list[Episode]) -> list[StatusChange]:
    """The legal status history the episodes add up to, oldest first.

    At every date an episode starts or ends, the child's status is that of the open episode with
    the highest precedence (looked after > child protection > child in need > early help), or
    ``none`` when nothing is open (the case closed). Consecutive equal states are merged."""
    if not episodes:
        return []
    days = sorted({e.start for e in episodes} | {e.end for e in episodes if e.end is not None})
    history: list[StatusChange] = []
    for day in days:
        open_now = [e for e in episodes if e.start <= day and (e.end is None or e.end > day)]
        if open_now:
            best = max(open_now, key=lambda e: (PRECEDENCE.get(e.status, 0), e.start))
            category = best.cp_category
            if best.status is LegalStatus.CHILD_PROTECTION and category is None:
                category = CpCategory.MULTIPLE
            if best.status is not LegalStatus.CHILD_PROTECTION:
                category = None
            change = StatusChange(best.status, day, category, best.code)
        else:
            change = StatusChange(LegalStatus.NONE, day)
        if history and _same_state(history[-1], change):
            continue
        history.append(change)
    return history


def _same_state(a: StatusChange, b: StatusChange) -> bool:
    return (a.status, a.cp_category, a.code) == (b.status, b.cp_category, b.code)


def describe_status(change: StatusChange) -> str:
    """``Child Looked After (C2 full care order) from 2024-03-01``."""
    extra = ""
    if change.cp_category is not None:
        extra = f" ({change.cp_category.value.replace('_', ' ')})"
    elif change.code:
        meaning = LEGAL_STATUS_CODES.get(change.code, "")
        extra = f" ({change.code}{' ' + meaning if meaning else ''})"
    label = "closed" if change.status is LegalStatus.NONE else change.status.label
    return f"{label}{extra} from {change.since.isoformat()}"
