"""The burden report reads per-practitioner, per-day rollups (storage/rollups.py) kept by database
triggers; these tests hold them to the raw rows, on SQLite and PostgreSQL:

- a property test makes random writes, corrections and deletions (through the repositories, a
  bulk import, a plain SQL delete, and a transaction that is rolled back as a crash would) and
  checks the report from the rollups equals the aggregate over the raw rows figure for figure,
  and that a rebuild from the raw rows finds nothing to change;
- a recording session counts on the local day it started, at both 2026 clock changes (injected
  clock), and the migration fills ``local_day`` and the rollups for rows stored before it;
- ``tandem db rebuild-rollups`` reports a difference (exit 1) and repairs it.
"""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from domain.clock import FixedClock
from domain.diary import DiaryPhase
from domain.reports import BurdenQuery
from domain.services.context import Context
from domain.services.recording import save_session_progress, start_session
from domain.services.reports import burden_report
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
from storage.rollups import TRIGGERS, missing_triggers, rebuild
from tests.fakes import fake_uow_factory
from tests.report_fixtures import random_data

BASE = date(2026, 3, 23)  # the spring clock change (29 March) falls in the range


def _assert_rollups_equal_raw(uow_factory, team_id: int) -> None:  # type: ignore[no-untyped-def]
    queries = [
        BurdenQuery(end=BASE + timedelta(days=40)),
        BurdenQuery(end=BASE + timedelta(days=9), start=BASE + timedelta(days=3)),
        BurdenQuery(end=BASE + timedelta(days=40), team_id=team_id),
        # Partial first week (Tuesday on), then whole weeks to a Sunday.
        BurdenQuery(end=BASE + timedelta(days=20), start=BASE + timedelta(days=1)),
    ]
    with uow_factory() as uow:
        reports = uow.reports
        for query in queries:
            assert reports.trial(query) == reports.raw_trial(query), query
            assert reports.baseline(query) == reports.raw_baseline(query), query
            assert reports.calibration(query) == reports.raw_calibration(query), query
    check = rebuild(uow_factory.engine, check_only=True)
    assert check.differing_days == 0, check.differences


def test_every_rollup_trigger_is_in_place(engine) -> None:  # type: ignore[no-untyped-def]
    """A later migration that rebuilds one of the raw tables (SQLite batch mode) would drop its
    triggers with it: this fails if that happened."""
    with engine.connect() as connection:
        assert missing_triggers(connection) == []
    assert len(TRIGGERS) == 15


_runs = itertools.count()
who = st.sampled_from("abc")
day = st.integers(0, 12)
operation = st.one_of(
    st.tuples(st.just("contact"), who, day, st.integers(1, 600), st.integers(0, 90)),
    st.tuples(st.just("correct_contact"), st.integers(0, 99), day, st.integers(1, 600)),
    st.tuples(st.just("delete_contact"), st.integers(0, 99)),
    st.tuples(
        st.just("session"),
        who,
        day,
        st.integers(0, 23),
        st.integers(0, 3600),
        st.sampled_from(list(RecordingActivity)),
    ),
    st.tuples(st.just("checkpoint"), st.integers(0, 99), st.integers(0, 900)),
    st.tuples(st.just("manual"), who, day, st.integers(1, 240), st.sampled_from(list(ManualKind))),
    st.tuples(
        st.just("correct_manual"),
        st.integers(0, 99),
        day,
        st.integers(1, 240),
        st.sampled_from(list(ManualKind)),
    ),
    st.tuples(st.just("delete_manual"), st.integers(0, 99)),
    st.tuples(st.just("delete_manual_between"), who, st.sampled_from(list(ManualKind)), day),
    st.tuples(
        st.just("diary"),
        st.sampled_from(list(DiaryPhase)),
        who,
        day,
        st.sampled_from([TimeCategory.RECORDING, TimeCategory.DIRECT_WORK, TimeCategory.TRAVEL]),
        st.integers(0, 480),
    ),
    st.tuples(st.just("delete_diary"), st.sampled_from(list(DiaryPhase)), who, day),
    st.tuples(st.just("crash"), who, day, st.integers(1, 600)),
)


