"""The recording-burden report over a large database, against the same figures in hand-written SQL.

    uv run python -m bench.generate --db bench/out/large.db     # once (a few minutes)
    uv run python -m bench.report --db bench/out/large.db        # [--repeat 3] [--plan]
    # PostgreSQL, or both in one run (each --db in turn):
    uv run python -m bench.report --db bench/out/large.db --db postgresql://…/tandem_bench

Side by side in one run, on the same database and the same warm cache:

- **report**: ``domain.services.reports.burden_report`` as the command line runs it (system
  context, everyone, whole trial, pseudonymised): access checks, the REPORT audit event, the SQL
  of storage/reports.py through SQLAlchemy, pseudonyms, suppression, the report dataclasses.
- **hand-written SQL**: the same figures written directly in SQL and run through the plain driver
  (the sqlite3 module, or psycopg on PostgreSQL; only the day number and a date moved by days are
  spelled per database): each table aggregated to (practitioner, day) into a TEMP table, then per week, per
  practitioner, overall (practitioner-days) and the quartiles of the ratio from it; the same for
  the baseline (with its first and last date); the calibration (trial-phase diary against
  measured recording on the same practitioner-days) in one more query.

The report reads the per-practitioner, per-day rollups (storage/rollups.py); the hand-written SQL
reads every raw row, as the report did before. The two must agree figure for figure (checked),
then the best of ``--repeat`` runs of each is compared, with a team's last 12 weeks timed beside
them. Each database prints ``report_vs_hand_sql (<database>): <report / hand-written>`` and
``report_speedup_vs_raw_sql (<database>): <hand-written / report>``; the last two lines are
``report_vs_hand_sql: <the highest ratio>`` and, last, ``report_speedup_vs_raw_sql: <the lowest
speedup>``.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from bench import dbs
from domain.timeuse import ManualKind, RecordingActivity, TimeCategory

#: Whole days since 1970-01-01, per database.
DAYS = {
    "sqlite": "CAST(julianday({c}) - 2440587.5 AS INTEGER)",
    "postgresql": "(CAST({c} AS DATE) - DATE '1970-01-01')",
}
#: The date column ``{c}`` moved by ``{n}`` days (a signed integer).
SHIFT_DAYS = {"sqlite": "date({c}, '{n:+d} day')", "postgresql": "({c} + {n})"}
#: How a temporary table is named when dropped.
TEMP = {"sqlite": "temp", "postgresql": "pg_temp"}

#: The pivots' values come from the domain's own lists, so a new activity, kind or category is
#: never left out of the hand-written aggregate the report is checked against.
ACTIVITIES = tuple(a.value for a in RecordingActivity)
KINDS = tuple(k.value for k in ManualKind)
CATEGORIES = tuple(c.value for c in TimeCategory)


def _pivot(column: str, values: tuple[str, ...], amount: str, prefix: str) -> str:
    return ", ".join(
        f"SUM(CASE WHEN {column} = '{v}' THEN {amount} ELSE 0 END) AS {prefix}_{v}" for v in values
    )


def _zeros(values: tuple[str, ...], prefix: str) -> str:
    return ", ".join(f"0 AS {prefix}_{v}" for v in values)


class _Conn:
    """A plain driver connection that runs SQL written with ``:name`` parameters; every sum
    comes back as a Python int (PostgreSQL returns SUM of a bigint as numeric)."""

    def __init__(self, db: str) -> None:
        self.db = db
        self.conn = dbs.connect(db)

    def execute(self, sql: str, params: dict[str, Any] | None = None) -> _Rows:
        cur = self.conn.cursor()
        cur.execute(dbs.portable(sql, self.db), params or {})
        return _Rows(cur)

    def close(self) -> None:
        self.conn.rollback()
        self.conn.close()


class _Rows:
    def __init__(self, cur: Any) -> None:
        self.cur = cur

    @staticmethod
    def _row(row: tuple[Any, ...]) -> tuple[Any, ...]:
        return tuple(int(v) if isinstance(v, Decimal) else v for v in row)

    def fetchone(self) -> tuple[Any, ...]:
        return self._row(self.cur.fetchone())

    def fetchall(self) -> list[tuple[Any, ...]]:
        return [self._row(r) for r in self.cur.fetchall()]


def hand_written(db: str, end: date) -> dict[str, Any]:
    """Every trial and baseline figure of the report, in plain SQL for ``db``'s database."""
    dialect = dbs.dialect(db)
    DAY, temp = DAYS[dialect], TEMP[dialect]
    conn = _Conn(db)
    # Sessions count on their local start day (recording_sessions.local_day), as the report does.
    end_day: Any = end.isoformat() if dialect == "sqlite" else end
    auto_cols = ", ".join(f"SUM(a_{a}) AS a_{a}" for a in ACTIVITIES)
    man_cols = ", ".join(f"SUM(m_{k}) AS m_{k}" for k in KINDS)
    try:
        conn.execute(f"DROP TABLE IF EXISTS {temp}.pw")
        conn.execute(
            f"""
            CREATE TEMP TABLE pw AS
            SELECT uid, dn, (dn - 4) / 7 AS wk, SUM(direct) AS direct, SUM(travel) AS travel, {auto_cols}, {man_cols}
            FROM (
                SELECT c.practitioner_id AS uid, {DAY.format(c="c.on_date")} AS dn,
                       SUM(c.minutes) AS direct, SUM(c.travel_minutes) AS travel,
                       {_zeros(ACTIVITIES, "a")}, {_zeros(KINDS, "m")}
                FROM contacts c JOIN users u ON u.id = c.practitioner_id
                WHERE u.role = 'practitioner' AND c.on_date <= :end
                GROUP BY 1, 2
                UNION ALL
                SELECT s.user_id, {DAY.format(c="s.local_day")}, 0, 0,
                       {_pivot("s.activity", ACTIVITIES, "s.active_seconds", "a")},
                       {_zeros(KINDS, "m")}
                FROM recording_sessions s JOIN users u ON u.id = s.user_id
                WHERE u.role = 'practitioner' AND s.local_day <= :end
                GROUP BY 1, 2
                UNION ALL
                SELECT m.user_id, {DAY.format(c="m.on_date")}, 0, 0, {_zeros(ACTIVITIES, "a")},
                       {_pivot("m.kind", KINDS, "m.minutes", "m")}
                FROM manual_recording_entries m JOIN users u ON u.id = m.user_id
                WHERE u.role = 'practitioner' AND m.on_date <= :end
                GROUP BY 1, 2
            ) parts GROUP BY uid, dn
            """,
            {"end": end_day},
        )
        sums = ", ".join(
            ["SUM(direct)", "SUM(travel)"]
            + [f"SUM(a_{a})" for a in ACTIVITIES]
            + [f"SUM(m_{k})" for k in KINDS]
        )
        rec = " + ".join([f"a_{a}" for a in ACTIVITIES] + [f"60 * m_{k}" for k in KINDS])
        out: dict[str, Any] = {
            "overall": conn.execute(
                f"SELECT {sums}, COUNT(*), COUNT(DISTINCT uid) FROM pw"
            ).fetchone(),
            "weeks": conn.execute(
                f"SELECT wk, {sums}, COUNT(*), COUNT(DISTINCT uid) FROM pw GROUP BY wk ORDER BY wk"
            ).fetchall(),
            "practitioners": conn.execute(
                f"SELECT uid, {sums}, COUNT(*) FROM pw GROUP BY uid ORDER BY uid"
            ).fetchall(),
            "spread": _quartiles(
                conn,
                f"SELECT CAST(SUM({rec}) AS DOUBLE PRECISION) "
                "/ CAST(60 * SUM(direct) AS DOUBLE PRECISION) AS r FROM pw "
                "GROUP BY uid HAVING SUM(direct) > 0",
            ),
        }
        conn.execute(f"DROP TABLE {temp}.pw")
        conn.execute(
            f"""
            CREATE TEMP TABLE bw AS
            SELECT b.user_id AS uid, {DAY.format(c="b.on_date")} AS dn,
                   {_pivot("b.category", CATEGORIES, "b.minutes", "c")}
            FROM baseline_entries b JOIN users u ON u.id = b.user_id
            WHERE u.role = 'practitioner'
            GROUP BY 1, 2
            """
        )
        bsums = ", ".join(f"SUM(c_{c})" for c in CATEGORIES)
        out["baseline"] = conn.execute(
            f"SELECT {bsums}, COUNT(*), COUNT(DISTINCT uid), MIN(dn), MAX(dn) FROM bw"
        ).fetchone()
        out["baseline_practitioners"] = conn.execute(
            f"SELECT uid, {bsums}, COUNT(*) FROM bw GROUP BY uid ORDER BY uid"
        ).fetchall()
        out["baseline_spread"] = _quartiles(
            conn,
            "SELECT CAST(SUM(c_recording) AS DOUBLE PRECISION) "
            "/ CAST(SUM(c_direct_work) AS DOUBLE PRECISION) AS r FROM bw "
            "GROUP BY uid HAVING SUM(c_direct_work) > 0",
        )
        conn.execute(f"DROP TABLE {temp}.bw")
        out["calibration"] = conn.execute(
            f"""
            WITH d AS (
                SELECT t.user_id AS uid, t.on_date AS day,
                       SUM(CASE WHEN t.category = 'recording' THEN t.minutes ELSE 0 END) AS diary
                FROM trial_diary_entries t JOIN users u ON u.id = t.user_id
                WHERE u.role = 'practitioner' AND t.on_date <= :end
                GROUP BY 1, 2
            ),
            r AS (
                SELECT uid, day, SUM(sec) AS measured FROM (
                    SELECT d.uid, d.day, s.active_seconds AS sec
                    FROM d JOIN recording_sessions s ON s.user_id = d.uid
                         AND s.started >= {SHIFT_DAYS[dialect].format(c="d.day", n=-1)}
                         AND s.started < {SHIFT_DAYS[dialect].format(c="d.day", n=2)}
                         AND s.local_day = d.day
                    UNION ALL
                    SELECT d.uid, d.day, 60 * m.minutes
                    FROM d JOIN manual_recording_entries m
                         ON m.user_id = d.uid AND m.on_date = d.day
                ) parts GROUP BY uid, day
            )
            SELECT COUNT(*), SUM(d.diary), SUM(r.measured), COUNT(DISTINCT d.uid)
            FROM d JOIN r ON r.uid = d.uid AND r.day = d.day
            WHERE r.measured > 0
            """,
            {"end": end_day},
        ).fetchone()
        return out
    finally:
        conn.close()


