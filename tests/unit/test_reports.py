"""The recording-burden report service over the in-memory fakes: figures, access and privacy."""

from __future__ import annotations

import json
import statistics
from dataclasses import replace
from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.audit import AuditAction
from domain.errors import AccessDenied, NotFound, ValidationError
from domain.reports import (
    BurdenReport,
    Figures,
    TrialSums,
    WeekRow,
    pseudonym,
    quartiles,
    suppress_small_groups,
    trial_figures,
)
from domain.services.reports import GroupTooSmall, burden_report, report_filters
from tests.fakes import fake_uow_factory
from tests.report_fixtures import (
    END,
    SECRET_WORDS,
    START,
    W1,
    W2,
    assert_hand_figures,
    build_hand_data,
)
from tui.report.export import report_csv, report_json


@pytest.fixture
def hand():
    factory = fake_uow_factory()
    data = build_hand_data(factory)
    return factory, data


def run(hand, who: str, **kwargs) -> BurdenReport:  # type: ignore[no-untyped-def]
    factory, data = hand
    kwargs.setdefault("start", START)
    kwargs.setdefault("end", END)
    return burden_report(data.ctx(factory, who), **kwargs)


# --- figures ------------------------------------------------------------------------------------


def test_every_figure_matches_the_hand_computed_totals(hand) -> None:
    assert_hand_figures(run(hand, "admin", identify=True))


def test_a_team_scope_counts_only_that_teams_practitioners(hand) -> None:
    report = run(hand, "admin", identify=True, team="North")
    assert report.trial.direct_minutes == 150 + 120 + 30
    assert report.trial.recording_minutes == 90 + 120 + 25
    assert sorted(p.practitioner for p in report.by_practitioner) == ["ann", "ben", "cat"]
    assert report.baseline is not None and report.baseline.direct_minutes == 230


def test_one_practitioner_scope(hand) -> None:
    report = run(hand, "admin", identify=True, practitioner="dan")
    assert (report.trial.direct_minutes, report.trial.recording_minutes) == (45, 15)
    assert [w.week_start for w in report.by_week] == [W1, W2]
    assert report.scope_label == "practitioner dan"


def test_default_period_runs_from_the_first_week_with_data_to_today(hand) -> None:
    factory, data = hand
    report = burden_report(data.ctx(factory, "admin"), identify=True)
    assert report.start == date(2025, 2, 24)  # Monday of ann's Sunday 2 March session
    assert report.end == data.clock.today()
    assert report.trial.direct_minutes == 345 + 999


def test_no_data_gives_zeros_and_no_ratio(hand) -> None:
    report = run(hand, "admin", identify=True, start=date(2020, 1, 1), end=date(2020, 2, 1))
    assert report.trial.direct_minutes == 0 and report.trial.ratio is None
    assert report.trial.direct_per_practitioner_week is None
    assert report.by_week == [] and report.trial.spread is None
    assert report_json(report)["trial"]["recording_per_direct_minute"] is None


def test_network_meeting_write_ups_are_their_own_activity_not_contact_logging(hand) -> None:
    """The meeting editor's clock (RecordingActivity.NETWORK_MEETING) is reported under
    "Network meeting", by activity, in the report and in the practitioner's own "My time"; the
    contact log's figure is what it was."""
    from domain.network_meetings import record_meeting
    from domain.services.manual_time import my_time
    from domain.services.recording import record_session
    from domain.timeuse import RecordingActivity
    from tui.report.export import activity_rows

    factory, data = hand
    before = run(hand, "admin", identify=True)
    ben = data.ctx(factory, "ben")
    with factory() as uow:
        family = uow.families.by_reference("FAM-0002")  # ben's
    assert family is not None and family.id is not None
    ben = replace(ben, clock=type(data.clock)(datetime(2025, 3, 14, 12, 0)))
    record_meeting(ben, family.id, date(2025, 3, 14), "Mum\nAunt Jo (safety person)", "Jo helps.")
    record_session(
        ben,
        family.id,
        RecordingActivity.NETWORK_MEETING,
        datetime(2025, 3, 14, 11, 0),
        datetime(2025, 3, 14, 11, 20),
        720,
    )
    report = run(hand, "admin", identify=True)
    seconds = report.trial.automatic_seconds
    assert seconds["network_meeting"] == 720
    assert seconds["contact_log"] == before.trial.automatic_seconds["contact_log"] == 600
    assert report.trial.recording_minutes == before.trial.recording_minutes + 12
    assert ("Network meeting (automatic)", "12", "5%") in activity_rows(report)
    assert report_json(report)["trial"]["recording_by_activity"]["network_meeting"] == 12
    mine = my_time(replace(ben, clock=data.clock))
    assert mine.trial.automatic_seconds["network_meeting"] == 720  # type: ignore[index]


