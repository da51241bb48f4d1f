"""The recording-burden report on a real database (SQLite file and PostgreSQL): hand-computed
figures, exact agreement with the Python computation of the fakes for random data, privacy,
audit, and the ``tandem report burden`` / ``tandem import baseline`` commands."""

from __future__ import annotations

import dataclasses
import itertools
import json
import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.audit import AuditAction
from domain.reports import BurdenQuery, pseudonym
from domain.services.reports import GroupTooSmall, burden_report
from domain.timeuse import ManualKind, RecordingActivity, TimeCategory
from tests.fakes import fake_uow_factory
from tests.report_fixtures import (
    END,
    SECRET_WORDS,
    START,
    assert_hand_figures,
    build_hand_data,
    random_data,
)
from tui.report.export import report_csv, report_json


def test_every_figure_matches_the_hand_computed_totals(uow_factory) -> None:  # type: ignore[no-untyped-def]
    data = build_hand_data(uow_factory)
    report = burden_report(data.ctx(uow_factory, "admin"), start=START, end=END, identify=True)
    assert_hand_figures(report)


def test_sql_and_python_give_identical_reports(uow_factory) -> None:  # type: ignore[no-untyped-def]
    fake = fake_uow_factory()
    sql_data, fake_data = build_hand_data(uow_factory), build_hand_data(fake)
    for kwargs in ({}, {"team": "North"}, {"start": START, "end": END}, {"practitioner": "ann"}):
        sql = burden_report(sql_data.ctx(uow_factory, "admin"), identify=True, **kwargs)
        py = burden_report(fake_data.ctx(fake, "admin"), identify=True, **kwargs)
        assert sql == py, kwargs


def test_every_run_is_audited_and_pseudonyms_are_stable(uow_factory, engine) -> None:  # type: ignore[no-untyped-def]
    data = build_hand_data(uow_factory)
    staff = data.ctx(uow_factory, "staff")
    first = burden_report(staff, start=START, end=END)
    second = burden_report(staff, start=START, end=END)
    assert [p.practitioner for p in first.by_practitioner] == [
        p.practitioner for p in second.by_practitioner
    ]
    with uow_factory() as uow:
        secret = uow.reports.pseudonym_secret()
        events = uow.audit.list(user_id=data.users["staff"].id)
    assert [e.action for e in events] == [AuditAction.REPORT, AuditAction.REPORT]
    ann = pseudonym(secret, data.users["ann"].id)
    assert ann in {p.practitioner for p in first.by_practitioner}
    from sqlalchemy import text

    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM pseudonym_keys")).scalar() == 1


def test_project_staff_output_holds_no_names_or_family_text(uow_factory) -> None:  # type: ignore[no-untyped-def]
    data = build_hand_data(uow_factory)
    report = burden_report(data.ctx(uow_factory, "staff"), start=START, end=END)
    text = json.dumps(report_json(report)) + report_csv(report)
    for user in data.users.values():
        assert user.full_name not in text
        assert f'"{user.username}"' not in text
    for word in SECRET_WORDS:
        assert word not in text


def test_the_sums_are_read_without_the_write_lock(uow_factory) -> None:  # type: ignore[no-untyped-def]
    """The sums need no write lock (the service commits its audit event first), so a long
    report never holds up someone's save, nor waits for one."""
    build_hand_data(uow_factory)
    holding, release = threading.Event(), threading.Event()

    def writer() -> None:
        with uow_factory():  # takes the write lock on SQLite
            holding.set()
            release.wait(10)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert holding.wait(10)
        with _reader(uow_factory) as uow:
            trial = uow.reports.trial(BurdenQuery(end=END, start=START))
        assert trial.overall.direct_minutes == 345
    finally:
        release.set()
        thread.join()


def _reader(uow_factory):  # type: ignore[no-untyped-def]
    from storage.uow import sql_uow_factory

    return sql_uow_factory(uow_factory.engine, read_only=True)()


# --- property: random data, both databases ----------------------------------------------------

