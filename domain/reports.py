"""The recording-burden report (SPEC §4): its figures, pseudonyms and small-group suppression.

Two layers:

- **Aggregates** (:class:`TrialSums`, :class:`BaselineSums`, :class:`Spread` and the
  ``*Aggregates`` holders) are what the database adds up (storage/reports.py, in SQL; the unit-test
  fake in Python). They hold exact integers: minutes, and seconds for automatic recording.
- **The report** (:class:`BurdenReport` of :class:`Figures`) is what people see. The service
  (domain/services/reports.py) builds it from the aggregates, turns user ids into names or
  pseudonyms, and applies :func:`suppress_small_groups` for pseudonymised audiences.

Definitions (also in the README):

- *Minutes with families*: trial — contact-log minutes; baseline — ``direct_work`` diary rows.
- *Minutes recording*: trial — active time of automatic recording sessions plus manual entries
  (each also by activity / kind); baseline — ``recording`` diary rows.
- *Ratio*: minutes recording per minute with families (None without time with families).
- *Practitioner-week*: a practitioner with anything logged in an ISO week (Monday to Sunday):
  a contact, a recording session or a manual entry (baseline: any diary row). Figures per
  practitioner-week let periods of different length compare fairly.
- *Shares*: each time category's part of the logged time. The trial logs three categories
  (direct work, recording and the travel of contacts); the baseline diary logs all nine, so
  compare the ratio rather than the shares across the two.
- *Spread*: quartiles of the per-practitioner ratio (practitioners with time with families),
  linear interpolation between closest ranks (as PostgreSQL's ``percentile_cont``).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from domain.timeuse import ManualKind, RecordingActivity, TimeCategory

#: Groups of fewer practitioners than this are not shown separately in a pseudonymised report.
DEFAULT_MIN_GROUP_SIZE = 3
#: Monday of ISO week 0 for week numbers counted in the database (storage/reports.py).
WEEK_EPOCH = date(1970, 1, 5)

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def week_start(day: date) -> date:
    """The Monday of ``day``'s ISO week."""
    return day - timedelta(days=day.weekday())


def week_from_number(number: int) -> date:
    """The Monday of week ``number`` counted from :data:`WEEK_EPOCH`."""
    return WEEK_EPOCH + timedelta(weeks=number)


def pseudonym(secret: str, user_id: int) -> str:
    """A stable pseudonym such as ``P-4K7QX2``: a keyed hash (HMAC-SHA256) of the user id under the
    database's own secret. The same person always gets the same pseudonym; without the secret it
    cannot be linked to a user name (it is not derived from the name at all)."""
    digest = hmac.new(secret.encode(), f"user:{user_id}".encode(), hashlib.sha256).digest()
    number = int.from_bytes(digest[:4], "big") >> 2  # 30 bits -> 6 base-32 characters
    chars = [_CROCKFORD[(number >> shift) & 31] for shift in range(25, -1, -5)]
    return "P-" + "".join(chars)


# --- what the database adds up ---------------------------------------------------------------


@dataclass(frozen=True)
class BurdenQuery:
    """Which rows a report adds up: trial rows dated ``start``..``end`` (``start`` None: from the
    first), of practitioners (role practitioner) in ``team_id`` / ``practitioner_id`` if given.
    The baseline is always the whole imported diary of the same practitioners."""

    end: date
    start: date | None = None
    team_id: int | None = None
    practitioner_id: int | None = None


@dataclass(frozen=True)
class TrialSums:
    direct_minutes: int = 0
    travel_minutes: int = 0
    #: Active seconds of automatic recording sessions, by RecordingActivity value.
    automatic_seconds: Mapping[str, int] = field(default_factory=dict)
    #: Manual recording minutes, by ManualKind value.
    manual_minutes: Mapping[str, int] = field(default_factory=dict)
    practitioner_weeks: int = 0
    practitioners: int = 0


@dataclass(frozen=True)
class BaselineSums:
    #: Diary minutes by TimeCategory value.
    minutes: Mapping[str, int] = field(default_factory=dict)
    practitioner_weeks: int = 0
    practitioners: int = 0


@dataclass(frozen=True)
class Spread:
    """Quartiles of the per-practitioner ratio over ``practitioners`` practitioners."""

    practitioners: int
    q1: float
    median: float
    q3: float


