"""The burden report as JSON, CSV and Rich tables (the command line and the screen's export).

JSON: ``{"period": {"from", "to"}, "scope": {...}, "conventions": {...}, "comparison": {...},
"trial": T, "baseline": T + {"first_day", "last_day"} or null, "change": {...} or null,
"calibration": {...} or null, "by_week": [{"week_start", "suppressed", ...T}],
"by_practitioner": [{"practitioner", "name", ...T, "baseline": T or null, "calibration": C or
null}], "pooled": {...}, "notes": [...]}`` where T holds direct_minutes, recording_minutes,
automatic_minutes, manual_minutes, travel_minutes, recording_by_activity, manual_by_kind,
recording_per_direct_minute (null without time with families), minutes_by_category, shares (over
the categories both phases measure), not_measured_in_trial (baseline: the diary's other
categories, in minutes), practitioner_days, practitioner_weeks (days / 5), practitioners,
per_practitioner_week and spread. Minutes are rounded to 2 decimals, ratios and shares to 4; the
exact figures are integers (minutes, and seconds of automatic recording) before rounding.

CSV: the conventions first, as ``#`` comment lines, then one row per figure set.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, Any

from rich.console import Group
from rich.table import Table
from rich.text import Text

from domain.reports import (
    OTHER,
    TRIAL_CATEGORIES,
    BurdenReport,
    Calibration,
    Change,
    Figures,
)
from domain.timeuse import ManualKind, RecordingActivity, TimeCategory
from tui.text import cell

if TYPE_CHECKING:
    from collections.abc import Callable

NOT_MEASURED = "not measured in the trial"
COMPARED = tuple(c.value for c in TRIAL_CATEGORIES)
DIARY_ONLY = tuple(c.value for c in TimeCategory if c.value not in COMPARED) + (OTHER,)

T_KEYS = (
    "direct_minutes",
    "recording_minutes",
    "automatic_minutes",
    "manual_minutes",
    "travel_minutes",
    "recording_by_activity",
    "manual_by_kind",
    "recording_per_direct_minute",
    "minutes_by_category",
    "shares",
    "not_measured_in_trial",
    "practitioner_days",
    "practitioner_weeks",
    "practitioners",
    "per_practitioner_week",
    "spread",
)


def _r(value: float | None, places: int) -> float | None:
    return None if value is None else round(value, places)


def figures_json(f: Figures | None) -> dict[str, Any]:
    if f is None:
        return dict.fromkeys(T_KEYS)
    return {
        "direct_minutes": f.direct_minutes,
        "recording_minutes": _r(f.recording_minutes, 2),
        "automatic_minutes": _r(f.automatic_minutes, 2),
        "manual_minutes": f.manual_minutes,
        "travel_minutes": f.travel_minutes,
        "recording_by_activity": (
            {k: round(v / 60, 2) for k, v in f.automatic_seconds.items()}
            if f.automatic_seconds is not None
            else None
        ),
        "manual_by_kind": dict(f.manual_minutes_by_kind) if f.manual_minutes_by_kind else None,
        "recording_per_direct_minute": _r(f.ratio, 4),
        "minutes_by_category": {k: round(v / 60, 2) for k, v in f.seconds_by_category.items()},
        "shares": {k: round(v, 4) for k, v in f.shares.items()},
        "not_measured_in_trial": None if f.is_trial else dict(f.not_measured_in_trial),
        "practitioner_days": f.practitioner_days,
        "practitioner_weeks": f.practitioner_weeks,
        "practitioners": f.practitioners,
        "per_practitioner_week": {
            "direct_minutes": _r(f.direct_per_practitioner_week, 2),
            "recording_minutes": _r(f.recording_per_practitioner_week, 2),
        },
        "spread": (
            {
                "practitioners": f.spread.practitioners,
                "q1": round(f.spread.q1, 4),
                "median": round(f.spread.median, 4),
                "q3": round(f.spread.q3, 4),
            }
            if f.spread
            else None
        ),
    }


def calibration_json(c: Calibration | None) -> dict[str, Any] | None:
    if c is None:
        return None
    return {
        "practitioner_days": c.practitioner_days,
        "practitioners": c.practitioners,
        "diary_recording_minutes": c.diary_recording_minutes,
        "measured_recording_minutes": round(c.measured_recording_minutes, 2),
        "measured_per_diary_minute": _r(c.measured_per_diary_minute, 4),
    }


def change_json(c: Change | None) -> dict[str, Any] | None:
    if c is None:
        return None
    return {
        "practitioners": c.practitioners,
        "median_ratio_change": round(c.median_ratio_change, 4),
        "ci95": [round(c.ci95[0], 4), round(c.ci95[1], 4)],
        "median_recording_per_week_change": round(c.median_recording_per_week_change, 2),
        "recording_per_week_ci95": [
            round(c.recording_per_week_ci95[0], 2),
            round(c.recording_per_week_ci95[1], 2),
        ],
        "resamples": c.resamples,
        "seed": c.seed,
        "sentences": c.sentences(),
    }


def report_json(report: BurdenReport) -> dict[str, Any]:
    baseline = None
    if report.baseline is not None:
        baseline = figures_json(report.baseline) | {
            "first_day": report.baseline_first.isoformat() if report.baseline_first else None,
            "last_day": report.baseline_last.isoformat() if report.baseline_last else None,
        }
    calibration = calibration_json(report.calibration)
    if calibration is not None:
        calibration["by_practitioner"] = [
            {"practitioner": p.practitioner, "name": p.name}
            | (calibration_json(p.calibration) or {})
            for p in report.by_practitioner
            if p.calibration is not None
        ]
    return {
        "period": {"from": report.start.isoformat(), "to": report.end.isoformat()},
        "scope": {
            "team": report.team,
            "practitioner": report.practitioner,
            "practitioners_named": report.identified,
            "min_group_size": None if report.identified else report.min_group_size,
        },
        "generated_at": report.generated_at.isoformat(timespec="seconds"),
        "conventions": dict(report.conventions),
        "comparison": {
            "categories_compared": list(COMPARED),
            "not_measured_in_the_trial": [c for c in DIARY_ONLY if c != OTHER],
        },
        "trial": figures_json(report.trial),
        "baseline": baseline,
        "change": change_json(report.change),
        "calibration": calibration,
        "by_week": [
            {"week_start": w.week_start.isoformat(), "suppressed": w.suppressed}
            | figures_json(w.figures)
            for w in report.by_week
        ],
        "by_practitioner": [
            {"practitioner": p.practitioner, "name": p.name}
            | figures_json(p.trial)
            | {
                "baseline": figures_json(p.baseline) if p.baseline else None,
                "calibration": calibration_json(p.calibration),
            }
            for p in report.by_practitioner
        ],
        "pooled": {k: list(v) for k, v in report.pooled.items()},
        "notes": list(report.notes),
    }


# --- CSV ----------------------------------------------------------------------------------------

CSV_COLUMNS = (
    [
        "series",
        "level",
        "week_start",
        "practitioner",
        "name",
        "suppressed",
        "practitioners",
        "practitioner_days",
        "practitioner_weeks",
        "first_day",
        "last_day",
        "direct_minutes",
        "recording_minutes",
        "automatic_minutes",
        "manual_minutes",
        "travel_minutes",
        "recording_per_direct_minute",
        "direct_minutes_per_practitioner_week",
        "recording_minutes_per_practitioner_week",
        "ratio_q1",
        "ratio_median",
        "ratio_q3",
    ]
    + [f"share_{c}" for c in COMPARED]
    + [f"diary_only_{c}_minutes" for c in DIARY_ONLY]
    + [f"auto_{a.value}_minutes" for a in RecordingActivity]
    + [f"auto_{OTHER}_minutes"]
    + [f"manual_{k.value}_minutes" for k in ManualKind]
    + [
        "diary_recording_minutes",
        "measured_recording_minutes",
        "measured_per_diary_minute",
        "median_ratio_change",
        "ratio_change_ci95_low",
        "ratio_change_ci95_high",
        "median_recording_per_week_change",
        "recording_per_week_change_ci95_low",
        "recording_per_week_change_ci95_high",
    ]
)


def _spreadsheet_safe(text: str | None) -> str:
    """Text a spreadsheet will not run as a formula."""
    if not text:
        return ""
    return "'" + text if text[0] in "=+-@\t\r" else text


def _blank(value: Any) -> Any:
    return "" if value is None else value


def _csv_row(series: str, level: str, f: Figures | None, **keys: Any) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(CSV_COLUMNS, "")
    row.update(
        series=series, level=level, suppressed="yes" if keys.pop("suppressed", False) else ""
    )
    row.update({k: _spreadsheet_safe(v) if isinstance(v, str) else v for k, v in keys.items()})
    if f is None:
        return row
    j = figures_json(f)
    row.update(
        practitioners=f.practitioners,
        practitioner_days=f.practitioner_days,
        practitioner_weeks=f.practitioner_weeks,
        direct_minutes=f.direct_minutes,
        recording_minutes=j["recording_minutes"],
        automatic_minutes=_blank(j["automatic_minutes"]),
        manual_minutes=_blank(f.manual_minutes),
        travel_minutes=_blank(f.travel_minutes),
        recording_per_direct_minute=_blank(j["recording_per_direct_minute"]),
        direct_minutes_per_practitioner_week=_blank(j["per_practitioner_week"]["direct_minutes"]),
        recording_minutes_per_practitioner_week=_blank(
            j["per_practitioner_week"]["recording_minutes"]
        ),
    )
    if j["spread"]:
        row.update(
            ratio_q1=j["spread"]["q1"],
            ratio_median=j["spread"]["median"],
            ratio_q3=j["spread"]["q3"],
        )
    for k, v in j["shares"].items():
        row[f"share_{k}"] = v
    for c in DIARY_ONLY:
        if f.is_trial:
            row[f"diary_only_{c}_minutes"] = NOT_MEASURED
        elif c in f.not_measured_in_trial:
            row[f"diary_only_{c}_minutes"] = f.not_measured_in_trial[c]
    for k, v in (j["recording_by_activity"] or {}).items():
        row[f"auto_{k}_minutes"] = v
    for k, v in (j["manual_by_kind"] or {}).items():
        row[f"manual_{k}_minutes"] = v
    return row


def _calibration_row(c: Calibration, level: str, **keys: Any) -> dict[str, Any]:
    row = _csv_row("calibration", level, None, **keys)
    j = calibration_json(c) or {}
    row.update(
        practitioners=c.practitioners,
        practitioner_days=c.practitioner_days,
        diary_recording_minutes=j["diary_recording_minutes"],
        measured_recording_minutes=j["measured_recording_minutes"],
        measured_per_diary_minute=_blank(j["measured_per_diary_minute"]),
    )
    return row


def _change_row(c: Change) -> dict[str, Any]:
    row = _csv_row("change", "all", None)
    j = change_json(c) or {}
    row.update(
        practitioners=c.practitioners,
        median_ratio_change=j["median_ratio_change"],
        ratio_change_ci95_low=j["ci95"][0],
        ratio_change_ci95_high=j["ci95"][1],
        median_recording_per_week_change=j["median_recording_per_week_change"],
        recording_per_week_change_ci95_low=j["recording_per_week_ci95"][0],
        recording_per_week_change_ci95_high=j["recording_per_week_ci95"][1],
    )
    return row


def csv_comments(report: BurdenReport) -> list[str]:
    """The header comment lines: conventions, the comparison, the change, pooling, notes."""
    lines = [
        f"Recording burden {report.start} to {report.end}, {report.scope_label}, "
        f"{'names' if report.identified else 'pseudonyms'}",
    ]
    lines += [f"{key}: {text}" for key, text in report.conventions.items()]
    lines.append("diary_only_*_minutes: diary categories " + NOT_MEASURED + " (trial rows say so).")
    if report.change is not None:
        lines += report.change.sentences()
    lines += list(report.notes)
    return ["# " + " ".join(line.split()) for line in lines]


def csv_rows(report: BurdenReport) -> list[dict[str, Any]]:
    """One row per figure set: overall trial and baseline, the change, the calibration, each
    week, each practitioner (trial, baseline, calibration). The CSV is these rows, and the
    screen shows every figure of each (:func:`figure_lines`)."""
    rows = [_csv_row("trial", "all", report.trial)]
    if report.baseline is not None:
        rows.append(
            _csv_row(
                "baseline",
                "all",
                report.baseline,
                first_day=report.baseline_first.isoformat() if report.baseline_first else "",
                last_day=report.baseline_last.isoformat() if report.baseline_last else "",
            )
        )
    if report.change is not None:
        rows.append(_change_row(report.change))
    if report.calibration is not None:
        rows.append(_calibration_row(report.calibration, "all"))
    for w in report.by_week:
        rows.append(
            _csv_row(
                "trial",
                "week",
                w.figures,
                week_start=w.week_start.isoformat(),
                suppressed=w.suppressed,
            )
        )
    for p in report.by_practitioner:
        keys = {"practitioner": p.practitioner, "name": p.name or ""}
        if p.trial is not None:
            rows.append(_csv_row("trial", "practitioner", p.trial, **keys))
        if p.baseline is not None:
            rows.append(_csv_row("baseline", "practitioner", p.baseline, **keys))
        if p.calibration is not None:
            rows.append(_calibration_row(p.calibration, "practitioner", **keys))
    return rows


def report_csv(report: BurdenReport) -> str:
    """The conventions as ``#`` lines, then one row per figure set (:func:`csv_rows`)."""
    out = io.StringIO()
    for line in csv_comments(report):
        out.write(line + "\n")
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in csv_rows(report):
        writer.writerow(row)
    return out.getvalue()