def test_quartiles_match_the_statistics_module() -> None:
    values = [0.2, 1.7, 0.9, 3.1, 0.4, 2.2, 1.1]
    spread = quartiles(values)
    assert spread is not None
    q = statistics.quantiles(values, n=4, method="inclusive")
    assert (spread.q1, spread.median, spread.q3) == pytest.approx(q)
    assert quartiles([]) is None
    assert quartiles([2.0]) == type(spread)(1, 2.0, 2.0, 2.0)


# --- who may see what ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["ann", "lead"])
def test_practitioners_and_practice_leads_are_refused_and_it_is_audited(hand, who) -> None:
    factory, data = hand
    with pytest.raises(AccessDenied):
        run(hand, who)
    assert [e.action for e in factory.store.audit] == [AuditAction.DENIED]


def test_every_run_is_audited(hand) -> None:
    factory, data = hand
    run(hand, "admin", identify=True)
    run(hand, "staff")
    events = [e for e in factory.store.audit if e.action is AuditAction.REPORT]
    assert [e.user_id for e in events] == [data.users["admin"].id, data.users["staff"].id]
    assert "names" in events[0].detail and "pseudonyms" in events[1].detail


def test_a_manager_sees_their_own_team_with_names(hand) -> None:
    report = run(hand, "mgr")
    assert report.identified and report.team == "North"
    assert sorted(p.practitioner for p in report.by_practitioner) == ["ann", "ben", "cat"]
    assert report.by_practitioner[0].name == "Ann Fullname"


def test_a_manager_cannot_see_another_team_or_its_practitioners(hand) -> None:
    factory, _ = hand
    with pytest.raises(AccessDenied):
        run(hand, "mgr", team="South")
    with pytest.raises(AccessDenied):
        run(hand, "mgr", practitioner="dan")
    assert [e.action for e in factory.store.audit] == [AuditAction.DENIED, AuditAction.DENIED]


def test_report_filters_by_role(hand) -> None:
    factory, data = hand
    assert report_filters(data.ctx(factory, "mgr")).teams == ["North"]
    staff = report_filters(data.ctx(factory, "staff"))
    assert staff.teams == ["North", "South"] and not staff.identified


def test_project_staff_see_pseudonyms_and_no_names_or_family_text(hand) -> None:
    factory, data = hand
    report = run(hand, "staff")
    assert not report.identified
    labels = [p.practitioner for p in report.by_practitioner]
    assert len(labels) == 4 and all(label.startswith("P-") for label in labels)
    assert labels == sorted(labels)  # listed by pseudonym, not by name or id
    assert all(p.name is None for p in report.by_practitioner)
    text = json.dumps(report_json(report)) + report_csv(report)
    for user in data.users.values():
        assert user.username not in labels
        assert user.full_name not in text
    for word in SECRET_WORDS:
        assert word not in text
    # The figures themselves are the same as in the identified report.
    assert report.trial.recording_seconds == 15000


def test_pseudonyms_are_stable_and_do_not_come_from_the_name(hand) -> None:
    factory, data = hand
    first = run(hand, "staff")
    again = run(hand, "staff", start=date(2025, 3, 10))
    secret = factory.store.pseudonym_secret
    ann = pseudonym(secret, data.users["ann"].id)
    assert ann in {p.practitioner for p in first.by_practitioner}
    assert ann in {p.practitioner for p in again.by_practitioner}
    assert pseudonym(secret, data.users["ann"].id) == ann
    assert pseudonym("another database", data.users["ann"].id) != ann
    by_label = {p.practitioner: p.trial for p in first.by_practitioner}
    assert by_label[ann].direct_minutes == 150  # type: ignore[union-attr]


