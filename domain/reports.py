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
- *Practitioner-day* (exposure): a day on which a practitioner logged anything in that source —
  trial: a contact, a recording session (the day it started) or a manual entry; baseline: a
  diary row. *Practitioner-weeks* are practitioner-days / 5 (not rounded), so a period starting
  on a Thursday or a week of leave with one phone call counts for what it is. Every per-week
  figure divides by them.
- *Shares* are compared like with like: only over the categories both phases measure (direct
  work, recording and the travel of contacts); the diary's other categories are shown as "not
  measured in the trial", never as 0 %.
- *Change*: per practitioner with a ratio in both phases, trial minus baseline; its median with a
  bootstrap 95 % interval (:data:`BOOTSTRAP_RESAMPLES` resamples of the practitioners, fixed
  :data:`BOOTSTRAP_SEED`, so two runs agree exactly).
- *Calibration*: over the practitioner-days with both a trial-phase diary row and measured
  recording, the diary's recording minutes against the app's.
- *Spread*: quartiles of the per-practitioner ratio (practitioners with time with families),
  linear interpolation between closest ranks (as PostgreSQL's ``percentile_cont``).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from domain.bootstrap import bootstrap_intervals
from domain.timeuse import ManualKind, RecordingActivity, TimeCategory

#: Groups of fewer practitioners than this are not shown separately in a pseudonymised report.
DEFAULT_MIN_GROUP_SIZE = 3
#: Practitioner-days in a practitioner-week (a working week).
DAYS_PER_WEEK = 5
#: The bootstrap of the change's median: resamples and the fixed seed (two runs agree exactly).
BOOTSTRAP_RESAMPLES = 10_000
BOOTSTRAP_SEED = 20260325
#: The time categories the trial measures; shares are compared over these only.
TRIAL_CATEGORIES = (TimeCategory.DIRECT_WORK, TimeCategory.RECORDING, TimeCategory.TRAVEL)
#: Column a rare activity, kind or diary category is pooled into (see pool_rare_columns).
OTHER = "other"
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
    The baseline is always the whole imported pre-trial diary of the same practitioners."""

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
    #: Days on which a practitioner logged a contact, a recording session or a manual entry.
    practitioner_days: int = 0
    practitioners: int = 0


@dataclass(frozen=True)
class BaselineSums:
    #: Diary minutes by TimeCategory value.
    minutes: Mapping[str, int] = field(default_factory=dict)
    #: Days with at least one diary row.
    practitioner_days: int = 0
    practitioners: int = 0
    #: The first and last diary date.
    first_day: date | None = None
    last_day: date | None = None


@dataclass(frozen=True)
class Spread:
    """Quartiles of the per-practitioner ratio over ``practitioners`` practitioners."""

    practitioners: int
    q1: float
    median: float
    q3: float


@dataclass(frozen=True)
class Calibration:
    """The two instruments on the same days: over the practitioner-days that have both a
    trial-phase diary row and measured recording (automatic or manual), the diary's recording
    minutes against the app's."""

    practitioner_days: int = 0
    diary_recording_minutes: int = 0
    measured_recording_seconds: int = 0
    practitioners: int = 0

    @property
    def measured_recording_minutes(self) -> float:
        return self.measured_recording_seconds / 60

    @property
    def measured_per_diary_minute(self) -> float | None:
        if self.diary_recording_minutes <= 0:
            return None
        return self.measured_recording_seconds / (60 * self.diary_recording_minutes)


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


@dataclass(frozen=True)
class CalibrationAggregates:
    overall: Calibration
    by_practitioner: Mapping[int, Calibration]


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
    #: Exposure: days on which a practitioner logged anything in this source.
    practitioner_days: int
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
        return self.travel_minutes is not None

    @property
    def practitioner_weeks(self) -> float:
        """Practitioner-days / 5 (not rounded)."""
        return self.practitioner_days / DAYS_PER_WEEK

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
        """Each category's part of the time logged in the categories both phases measure
        (:data:`TRIAL_CATEGORIES`): like with like."""
        compared = {c.value: self.seconds_by_category.get(c.value, 0) for c in TRIAL_CATEGORIES}
        total = sum(compared.values())
        if total <= 0:
            return {}
        return {k: v / total for k, v in compared.items()}

    @property
    def not_measured_in_trial(self) -> dict[str, int]:
        """Diary minutes of the categories the trial does not measure (baseline only)."""
        measured = {c.value for c in TRIAL_CATEGORIES}
        return {
            k: v // 60
            for k, v in self.seconds_by_category.items()
            if k not in measured and not self.is_trial
        }

    def per_practitioner_week(self, minutes: float) -> float | None:
        if self.practitioner_days <= 0:
            return None
        return minutes / self.practitioner_weeks

    @property
    def direct_per_practitioner_week(self) -> float | None:
        return self.per_practitioner_week(self.direct_minutes)

    @property
    def recording_per_practitioner_week(self) -> float | None:
        return self.per_practitioner_week(self.recording_seconds / 60)


#: Enum values, read once (a report builds hundreds of Figures).
_ACTIVITY_VALUES = tuple(a.value for a in RecordingActivity)
_KIND_VALUES = tuple(k.value for k in ManualKind)
_CATEGORY_VALUES = tuple(c.value for c in TimeCategory)
_DIRECT, _RECORDING, _TRAVEL = (
    TimeCategory.DIRECT_WORK.value,
    TimeCategory.RECORDING.value,
    TimeCategory.TRAVEL.value,
)


def trial_figures(sums: TrialSums, spread: Spread | None = None) -> Figures:
    given_auto, given_manual = sums.automatic_seconds, sums.manual_minutes
    auto = {a: int(given_auto.get(a, 0)) for a in _ACTIVITY_VALUES}
    manual = {k: int(given_manual.get(k, 0)) for k in _KIND_VALUES}
    recording = sum(auto.values()) + 60 * sum(manual.values())
    return Figures(
        direct_minutes=sums.direct_minutes,
        recording_seconds=recording,
        practitioner_days=sums.practitioner_days,
        practitioners=sums.practitioners,
        seconds_by_category={
            _DIRECT: 60 * sums.direct_minutes,
            _RECORDING: recording,
            _TRAVEL: 60 * sums.travel_minutes,
        },
        automatic_seconds=auto,
        manual_minutes_by_kind=manual,
        travel_minutes=sums.travel_minutes,
        spread=spread,
    )


def baseline_figures(sums: BaselineSums, spread: Spread | None = None) -> Figures:
    given = sums.minutes
    minutes = {c: int(given.get(c, 0)) for c in _CATEGORY_VALUES}
    return Figures(
        direct_minutes=minutes[_DIRECT],
        recording_seconds=60 * minutes[_RECORDING],
        practitioner_days=sums.practitioner_days,
        practitioners=sums.practitioners,
        seconds_by_category={k: 60 * v for k, v in minutes.items()},
        spread=spread,
    )


# --- change from baseline to trial -----------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """Trial minus baseline, per practitioner with a ratio in both phases: the median change and
    its bootstrap 95 % interval (percentile method, :data:`BOOTSTRAP_RESAMPLES` resamples of the
    practitioners with replacement, ``random.Random(BOOTSTRAP_SEED)``)."""

    practitioners: int
    median_ratio_change: float
    ci95: tuple[float, float]
    median_recording_per_week_change: float
    recording_per_week_ci95: tuple[float, float]
    resamples: int = BOOTSTRAP_RESAMPLES
    seed: int = BOOTSTRAP_SEED

    def sentences(self) -> list[str]:
        """What a manager reads, e.g. "Recording per minute with families fell by 1.30 (0.90 to
        1.60), 8 practitioners."."""
        return [
            _change_sentence(
                "Recording per minute with families",
                self.median_ratio_change,
                self.ci95,
                2,
                self.practitioners,
            ),
            _change_sentence(
                "Recording minutes per practitioner-week",
                self.median_recording_per_week_change,
                self.recording_per_week_ci95,
                0,
                self.practitioners,
            ),
        ]


