"""The burden report as JSON, CSV and Rich tables (the command line and the screen's export).

JSON: ``{"period": {"from", "to"}, "scope": {...}, "trial": T, "baseline": T or null,
"by_week": [{"week_start", "suppressed", ...T}], "by_practitioner": [{"practitioner", "name",
...T, "baseline": T or null}], "notes": [...]}`` where T holds direct_minutes,
recording_minutes, automatic_minutes, manual_minutes, travel_minutes, recording_by_activity,
manual_by_kind, recording_per_direct_minute (null without time with families),
minutes_by_category, shares, practitioner_weeks, practitioners, per_practitioner_week and spread.
Minutes are rounded to 2 decimals, ratios and shares to 4; the exact figures are integers
(minutes, and seconds of automatic recording) before rounding.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text

from domain.reports import BurdenReport, Figures
from domain.timeuse import ManualKind, RecordingActivity, TimeCategory
from tui.text import cell

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


def report_json(report: BurdenReport) -> dict[str, Any]:
    return {
        "period": {"from": report.start.isoformat(), "to": report.end.isoformat()},
        "scope": {
            "team": report.team,
            "practitioner": report.practitioner,
            "practitioners_named": report.identified,
            "min_group_size": None if report.identified else report.min_group_size,
        },
        "generated_at": report.generated_at.isoformat(timespec="seconds"),
        "trial": figures_json(report.trial),
        "baseline": figures_json(report.baseline) if report.baseline else None,
        "by_week": [
            {"week_start": w.week_start.isoformat(), "suppressed": w.suppressed}
            | figures_json(w.figures)
            for w in report.by_week
        ],
        "by_practitioner": [
            {"practitioner": p.practitioner, "name": p.name}
            | figures_json(p.trial)
            | {"baseline": figures_json(p.baseline) if p.baseline else None}
            for p in report.by_practitioner
        ],
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
        "practitioner_weeks",
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
    + [f"share_{c.value}" for c in TimeCategory]
    + [f"auto_{a.value}_minutes" for a in RecordingActivity]
    + [f"manual_{k.value}_minutes" for k in ManualKind]
)


def _spreadsheet_safe(text: str | None) -> str:
    """Text a spreadsheet will not run as a formula."""
    if not text:
        return ""
    return "'" + text if text[0] in "=+-@\t\r" else text


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
        practitioner_weeks=f.practitioner_weeks,
        direct_minutes=f.direct_minutes,
        recording_minutes=j["recording_minutes"],
        automatic_minutes=j["automatic_minutes"] if j["automatic_minutes"] is not None else "",
        manual_minutes=f.manual_minutes if f.manual_minutes is not None else "",
        travel_minutes=f.travel_minutes if f.travel_minutes is not None else "",
        recording_per_direct_minute=j["recording_per_direct_minute"] if f.ratio is not None else "",
        direct_minutes_per_practitioner_week=j["per_practitioner_week"]["direct_minutes"] or "",
        recording_minutes_per_practitioner_week=(
            j["per_practitioner_week"]["recording_minutes"] or ""
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
    for k, v in (j["recording_by_activity"] or {}).items():
        row[f"auto_{k}_minutes"] = v
    for k, v in (j["manual_by_kind"] or {}).items():
        row[f"manual_{k}_minutes"] = v
    return row


def report_csv(report: BurdenReport) -> str:
    """One row per figure set: overall trial and baseline, each week, each practitioner."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerow(_csv_row("trial", "all", report.trial))
    if report.baseline is not None:
        writer.writerow(_csv_row("baseline", "all", report.baseline))
    for w in report.by_week:
        writer.writerow(
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
            writer.writerow(_csv_row("trial", "practitioner", p.trial, **keys))
        if p.baseline is not None:
            writer.writerow(_csv_row("baseline", "practitioner", p.baseline, **keys))
    return out.getvalue()


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
    """(measure, baseline, trial) rows: the report's headline, side by side."""
    b, t = report.baseline, report.trial

    def both(fn, fmt) -> tuple[str, str]:  # type: ignore[no-untyped-def]
        return (fmt(fn(b)) if b else "—", fmt(fn(t)))

    def spread(f: Figures) -> str:
        if f.spread is None:
            return "—"
        s = f.spread
        return f"{s.median:.2f} ({s.q1:.2f}–{s.q3:.2f}, {s.practitioners} people)"

    rows = [
        ("Minutes with families", *both(lambda f: f.direct_minutes, _num)),
        ("Minutes recording", *both(lambda f: f.recording_minutes, _num)),
        ("Recording minutes per minute with families", *both(lambda f: f.ratio, _ratio)),
        ("Spread of that ratio: median (quartiles)", *both(spread, str)),
        ("Practitioner-weeks", *both(lambda f: f.practitioner_weeks, _num)),
        ("Practitioners", *both(lambda f: f.practitioners, _num)),
        (
            "With families per practitioner-week (min)",
            *both(lambda f: f.direct_per_practitioner_week, _num),
        ),
        (
            "Recording per practitioner-week (min)",
            *both(lambda f: f.recording_per_practitioner_week, _num),
        ),
    ]
    for category in TimeCategory:
        b_share = b.shares.get(category.value) if b else None
        t_share = t.shares.get(category.value)
        if b_share is None and t_share is None:
            continue
        rows.append((f"Share of logged time: {category.label}", _pct(b_share), _pct(t_share)))
    return rows


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

    activity = Table(title="Trial recording by activity (minutes)", title_justify="left")
    activity.add_column("Activity")
    activity.add_column("Minutes", justify="right")
    for a in RecordingActivity:
        activity.add_row(
            f"{a.label} (automatic)",
            _num((report.trial.automatic_seconds or {}).get(a.value, 0) / 60),
        )
    for k in ManualKind:
        activity.add_row(
            f"{k.label} (manual)", _num((report.trial.manual_minutes_by_kind or {}).get(k.value, 0))
        )

    weeks = Table(title="Trial by ISO week", title_justify="left")
    for name in ("Week from", "Practitioners", "With families", "Recording", "Ratio"):
        weeks.add_column(name, justify="left" if name == "Week from" else "right")
    for w in report.by_week:
        f = w.figures
        if f is None:
            weeks.add_row(f"{w.week_start:%d %b %Y}", "fewer than the minimum", "—", "—", "—")
        else:
            weeks.add_row(
                f"{w.week_start:%d %b %Y}",
                _num(f.practitioners),
                _num(f.direct_minutes),
                _num(f.recording_minutes),
                _ratio(f.ratio),
            )

    people = Table(title="By practitioner", title_justify="left")
    for name in ("Practitioner", "Weeks", "With families", "Recording", "Ratio", "Baseline ratio"):
        people.add_column(name, justify="left" if name == "Practitioner" else "right")
    for p in report.by_practitioner:
        label = cell(p.practitioner) if p.name is None else cell(f"{p.name} ({p.practitioner})")
        t = p.trial
        people.add_row(
            label,
            _num(t.practitioner_weeks) if t else "—",
            _num(t.direct_minutes) if t else "—",
            _num(t.recording_minutes) if t else "—",
            _ratio(t.ratio) if t else "—",
            _ratio(p.baseline.ratio) if p.baseline else "—",
        )
    parts: list[Any] = [heading, summary, activity, weeks, people]
    parts += [Text(note, style="italic") for note in report.notes]
    return Group(*parts)
