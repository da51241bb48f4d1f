"""The burden report's evaluator rules (issue 10): exposure in practitioner-days, like with like,
the change with its bootstrap interval, the diary calibration, rare columns pooled, and the
conventions stated — over the in-memory fakes (tests/integration/test_reports.py runs the same
data on SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime

import pytest
from rich.console import Console

from domain.reports import (
    BOOTSTRAP_RESAMPLES,
    Change,
    bootstrap_medians,
)
from domain.services.reports import burden_report
from domain.timeuse import RecordingActivity, RecordingSession
from tests.fakes import fake_uow_factory
from tests.report_fixtures import END, START, build_hand_data
from tui.report.export import NOT_MEASURED, report_csv, report_json, rich_report, summary_rows


@pytest.fixture
def hand():
    factory = fake_uow_factory()
    return factory, build_hand_data(factory)


def run(hand, who: str, **kwargs):  # type: ignore[no-untyped-def]
    factory, data = hand
    kwargs.setdefault("start", START)
    kwargs.setdefault("end", END)
    return burden_report(data.ctx(factory, who), **kwargs)


def outputs(report) -> str:  # type: ignore[no-untyped-def]
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(rich_report(report))
    return json.dumps(report_json(report)) + report_csv(report) + console.export_text()


# --- 5. exposure ------------------------------------------------------------------------------


def test_a_period_starting_on_a_thursday_counts_only_the_days_worked(hand) -> None:
    # From Thursday 6 March: ben 03-06; ann 03-11, 03-12; cat 03-10, 03-16; dan 03-13.
    report = run(hand, "admin", identify=True, start=date(2025, 3, 6))
    assert report.trial.practitioner_days == 6
    assert report.trial.practitioner_weeks == pytest.approx(1.2)
    assert report.trial.recording_per_practitioner_week == pytest.approx(
        report.trial.recording_minutes / 1.2
    )
    week1 = report.by_week[0].figures
    assert week1 is not None and (week1.practitioner_days, week1.practitioners) == (1, 1)


def test_trial_phase_diary_rows_never_enter_the_measured_figures(hand) -> None:
    report = run(hand, "admin", identify=True)
    ann = next(p for p in report.by_practitioner if p.practitioner == "ann")
    # ann's diary-only day (03-05) is no practitioner-day and adds no minutes.
    assert ann.trial is not None and ann.trial.practitioner_days == 4
    assert ann.trial.direct_minutes == 150 and ann.baseline.direct_minutes == 150  # type: ignore[union-attr]


def test_the_report_states_the_baselines_own_dates_in_every_output(hand) -> None:
    report = run(hand, "admin", identify=True)
    body = report_json(report)
    assert (body["baseline"]["first_day"], body["baseline"]["last_day"]) == (
        "2025-01-06",
        "2025-01-14",
    )
    rows = dict((m, b) for m, b, _ in summary_rows(report))
    assert rows["Dates covered"] == "06 Jan 2025 to 14 Jan 2025"
    baseline_row = next(
        r
        for r in csv.DictReader(x for x in report_csv(report).splitlines() if x[:1] != "#")
        if r["series"] == "baseline" and r["level"] == "all"
    )
    assert (baseline_row["first_day"], baseline_row["last_day"]) == ("2025-01-06", "2025-01-14")
    assert baseline_row["practitioner_days"] == "5" and baseline_row["practitioner_weeks"] == "1.0"


# --- 6. like with like ---------------------------------------------------------------------------


def test_diary_only_categories_say_not_measured_never_zero_or_a_dash(hand) -> None:
    report = run(hand, "admin", identify=True)
    rows = summary_rows(report)
    diary_only = [r for r in rows if "(diary)" in r[0]]
    assert {r[0].split(" per ")[0] for r in diary_only} == {"Admin / IT", "Internal meetings"}
    assert all(trial == NOT_MEASURED for _, _, trial in diary_only)
    shares = [r for r in rows if r[0].startswith("Share")]
    assert [r[0].split(": ")[1] for r in shares] == ["Direct work", "Recording", "Travel"]
    assert all(b not in ("—", "0%") and t not in ("—", "0%") for _, b, t in shares)
    # The headline comes first.
    assert [r[0] for r in rows[:3]] == [
        "Recording minutes per minute with families",
        "Recording minutes per practitioner-week",
        "Minutes with families per practitioner-week",
    ]
    body = report_json(report)
    assert set(body["baseline"]["shares"]) == {"direct_work", "recording", "travel"}
    assert body["baseline"]["not_measured_in_trial"]["admin_it"] == 50
    trial_csv = next(
        r
        for r in csv.DictReader(x for x in report_csv(report).splitlines() if x[:1] != "#")
        if r["series"] == "trial"
    )
    assert trial_csv["diary_only_admin_it_minutes"] == NOT_MEASURED


# --- 8. change --------------------------------------------------------------------------------


def test_the_change_is_the_same_on_every_run_and_reads_as_a_sentence(hand) -> None:
    first, second = run(hand, "admin", identify=True), run(hand, "admin", identify=True)
    assert first.change == second.change and first.change is not None
    assert first.change.sentences()[0] == (
        "Recording per minute with families fell by 0.50 (0.17 to 1.40), 3 practitioners."
    )
    body = report_json(first)["change"]
    assert body["practitioners"] == 3 and body["median_ratio_change"] == -0.5
    assert body["ci95"] == [-1.4, round(1 / 3 - 0.5, 4)] and body["resamples"] == 10_000
    assert "fell by 0.50" in outputs(first)


def test_the_bootstrap_is_seeded_paired_and_brackets_the_median() -> None:
    values = [-1.3, -0.9, -1.6, -1.1, -2.0, -0.4, -1.2, -1.5]
    again = bootstrap_medians([values, [2 * v for v in values]])
    assert again == bootstrap_medians([values, [2 * v for v in values]])
    (low, high), (low2, high2) = again
    assert min(values) <= low <= -1.25 <= high <= max(values)
    assert (low2, high2) == (pytest.approx(2 * low), pytest.approx(2 * high))  # same resamples
    assert BOOTSTRAP_RESAMPLES == 10_000
    rose = Change(8, 0.25, (0.1, 0.4), 12.0, (3.0, 20.0))
    assert rose.sentences() == [
        "Recording per minute with families rose by 0.25 (0.10 to 0.40), 8 practitioners.",
        "Recording minutes per practitioner-week rose by 12 (3 to 20), 8 practitioners.",
    ]


def test_the_change_is_withheld_from_project_staff_below_the_group_threshold(hand) -> None:
    assert run(hand, "staff").change is not None  # 3 practitioners, threshold 3
    report = run(hand, "staff", min_group_size=4)
    assert report.change is None and any("change" in n for n in report.notes)
    assert report_json(report)["change"] is None


# --- 7. calibration ---------------------------------------------------------------------------


def test_calibration_in_every_output_for_an_identified_report(hand) -> None:
    report = run(hand, "admin", identify=True)
    body = report_json(report)["calibration"]
    assert body["practitioner_days"] == 2 and body["diary_recording_minutes"] == 130
    assert body["measured_recording_minutes"] == 140
    assert body["measured_per_diary_minute"] == round(140 / 130, 4)
    assert [p["practitioner"] for p in body["by_practitioner"]] == ["ann", "ben"]
    rows = list(csv.DictReader(x for x in report_csv(report).splitlines() if x[:1] != "#"))
    cal = [r for r in rows if r["series"] == "calibration"]
    assert [(r["level"], r["practitioner"]) for r in cal] == [
        ("all", ""),
        ("practitioner", "ann"),
        ("practitioner", "ben"),
    ]
    assert "the app measured 140" in outputs(report)


def test_calibration_of_too_few_practitioners_is_withheld_from_project_staff(hand) -> None:
    report = run(hand, "staff")  # 2 practitioners kept a trial diary
    assert report.calibration is None
    assert all(p.calibration is None for p in report.by_practitioner)
    assert report_json(report)["calibration"] is None


# --- 10. no unmasking -------------------------------------------------------------------------


def test_an_activity_of_two_practitioners_cannot_single_them_out(hand) -> None:
    factory, data = hand
    with factory() as uow:  # only ann and dan were audio-observed
        for who in ("ann", "dan"):
            uow.recording.add_session(
                RecordingSession(
                    data.users[who].id,  # type: ignore[arg-type]
                    RecordingActivity.OBSERVATION_FEEDBACK,
                    datetime(2025, 3, 12, 9, 0),
                    datetime(2025, 3, 12, 10, 0),
                    1200,
                )
            )
        uow.commit()
    identified = run(hand, "admin", identify=True)
    assert identified.trial.automatic_seconds["observation_feedback"] == 2400  # type: ignore[index]
    report = run(hand, "staff")
    body = report_json(report)
    k = report.min_group_size
    for activity in ("observation_feedback", "plan", "mapping", "contact_log"):
        assert activity in report.pooled["activity"]
    blocks = [body["trial"], *body["by_week"], *body["by_practitioner"]]
    for block in blocks:
        assert "observation_feedback" not in (block["recording_by_activity"] or {})
    # Every activity and kind column left is non-zero for none or at least k practitioners.
    for column in ("recording_by_activity", "manual_by_kind"):
        keys = {key for p in body["by_practitioner"] for key in (p[column] or {})}
        for key in keys:
            nonzero = sum(1 for p in body["by_practitioner"] if (p[column] or {}).get(key))
            assert nonzero == 0 or nonzero >= k, (column, key, nonzero)
    # Only ann and ben entered manual time: the automatic/manual split is not shown per
    # practitioner (it would single them out), only each one's total.
    for column in ("automatic_minutes", "manual_minutes"):
        nonzero = sum(1 for p in body["by_practitioner"] if p[column])
        assert nonzero == 0 or nonzero >= k, (column, nonzero)
    assert all(p["recording_minutes"] for p in body["by_practitioner"])
    rows = list(csv.DictReader(x for x in report_csv(report).splitlines() if x[:1] != "#"))
    assert all(r["auto_observation_feedback_minutes"] == "" for r in rows)
    people = [r for r in rows if r["level"] == "practitioner" and r["series"] == "trial"]
    for column in [c for c in rows[0] if c.startswith(("auto", "manual_"))]:
        nonzero = sum(1 for r in people if float(r[column] or 0) > 0)
        assert nonzero == 0 or nonzero >= k, (column, nonzero)
    overall = rows[0]
    assert float(overall["auto_other_minutes"]) > 0  # observation feedback is in there
    text = outputs(report)
    assert "Observation feedback (automatic)" not in text


# --- 11. conventions --------------------------------------------------------------------------


def test_conventions_are_stated_on_screen_csv_and_json(hand) -> None:
    factory, data = hand
    report = burden_report(data.ctx(factory, "staff"), start=START, end=END, idle_gap_seconds=90)
    body = report_json(report)["conventions"]
    assert set(body) == {"active_time", "recording", "exposure", "comparison", "suppression"}
    assert body["suppression"].startswith("groups of fewer than 3 practitioners")
    assert "90 s (the idle gap)" in body["active_time"] and "300 s" in body["active_time"]
    assert "practitioner-days" in body["exposure"]
    header = [x for x in report_csv(report).splitlines() if x.startswith("#")]
    assert any("90 s (the idle gap)" in x for x in header)
    assert any("manual entries" in x for x in header)
    assert "How the measure works" in outputs(report)