def _apply(uow, data, families, op) -> None:  # type: ignore[no-untyped-def]
    """One write, in its own unit of work (committed unless it is a 'crash')."""
    users = data.users
    kind, *args = op

    def pick(ids: list[int], n: int) -> int | None:
        return ids[n % len(ids)] if ids else None

    session = uow.session
    if kind == "contact":
        w, d, minutes, travel = args
        uow.contacts.add(
            Contact(
                families[w].id,
                users[w].id,
                BASE + timedelta(days=d),
                time(9),
                minutes,
                ContactKind.PHONE,
                "note",
                travel_minutes=travel,
            )
        )
    elif kind in ("correct_contact", "delete_contact"):
        ids = sorted(session.execute(text("SELECT id FROM contacts")).scalars())
        target = pick(ids, args[0])
        if target is None:
            return
        if kind == "delete_contact":  # not a feature of the app: any path is caught
            session.execute(text("DELETE FROM contacts WHERE id = :id"), {"id": target})
        else:
            from dataclasses import replace

            stored = uow.contacts.get(target)
            uow.contacts.update(replace(stored, on=BASE + timedelta(days=args[1]), minutes=args[2]))
    elif kind == "session":
        w, d, hour, seconds, activity = args
        # Hours 0..23 UTC: around midnight the local day differs from the UTC day (BST).
        started = datetime.combine(BASE + timedelta(days=d), time(hour), tzinfo=UTC)
        uow.recording.add_session(
            RecordingSession(
                users[w].id, activity, started, started + timedelta(seconds=seconds), seconds
            )
        )
    elif kind == "checkpoint":
        ids = sorted(session.execute(text("SELECT id FROM recording_sessions")).scalars())
        target = pick(ids, args[0])
        if target is None:
            return
        from dataclasses import replace

        stored = uow.recording.get_session(target)
        more = stored.active_seconds + args[1]
        uow.recording.update_session(
            replace(stored, active_seconds=more, ended=stored.started + timedelta(seconds=more))
        )
    elif kind == "manual":
        w, d, minutes, manual_kind = args
        uow.recording.add_manual(
            ManualEntry(users[w].id, BASE + timedelta(days=d), minutes, manual_kind)
        )
    elif kind in ("correct_manual", "delete_manual"):
        ids = [e.id for e in uow.recording.manual_entries()]
        target = pick(sorted(ids), args[0])
        if target is None:
            return
        if kind == "delete_manual":
            uow.recording.delete_manual(target)
        else:
            from dataclasses import replace

            stored = uow.recording.get_manual(target)
            uow.recording.update_manual(
                replace(stored, on=BASE + timedelta(days=args[1]), minutes=args[2], kind=args[3])
            )
    elif kind == "delete_manual_between":
        w, manual_kind, d = args
        uow.recording.delete_manual_between(
            users[w].id, manual_kind.value, BASE, BASE + timedelta(days=d)
        )
    elif kind == "diary":
        phase, w, d, category, minutes = args
        entry = BaselineEntry(users[w].id, BASE + timedelta(days=d), category, minutes)
        if phase is DiaryPhase.BASELINE:
            uow.recording.add_baseline([entry, entry])  # the bulk import's path
        else:
            uow.diary.add(phase, [entry])
    elif kind == "delete_diary":
        phase, w, d = args
        uow.diary.delete(phase, users[w].id, BASE + timedelta(days=d), BASE + timedelta(days=d))
    elif kind == "crash":
        w, d, minutes = args
        uow.recording.add_manual(
            ManualEntry(users[w].id, BASE + timedelta(days=d), minutes, ManualKind.OTHER)
        )
        session.flush()
        return  # never committed: the unit of work rolls it back, rollup change and all
    uow.commit()


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=st.lists(operation, min_size=1, max_size=14))
def test_the_report_from_rollups_equals_the_raw_rows_after_any_writes(
    uow_factory, operations
) -> None:  # type: ignore[no-untyped-def]
    prefix = f"r{next(_runs)}-"
    data = random_data(uow_factory, [], [], prefix=prefix)
    with uow_factory() as uow:
        families = {w: uow.families.by_reference(f"{prefix}F-{w}") for w in "abc"}
    for op in operations:
        with uow_factory() as uow:
            _apply(uow, data, families, op)
    _assert_rollups_equal_raw(uow_factory, data.team.id)  # type: ignore[arg-type]


# --- the local day ----------------------------------------------------------------------------

#: Instants (UTC) around both 2026 clock changes, with the local (London) day each starts on.
CLOCK_CHANGE_SESSIONS = [
    (datetime(2026, 3, 28, 23, 30, tzinfo=UTC), date(2026, 3, 28)),  # 23:30 GMT
    (datetime(2026, 3, 29, 0, 30, tzinfo=UTC), date(2026, 3, 29)),  # 00:30 GMT, before the change
    (datetime(2026, 3, 29, 23, 30, tzinfo=UTC), date(2026, 3, 30)),  # 00:30 BST: the next day
    (datetime(2026, 10, 24, 23, 30, tzinfo=UTC), date(2026, 10, 25)),  # 00:30 BST
    (datetime(2026, 10, 25, 0, 30, tzinfo=UTC), date(2026, 10, 25)),  # 01:30 BST (first)
    (datetime(2026, 10, 25, 1, 30, tzinfo=UTC), date(2026, 10, 25)),  # 01:30 GMT (repeated)
    (datetime(2026, 10, 25, 23, 30, tzinfo=UTC), date(2026, 10, 25)),  # 23:30 GMT
]


def _record_at_clock_changes(uow_factory):  # type: ignore[no-untyped-def]
    data = random_data(uow_factory, [], [])
    for n, (instant, _day) in enumerate(CLOCK_CHANGE_SESSIONS):
        clock = FixedClock(instant)
        ctx = Context(uow_factory, clock, data.users["a"])
        session = start_session(ctx, None, RecordingActivity.SUMMARY)
        save_session_progress(ctx, session.id, 60 * (n + 1), 60 * (n + 1), final=True)  # type: ignore[arg-type]
    return data