@dataclass(frozen=True)
class TrialAggregates:
    overall: TrialSums
    by_week: Mapping[date, TrialSums]
    by_practitioner: Mapping[int, TrialSums]
    spread: Spread | None
    #: Monday of the first week with any trial row (None: no rows).
    first_week: date | None


@dataclass(frozen=True)
class BaselineAggregates:
    overall: BaselineSums
    by_practitioner: Mapping[int, BaselineSums]
    spread: Spread | None


def quartiles(ratios: list[float]) -> Spread | None:
    """The same interpolation as the SQL (for the fake and for tests)."""
    values = sorted(ratios)
    n = len(values)
    if n == 0:
        return None
    out = []
    for k in (1, 2, 3):
        lo, rem = divmod(k * (n - 1), 4)
        hi = lo + (1 if rem else 0)
        out.append(values[lo] + (values[hi] - values[lo]) * rem / 4.0)
    return Spread(n, out[0], out[1], out[2])


# --- what people see --------------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    """One set of figures ("T"): overall, one week, or one practitioner; trial or baseline."""

    direct_minutes: int
    #: Exact recording time in seconds (trial: automatic seconds + 60 × manual minutes).
    recording_seconds: int
    practitioner_weeks: int
    practitioners: int
    #: Logged time by TimeCategory value, in seconds (shares are taken from it).
    seconds_by_category: Mapping[str, int]
    #: Trial only: automatic seconds by RecordingActivity, manual minutes by ManualKind.
    automatic_seconds: Mapping[str, int] | None = None
    manual_minutes_by_kind: Mapping[str, int] | None = None
    travel_minutes: int | None = None
    spread: Spread | None = None

    @property
    def is_trial(self) -> bool:
        return self.automatic_seconds is not None

    @property
    def recording_minutes(self) -> float:
        return self.recording_seconds / 60

    @property
    def automatic_minutes(self) -> float | None:
        if self.automatic_seconds is None:
            return None
        return sum(self.automatic_seconds.values()) / 60

    @property
    def manual_minutes(self) -> int | None:
        if self.manual_minutes_by_kind is None:
            return None
        return sum(self.manual_minutes_by_kind.values())

    @property
    def ratio(self) -> float | None:
        """Minutes recorded per minute with families (None without time with families)."""
        if self.direct_minutes <= 0:
            return None
        return self.recording_seconds / (60 * self.direct_minutes)

    @property
    def logged_minutes(self) -> float:
        return sum(self.seconds_by_category.values()) / 60

    @property
    def shares(self) -> dict[str, float]:
        total = sum(self.seconds_by_category.values())
        if total <= 0:
            return {}
        return {k: v / total for k, v in self.seconds_by_category.items()}

    @property
    def direct_per_practitioner_week(self) -> float | None:
        if self.practitioner_weeks <= 0:
            return None
        return self.direct_minutes / self.practitioner_weeks

    @property
    def recording_per_practitioner_week(self) -> float | None:
        if self.practitioner_weeks <= 0:
            return None
        return self.recording_seconds / 60 / self.practitioner_weeks


def trial_figures(sums: TrialSums, spread: Spread | None = None) -> Figures:
    auto = {a.value: int(sums.automatic_seconds.get(a.value, 0)) for a in RecordingActivity}
    manual = {k.value: int(sums.manual_minutes.get(k.value, 0)) for k in ManualKind}
    recording = sum(auto.values()) + 60 * sum(manual.values())
    return Figures(
        direct_minutes=sums.direct_minutes,
        recording_seconds=recording,
        practitioner_weeks=sums.practitioner_weeks,
        practitioners=sums.practitioners,
        seconds_by_category={
            TimeCategory.DIRECT_WORK.value: 60 * sums.direct_minutes,
            TimeCategory.RECORDING.value: recording,
            TimeCategory.TRAVEL.value: 60 * sums.travel_minutes,
        },
        automatic_seconds=auto,
        manual_minutes_by_kind=manual,
        travel_minutes=sums.travel_minutes,
        spread=spread,
    )