#: The columns that say which figure set a row is, not a figure.
ROW_KEYS = ("series", "level", "week_start", "practitioner", "name", "suppressed")

_FIGURE_LABELS = {
    "practitioners": "Practitioners",
    "practitioner_days": "Practitioner-days",
    "practitioner_weeks": "Practitioner-weeks (days ÷ 5)",
    "first_day": "First diary day",
    "last_day": "Last diary day",
    "direct_minutes": "Minutes with families",
    "recording_minutes": "Minutes recording (automatic + manual)",
    "automatic_minutes": "Automatic recording minutes (timed by the app)",
    "manual_minutes": "Manual recording minutes (entered)",
    "travel_minutes": "Travel minutes",
    "recording_per_direct_minute": "Recording minutes per minute with families",
    "direct_minutes_per_practitioner_week": "Minutes with families per practitioner-week",
    "recording_minutes_per_practitioner_week": "Recording minutes per practitioner-week",
    "ratio_q1": "Ratio across practitioners: lower quartile",
    "ratio_median": "Ratio across practitioners: median",
    "ratio_q3": "Ratio across practitioners: upper quartile",
    "diary_recording_minutes": "Calibration: recording minutes in the diary",
    "measured_recording_minutes": "Calibration: recording minutes measured by the app",
    "measured_per_diary_minute": "Calibration: measured minutes per diary minute",
    "median_ratio_change": "Change in the ratio: median",
    "ratio_change_ci95_low": "Change in the ratio: 95% interval, low",
    "ratio_change_ci95_high": "Change in the ratio: 95% interval, high",
    "median_recording_per_week_change": "Change in recording per week: median",
    "recording_per_week_change_ci95_low": "Change in recording per week: 95% interval, low",
    "recording_per_week_change_ci95_high": "Change in recording per week: 95% interval, high",
}