def _quartiles(conn: _Conn, ratios: str) -> list[tuple[int, float]]:
    return conn.execute(
        f"""
        WITH ranked AS (
            SELECT r, ROW_NUMBER() OVER (ORDER BY r) - 1 AS i, COUNT(*) OVER () AS n
            FROM ({ratios}) ratios
        )
        SELECT MAX(n), MAX(CASE WHEN i = (k * (n - 1)) / 4 THEN r END)
                  + (MAX(CASE WHEN i = (k * (n - 1) + 3) / 4 THEN r END)
                     - MAX(CASE WHEN i = (k * (n - 1)) / 4 THEN r END))
                    * ((k * (MAX(n) - 1)) % 4) / 4.0
        FROM ranked CROSS JOIN (SELECT 1 AS k UNION ALL SELECT 2 UNION ALL SELECT 3) q
        GROUP BY k ORDER BY k
        """
    ).fetchall()


def check_same(report: Any, hand: dict[str, Any]) -> None:
    """The report's figures equal the hand-written SQL's (raises AssertionError otherwise)."""
    t = report.trial
    o = hand["overall"]
    # The rows' layout: direct, travel, one column per activity, one per manual kind, then the
    # counts (so a new activity or kind moves the counts along).
    a_end = 2 + len(ACTIVITIES)
    m_end = a_end + len(KINDS)
    assert t.direct_minutes == o[0] and t.travel_minutes == o[1], "overall time with families"
    assert dict(t.automatic_seconds) == dict(zip(ACTIVITIES, o[2:a_end], strict=True)), "automatic"
    assert dict(t.manual_minutes_by_kind) == dict(zip(KINDS, o[a_end:m_end], strict=True)), "manual"
    assert (t.practitioner_days, t.practitioners) == (o[m_end], o[m_end + 1]), "practitioner-days"
    assert t.practitioner_weeks == o[m_end] / 5, "practitioner-weeks"
    weeks = {w.week_start: w.figures for w in report.by_week}
    assert len(weeks) == len(hand["weeks"]), "number of weeks"
    epoch = date(1970, 1, 5)
    for row in hand["weeks"]:
        figures = weeks[epoch + timedelta(weeks=row[0])]
        assert figures is not None and figures.direct_minutes == row[1], f"week {row[0]}"
        assert figures.practitioner_days == row[m_end + 1], f"week {row[0]} practitioner-days"
        assert figures.practitioners == row[m_end + 2], f"week {row[0]} practitioners"
    hand_ratios = sorted(
        (sum(r[3 : a_end + 1]) + 60 * sum(r[a_end + 1 : m_end + 1])) / (60 * r[1])
        for r in hand["practitioners"]
        if r[1]
    )
    mine = sorted(p.trial.ratio for p in report.by_practitioner if p.trial and p.trial.ratio)
    assert mine == hand_ratios, "per-practitioner ratios"
    spread = report.trial.spread
    assert [
        (spread.practitioners, spread.q1),
        (spread.practitioners, spread.median),
        (spread.practitioners, spread.q3),
    ] == hand["spread"], "spread"
    b = report.baseline
    assert [b.seconds_by_category[c] // 60 for c in CATEGORIES] == list(hand["baseline"][:9])
    assert (b.practitioner_days, b.practitioners) == tuple(hand["baseline"][9:11])
    epoch_day = date(1970, 1, 1)
    assert (report.baseline_first, report.baseline_last) == (
        epoch_day + timedelta(days=hand["baseline"][11]),
        epoch_day + timedelta(days=hand["baseline"][12]),
    ), "baseline dates"
    c = report.calibration
    days, diary, measured, people = hand["calibration"]
    if not days:
        assert c is None, "calibration"
    else:
        assert c is not None, "calibration"
        assert (c.practitioner_days, c.diary_recording_minutes) == (days, diary), "calibration"
        assert (c.measured_recording_seconds, c.practitioners) == (measured, people)
    bs = b.spread
    assert [
        (bs.practitioners, bs.q1),
        (bs.practitioners, bs.median),
        (bs.practitioners, bs.q3),
    ] == hand["baseline_spread"], "baseline spread"


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    began = time.perf_counter()
    result = fn()
    return time.perf_counter() - began, result


def _plan(db: str, end: date) -> None:
    """Print the database's plan of the report's statements (they read the rollups)."""
    from domain.reports import BurdenQuery
    from storage.reports import (
        query_params,
        rollup_baseline_sql,
        rollup_calibration_sql,
        rollup_trial_sql,
    )

    dialect = dbs.dialect(db)
    query = BurdenQuery(end=end)
    params = {
        k: (v.replace(tzinfo=None) if hasattr(v, "tzinfo") else v)
        for k, v in query_params(query).items()
    }
    if dialect == "sqlite":
        params = {k: str(v) for k, v in params.items()}
    explain = "EXPLAIN QUERY PLAN " if dialect == "sqlite" else "EXPLAIN "
    conn = _Conn(db)
    try:
        for name, sql in (
            ("trial (rollups)", rollup_trial_sql(dialect, query)),
            ("baseline (rollups)", rollup_baseline_sql(dialect, query)),
            ("calibration (rollups)", rollup_calibration_sql(dialect, query)),
        ):
            print(f"-- {explain}({name})")
            for row in conn.execute(explain + sql, params).fetchall():
                print("   ", row[-1])
    finally:
        conn.close()


def measure(db: str, repeat: int, plan: bool, *, first: bool = True) -> tuple[float, float]:
    """Report and hand-written SQL on ``db``, interleaved; the figures checked; the ratio of the
    report's time to the hand-written SQL's and the speedup (its inverse)."""
    from domain.services.reports import burden_report
    from tui.bootstrap import open_runtime

    runtime = open_runtime(db)
    ctx = runtime.system_context()
    end = runtime.clock.today()
    conn = _Conn(db)
    counts = {
        t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
        for t in (
            "contacts",
            "recording_sessions",
            "manual_recording_entries",
            "baseline_entries",
            "trial_diary_entries",
        )
    }
    conn.close()
    if plan:
        _plan(db, end)
    name = dbs.dialect(db)
    print(f"{name}: {dbs.shown(db)}")
    print("rows: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))

    run_report = lambda: burden_report(ctx, end=end)  # noqa: E731
    run_hand = lambda: hand_written(db, end)  # noqa: E731
    # A team over the last 12 weeks: what a manager's click costs.
    with ctx.uow() as uow:
        team_name = sorted(t.name for t in uow.teams.list())[0]
    twelve_weeks = end - timedelta(weeks=12) + timedelta(days=1)
    run_team = lambda: burden_report(  # noqa: E731
        ctx, team=team_name, start=twelve_weeks, end=end, identify=True
    )
    # The first report of a process also counts the bootstrap's draws for its group size.
    first_s, _first = timed(run_report)
    run_report(), run_hand(), run_team()  # warm the cache for all three
    # Interleaved, best of each: a busy machine slows both alike.
    report_s = hand_s = team_s = float("inf")
    for _ in range(repeat):
        seconds, report = timed(run_report)
        report_s = min(report_s, seconds)
        seconds, hand = timed(run_hand)
        hand_s = min(hand_s, seconds)
        seconds, _team_report = timed(run_team)
        team_s = min(team_s, seconds)
    runtime.engine.dispose()
    check_same(report, hand)
    print(
        "figures: identical (every total, practitioner-day, week, practitioner ratio, quartile, "
        "baseline date and calibration checked)"
    )
    driver = dbs.driver_name(db)
    print(f"report from rollups (service + SQLAlchemy): {report_s:.3f} s (best of {repeat})")
    print(
        f"hand-written SQL over the raw rows ({driver}):{' ' * (9 - len(driver))}"
        f"{hand_s:.3f} s (best of {repeat})"
    )
    print(f"one team, last 12 weeks (team {team_name}): {team_s * 1000:.1f} ms")
    if first:
        print(f"first report of the process (draws counted, cold cache): {first_s:.3f} s")
    else:
        print(f"first report on this database (draws counted before): {first_s:.3f} s")
    print(f"report_vs_hand_sql ({name}): {report_s / hand_s:.3f}")
    print(f"report_speedup_vs_raw_sql ({name}): {hand_s / report_s:.1f}")
    return report_s / hand_s, hand_s / report_s


def main() -> None:
    parser = argparse.ArgumentParser(description="Burden report vs hand-written SQL.")
    parser.add_argument(
        "--db",
        action="append",
        help="SQLite file or postgresql:// URL made by bench.generate; repeat it to measure "
        "several databases in one run (default: bench/out/large.db)",
    )
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--plan", action="store_true", help="print the query plans first")
    args = parser.parse_args()
    databases = args.db or ["bench/out/large.db"]
    measured = [measure(db, args.repeat, args.plan, first=i == 0) for i, db in enumerate(databases)]
    print(f"report_vs_hand_sql: {max(ratio for ratio, _ in measured):.3f}")
    print(f"report_speedup_vs_raw_sql: {min(speedup for _, speedup in measured):.1f}")


if __name__ == "__main__":
    main()