def baseline_figures(sums: BaselineSums, spread: Spread | None = None) -> Figures:
    minutes = {c.value: int(sums.minutes.get(c.value, 0)) for c in TimeCategory}
    return Figures(
        direct_minutes=minutes[TimeCategory.DIRECT_WORK.value],
        recording_seconds=60 * minutes[TimeCategory.RECORDING.value],
        practitioner_weeks=sums.practitioner_weeks,
        practitioners=sums.practitioners,
        seconds_by_category={k: 60 * v for k, v in minutes.items()},
        spread=spread,
    )


@dataclass(frozen=True)
class WeekRow:
    week_start: date
    #: None when suppressed.
    figures: Figures | None
    suppressed: bool = False


@dataclass(frozen=True)
class PractitionerRow:
    #: A user name (identified reports) or a pseudonym.
    practitioner: str
    #: Full name, in identified reports only.
    name: str | None
    trial: Figures | None
    baseline: Figures | None


@dataclass(frozen=True)
class BurdenReport:
    start: date
    end: date
    team: str | None
    #: User name of the one practitioner reported on (identified reports only).
    practitioner: str | None
    #: True: practitioners by name; False: by pseudonym, small groups suppressed.
    identified: bool
    trial: Figures
    baseline: Figures | None
    by_week: list[WeekRow]
    by_practitioner: list[PractitionerRow]
    generated_at: datetime
    min_group_size: int
    #: Plain sentences about what was left out and why.
    notes: list[str] = field(default_factory=list)

    @property
    def scope_label(self) -> str:
        if self.practitioner:
            return f"practitioner {self.practitioner}"
        if self.team:
            return f"team {self.team}"
        return "all practitioners"


# --- suppression for pseudonymised audiences ---------------------------------------------------


def suppress_small_groups(report: BurdenReport) -> BurdenReport:
    """Withhold every group of fewer than ``min_group_size`` practitioners, except single
    pseudonymised practitioners (the per-practitioner rows are the point of the report):

    - a week with fewer practitioners is withheld, and so is a second week (the one with the
      fewest practitioners) when only one would be, so it cannot be worked out from the total;
    - the baseline (overall and per practitioner) is withheld when fewer practitioners have one;
    - a spread over fewer practitioners is dropped.

    The overall trial figures need at least ``min_group_size`` practitioners (or none at all: zeros
    reveal nobody); the service refuses a smaller scope before it gets here.
    """
    k = report.min_group_size
    notes = list(report.notes)
    weeks = list(report.by_week)
    small = {i for i, w in enumerate(weeks) if w.figures and w.figures.practitioners < k}
    if len(small) == 1 and len(weeks) > 1:
        others = [i for i, w in enumerate(weeks) if i not in small and w.figures is not None]
        if others:
            small.add(
                min(
                    others,
                    key=lambda i: (weeks[i].figures.practitioners, weeks[i].figures.direct_minutes),  # type: ignore[union-attr]
                )
            )
    if small:
        weeks = [
            WeekRow(w.week_start, None, True) if i in small else w for i, w in enumerate(weeks)
        ]
        notes.append(
            f"{len(small)} week(s) with fewer than {k} practitioners are not shown separately."
        )
    trial = report.trial
    if trial.spread is not None and trial.spread.practitioners < k:
        trial = replace(trial, spread=None)
    baseline = report.baseline
    rows = list(report.by_practitioner)
    if baseline is not None and baseline.practitioners < k:
        baseline = None
        rows = [replace(r, baseline=None) for r in rows]
        notes.append(
            f"The baseline covers fewer than {k} practitioners in this scope, so it is not shown."
        )
    elif baseline is not None and baseline.spread and baseline.spread.practitioners < k:
        baseline = replace(baseline, spread=None)
    return replace(
        report, trial=trial, baseline=baseline, by_week=weeks, by_practitioner=rows, notes=notes
    )


__all__ = [
    "DEFAULT_MIN_GROUP_SIZE",
    "BaselineAggregates",
    "BaselineSums",
    "BurdenQuery",
    "BurdenReport",
    "Figures",
    "PractitionerRow",
    "Spread",
    "TrialAggregates",
    "TrialSums",
    "WeekRow",
    "baseline_figures",
    "pseudonym",
    "quartiles",
    "suppress_small_groups",
    "trial_figures",
    "week_from_number",
    "week_start",
]