_examples = itertools.count()
days = st.integers(min_value=0, max_value=30)
who = st.sampled_from("abc")


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    contacts=st.lists(st.tuples(who, days, st.integers(1, 600), st.integers(0, 90)), max_size=10),
    sessions=st.lists(
        st.tuples(who, days, st.integers(0, 3600), st.sampled_from(list(RecordingActivity))),
        max_size=10,
    ),
    manual=st.lists(
        st.tuples(who, days, st.integers(1, 240), st.sampled_from(list(ManualKind))), max_size=5
    ),
    baseline=st.lists(
        st.tuples(
            who, st.integers(1, 60), st.sampled_from(list(TimeCategory)), st.integers(0, 480)
        ),
        max_size=8,
    ),
    diary=st.lists(
        st.tuples(
            who,
            days,
            st.sampled_from([TimeCategory.RECORDING, TimeCategory.DIRECT_WORK]),
            st.integers(0, 480),
        ),
        max_size=6,
        unique_by=lambda row: (row[0], row[1], row[2]),
    ),
    window=st.tuples(st.integers(0, 30), st.integers(0, 30)),
)
def test_report_totals_equal_the_sums_of_the_rows(
    uow_factory, contacts, sessions, manual, baseline, diary, window
) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    prefix = f"t{next(_examples)}-"
    sql = random_data(uow_factory, contacts, sessions, manual, baseline, diary, prefix=prefix)
    fake = fake_uow_factory()
    py = random_data(fake, contacts, sessions, manual, baseline, diary, prefix=prefix)
    lo, hi = sorted(window)
    start, end = sql.start + timedelta(days=lo), sql.start + timedelta(days=hi)
    kwargs = {"start": start, "end": end, "team": sql.team.name, "identify": True}
    report = burden_report(sql.ctx(uow_factory, "admin"), **kwargs)

    def inside(day: int) -> bool:
        return lo <= day <= hi

    t = report.trial
    assert t.direct_minutes == sum(c[2] for c in contacts if inside(c[1]))
    assert t.travel_minutes == sum(c[3] for c in contacts if inside(c[1]))
    assert sum(t.automatic_seconds.values()) == sum(s[2] for s in sessions if inside(s[1]))
    assert t.manual_minutes == sum(m[2] for m in manual if inside(m[1]))
    for activity in RecordingActivity:
        assert t.automatic_seconds[activity.value] == sum(
            s[2] for s in sessions if inside(s[1]) and s[3] is activity
        )
    rows = [(c[0], c[1]) for c in contacts] + [(s[0], s[1]) for s in sessions]
    rows += [(m[0], m[1]) for m in manual]
    active = {(w, d) for w, d in rows if inside(d)}
    assert t.practitioner_days == len(active)  # a practitioner-day: anything logged that day
    assert t.practitioner_weeks == len(active) / 5
    assert t.practitioners == len({w for w, _ in active})
    weeks = [w.figures for w in report.by_week]
    assert sum(f.direct_minutes for f in weeks) == t.direct_minutes  # type: ignore[union-attr]
    assert sum(f.recording_seconds for f in weeks) == t.recording_seconds  # type: ignore[union-attr]
    people = [p.trial for p in report.by_practitioner if p.trial]
    assert sum(p.recording_seconds for p in people) == t.recording_seconds
    b = report.baseline
    assert (b.logged_minutes if b else 0) == sum(r[3] for r in baseline)
    # Trial-phase diary rows never enter the measured figures; they calibrate on shared days.
    measured_days = {(s[0], s[1]) for s in sessions if s[2] > 0 and inside(s[1])}
    measured_days |= {(m[0], m[1]) for m in manual if inside(m[1])}
    paired = {(d[0], d[1]) for d in diary if inside(d[1])} & measured_days
    c = report.calibration
    assert (c.practitioner_days if c else 0) == len(paired)
    assert (c.diary_recording_minutes if c else 0) == sum(
        d[3] for d in diary if (d[0], d[1]) in paired and d[2] is TimeCategory.RECORDING
    )
    # And every figure, quartiles, change and calibration included, is bit-identical to the
    # Python computation, named or pseudonymised (pooling and suppression too).
    assert report == burden_report(py.ctx(fake, "admin"), **kwargs)
    pseudo = kwargs | {"identify": False, "min_group_size": 2}

    def pseudonymised(ctx):  # type: ignore[no-untyped-def]
        """The report less the pseudonyms themselves (user ids differ between the two)."""
        try:
            r = burden_report(ctx, **pseudo)
        except GroupTooSmall as error:
            return str(error)
        rows = sorted(repr(dataclasses.replace(p, practitioner="")) for p in r.by_practitioner)
        return dataclasses.replace(r, by_practitioner=[]), rows

    assert pseudonymised(sql.ctx(uow_factory, "admin")) == pseudonymised(py.ctx(fake, "admin"))


# --- the command line ---------------------------------------------------------------------------