def test_project_staff_cannot_ask_for_names_or_one_practitioner(hand) -> None:
    factory, _ = hand
    with pytest.raises(AccessDenied):
        run(hand, "staff", identify=True)
    with pytest.raises(AccessDenied):
        run(hand, "staff", practitioner="ann")
    assert [e.action for e in factory.store.audit] == [AuditAction.DENIED, AuditAction.DENIED]


def test_an_administrator_export_is_pseudonymised_unless_names_are_asked_for(hand) -> None:
    assert not run(hand, "admin").identified
    with pytest.raises(AccessDenied):
        run(hand, "admin", practitioner="ann")  # it would tie a pseudonym to a name
    assert run(hand, "admin", identify=True, practitioner="ann").by_practitioner[0].name


def test_a_team_smaller_than_the_minimum_is_not_shown_to_project_staff(hand) -> None:
    with pytest.raises(GroupTooSmall, match="Fewer than 3 practitioners"):
        run(hand, "staff", team="South")
    # Project staff cannot lower the site's threshold (an audited refusal)...
    with pytest.raises(AccessDenied, match="smallest group of 1"):
        run(hand, "staff", team="South", min_group_size=1)
    # ...someone who may see the names anyway may.
    assert run(hand, "admin", team="South", min_group_size=1).trial.direct_minutes == 45


def test_a_period_with_no_records_at_all_shows_zeros_to_project_staff(hand) -> None:
    report = run(hand, "staff", start=date(2020, 1, 6), end=date(2020, 2, 2))
    assert report.trial.direct_minutes == 0 and report.trial.practitioners == 0
    assert report.by_week == [] and report.by_practitioner != []  # the baseline diary
    assert all(p.trial is None for p in report.by_practitioner)


def test_weeks_of_too_few_practitioners_are_withheld_from_project_staff(hand) -> None:
    report = run(hand, "staff", team="North")  # W1: ann, ben; W2: ann, cat
    assert [(w.week_start, w.suppressed, w.figures) for w in report.by_week] == [
        (W1, True, None),
        (W2, True, None),
    ]
    assert report.trial.direct_minutes == 300  # the team as a whole (3 practitioners) is shown
    assert any("week" in n for n in report.notes)
    body = report_json(report)
    assert body["by_week"][0]["suppressed"] is True
    assert body["by_week"][0]["direct_minutes"] is None


def test_the_minimum_group_size_is_configurable(hand) -> None:
    report = run(hand, "staff", min_group_size=4)
    assert all(w.suppressed for w in report.by_week)  # 3 practitioners a week
    assert report.trial.spread is not None  # 4 practitioners with a ratio
    assert report.baseline is not None and report.baseline.spread is None  # only 3 ratios
    with pytest.raises(GroupTooSmall):
        run(hand, "staff", min_group_size=5)
    with pytest.raises(ValidationError):
        run(hand, "staff", min_group_size=0)


def _week(day: date, people: int, direct: int) -> WeekRow:
    return WeekRow(day, trial_figures(TrialSums(direct, 0, {}, {}, people, people)))


def _report(weeks: list[WeekRow], baseline: Figures | None = None) -> BurdenReport:
    total = trial_figures(TrialSums(100, 0, {}, {}, 9, 5))
    return BurdenReport(
        START, END, None, None, False, total, baseline, weeks, [], datetime(2025, 3, 20), 3
    )


def test_one_small_week_takes_a_second_week_with_it() -> None:
    weeks = [_week(W1, 5, 40), _week(W2, 2, 10), _week(date(2025, 3, 17), 4, 50)]
    out = suppress_small_groups(_report(weeks))
    # W2 alone could be worked out from the total; the week with the fewest practitioners goes too.
    assert [w.suppressed for w in out.by_week] == [False, True, True]