def figure_label(column: str) -> str:
    """What a CSV column holds, in words."""
    if column in _FIGURE_LABELS:
        return _FIGURE_LABELS[column]
    categories = {c.value: c.label for c in TimeCategory} | {OTHER: "Other (pooled)"}
    activities = {a.value: a.label for a in RecordingActivity} | {OTHER: "Other (pooled)"}
    kinds = {k.value: k.label for k in ManualKind}
    if column.startswith("share_"):
        return "Share of compared time: " + categories.get(column[6:], column[6:])
    if column.startswith("diary_only_"):
        key = column.removeprefix("diary_only_").removesuffix("_minutes")
        return f"{categories.get(key, key)}, minutes (diary only)"
    if column.startswith("auto_"):
        key = column.removeprefix("auto_").removesuffix("_minutes")
        return f"Recording by activity: {activities.get(key, key)} (automatic), minutes"
    if column.startswith("manual_"):
        key = column.removeprefix("manual_").removesuffix("_minutes")
        return f"Recording by activity: {kinds.get(key, key)} (manual), minutes"
    return column.replace("_", " ").capitalize()


def figure_value(column: str, value: Any) -> str:
    """A CSV value as the screen writes it: numbers with separators, shares as percentages."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if column.startswith("share_"):
        return f"{100 * value:.1f}%"
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.4f}".rstrip("0").rstrip(".")


def figure_lines(row: dict[str, Any]) -> list[tuple[str, str]]:
    """Every figure of one CSV row, as (what, value), in the CSV's column order."""
    return [
        (figure_label(column), figure_value(column, row[column]))
        for column in CSV_COLUMNS
        if column not in ROW_KEYS and row.get(column, "") != ""
    ]


