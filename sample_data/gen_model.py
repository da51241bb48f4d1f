"""Shared pieces of the demo-data generator: people as text, the family context, the time axis."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

#: Working-day offsets. The trial ran for the 12 weeks before the seed day; nothing is dated on the
#: seed day itself (so no record is later than the clock's time of day).
TRIAL_START = -59
LAST_DAY = -1
BASELINE_START = -99  # eight weeks before the trial
BASELINE_END = -60
WEEKS = 12


def trial_week(day: int) -> int:
    """0 for the trial's first five working days ... 11 for the last."""
    return (day - TRIAL_START) // 5


def week_days(week: int) -> list[int]:
    first = TRIAL_START + 5 * week
    return [d for d in range(first, first + 5) if d <= LAST_DAY]


def danger_key(reference: str, index: int) -> str:
    return hashlib.sha1(f"{reference}/danger/{index}".encode()).hexdigest()[:12]


class Who:
    """A person as the texts refer to them."""

    def __init__(
        self, first: str, gender: str, *, last: str = "", age: float | None = None, rel: str = ""
    ) -> None:
        self.name = first
        self.last = last
        self.full = f"{first} {last}".strip()
        self.gender = gender
        self.rel = rel
        self.age_years = age
        she, their, them = {"f": ("she", "her", "her"), "m": ("he", "his", "him")}.get(
            gender, ("they", "their", "them")
        )
        self.she, self.their, self.them = she, their, them
        self.She, self.Their = she.capitalize(), their.capitalize()
        self.boy = {"f": "girl", "m": "boy"}.get(gender, "child")

    @property
    def age(self) -> int:
        return int(self.age_years or 0)

    @property
    def age_text(self) -> str:
        months = round((self.age_years or 0) * 12)
        if months < 24:
            return f"{months} months"
        return f"{self.age} years"

    @property
    def band(self) -> str:
        a = self.age_years or 0
        if a < 1.5:
            return "baby"
        if a < 6:
            return "young"
        if a < 12:
            return "middle"
        return "teen"


@dataclass
class Fam:
    """One demo family while it is being generated."""

    ref: str
    number: int
    name: str
    team: str
    worker: str  # username
    worker_first: str
    worker_full: str
    archetype: str
    texts: dict
    trend: str
    opened: int
    closed: int | None
    members: list[dict]
    children: list[Who]
    child_keys: list[str]
    ctx: dict
    school: str
    statuses: dict[str, list[tuple]] = field(
        default_factory=dict
    )  # child key -> [(status, since, cat)]
    plan_days: list[int] = field(default_factory=list)
    meeting_days: list[int] = field(default_factory=list)
    ratings_by_day: dict[int, list[dict]] = field(default_factory=dict)
    plan_states: list[tuple[int, dict]] = field(default_factory=list)  # (day, content)
    recent_notes: list[str] = field(default_factory=list)

    def is_open(self, day: int) -> bool:
        return self.opened <= day and (self.closed is None or day <= self.closed)

    def status_on(self, key: str, day: int) -> tuple | None:
        current = None
        for change in self.statuses.get(key, []):
            if change[1] <= day:
                current = change
        return current

    def level(self, day: int) -> str:
        """The most intensive status any child has on ``day``."""
        order = ["child_protection", "child_looked_after", "child_in_need", "early_help", "none"]
        found = [s[0] for k in self.child_keys if (s := self.status_on(k, day))]
        for status in order:
            if status in found:
                return status
        return "none"

    def cp_children(self, day: int) -> list[Who]:
        return [
            who
            for key, who in zip(self.child_keys, self.children, strict=True)
            if (s := self.status_on(key, day)) and s[0] == "child_protection"
        ]

    def fmt(self, template: str, **extra: object) -> str:
        return template.format(**self.ctx, **extra)


def stamp(day: int) -> dict:
    """A date-and-time placeholder; the day planner fills in "time" when it places the work."""
    return {"day": day, "time": None}


@dataclass
class Agenda:
    """Work that must appear on given days: recording sessions behind saved records, and contacts
    (conferences, meetings, statutory visits). The day planner turns these into timed records."""

    sessions: list[dict] = field(default_factory=list)
    contacts: list[dict] = field(default_factory=list)

    def session(
        self,
        user: str,
        day: int,
        activity: str,
        family: str | None,
        active_minutes: float,
        at: dict | None = None,
        *,
        after_contacts: bool = False,
    ) -> None:
        self.sessions.append(
            {
                "user": user,
                "day": day,
                "activity": activity,
                "family": family,
                "active": int(active_minutes * 60),
                "stamp": at,
                "after_contacts": after_contacts,
            }
        )

    def contact(
        self,
        fam: Fam,
        day: int,
        kind: str,
        note: str,
        minutes: int,
        *,
        present: str,
        seen: bool,
        alone: bool,
        travel: int,
        statutory: bool = False,
    ) -> None:
        self.contacts.append(
            {
                "family": fam.ref,
                "by": fam.worker,
                "day": day,
                "kind": kind,
                "note": note,
                "minutes": minutes,
                "present": present,
                "seen": seen,
                "alone": alone,
                "travel": travel,
                "statutory": statutory,
            }
        )