@pytest.fixture
def cli_db(sqlite_url, tmp_path):  # type: ignore[no-untyped-def]
    """A SQLite file with the hand data; the CLI's clock is real, so periods are given."""
    from storage.engine import make_engine
    from storage.migrate import upgrade_to_head
    from storage.uow import sql_uow_factory

    engine = make_engine(sqlite_url)
    upgrade_to_head(engine)
    build_hand_data(sql_uow_factory(engine))
    engine.dispose()
    return str(tmp_path / "tandem.db")


def cli(capsys, *args: str) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    from tui.cli import main

    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_json_has_the_promised_shape(cli_db, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, err = cli(
        capsys,
        "--db",
        cli_db,
        "report",
        "burden",
        "--from",
        "2025-03-03",
        "--to",
        "2025-03-16",
        "--format",
        "json",
    )
    assert code == 0, err
    body = json.loads(out)
    assert body["period"] == {"from": "2025-03-03", "to": "2025-03-16"}
    assert body["trial"]["direct_minutes"] == 345
    assert body["trial"]["recording_minutes"] == 250
    assert body["trial"]["recording_per_direct_minute"] == round(250 / 345, 4)
    assert body["trial"]["practitioner_days"] == 10
    assert body["trial"]["practitioner_weeks"] == 2.0
    assert body["baseline"]["first_day"] == "2025-01-06"
    assert body["baseline"]["last_day"] == "2025-01-14"
    assert body["change"]["practitioners"] == 3 and len(body["change"]["ci95"]) == 2
    assert body["change"]["sentences"][0].startswith(
        "Recording per minute with families fell by 0.50 (0.17 to 1.40), 3 practitioners"
    )
    assert "idle gap" in body["conventions"]["active_time"]
    assert "practitioner-days" in body["conventions"]["exposure"]
    assert body["baseline"]["direct_minutes"] == 290
    assert [w["week_start"] for w in body["by_week"]] == ["2025-03-03", "2025-03-10"]
    assert len(body["by_practitioner"]) == 4
    # An export is pseudonymised unless names are asked for.
    assert all(
        p["practitioner"].startswith("P-") and p["name"] is None for p in body["by_practitioner"]
    )
    assert "ann" not in out and "Ann Fullname" not in out


def test_cli_names_flag_table_and_csv(cli_db, capsys) -> None:  # type: ignore[no-untyped-def]
    base = ("--db", cli_db, "report", "burden", "--from", "2025-03-03", "--to", "2025-03-16")
    code, out, _ = cli(capsys, *base, "--names", "--format", "json", "--team", "North")
    assert code == 0
    assert sorted(p["practitioner"] for p in json.loads(out)["by_practitioner"]) == [
        "ann",
        "ben",
        "cat",
    ]
    code, out, _ = cli(capsys, *base, "--names", "--practitioner", "dan")
    assert code == 0
    assert "Recording burden" in out and "Dan Fullname" in out and "Minutes with families" in out
    code, out, _ = cli(capsys, *base, "--format", "csv")
    assert code == 0
    comments = [line for line in out.splitlines() if line.startswith("#")]
    lines = [line for line in out.splitlines() if not line.startswith("#")]
    assert any("idle gap" in c for c in comments)
    assert any("practitioner-days" in c for c in comments)
    assert out.splitlines()[: len(comments)] == comments  # the conventions come first
    assert lines[0].startswith("series,level,week_start,practitioner")
    assert lines[1].startswith("trial,all,,,,,4,10,2.0,,,345,250.0")
    assert sum(1 for line in lines if line.startswith("trial,week")) == 2


@pytest.mark.parametrize(
    "args, message",
    [
        (("--from", "2025-13-01"), "--from"),
        (("--to", "yesterday-ish"), "--to"),
        (("--team", "Nowhere"), "no team called 'Nowhere'"),
        (("--names", "--practitioner", "zed"), "no user called 'zed'"),
        (("--practitioner", "ann"), "pseudonymised"),
        (("--from", "2025-03-20", "--to", "2025-03-01"), "after the end date"),
        (("--team", "South", "--from", "2025-03-01"), "Fewer than 3 practitioners"),
    ],
)
def test_cli_errors_are_one_clear_line(cli_db, capsys, args, message) -> None:  # type: ignore[no-untyped-def]
    code, out, err = cli(capsys, "--db", cli_db, "report", "burden", *args)
    assert code != 0 and out == ""
    assert message in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_cli_baseline_import_is_all_or_nothing(cli_db, capsys, tmp_path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "practitioner,date,category,minutes\n"
        "ann,2024-12-02,direct_work,60\n"
        "ann,2024-12-02,sleeping,60\n",
        encoding="utf-8",
    )
    code, _, err = cli(capsys, "--db", cli_db, "import", "baseline", str(bad))
    assert code == 1 and "Line 3" in err and "category must be one of" in err
    good = tmp_path / "good.csv"
    good.write_text(
        "practitioner,date,category,minutes\nann,2024-12-02,direct_work,60\n"
        "ann,2024-12-02,recording,90\n",
        encoding="utf-8",
    )
    code, out, err = cli(capsys, "--db", cli_db, "import", "baseline", str(good))
    assert code == 0, err
    assert "Imported 2 baseline rows" in out
    code, out, _ = cli(
        capsys,
        "--db",
        cli_db,
        "report",
        "burden",
        "--names",
        "--practitioner",
        "ann",
        "--from",
        "2025-03-03",
        "--to",
        "2025-03-16",
        "--format",
        "json",
    )
    body = json.loads(out)
    # ann's diary: 150 + 60 direct, 300 + 90 recording (the bad file added nothing).
    assert body["baseline"]["direct_minutes"] == 210
    assert body["baseline"]["recording_minutes"] == 390


def test_diary_import_is_never_doubled_and_replace_works_on_this_database(uow_factory) -> None:  # type: ignore[no-untyped-def]
    from domain.diary import DiaryPhase
    from domain.services.diary import import_diary
    from domain.services.recording import BaselineImportError

    data = build_hand_data(uow_factory)
    admin = data.ctx(uow_factory, "admin")
    text = (
        "practitioner,date,category,minutes\n"
        "cat,2025-03-10,recording,25\n"
        "cat,2025-03-10,direct_work,30\n"
    )
    import_diary(admin, text, DiaryPhase.TRIAL)
    with pytest.raises(BaselineImportError, match="2 of the file's 2 rows.*lines 2, 3"):
        import_diary(admin, text, DiaryPhase.TRIAL)
    report = burden_report(admin, start=START, end=END, identify=True)
    assert report.calibration is not None and report.calibration.practitioners == 3
    assert report.calibration.diary_recording_minutes == 130 + 25
    assert report.trial.direct_minutes == 345  # the trial diary never enters the trial figures
    result = import_diary(
        admin, text.replace("recording,25", "recording,50"), DiaryPhase.TRIAL, replace=True
    )
    assert result.replaced == 2
    again = burden_report(admin, start=START, end=END, identify=True)
    assert again.calibration.diary_recording_minutes == 130 + 50  # type: ignore[union-attr]
    # The same file as a baseline touches the baseline only, once.
    import_diary(admin, text, DiaryPhase.BASELINE)
    with pytest.raises(BaselineImportError, match="already imported"):
        import_diary(admin, text, DiaryPhase.BASELINE)
    fake = fake_uow_factory()
    fake_data = build_hand_data(fake)
    fctx = fake_data.ctx(fake, "admin")
    import_diary(fctx, text.replace("recording,25", "recording,50"), DiaryPhase.TRIAL)
    import_diary(fctx, text, DiaryPhase.BASELINE)
    assert burden_report(admin, identify=True) == burden_report(fctx, identify=True)


def test_cli_diary_import_with_phase_and_replace(cli_db, capsys, tmp_path) -> None:  # type: ignore[no-untyped-def]
    diary = tmp_path / "diary.csv"
    diary.write_text(
        "practitioner,date,category,minutes\ncat,2025-03-10,recording,25\n", encoding="utf-8"
    )
    code, out, err = cli(capsys, "--db", cli_db, "import", "diary", str(diary), "--phase", "trial")
    assert code == 0, err
    assert "Imported 1 trial-phase diary rows" in out
    code, out, err = cli(capsys, "--db", cli_db, "import", "diary", str(diary), "--phase", "trial")
    assert code == 1 and out == "" and "already imported" in err and "line 2" in err
    assert "Traceback" not in err
    code, out, err = cli(
        capsys, "--db", cli_db, "import", "diary", str(diary), "--phase", "trial", "--replace"
    )
    assert code == 0 and "replacing 1 earlier rows" in out
    code, _, err = cli(capsys, "--db", cli_db, "import", "diary", str(diary))
    assert code == 2 and "--phase" in err
    code, out, _ = cli(
        capsys,
        "--db",
        cli_db,
        "report",
        "burden",
        "--names",
        "--from",
        "2025-03-03",
        "--to",
        "2025-03-16",
        "--format",
        "json",
    )
    body = json.loads(out)
    assert body["calibration"]["practitioner_days"] == 3
    assert body["calibration"]["diary_recording_minutes"] == 155
    assert [p["practitioner"] for p in body["calibration"]["by_practitioner"]] == [
        "ann",
        "ben",
        "cat",
    ]