# --- Rich tables (the command line's default) -----------------------------------------------------


def _num(value: float | int | None, places: int = 0) -> str:
    if value is None:
        return "—"
    return f"{value:,.{places}f}"


def _ratio(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.0f}%"


def summary_rows(report: BurdenReport) -> list[tuple[str, str, str]]:
    """(measure, baseline, trial) rows: the headline first (recording per minute with families,
    minutes per practitioner-week), then totals, exposure, dates and the like-with-like shares."""
    b, t = report.baseline, report.trial

    def both(fn: Callable[[Figures], Any], fmt: Callable[[Any], str]) -> tuple[str, str]:
        return (fmt(fn(b)) if b else "—", fmt(fn(t)))

    def spread(f: Figures) -> str:
        if f.spread is None:
            return "—"
        s = f.spread
        return f"{s.median:.2f} ({s.q1:.2f}–{s.q3:.2f}, {s.practitioners} people)"

    dates = "—"
    if b is not None and report.baseline_first and report.baseline_last:
        dates = f"{report.baseline_first:%d %b %Y} to {report.baseline_last:%d %b %Y}"
    rows = [
        ("Recording minutes per minute with families", *both(lambda f: f.ratio, _ratio)),
        (
            "Recording minutes per practitioner-week",
            *both(lambda f: f.recording_per_practitioner_week, _num),
        ),
        (
            "Minutes with families per practitioner-week",
            *both(lambda f: f.direct_per_practitioner_week, _num),
        ),
        ("Spread of the ratio: median (quartiles)", *both(spread, str)),
        ("Dates covered", dates, f"{report.start:%d %b %Y} to {report.end:%d %b %Y}"),
        ("Minutes with families", *both(lambda f: f.direct_minutes, _num)),
        ("Minutes recording", *both(lambda f: f.recording_minutes, _num)),
        ("Practitioner-days (exposure)", *both(lambda f: f.practitioner_days, _num)),
        (
            "Practitioner-weeks (days ÷ 5)",
            *both(lambda f: f.practitioner_weeks, lambda v: _num(v, 1)),
        ),
        ("Practitioners", *both(lambda f: f.practitioners, _num)),
    ]
    for category in TRIAL_CATEGORIES:
        b_share = b.shares.get(category.value) if b else None
        t_share = t.shares.get(category.value)
        if b_share is None and t_share is None:
            continue
        rows.append(
            (
                f"Share of compared time: {category.label}",
                _pct(b_share),
                _pct(t_share),
            )
        )
    if b is not None:
        labels = {c.value: c.label for c in TimeCategory} | {OTHER: "Other (pooled)"}
        for key, minutes in b.not_measured_in_trial.items():
            if not minutes:
                continue
            rows.append(
                (
                    f"{labels.get(key, key)} per practitioner-week (diary)",
                    _num(b.per_practitioner_week(minutes)),
                    NOT_MEASURED,
                )
            )
    return rows