def test_a_baseline_of_too_few_practitioners_is_withheld() -> None:
    small = replace(trial_figures(TrialSums(10, 0, {}, {}, 2, 2)), automatic_seconds=None)
    out = suppress_small_groups(_report([_week(W1, 5, 40)], baseline=small))
    assert out.baseline is None and any("baseline" in n for n in out.notes)


# --- validation ---------------------------------------------------------------------------------


def test_unknown_names_and_bad_periods_are_clear_errors(hand) -> None:
    with pytest.raises(NotFound, match="no team called 'Nowhere'"):
        run(hand, "admin", team="Nowhere")
    with pytest.raises(NotFound, match="no user called 'zed'"):
        run(hand, "admin", identify=True, practitioner="zed")
    with pytest.raises(ValidationError, match="not a practitioner"):
        run(hand, "admin", identify=True, practitioner="mgr")
    with pytest.raises(ValidationError, match="after the end date"):
        run(hand, "admin", start=END, end=START)
    with pytest.raises(ValidationError, match="not in team South"):
        run(hand, "admin", identify=True, team="South", practitioner="ann")


# --- property: totals are the sums of the rows ----------------------------------------------------

day_offsets = st.integers(min_value=0, max_value=30)


@settings(max_examples=40, deadline=None)
@given(
    contacts=st.lists(
        st.tuples(st.sampled_from("abc"), day_offsets, st.integers(1, 300), st.integers(0, 60)),
        max_size=12,
    ),
    sessions=st.lists(
        st.tuples(st.sampled_from("abc"), day_offsets, st.integers(0, 3600)), max_size=12
    ),
)
def test_totals_equal_the_sums_of_the_rows(contacts, sessions) -> None:
    from tests.report_fixtures import random_data

    factory = fake_uow_factory()
    data = random_data(factory, contacts, sessions)
    report = burden_report(
        data.ctx(factory, "admin"), start=data.start, end=data.end, identify=True
    )
    assert report.trial.direct_minutes == sum(c[2] for c in contacts)
    assert report.trial.travel_minutes == sum(c[3] for c in contacts)
    assert report.trial.recording_seconds == sum(s[2] for s in sessions)
    weeks = [w.figures for w in report.by_week]
    assert sum(w.direct_minutes for w in weeks) == report.trial.direct_minutes  # type: ignore[union-attr]
    people = [p.trial for p in report.by_practitioner if p.trial]
    assert sum(p.recording_seconds for p in people) == report.trial.recording_seconds
    assert sum(p.practitioner_days for p in people) == report.trial.practitioner_days


def test_suppression_is_the_sites_setting_not_the_viewers(hand) -> None:
    """Issue 17: the administrator sets the threshold (never below 3, audited); project staff
    may ask for more but never less; every run records the threshold in its audit event and its
    output."""
    factory, data = hand
    from domain.services import admin

    with pytest.raises(ValidationError, match="from 3 to 50"):
        admin.set_report_min_group(data.ctx(factory, "admin"), 2)
    with pytest.raises(AccessDenied):
        admin.set_report_min_group(data.ctx(factory, "staff"), 4)
    assert admin.set_report_min_group(data.ctx(factory, "admin"), "4", reason="evaluator") == 4
    report = run(hand, "staff")
    assert report.min_group_size == 4 and all(w.suppressed for w in report.by_week)
    with pytest.raises(GroupTooSmall, match="Fewer than 5"):  # more is allowed (and applied)
        run(hand, "staff", min_group_size=5)
    with pytest.raises(AccessDenied):
        run(hand, "staff", min_group_size=3)  # less than the site's is not
    with factory() as uow:
        events = uow.audit.list()
    details = [e.detail for e in events]
    assert any("3 -> 4 practitioners; why: evaluator" in d for d in details)
    reports = [e.detail for e in events if e.action is AuditAction.REPORT]
    assert reports[-2].endswith("smallest group shown 4")
    assert reports[-1].endswith("smallest group shown 5")  # audited before it was withheld
    denied = [e.detail for e in events if e.action is AuditAction.DENIED]
    assert any("smallest group of 3" in d for d in denied)
    assert report_json(report)["scope"]["min_group_size"] == 4
    assert "groups of fewer than 4 practitioners" in report_csv(report)