def _change_sentence(
    what: str, median: float, ci: tuple[float, float], places: int, people: int
) -> str:
    low, high = ci
    if round(median, places) < 0:
        verb, size, a, b = "fell by", -median, -high, -low
    elif round(median, places) > 0:
        verb, size, a, b = "rose by", median, low, high
    else:
        verb, size, a, b = "did not change:", 0.0, low, high
    return (
        f"{what} {verb} {size:.{places}f} ({a:.{places}f} to {b:.{places}f}), "
        f"{people} practitioner{'s' if people != 1 else ''}."
    )


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    n = len(ordered)
    mid = n // 2
    return ordered[mid] if n % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def _percentile(ordered: list[float], q: float) -> float:
    """Linear interpolation between closest ranks of sorted ``ordered``."""
    pos = q * (len(ordered) - 1)
    lo = int(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def bootstrap_medians(
    columns: list[list[float]],
    *,
    resamples: int = BOOTSTRAP_RESAMPLES,
    seed: int = BOOTSTRAP_SEED,
) -> list[tuple[float, float]]:
    """The 95 % percentile interval of the median of each column (paired: every resample draws
    the same practitioners for every column). Each resample draws ``n`` practitioners with
    replacement as ``int(random() * n)`` from ``random.Random(seed)`` (what
    ``Random.choices`` does). Computed by counting rather than sorting each resample
    (domain/bootstrap.py): the same figures, bit for bit, in milliseconds."""
    return bootstrap_intervals(columns, resamples=resamples, seed=seed)


def compute_change(pairs: Iterable[tuple[Figures | None, Figures | None]]) -> Change | None:
    """The change over (trial, baseline) figure pairs, one per practitioner, in a fixed order
    (the caller's: by user id). Practitioners without a ratio in both phases are left out."""
    ratio: list[float] = []
    weekly: list[float] = []
    for trial, baseline in pairs:
        if trial is None or baseline is None or trial.ratio is None or baseline.ratio is None:
            continue
        ratio.append(trial.ratio - baseline.ratio)
        weekly.append(
            (trial.recording_per_practitioner_week or 0.0)
            - (baseline.recording_per_practitioner_week or 0.0)
        )
    if not ratio:
        return None
    (r_ci, w_ci) = bootstrap_medians([ratio, weekly])
    return Change(len(ratio), _median(ratio), r_ci, _median(weekly), w_ci)


# --- the report -------------------------------------------------------------------------------


def conventions(idle_gap_seconds: float = 60, long_gap_seconds: float = 300) -> dict[str, str]:
    """How the measure is made, stated with every report (screen, CSV header, JSON)."""
    return {
        "active_time": (
            "Automatic recording time is the active time of an open recording editor (summary, "
            "plan, mapping, contact log, observation, feedback, summary review), measured on a "
            f"monotonic clock: a pause between two key presses counts in full up to "
            f"{idle_gap_seconds:g} s (the idle gap); of a longer pause only the first "
            f"{idle_gap_seconds:g} s count. After a pause of more than {long_gap_seconds:g} s the "
            "user is asked whether they were still recording: 'yes' counts the whole pause, "
            "'no' or no answer counts nothing more. A paused clock counts nothing."
        ),
        "recording": (
            "Recording = automatic recording time plus manual entries (recording done outside "
            "Tandem: legacy system forms, court statements, letters and email, other). "
            "Baseline recording = the 'recording' rows of the pre-trial time-use diary. Time "
            "with families = contact-log minutes (baseline: 'direct_work' diary rows); travel is "
            "kept apart. A session counts on the day it started."
        ),
        "exposure": (
            "Exposure is counted in practitioner-days: a day on which a practitioner logged "
            "anything in that source (trial: a contact, a recording session or a manual entry; "
            "baseline: a diary row). A practitioner-week is 5 practitioner-days (not rounded); "
            "every per-week figure divides by it. Trial-phase diary rows only calibrate the "
            "diary against the app and never enter the trial figures."
        ),
        "comparison": (
            "Shares of logged time are compared only over the categories both phases measure "
            "(direct work, recording, travel); the diary's other categories are not measured in "
            "the trial. The change is trial minus baseline per practitioner with a ratio in "
            f"both; its median with a bootstrap 95% interval ({BOOTSTRAP_RESAMPLES:,} resamples, "
            f"seed {BOOTSTRAP_SEED})."
        ),
    }


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
    calibration: Calibration | None = None


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
    #: The baseline diary's own first and last date (in this scope).
    baseline_first: date | None = None
    baseline_last: date | None = None
    calibration: Calibration | None = None
    change: Change | None = None
    #: Columns pooled into "other" so no pseudonym can be singled out, by what they are
    #: ("activity", "kind", "category").
    pooled: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    conventions: Mapping[str, str] = field(default_factory=conventions)

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
    - a spread over fewer practitioners is dropped;
    - the change and the calibration (overall and per practitioner) are withheld when they cover
      fewer practitioners (who kept a trial diary must not pick pseudonyms out);
    - activity, kind and diary-category columns are pooled (:func:`pool_rare_columns`).

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
                    key=lambda i: (weeks[i].figures.practitioners, weeks[i].figures.direct_minutes),  # type: ignore[union-attr]  # others: figures set
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
    first, last = report.baseline_first, report.baseline_last
    rows = list(report.by_practitioner)
    if baseline is not None and baseline.practitioners < k:
        baseline = None
        first = last = None
        rows = [replace(r, baseline=None) for r in rows]
        notes.append(
            f"The baseline covers fewer than {k} practitioners in this scope, so it is not shown."
        )
    elif baseline is not None and baseline.spread and baseline.spread.practitioners < k:
        baseline = replace(baseline, spread=None)
    change = report.change
    if change is not None and (baseline is None or change.practitioners < k):
        change = None
        notes.append(
            f"The change from baseline to trial covers fewer than {k} practitioners, so it is "
            "not shown."
        )
    calibration = report.calibration
    if calibration is not None and 0 < calibration.practitioners < k:
        calibration = None
        rows = [replace(r, calibration=None) for r in rows]
        notes.append(
            f"The diary-against-app calibration covers fewer than {k} practitioners, so it is "
            "not shown."
        )
    out = replace(
        report,
        trial=trial,
        baseline=baseline,
        by_week=weeks,
        by_practitioner=rows,
        notes=notes,
        baseline_first=first,
        baseline_last=last,
        change=change,
        calibration=calibration,
    )
    return pool_rare_columns(out)


def _rare(columns: list[str], people: list[Mapping[str, int]], k: int, other: str) -> list[str]:
    """Columns to pool into ``other``: every column non-zero for 1..k-1 practitioners, then —
    while the pooled ``other`` is itself non-zero for 1..k-1 practitioners — the column non-zero
    for the fewest, until ``other`` covers at least k practitioners or nothing is left."""

    def count(cols: set[str]) -> int:
        return sum(1 for p in people if sum(p.get(c, 0) for c in cols) > 0)

    counts = {c: count({c}) for c in columns if c != other}
    pooled = {c for c, n in counts.items() if 0 < n < k}
    if not pooled:
        return []
    left = sorted((n, i, c) for i, (c, n) in enumerate(counts.items()) if c not in pooled and n)
    while 0 < count(pooled | {other}) < k and left:
        pooled.add(left.pop(0)[2])
    return [c for c in columns if c in pooled]


def _pool(values: Mapping[str, int] | None, pooled: list[str]) -> Mapping[str, int] | None:
    if values is None or not pooled:
        return values
    out = {k: v for k, v in values.items() if k not in pooled}
    out[OTHER] = out.get(OTHER, 0) + sum(values.get(c, 0) for c in pooled)
    return out


def pool_rare_columns(report: BurdenReport) -> BurdenReport:
    """No unmasking through a rare column: an activity (automatic recording), kind (manual
    recording) or diary category that is non-zero for fewer than ``min_group_size``
    practitioners (say, observation feedback for the two people who were audio-observed) is
    pooled into "other" in every figure block, for every practitioner. Direct work, recording
    and travel are never pooled (they are the measure itself)."""
    k = report.min_group_size
    trials = [p.trial for p in report.by_practitioner if p.trial is not None]
    bases = [p.baseline for p in report.by_practitioner if p.baseline is not None]
    activities = _rare(
        [a.value for a in RecordingActivity], [t.automatic_seconds or {} for t in trials], k, OTHER
    )
    kinds = _rare(
        [m.value for m in ManualKind], [t.manual_minutes_by_kind or {} for t in trials], k, OTHER
    )
    kept = {c.value for c in TRIAL_CATEGORIES}
    categories = _rare(
        [c.value for c in TimeCategory if c.value not in kept],
        [b.seconds_by_category for b in bases],
        k,
        OTHER,
    )
    # When even the pooled columns leave automatic or manual recording non-zero for 1..k-1
    # practitioners, the split between the two would single them out: per practitioner, only
    # the total recording is shown.
    auto_people = sum(1 for t in trials if sum((t.automatic_seconds or {}).values()) > 0)
    manual_people = sum(1 for t in trials if sum((t.manual_minutes_by_kind or {}).values()) > 0)
    hide_split = 0 < auto_people < k or 0 < manual_people < k
    if not (activities or kinds or categories or hide_split):
        return report

    def pool(f: Figures | None) -> Figures | None:
        if f is None:
            return None
        if f.is_trial:
            return replace(
                f,
                automatic_seconds=_pool(f.automatic_seconds, activities),
                manual_minutes_by_kind=_pool(f.manual_minutes_by_kind, kinds),
            )
        return replace(f, seconds_by_category=_pool(f.seconds_by_category, categories) or {})

    def pool_person(f: Figures | None) -> Figures | None:
        f = pool(f)
        if f is not None and f.is_trial and hide_split:
            return replace(f, automatic_seconds=None, manual_minutes_by_kind=None)
        return f

    pooled = {
        name: tuple(cols)
        for name, cols in (("activity", activities), ("kind", kinds), ("category", categories))
        if cols
    }
    labels = {a.value: a.label for a in RecordingActivity}
    labels |= {m.value: m.label for m in ManualKind} | {c.value: c.label for c in TimeCategory}
    notes = list(report.notes)
    if pooled:
        names = ", ".join(labels[c] for c in (*activities, *kinds, *categories))
        notes.append(
            f"Pooled into 'other' because fewer than {k} practitioners have them: {names}."
        )
    if hide_split:
        notes.append(
            f"Fewer than {k} practitioners have automatic or manual recording, so per "
            "practitioner only their total recording is shown."
        )
    return replace(
        report,
        trial=pool(report.trial),  # type: ignore[arg-type]  # pool keeps Figures a Figures
        baseline=pool(report.baseline),
        by_week=[replace(w, figures=pool(w.figures)) for w in report.by_week],
        by_practitioner=[
            replace(p, trial=pool_person(p.trial), baseline=pool(p.baseline))
            for p in report.by_practitioner
        ],
        pooled=pooled,
        notes=notes,
    )


__all__ = [
    "BOOTSTRAP_RESAMPLES",
    "BOOTSTRAP_SEED",
    "DAYS_PER_WEEK",
    "DEFAULT_MIN_GROUP_SIZE",
    "OTHER",
    "TRIAL_CATEGORIES",
    "BaselineAggregates",
    "BaselineSums",
    "BurdenQuery",
    "BurdenReport",
    "Calibration",
    "CalibrationAggregates",
    "Change",
    "Figures",
    "PractitionerRow",
    "Spread",
    "TrialAggregates",
    "TrialSums",
    "WeekRow",
    "baseline_figures",
    "bootstrap_medians",
    "compute_change",
    "conventions",
    "pool_rare_columns",
    "pseudonym",
    "quartiles",
    "suppress_small_groups",
    "trial_figures",
    "week_from_number",
    "week_start",
]