def activity_rows(report: BurdenReport) -> list[tuple[str, str, str]]:
    """(activity, minutes, share of all recording) for the trial: each editor timed by the app,
    then each kind of recording entered by hand."""
    t = report.trial
    total = t.recording_minutes or 0
    labels = {a.value: a.label for a in RecordingActivity}
    kinds = {k.value: k.label for k in ManualKind}
    rows: list[tuple[str, float]] = [
        (f"{labels.get(key, 'Other (pooled)')} (automatic)", seconds / 60)
        for key, seconds in (t.automatic_seconds or {}).items()
    ]
    rows += [
        (f"{kinds.get(key, key)} (manual)", float(minutes))
        for key, minutes in (t.manual_minutes_by_kind or {}).items()
    ]
    return [
        (name, _num(minutes), _pct(minutes / total) if total else "—") for name, minutes in rows
    ]


def change_lines(report: BurdenReport) -> list[str]:
    """The change from baseline to trial as sentences (or why there is none)."""
    if report.change is not None:
        return [
            *report.change.sentences(),
            "Median change per practitioner from baseline to trial; in brackets the 95% "
            f"bootstrap interval ({report.change.resamples:,} resamples).",
        ]
    if report.baseline is None:
        return ["No change from baseline to trial: there is no baseline in this scope."]
    return ["No change from baseline to trial: no practitioner has a ratio in both."]