def _seconds_by_day(uow_factory, data) -> dict[date, int]:  # type: ignore[no-untyped-def]
    admin = Context(uow_factory, FixedClock(datetime(2026, 12, 1, tzinfo=UTC)), data.users["admin"])
    out = {}
    for d in sorted({d for _, d in CLOCK_CHANGE_SESSIONS} | {date(2026, 10, 24)}):
        report = burden_report(admin, start=d, end=d, team=data.team.name, identify=True)
        out[d] = report.trial.recording_seconds
    return out


def _expected_by_day() -> dict[date, int]:
    out = {date(2026, 10, 24): 0}
    for n, (_instant, d) in enumerate(CLOCK_CHANGE_SESSIONS):
        out[d] = out.get(d, 0) + 60 * (n + 1)
    return out


def test_a_session_counts_on_the_local_day_it_started_at_both_clock_changes(uow_factory) -> None:  # type: ignore[no-untyped-def]
    data = _record_at_clock_changes(uow_factory)
    assert _seconds_by_day(uow_factory, data) == _expected_by_day()
    fake = fake_uow_factory()
    fake_data = _record_at_clock_changes(fake)
    assert _seconds_by_day(fake, fake_data) == _expected_by_day()
    _assert_rollups_equal_raw(uow_factory, data.team.id)  # type: ignore[arg-type]


def test_the_migration_fills_local_days_and_rollups_for_stored_rows(engine, uow_factory) -> None:  # type: ignore[no-untyped-def]
    from storage.migrate import downgrade, upgrade_to_head

    data = _record_at_clock_changes(uow_factory)
    downgrade(engine, "0011")
    upgrade_to_head(engine)
    with engine.connect() as connection:
        days = connection.execute(
            text("SELECT local_day FROM recording_sessions ORDER BY id")
        ).scalars()
        assert [d if isinstance(d, date) else date.fromisoformat(d) for d in days] == [
            d for _, d in CLOCK_CHANGE_SESSIONS
        ]
        assert missing_triggers(connection) == []
    assert _seconds_by_day(uow_factory, data) == _expected_by_day()
    _assert_rollups_equal_raw(uow_factory, data.team.id)  # type: ignore[arg-type]


# --- tandem db rebuild-rollups ------------------------------------------------------------------


def test_rebuild_rollups_reports_a_difference_and_repairs_it(sqlite_url, capsys) -> None:  # type: ignore[no-untyped-def]
    from storage.engine import make_engine
    from storage.migrate import upgrade_to_head
    from storage.uow import sql_uow_factory
    from tui.cli import main

    engine = make_engine(sqlite_url)
    upgrade_to_head(engine)
    factory = sql_uow_factory(engine)
    random_data(factory, [("a", 1, 30, 0)], [("b", 2, 600)], [("a", 1, 15, ManualKind.OTHER)])
    assert main(["--db", sqlite_url, "db", "rebuild-rollups"]) == 0
    out = capsys.readouterr().out
    assert "agree" in out and "2 trial practitioner-days" in out
    with engine.begin() as connection:  # what no trigger would do: change a rollup behind it
        connection.execute(
            text("UPDATE rollup_trial_days SET direct_minutes = 99 WHERE direct_minutes = 30")
        )
    assert main(["--db", sqlite_url, "db", "rebuild-rollups", "--check"]) == 1
    out = capsys.readouterr().out
    assert "1 rollup row differed" in out and "direct_minutes 99 -> 30" in out
    assert "not changed" in out
    assert main(["--db", sqlite_url, "db", "rebuild-rollups"]) == 1
    assert "rebuilt" in capsys.readouterr().out
    assert main(["--db", sqlite_url, "db", "rebuild-rollups"]) == 0
    engine.dispose()


@pytest.mark.parametrize("missing", [False, True])
def test_rebuild_finds_every_day_when_a_trigger_is_missing(engine, uow_factory, missing) -> None:  # type: ignore[no-untyped-def]
    data = random_data(uow_factory, [("a", 1, 30, 0), ("b", 3, 40, 5)], [])
    if missing:
        with engine.begin() as connection:
            name = "rollup_contacts_insert"
            on = " ON contacts" if connection.dialect.name == "postgresql" else ""
            connection.execute(text(f"DROP TRIGGER {name}{on}"))
    with uow_factory() as uow:
        family = uow.families.by_reference("F-c")
        user = data.users["c"]
        uow.contacts.add(
            Contact(family.id, user.id, BASE, time(10), 45, ContactKind.PHONE, "n")  # type: ignore[arg-type, union-attr]
        )
        uow.commit()
    check = rebuild(uow_factory.engine)
    assert check.differing_days == (2 if missing else 0)  # the day and its week
    assert rebuild(uow_factory.engine, check_only=True).differing_days == 0
