"""A small data set with hand-computed recording-burden figures, for the report's unit tests
(fakes) and integration tests (SQLite, PostgreSQL): ``build_hand_data(uow_factory)`` stores it
through the repositories, ``assert_hand_figures(report)`` checks every figure.

Period 2025-03-03 (Mon) .. 2025-03-16 (Sun): ISO weeks W1 = 03-03 and W2 = 03-10.

====  =====  ==========================================  ==============================  ======
who   team   contacts (minutes + travel)                 recording (s = automatic)       ratio
====  =====  ==========================================  ==============================  ======
ann   North  03-03 60+20 (W1), 03-11 90+10 (W2)           plan 1800 s W1, summary 2700 s  90/150
                                                         W2, letters_email 15 min W2     = 0.6
ben   North  03-05 120+0 (W1)                            contact_log 600 s, summary      120/120
                                                         3000 s, legacy_system 60 min    = 1.0
cat   North  03-10 30+15 (W2)                            mapping 1200 s, plan 300 s      25/30
                                                         (Sunday 03-16) W2
dan   South  03-04 45+5 (W1)                             summary 900 s W2                15/45
====  =====  ==========================================  ==============================  ======

Outside the report: ann's contact of 03-17 (after the end), ann's session on Sunday 03-02 (before
the start), and the manager's review session (not a practitioner).

Baseline diary (January 2025): ann 01-06 direct 100 / recording 200 / admin_it 50 and 01-14
direct 50 / recording 100 / travel 30 (2 weeks); ben 01-07 direct 80 / recording 120 /
meeting_internal 40; cat 01-08 direct 0 / recording 60 (no ratio); dan 01-09 direct 60 /
recording 30.

Trial-phase diary (calibration only, never in the trial figures): ann 03-04 recording 40 /
direct_work 60 and 03-05 recording 20 (no measured recording that day); ben 03-06 recording 90
(measured that day: 3000 s + 60 min = 110 min) and 03-07 recording 30 (none measured); dan 03-20
recording 10 (after the end). Calibration: 2 practitioner-days, diary 130 min, app 140 min.

Practitioner-days (exposure): ann 03-03, 03-04, 03-11, 03-12; ben 03-05, 03-06; cat 03-10,
03-16; dan 03-04, 03-13: 10 days = 2.0 practitioner-weeks (W1 5 days, W2 5 days). Baseline:
5 diary days = 1.0 practitioner-week, 2025-01-06 to 2025-01-14.

Change (ann, ben, dan have a ratio in both phases): ratio 0.6 - 2.0, 1.0 - 1.5, 1/3 - 0.5;
recording per practitioner-week 112.5 - 750, 300 - 600, 37.5 - 150.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

import pytest

from domain.clock import FixedClock
from domain.diary import DiaryPhase
from domain.families import Family, Member, MemberRole
from domain.people import Role, Team, User
from domain.reports import BurdenReport
from domain.services.context import Context
from domain.timeuse import (
    BaselineEntry,
    Contact,
    ContactKind,
    ManualEntry,
    ManualKind,
    RecordingActivity,
    RecordingSession,
    TimeCategory,
)

NOW = datetime(2025, 3, 20, 12, 0)
START = date(2025, 3, 3)
END = date(2025, 3, 16)
W1, W2 = date(2025, 3, 3), date(2025, 3, 10)
#: Text that must never reach project staff.
SECRET_WORDS = ("Ableton", "Amy", "Brightwater", "Seen at home about the fire")


@dataclass
class HandData:
    users: dict[str, User]
    teams: dict[str, Team]
    clock: FixedClock

    def ctx(self, uow_factory, username: str) -> Context:  # type: ignore[no-untyped-def]
        return Context(uow_factory, self.clock, self.users[username])


def build_hand_data(uow_factory) -> HandData:  # type: ignore[no-untyped-def]
    with uow_factory() as uow:
        north = uow.teams.add(Team("North"))
        south = uow.teams.add(Team("South"))
        users: dict[str, User] = {}
        for name, role, team in (
            ("ann", Role.PRACTITIONER, north),
            ("ben", Role.PRACTITIONER, north),
            ("cat", Role.PRACTITIONER, north),
            ("dan", Role.PRACTITIONER, south),
            ("mgr", Role.TEAM_MANAGER, north),
            ("mona", Role.TEAM_MANAGER, south),
            ("staff", Role.PROJECT_STAFF, None),
            ("admin", Role.ADMIN, None),
            ("lead", Role.PRACTICE_LEAD, None),
        ):
            users[name] = uow.users.add(
                User(name, f"{name.title()} Fullname", role, team.id if team else None)
            )
        families = {}
        for i, name in enumerate(("ann", "ben", "cat", "dan")):
            user = users[name]
            families[name] = uow.families.add(
                Family(
                    reference=f"FAM-000{i + 1}",
                    name=f"Ableton family {i}",
                    team_id=user.team_id,  # type: ignore[arg-type]
                    practitioner_id=user.id,
                    opened_on=date(2024, 6, 1),
                    address="1 Brightwater Road",
                    members=[Member(name="Amy Ableton", role=MemberRole.CHILD)],
                )
            )

        def contact(who: str, on: date, minutes: int, travel: int) -> None:
            uow.contacts.add(
                Contact(
                    family_id=families[who].id,  # type: ignore[arg-type]
                    practitioner_id=users[who].id,  # type: ignore[arg-type]
                    on=on,
                    start=time(10, 0),
                    minutes=minutes,
                    kind=ContactKind.HOME_VISIT,
                    note="Seen at home about the fire",
                    present="Amy Ableton",
                    travel_minutes=travel,
                )
            )

        def session(who: str, at: datetime, activity: RecordingActivity, seconds: int) -> None:
            uow.recording.add_session(
                RecordingSession(
                    user_id=users[who].id,  # type: ignore[arg-type]
                    activity=activity,
                    started=at,
                    ended=at.replace(hour=at.hour + 1) if at.hour < 23 else at.replace(minute=59),
                    active_seconds=seconds,
                    family_id=families[who].id if who in families else None,
                )
            )

        def manual(who: str, on: date, minutes: int, kind: ManualKind) -> None:
            uow.recording.add_manual(
                ManualEntry(users[who].id, on, minutes, kind, note="Amy Ableton court letter")  # type: ignore[arg-type]
            )

        contact("ann", date(2025, 3, 3), 60, 20)
        contact("ann", date(2025, 3, 11), 90, 10)
        contact("ann", date(2025, 3, 17), 999, 0)  # after the end
        session("ann", datetime(2025, 3, 4, 9, 0), RecordingActivity.PLAN, 1800)
        session("ann", datetime(2025, 3, 12, 14, 0), RecordingActivity.SUMMARY, 2700)
        session("ann", datetime(2025, 3, 2, 23, 50), RecordingActivity.SUMMARY, 500)  # before
        manual("ann", date(2025, 3, 12), 15, ManualKind.LETTERS_EMAIL)
        contact("ben", date(2025, 3, 5), 120, 0)
        session("ben", datetime(2025, 3, 5, 15, 0), RecordingActivity.CONTACT_LOG, 600)
        session("ben", datetime(2025, 3, 6, 9, 0), RecordingActivity.SUMMARY, 3000)
        manual("ben", date(2025, 3, 6), 60, ManualKind.LEGACY_SYSTEM)
        contact("cat", date(2025, 3, 10), 30, 15)
        session("cat", datetime(2025, 3, 10, 11, 0), RecordingActivity.MAPPING, 1200)
        session("cat", datetime(2025, 3, 16, 20, 0), RecordingActivity.PLAN, 300)
        contact("dan", date(2025, 3, 4), 45, 5)
        session("dan", datetime(2025, 3, 13, 10, 0), RecordingActivity.SUMMARY, 900)
        session("mgr", datetime(2025, 3, 5, 10, 0), RecordingActivity.REVIEW, 1000)

        baseline = []
        for who, on, cat, minutes in (
            ("ann", date(2025, 1, 6), TimeCategory.DIRECT_WORK, 100),
            ("ann", date(2025, 1, 6), TimeCategory.RECORDING, 200),
            ("ann", date(2025, 1, 6), TimeCategory.ADMIN_IT, 50),
            ("ann", date(2025, 1, 14), TimeCategory.DIRECT_WORK, 50),
            ("ann", date(2025, 1, 14), TimeCategory.RECORDING, 100),
            ("ann", date(2025, 1, 14), TimeCategory.TRAVEL, 30),
            ("ben", date(2025, 1, 7), TimeCategory.DIRECT_WORK, 80),
            ("ben", date(2025, 1, 7), TimeCategory.RECORDING, 120),
            ("ben", date(2025, 1, 7), TimeCategory.MEETING_INTERNAL, 40),
            ("cat", date(2025, 1, 8), TimeCategory.DIRECT_WORK, 0),
            ("cat", date(2025, 1, 8), TimeCategory.RECORDING, 60),
            ("dan", date(2025, 1, 9), TimeCategory.DIRECT_WORK, 60),
            ("dan", date(2025, 1, 9), TimeCategory.RECORDING, 30),
        ):
            baseline.append(BaselineEntry(users[who].id, on, cat, minutes))  # type: ignore[arg-type]
        uow.recording.add_baseline(baseline)
        uow.diary.add(
            DiaryPhase.TRIAL,
            [
                BaselineEntry(users[who].id, on, cat, minutes)  # type: ignore[arg-type]
                for who, on, cat, minutes in (
                    ("ann", date(2025, 3, 4), TimeCategory.RECORDING, 40),
                    ("ann", date(2025, 3, 4), TimeCategory.DIRECT_WORK, 60),
                    ("ann", date(2025, 3, 5), TimeCategory.RECORDING, 20),
                    ("ben", date(2025, 3, 6), TimeCategory.RECORDING, 90),
                    ("ben", date(2025, 3, 7), TimeCategory.RECORDING, 30),
                    ("dan", date(2025, 3, 20), TimeCategory.RECORDING, 10),
                )
            ],
        )
        uow.commit()
    return HandData(users, {"North": north, "South": south}, FixedClock(NOW))


def approx(value: float) -> object:
    return pytest.approx(value, rel=1e-12)


def assert_hand_figures(report: BurdenReport) -> None:
    """Every figure of the identified report for everyone, START..END (see the module doc)."""
    assert (report.start, report.end) == (START, END)
    t = report.trial
    assert t.direct_minutes == 345
    assert t.travel_minutes == 50
    assert t.recording_seconds == 15000 and t.recording_minutes == 250
    assert t.automatic_minutes == 175 and t.manual_minutes == 75
    assert dict(t.automatic_seconds) == {
        "summary": 6600,
        "plan": 2100,
        "mapping": 1200,
        "contact_log": 600,
        "observation": 0,
        "observation_feedback": 0,
        "review": 0,
        "network_meeting": 0,  # every activity is reported, its own line even at zero
    }
    assert dict(t.manual_minutes_by_kind) == {
        "legacy_system": 60,
        "court_statement": 0,
        "letters_email": 15,
        "other": 0,
    }
    assert t.ratio == approx(250 / 345)
    assert (t.practitioner_days, t.practitioner_weeks, t.practitioners) == (10, 2.0, 4)
    assert t.direct_per_practitioner_week == approx(345 / 2)
    assert t.recording_per_practitioner_week == approx(250 / 2)
    assert t.shares == {
        "direct_work": approx(345 / 645),
        "recording": approx(250 / 645),
        "travel": approx(50 / 645),
    }
    assert t.spread is not None and t.spread.practitioners == 4
    assert (t.spread.q1, t.spread.median, t.spread.q3) == (
        approx(1 / 3 + (0.6 - 1 / 3) * 0.75),
        approx(0.6 + (25 / 30 - 0.6) * 0.5),
        approx(25 / 30 + (1 - 25 / 30) * 0.25),
    )

    weeks = {w.week_start: w.figures for w in report.by_week}
    assert list(weeks) == [W1, W2]
    w1, w2 = weeks[W1], weeks[W2]
    assert w1 is not None and w2 is not None
    assert (w1.direct_minutes, w1.travel_minutes, w1.recording_minutes) == (225, 25, 150)
    assert (w1.practitioner_days, w1.practitioner_weeks, w1.practitioners) == (5, 1.0, 3)
    assert w1.automatic_seconds["plan"] == 1800 and w1.automatic_seconds["summary"] == 3000
    assert w1.manual_minutes_by_kind["legacy_system"] == 60
    assert w1.ratio == approx(150 / 225)
    assert (w2.direct_minutes, w2.travel_minutes, w2.recording_minutes) == (120, 25, 100)
    assert (w2.practitioner_days, w2.practitioners) == (5, 3)
    assert w2.recording_per_practitioner_week == approx(100 / 1.0)
    assert w2.automatic_seconds["summary"] == 3600 and w2.automatic_seconds["plan"] == 300
    assert w2.ratio == approx(100 / 120)

    people = {p.practitioner: p for p in report.by_practitioner}
    assert sorted(people) == ["ann", "ben", "cat", "dan"]
    expected = {  # direct, recording minutes, practitioner-days, ratio
        "ann": (150, 90, 4, 0.6),
        "ben": (120, 120, 2, 1.0),
        "cat": (30, 25, 2, 25 / 30),
        "dan": (45, 15, 2, 1 / 3),
    }
    for who, (direct, recording, days_, ratio) in expected.items():
        row = people[who].trial
        assert row is not None
        assert (row.direct_minutes, row.recording_minutes, row.practitioner_days) == (
            direct,
            recording,
            days_,
        ), who
        assert row.practitioner_weeks == days_ / 5, who
        assert row.ratio == approx(ratio), who
        assert people[who].name == f"{who.title()} Fullname"

    b = report.baseline
    assert b is not None
    assert (b.direct_minutes, b.recording_minutes) == (290, 510)
    assert b.ratio == approx(510 / 290)
    assert (b.practitioner_days, b.practitioner_weeks, b.practitioners) == (5, 1.0, 4)
    assert (report.baseline_first, report.baseline_last) == (date(2025, 1, 6), date(2025, 1, 14))
    assert b.logged_minutes == 920
    # Like with like: shares only over direct work, recording and travel (both phases measure).
    assert b.shares == {
        "direct_work": approx(290 / 830),
        "recording": approx(510 / 830),
        "travel": approx(30 / 830),
    }
    assert b.not_measured_in_trial["admin_it"] == 50
    assert b.not_measured_in_trial["meeting_internal"] == 40
    assert "direct_work" not in b.not_measured_in_trial and t.not_measured_in_trial == {}
    assert b.automatic_minutes is None and b.manual_minutes is None
    assert b.spread is not None
    assert (b.spread.practitioners, b.spread.q1, b.spread.median, b.spread.q3) == (
        3,
        approx(1.0),
        approx(1.5),
        approx(1.75),
    )
    assert b.direct_per_practitioner_week == approx(290 / 1.0)
    baseline_rows = {k: p.baseline for k, p in people.items()}
    assert baseline_rows["ann"].ratio == approx(2.0)  # type: ignore[union-attr]
    assert baseline_rows["ann"].practitioner_days == 2  # type: ignore[union-attr]
    assert baseline_rows["cat"].ratio is None  # type: ignore[union-attr]

    change = report.change
    assert change is not None and change.practitioners == 3
    assert change.median_ratio_change == approx(1.0 - 1.5)
    # Of 3 practitioners, a resample's median is ann's (or dan's) change in about 26% of
    # resamples, so the 2.5% and 97.5% points are the smallest and largest change.
    assert change.ci95 == (approx(0.6 - 2.0), approx(1 / 3 - 0.5))
    assert change.median_recording_per_week_change == approx(300 - 600)
    assert change.recording_per_week_ci95 == (approx(112.5 - 750), approx(37.5 - 150))
    assert change.resamples == 10_000

    c = report.calibration
    assert c is not None
    assert (c.practitioner_days, c.practitioners) == (2, 2)
    assert (c.diary_recording_minutes, c.measured_recording_minutes) == (130, 140)
    assert c.measured_per_diary_minute == approx(140 / 130)
    cal = {k: p.calibration for k, p in people.items()}
    assert cal["ann"] is not None and cal["ann"].measured_per_diary_minute == approx(30 / 40)
    assert cal["ben"] is not None and cal["ben"].measured_per_diary_minute == approx(110 / 90)
    assert cal["cat"] is None and cal["dan"] is None


# --- random data for property tests -------------------------------------------------------------

BASE = date(2025, 3, 1)  # a Saturday: offsets 0..30 cross five ISO weeks


@dataclass
class RandomData:
    users: dict[str, User]
    team: Team
    clock: FixedClock
    start: date
    end: date

    def ctx(self, uow_factory, username: str) -> Context:  # type: ignore[no-untyped-def]
        return Context(uow_factory, self.clock, self.users[username])


def random_data(  # type: ignore[no-untyped-def]
    uow_factory,
    contacts,
    sessions,
    manual=(),
    baseline=(),
    diary=(),
    *,
    prefix: str = "",
) -> RandomData:
    """Store rows given as tuples (practitioner letter a/b/c, day offset from BASE, amounts...):
    contacts (who, day, minutes, travel), sessions (who, day, active seconds[, activity]),
    manual (who, day, minutes, kind), baseline (who, day before BASE, category, minutes),
    diary (who, day offset from BASE, category, minutes: the trial-phase diary)."""
    from datetime import timedelta

    with uow_factory() as uow:
        team = uow.teams.add(Team(f"{prefix}Team"))
        users = {
            who: uow.users.add(User(f"{prefix}p{who}", f"{who} x", Role.PRACTITIONER, team.id))
            for who in "abc"
        }
        users["admin"] = uow.users.add(User(f"{prefix}admin", "Admin", Role.ADMIN))
        families = {
            who: uow.families.add(
                Family(f"{prefix}F-{who}", "F", team.id, users[who].id, date(2024, 1, 1))  # type: ignore[arg-type]
            )
            for who in "abc"
        }
        for who, day, minutes, travel in contacts:
            uow.contacts.add(
                Contact(
                    families[who].id,  # type: ignore[arg-type]
                    users[who].id,  # type: ignore[arg-type]
                    BASE + timedelta(days=day),
                    time(9),
                    minutes,
                    ContactKind.PHONE,
                    "note",
                    travel_minutes=travel,
                )
            )
        for row in sessions:
            who, day, seconds = row[:3]
            activity = row[3] if len(row) > 3 else RecordingActivity.SUMMARY
            started = datetime.combine(BASE + timedelta(days=day), time(23, 0))
            uow.recording.add_session(
                RecordingSession(
                    users[who].id,  # type: ignore[arg-type]
                    activity,
                    started,
                    started + timedelta(seconds=seconds),
                    seconds,
                )
            )
        for who, day, minutes, kind in manual:
            uow.recording.add_manual(
                ManualEntry(users[who].id, BASE + timedelta(days=day), minutes, kind)  # type: ignore[arg-type]
            )
        uow.recording.add_baseline(
            [
                BaselineEntry(users[who].id, BASE - timedelta(days=day), category, minutes)  # type: ignore[arg-type]
                for who, day, category, minutes in baseline
            ]
        )
        uow.diary.add(
            DiaryPhase.TRIAL,
            [
                BaselineEntry(users[who].id, BASE + timedelta(days=day), category, minutes)  # type: ignore[arg-type]
                for who, day, category, minutes in diary
            ],
        )
        uow.commit()
    return RandomData(users, team, FixedClock(NOW), BASE, BASE + timedelta(days=30))