def calibration_lines(report: BurdenReport) -> list[str]:
    c = report.calibration
    if c is None:
        return [
            "Calibration: no day has both a trial-phase diary row and recording measured by "
            "the app."
        ]
    per = c.measured_per_diary_minute
    return [
        f"Calibration (diary against app on the same {c.practitioner_days} practitioner-days, "
        f"{c.practitioners} practitioners): the diary says {c.diary_recording_minutes:,} "
        f"recording minutes, the app measured {c.measured_recording_minutes:,.0f}"
        + (f" ({per:.2f} measured per diary minute)." if per is not None else ".")
    ]


def rich_report(report: BurdenReport) -> Group:
    heading = Text.assemble(
        ("Recording burden", "bold"),
        f"  {report.start:%d %b %Y} to {report.end:%d %b %Y} · ",
        cell(report.scope_label),
        " · " + ("names" if report.identified else "pseudonyms"),
    )
    summary = Table(title="Baseline and trial", title_justify="left")
    summary.add_column("Measure")
    summary.add_column("Baseline", justify="right")
    summary.add_column("Trial", justify="right")
    for measure, base, trial in summary_rows(report):
        summary.add_row(measure, base, trial)
    findings = [Text(line) for line in change_lines(report) + calibration_lines(report)]

    activity = Table(title="Trial recording by activity (minutes)", title_justify="left")
    activity.add_column("Activity")
    activity.add_column("Minutes", justify="right")
    activity.add_column("Share", justify="right")
    for name, minutes, share in activity_rows(report):
        activity.add_row(name, minutes, share)

    weeks = Table(title="Trial by ISO week", title_justify="left")
    for name in ("Week from", "Practitioners", "Days", "With families", "Recording", "Ratio"):
        weeks.add_column(name, justify="left" if name == "Week from" else "right")
    for w in report.by_week:
        f = w.figures
        if f is None:
            weeks.add_row(f"{w.week_start:%d %b %Y}", "fewer than the minimum", "—", "—", "—", "—")
        else:
            weeks.add_row(
                f"{w.week_start:%d %b %Y}",
                _num(f.practitioners),
                _num(f.practitioner_days),
                _num(f.direct_minutes),
                _num(f.recording_minutes),
                _ratio(f.ratio),
            )

    people = Table(title="By practitioner", title_justify="left")
    for name in (
        "Practitioner",
        "Days",
        "With families",
        "Recording",
        "Ratio",
        "Baseline ratio",
        "App/diary",
    ):
        if name == "Practitioner":
            people.add_column(name, no_wrap=True)
        else:
            people.add_column(name, justify="right")
    for p in report.by_practitioner:
        label = cell(p.practitioner) if p.name is None else cell(f"{p.name} ({p.practitioner})")
        t = p.trial
        people.add_row(
            label,
            _num(t.practitioner_days) if t else "—",
            _num(t.direct_minutes) if t else "—",
            _num(t.recording_minutes) if t else "—",
            _ratio(t.ratio) if t else "—",
            _ratio(p.baseline.ratio) if p.baseline else "—",
            _ratio(p.calibration.measured_per_diary_minute) if p.calibration else "—",
        )
    conventions = Table(title="How the measure works", title_justify="left", show_header=False)
    conventions.add_column("What")
    conventions.add_column("Convention")
    for key, text in report.conventions.items():
        conventions.add_row(key.replace("_", " "), text)
    parts: list[Any] = [heading, summary, *findings, activity, weeks, people]
    parts += [Text(note, style="italic") for note in report.notes]
    parts.append(conventions)
    return Group(*parts)
