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
  (the sqlite3 module, or psycopg on PostgreSQL; only the day number and the next day are
  spelled per database): each table aggregated to (practitioner, day) into a TEMP table, then per week, per
  practitioner, overall (practitioner-days) and the quartiles of the ratio from it; the same for
  the baseline (with its first and last date); the calibration (trial-phase diary against
  measured recording on the same practitioner-days) in one more query.

The two must agree figure for figure (checked), then the best of ``--repeat`` runs of each is
compared. Each database prints ``report_vs_hand_sql (<database>): <report / hand-written>``;
the last line is ``report_vs_hand_sql: <the highest of those ratios>``.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from bench import dbs
from domain.clock import local_midnight

#: Whole days since 1970-01-01, per database.
DAYS = {
    "sqlite": "CAST(julianday({c}) - 2440587.5 AS INTEGER)",
    "postgresql": "(CAST({c} AS DATE) - DATE '1970-01-01')",
}
#: The day after the date column ``{c}``.
NEXT_DAY = {"sqlite": "date({c}, '+1 day')", "postgresql": "({c} + 1)"}
#: How a temporary table is named when dropped.
TEMP = {"sqlite": "temp", "postgresql": "pg_temp"}

ACTIVITIES = (
    "summary",
    "plan",
    "mapping",
    "contact_log",
    "observation",
    "observation_feedback",
    "review",
)
KINDS = ("legacy_system", "court_statement", "letters_email", "other")
CATEGORIES = (
    "direct_work",
    "recording",
    "admin_it",
    "meeting_multiagency",
    "meeting_internal",
    "supervision_reflection",
    "liaison",
    "travel",
    "training",
)


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
    # Sessions are stored in UTC: the day ends at local midnight, as the report counts it.
    end_at_utc = local_midnight(end + timedelta(days=1)).replace(tzinfo=None)
    if dialect == "sqlite":  # stored as text, compared as text
        end_at: Any = f"{end_at_utc:%Y-%m-%d %H:%M:%S}.000000"
        end_day: Any = end.isoformat()
    else:
        end_at, end_day = end_at_utc, end
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
                SELECT s.user_id, {DAY.format(c="s.started")}, 0, 0,
                       {_pivot("s.activity", ACTIVITIES, "s.active_seconds", "a")},
                       {_zeros(KINDS, "m")}
                FROM recording_sessions s JOIN users u ON u.id = s.user_id
                WHERE u.role = 'practitioner' AND s.started < :end_at
                GROUP BY 1, 2
                UNION ALL
                SELECT m.user_id, {DAY.format(c="m.on_date")}, 0, 0, {_zeros(ACTIVITIES, "a")},
                       {_pivot("m.kind", KINDS, "m.minutes", "m")}
                FROM manual_recording_entries m JOIN users u ON u.id = m.user_id
                WHERE u.role = 'practitioner' AND m.on_date <= :end
                GROUP BY 1, 2
            ) parts GROUP BY uid, dn
            """,
            {"end": end_day, "end_at": end_at},
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
                         AND s.started >= d.day AND s.started < {NEXT_DAY[dialect].format(c="d.day")}
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
    assert t.direct_minutes == o[0] and t.travel_minutes == o[1], "overall time with families"
    assert dict(t.automatic_seconds) == dict(zip(ACTIVITIES, o[2:9], strict=True)), "automatic"
    assert dict(t.manual_minutes_by_kind) == dict(zip(KINDS, o[9:13], strict=True)), "manual"
    assert (t.practitioner_days, t.practitioners) == (o[13], o[14]), "practitioner-days"
    assert t.practitioner_weeks == o[13] / 5, "practitioner-weeks"
    weeks = {w.week_start: w.figures for w in report.by_week}
    assert len(weeks) == len(hand["weeks"]), "number of weeks"
    epoch = date(1970, 1, 5)
    for row in hand["weeks"]:
        figures = weeks[epoch + timedelta(weeks=row[0])]
        assert figures is not None and figures.direct_minutes == row[1], f"week {row[0]}"
        assert figures.practitioner_days == row[14], f"week {row[0]} practitioner-days"
        assert figures.practitioners == row[15], f"week {row[0]} practitioners"
    hand_ratios = sorted(
        (sum(r[3:10]) + 60 * sum(r[10:14])) / (60 * r[1]) for r in hand["practitioners"] if r[1]
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
    """Print the database's plan of the report's trial and baseline statements."""
    from domain.reports import BurdenQuery
    from storage.reports import baseline_sql, query_params, trial_sql

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
            ("trial", trial_sql(dialect, query)),
            ("baseline", baseline_sql(dialect, query)),
        ):
            print(f"-- {explain}({name})")
            for row in conn.execute(explain + sql, params).fetchall():
                print("   ", row[-1])
    finally:
        conn.close()


def measure(db: str, repeat: int, plan: bool) -> float:
    """Report and hand-written SQL on ``db``, interleaved; the figures checked; the ratio."""
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
    run_report(), run_hand()  # warm the cache for both
    # Interleaved, best of each: a busy machine slows both alike.
    report_s = hand_s = float("inf")
    for _ in range(repeat):
        seconds, report = timed(run_report)
        report_s = min(report_s, seconds)
        seconds, hand = timed(run_hand)
        hand_s = min(hand_s, seconds)
    runtime.engine.dispose()
    check_same(report, hand)
    print(
        "figures: identical (every total, practitioner-day, week, practitioner ratio, quartile, "
        "baseline date and calibration checked)"
    )
    print(f"report (service + SQLAlchemy): {report_s:.3f} s (best of {repeat})")
    print(
        f"hand-written SQL ({dbs.driver_name(db)}):{' ' * (12 - len(dbs.driver_name(db)))}"
        f"{hand_s:.3f} s (best of {repeat})"
    )
    print(f"report_vs_hand_sql ({name}): {report_s / hand_s:.2f}")
    return report_s / hand_s


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
    ratios = [measure(db, args.repeat, args.plan) for db in args.db or ["bench/out/large.db"]]
    print(f"report_vs_hand_sql: {max(ratios):.2f}")


if __name__ == "__main__":
    main()
