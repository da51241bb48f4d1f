"""The recording-burden report's sums, added up in SQL (domain.ports.BurdenQueries).

The report reads the per-practitioner rollups (storage/rollups.py: rollup_trial_weeks for the
period's whole weeks, rollup_trial_days for its partial first and last weeks, rollup_diary_days;
kept by triggers in the same transaction as the rows), so its cost follows the practitioner-weeks
in scope, not the number of contacts and sessions. The same figures added up from the raw rows
(``raw_trial`` ...) stay here for the property tests and benchmarks that check the two agree
figure for figure. Every source is dated by its local calendar day: contacts,
manual entries and diary rows by their date, recording sessions by ``local_day`` (the local date
they started on, so a session begun at 00:30 BST counts on that day, not the UTC day before).

Each statement, from the rollups or the raw rows, is ONE statement: its rows are grouped to
(practitioner, day or week) in a materialised ``grid`` (``pw``), and every figure — overall, per ISO
week, per practitioner, practitioner-days, the baseline's first and last date and the quartiles
of the per-practitioner ratio — is rolled up from that grid in the same statement. The same SQL
runs on SQLite and PostgreSQL; only the day number differs in spelling (both count whole days
from 1970-01-01, so both give the same integers; weeks are whole weeks from Monday 1970-01-05). Ratios are divided as
doubles from exact integer sums, so both databases (and Python) get bit-identical results.

The sums are read on a connection of their own, outside the unit of work's transaction (on
SQLite a DEFERRED read, never the write lock), so a long report never holds up anyone's save.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Date, bindparam, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from domain.reports import (
    BaselineAggregates,
    BaselineSums,
    BurdenQuery,
    Calibration,
    CalibrationAggregates,
    Spread,
    TrialAggregates,
    TrialSums,
    week_from_number,
)
from domain.timeuse import ManualKind, RecordingActivity, TimeCategory
from storage.engine import is_read_transaction, read_only_engine
from storage.tables import PseudonymKeyRow, SiteSettingsRow

#: Day number 0 of the SQL's day numbers.
DAY_EPOCH = date(1970, 1, 1)

#: Whole days since 1970-01-01 (julian day 2440587.5), per dialect. Week numbers are counted
#: from that day number: ``(day - 4) / 7`` whole weeks since Monday 1970-01-05.
_DAY = {
    "sqlite": "CAST(julianday({col}) - 2440587.5 AS INTEGER)",
    "postgresql": "(CAST({col} AS DATE) - DATE '1970-01-01')",
}

ACTIVITIES = tuple(a.value for a in RecordingActivity)
MANUAL_KINDS = tuple(k.value for k in ManualKind)
CATEGORIES = tuple(c.value for c in TimeCategory)

#: Quartiles (k = 1, 2, 3) of ``ranked.r`` by linear interpolation between closest ranks.
_QUARTILES = """
ranked AS (
    SELECT r, ROW_NUMBER() OVER (ORDER BY r) - 1 AS i, COUNT(*) OVER () AS n
    FROM (SELECT CAST(rec AS DOUBLE PRECISION) / CAST({per} * direct AS DOUBLE PRECISION) AS r
          FROM pp WHERE direct > 0) ratios
),
quart AS (
    SELECT q.k AS k, MAX(ranked.n) AS n,
           MAX(CASE WHEN ranked.i = (q.k * (ranked.n - 1)) / 4 THEN ranked.r END) AS lo,
           MAX(CASE WHEN ranked.i = (q.k * (ranked.n - 1) + 3) / 4 THEN ranked.r END) AS hi,
           MAX((q.k * (ranked.n - 1)) % 4) AS rem
    FROM ranked CROSS JOIN (SELECT 1 AS k UNION ALL SELECT 2 UNION ALL SELECT 3) q
    GROUP BY q.k
)"""

#: Every statement returns rows of (level, week, user id, practitioners, practitioner-days,
#: first day number, last day number, the grid's amount columns summed..., quartile value).
#: ``grid`` has one row per practitioner-day, so COUNT(*) counts practitioner-days.
_ROLLUP = """
SELECT 'all' AS lvl, CAST(NULL AS INTEGER) AS wk, CAST(NULL AS INTEGER) AS uid,
       COUNT(DISTINCT uid) AS people, COUNT(*) AS pdays, MIN(dn) AS first_dn,
       MAX(dn) AS last_dn, {sums}, CAST(NULL AS DOUBLE PRECISION) AS val
FROM grid
UNION ALL
SELECT 'week', wk, NULL, COUNT(DISTINCT uid), COUNT(*), MIN(dn), MAX(dn), {sums}, NULL
FROM grid GROUP BY wk
UNION ALL
SELECT 'pract', NULL, uid, 1, COUNT(*), MIN(dn), MAX(dn), {sums}, NULL FROM grid GROUP BY uid
UNION ALL
SELECT 'spread', k, NULL, n, NULL, NULL, NULL, {nulls}, lo + (hi - lo) * rem / 4.0 FROM quart"""

_TRIAL = """
WITH c AS (
    SELECT x.practitioner_id AS uid, {day_c} AS dn,
           SUM(x.minutes) AS direct, SUM(x.travel_minutes) AS travel
    FROM contacts x JOIN users u ON u.id = x.practitioner_id
    WHERE {scope} AND x.on_date <= :end_day {c_from}
    GROUP BY 1, 2
),
s AS (
    SELECT x.user_id AS uid, {day_s} AS dn, {pivot_s}
    FROM recording_sessions x JOIN users u ON u.id = x.user_id
    WHERE {scope} AND x.local_day <= :end_day {s_from}
    GROUP BY 1, 2
),
m AS (
    SELECT x.user_id AS uid, {day_m} AS dn, {pivot_m}
    FROM manual_recording_entries x JOIN users u ON u.id = x.user_id
    WHERE {scope} AND x.on_date <= :end_day {m_from}
    GROUP BY 1, 2
),
grid AS MATERIALIZED (
    SELECT uid, dn, (dn - 4) / 7 AS wk, {sums_named}
    FROM (
        SELECT uid, dn, direct, travel, {zero_a}, {zero_m} FROM c
        UNION ALL SELECT uid, dn, 0, 0, {cols_a}, {zero_m} FROM s
        UNION ALL SELECT uid, dn, 0, 0, {zero_a}, {cols_m} FROM m
    ) parts
    GROUP BY uid, dn
),
pp AS (
    SELECT uid, SUM(direct) AS direct, SUM({recording}) AS rec FROM grid GROUP BY uid
),
{quartiles}
{rollup}
"""

_BASELINE = """
WITH b AS (
    SELECT x.user_id AS uid, {day_b} AS dn, {pivot_b}
    FROM baseline_entries x JOIN users u ON u.id = x.user_id
    WHERE {scope}
    GROUP BY 1, 2
),
grid AS MATERIALIZED (
    SELECT uid, dn, (dn - 4) / 7 AS wk, {cols_b} FROM b
),
pp AS (
    SELECT uid, SUM(c_direct_work) AS direct, SUM(c_recording) AS rec FROM grid GROUP BY uid
),
{quartiles}
{rollup}
"""

#: The trial-phase diary against measured recording, on the practitioner-days with both:
#: rows of (level, user id, practitioner-days, diary recording minutes, measured seconds,
#: practitioners). Sessions and manual entries are read only for the diary's days, along their
#: (user, date) indexes.
_CALIBRATION = """
WITH d AS (
    SELECT x.user_id AS uid, {day_d} AS dn, MIN(x.on_date) AS on_day,
           SUM(CASE WHEN x.category = 'recording' THEN x.minutes ELSE 0 END) AS diary
    FROM trial_diary_entries x JOIN users u ON u.id = x.user_id
    WHERE {scope} AND x.on_date <= :end_day {d_from}
    GROUP BY 1, 2
),
r AS (
    SELECT uid, dn, SUM(sec) AS measured
    FROM (
        SELECT d.uid AS uid, d.dn AS dn, x.active_seconds AS sec
        FROM d JOIN recording_sessions x
             ON x.user_id = d.uid AND x.started >= {day_before} AND x.started < {two_days_on}
                AND x.local_day = d.on_day
        UNION ALL
        SELECT d.uid, d.dn, 60 * x.minutes
        FROM d JOIN manual_recording_entries x ON x.user_id = d.uid AND x.on_date = d.on_day
    ) parts
    GROUP BY uid, dn
),
paired AS (
    SELECT d.uid AS uid, d.diary AS diary, r.measured AS measured
    FROM d JOIN r ON r.uid = d.uid AND r.dn = d.dn
    WHERE r.measured > 0
)
SELECT 'all' AS lvl, CAST(NULL AS INTEGER) AS uid, COUNT(*) AS pdays, SUM(diary) AS diary,
       SUM(measured) AS measured, COUNT(DISTINCT uid) AS people
FROM paired
UNION ALL
SELECT 'pract', uid, COUNT(*), SUM(diary), SUM(measured), 1 FROM paired GROUP BY uid
"""

# --- from the rollups (storage/rollups.py): what the report reads --------------------------

#: The same rows out as _TRIAL, from the rollups: whole weeks of the period from
#: rollup_trial_weeks (one row per practitioner-week), the days of its partial first and last
#: weeks from rollup_trial_days; per practitioner from those, overall from per practitioner.
#: (``users u CROSS JOIN``: SQLite then reads each practitioner's few edge days along the
#: primary key instead of scanning every day; PostgreSQL plans it as the inner join it is.)
_TRIAL_ROLLUP = """
WITH pw AS MATERIALIZED (
    SELECT w.user_id AS uid, ({week_day} - 4) / 7 AS wk, w.pdays AS pdays,
           w.direct_minutes AS direct, w.travel_minutes AS travel, {week_cols}
    FROM rollup_trial_weeks w JOIN users u ON u.id = w.user_id
    WHERE {scope} AND w.pdays > 0 AND w.week_start <= :full_to {weeks_from}
    UNION ALL
    SELECT x.user_id, ({day} - 4) / 7, COUNT(*), SUM(x.direct_minutes), SUM(x.travel_minutes),
           {day_sums}
    FROM users u CROSS JOIN rollup_trial_days x
    WHERE x.user_id = u.id AND {scope} AND x.entries > 0 AND x.on_date > :full_to_end AND x.on_date <= :end_day
          {days_from}
    GROUP BY 1, 2
    {first_days}
),
pract AS MATERIALIZED (
    SELECT uid, SUM(pdays) AS pdays, {sums_named} FROM pw GROUP BY uid
),
pp AS (
    SELECT uid, direct, {recording} AS rec FROM pract
),
{quartiles}
SELECT 'all' AS lvl, CAST(NULL AS INTEGER) AS wk, CAST(NULL AS INTEGER) AS uid,
       COUNT(*) AS people, SUM(pdays) AS pdays, CAST(NULL AS INTEGER) AS first_dn,
       CAST(NULL AS INTEGER) AS last_dn, {sums}, CAST(NULL AS DOUBLE PRECISION) AS val
FROM pract
UNION ALL
SELECT 'week', wk, NULL, COUNT(*), SUM(pdays), NULL, NULL, {sums}, NULL FROM pw GROUP BY wk
UNION ALL
SELECT 'pract', NULL, uid, 1, pdays, NULL, NULL, {plain}, NULL FROM pract
UNION ALL
SELECT 'spread', k, NULL, n, NULL, NULL, NULL, {nulls}, lo + (hi - lo) * rem / 4.0 FROM quart
"""

_BASELINE_ROLLUP = """
WITH grid AS MATERIALIZED (
    SELECT x.user_id AS uid, {day} AS dn, ({day} - 4) / 7 AS wk, {cols}
    FROM users u CROSS JOIN rollup_diary_days x
    WHERE x.phase = 'baseline' AND x.user_id = u.id AND x.entries > 0 AND {scope}
),
pp AS (
    SELECT uid, SUM(c_direct_work) AS direct, SUM(c_recording) AS rec FROM grid GROUP BY uid
),
{quartiles}
{rollup}
"""

_CALIBRATION_ROLLUP = """
WITH paired AS (
    SELECT d.user_id AS uid, d.c_recording AS diary, {measured} AS measured
    FROM users u CROSS JOIN rollup_diary_days d
         JOIN rollup_trial_days t ON t.user_id = d.user_id AND t.on_date = d.on_date
    WHERE d.phase = 'trial' AND d.user_id = u.id AND d.entries > 0 AND {scope}
      AND d.on_date <= :end_day {from_}
      AND {measured} > 0
)
SELECT 'all' AS lvl, CAST(NULL AS INTEGER) AS uid, COUNT(*) AS pdays, SUM(diary) AS diary,
       SUM(measured) AS measured, COUNT(DISTINCT uid) AS people
FROM paired
UNION ALL
SELECT 'pract', uid, COUNT(*), SUM(diary), SUM(measured), 1 FROM paired GROUP BY uid
"""


def _recorded(alias: str) -> str:
    """Measured recording seconds of a rollup_trial_days row (automatic + 60 x manual)."""
    auto = [f"{alias}.a_{a}" for a in ACTIVITIES]
    manual = [f"60 * {alias}.m_{k}" for k in MANUAL_KINDS]
    return "(" + " + ".join([*auto, *manual]) + ")"


#: The days of a period's partial first week (before its first whole week), when it has a start.
#: (Disjoint from the last days: those are after the last whole week, and when there is none
#: the first days stop where the last days begin.)
_FIRST_DAYS = """
    UNION ALL
    SELECT x.user_id, ({day} - 4) / 7, COUNT(*), SUM(x.direct_minutes), SUM(x.travel_minutes),
           {day_sums}
    FROM users u CROSS JOIN rollup_trial_days x
    WHERE x.user_id = u.id AND {scope} AND x.entries > 0 AND x.on_date >= :start_day AND x.on_date < :full_from
          AND x.on_date <= :full_to_end
    GROUP BY 1, 2"""


def rollup_trial_sql(dialect: str, query: BurdenQuery) -> str:
    """The trial statement over the rollups (the same rows out as :func:`trial_sql`)."""
    auto = tuple(f"a_{a}" for a in ACTIVITIES)
    manual = tuple(f"m_{k}" for k in MANUAL_KINDS)
    has_from = query.start is not None
    return _TRIAL_ROLLUP.format(
        week_day=_DAY[dialect].format(col="w.week_start"),
        day=_DAY[dialect].format(col="x.on_date"),
        week_cols=", ".join(f"w.{c} AS {c}" for c in (*auto, *manual)),
        day_sums=", ".join(f"SUM(x.{c})" for c in (*auto, *manual)),
        scope=_scope(query),
        weeks_from="AND w.week_start >= :full_from" if has_from else "",
        days_from="AND x.on_date >= :start_day" if has_from else "",
        first_days=_FIRST_DAYS.format(
            day=_DAY[dialect].format(col="x.on_date"),
            day_sums=", ".join(f"SUM(x.{c})" for c in (*auto, *manual)),
            scope=_scope(query),
        )
        if has_from
        else "",
        sums_named=_list(TRIAL_COLUMNS, "SUM({c}) AS {c}"),
        recording=" + ".join([*auto, *(f"60 * {m}" for m in manual)]),
        quartiles=_QUARTILES.format(per="60"),
        sums=_list(TRIAL_COLUMNS, "SUM({c})"),
        plain=", ".join(TRIAL_COLUMNS),
        nulls=_list(TRIAL_COLUMNS, "CAST(NULL AS INTEGER)"),
    )


def rollup_baseline_sql(dialect: str, query: BurdenQuery) -> str:
    return _BASELINE_ROLLUP.format(
        day=_DAY[dialect].format(col="x.on_date"),
        cols=", ".join(f"x.{c} AS {c}" for c in BASELINE_COLUMNS),
        scope=_scope(query),
        quartiles=_QUARTILES.format(per="1"),
        rollup=_rollup(BASELINE_COLUMNS),
    )


def rollup_calibration_sql(dialect: str, query: BurdenQuery) -> str:
    return _CALIBRATION_ROLLUP.format(
        measured=_recorded("t"),
        scope=_scope(query),
        from_="AND d.on_date >= :start_day" if query.start is not None else "",
    )


#: A session's UTC start lies within a day of its local day: the bounds let the calibration
#: read only the diary days' sessions along the (user_id, started) index.
_NEAR_DAY = {
    "sqlite": ("date(d.on_day, '-1 day')", "date(d.on_day, '+2 day')"),
    "postgresql": ("(d.on_day - 1)", "(d.on_day + 2)"),
}

TRIAL_COLUMNS = (
    "direct",
    "travel",
    *(f"a_{a}" for a in ACTIVITIES),
    *(f"m_{k}" for k in MANUAL_KINDS),
)
BASELINE_COLUMNS = tuple(f"c_{c}" for c in CATEGORIES)


def _pivot(column: str, values: tuple[str, ...], amount: str, prefix: str) -> str:
    return ", ".join(
        f"SUM(CASE WHEN {column} = '{v}' THEN {amount} ELSE 0 END) AS {prefix}_{v}" for v in values
    )


def _list(columns: tuple[str, ...], template: str) -> str:
    return ", ".join(template.format(c=c) for c in columns)


def _rollup(columns: tuple[str, ...]) -> str:
    return _ROLLUP.format(
        sums=_list(columns, "SUM({c})"), nulls=_list(columns, "CAST(NULL AS INTEGER)")
    )


def _scope(query: BurdenQuery) -> str:
    parts = ["u.role = 'practitioner'"]
    if query.team_id is not None:
        parts.append("u.team_id = :team_id")
    if query.practitioner_id is not None:
        parts.append("u.id = :practitioner_id")
    return " AND ".join(parts)


def trial_sql(dialect: str, query: BurdenQuery) -> str:
    """The trial statement for ``dialect`` ('sqlite' or 'postgresql')."""
    day = _DAY[dialect]
    has_from = query.start is not None
    auto = tuple(f"a_{a}" for a in ACTIVITIES)
    manual = tuple(f"m_{k}" for k in MANUAL_KINDS)
    return _TRIAL.format(
        day_c=day.format(col="x.on_date"),
        day_s=day.format(col="x.local_day"),
        day_m=day.format(col="x.on_date"),
        scope=_scope(query),
        c_from="AND x.on_date >= :start_day" if has_from else "",
        s_from="AND x.local_day >= :start_day" if has_from else "",
        m_from="AND x.on_date >= :start_day" if has_from else "",
        pivot_s=_pivot("x.activity", ACTIVITIES, "x.active_seconds", "a"),
        pivot_m=_pivot("x.kind", MANUAL_KINDS, "x.minutes", "m"),
        sums_named=_list(TRIAL_COLUMNS, "SUM({c}) AS {c}"),
        zero_a=_list(auto, "0 AS {c}"),
        zero_m=_list(manual, "0 AS {c}"),
        cols_a=", ".join(auto),
        cols_m=", ".join(manual),
        recording=" + ".join([*auto, *(f"60 * {m}" for m in manual)]),
        quartiles=_QUARTILES.format(per="60"),
        rollup=_rollup(TRIAL_COLUMNS),
    )


def baseline_sql(dialect: str, query: BurdenQuery) -> str:
    return _BASELINE.format(
        day_b=_DAY[dialect].format(col="x.on_date"),
        pivot_b=_pivot("x.category", CATEGORIES, "x.minutes", "c"),
        cols_b=", ".join(BASELINE_COLUMNS),
        scope=_scope(query),
        quartiles=_QUARTILES.format(per="1"),
        rollup=_rollup(BASELINE_COLUMNS),
    )


def calibration_sql(dialect: str, query: BurdenQuery) -> str:
    return _CALIBRATION.format(
        day_d=_DAY[dialect].format(col="x.on_date"),
        day_before=_NEAR_DAY[dialect][0],
        two_days_on=_NEAR_DAY[dialect][1],
        scope=_scope(query),
        d_from="AND x.on_date >= :start_day" if query.start is not None else "",
    )


def query_params(query: BurdenQuery) -> dict[str, Any]:
    # Every source is dated by its local calendar day (a session by ``local_day``, the local
    # date it started on), so the period runs from local midnight to local midnight.
    params: dict[str, Any] = {"end_day": query.end}
    # Whole ISO weeks inside the period are read per practitioner-week (rollup_trial_weeks):
    # from the first Monday on or after the start to the last week that ends by the end.
    end_monday = query.end - timedelta(days=query.end.weekday())
    full_to = end_monday if query.end.weekday() == 6 else end_monday - timedelta(days=7)
    params["full_to"] = full_to
    params["full_to_end"] = full_to + timedelta(days=6)
    if query.start is not None:
        params["start_day"] = query.start
        params["full_from"] = query.start + timedelta(days=(7 - query.start.weekday()) % 7)
    if query.team_id is not None:
        params["team_id"] = query.team_id
    if query.practitioner_id is not None:
        params["practitioner_id"] = query.practitioner_id
    return params


#: Run before each statement on PostgreSQL, for its transaction only. Each statement is one large
#: query run once, so PostgreSQL's JIT compilation (it compiles any query it costs above
#: ``jit_above_cost``) is paid on every run and never repaid: bench.report measured the full
#: report at 3.0 s with it and 1.5 s without (--scale 0.25, the same run, PostgreSQL 15; that was
#: the report from the raw rows, before the rollups). Off for the rollup and the raw statements.
POSTGRES_NO_JIT = "SET LOCAL jit = off"

_TYPES = {
    "end_day": Date,
    "start_day": Date,
    "full_to": Date,
    "full_to_end": Date,
    "full_from": Date,
}


class SqlBurdenQueries:
    def __init__(self, session: Session) -> None:
        self.session = session

    def _rows(self, sql: str, query: BurdenQuery) -> list[tuple[Any, ...]]:
        params = {k: v for k, v in query_params(query).items() if f":{k}" in sql}
        statement = text(sql).bindparams(
            *(bindparam(name, type_=_TYPES[name]) for name in params if name in _TYPES)
        )
        bind = self.session.get_bind()
        if is_read_transaction(bind.get_execution_options()):
            # Inside a read unit of work (a screen's read): the same snapshot, no second
            # transaction. (SET LOCAL lasts to the end of that read transaction.)
            connection = self.session.connection()
            if connection.dialect.name == "postgresql":
                connection.exec_driver_sql(POSTGRES_NO_JIT)
            return [tuple(r) for r in connection.execute(statement, params)]
        engine = read_only_engine(bind.engine)
        with engine.connect() as connection:
            if connection.dialect.name == "postgresql":
                connection.exec_driver_sql(POSTGRES_NO_JIT)
            return [tuple(r) for r in connection.execute(statement, params)]

    @property
    def _dialect(self) -> str:
        return self.session.get_bind().dialect.name

    # The report reads the rollups ...

    def trial(self, query: BurdenQuery) -> TrialAggregates:
        return trial_from_rows(self._rows(rollup_trial_sql(self._dialect, query), query))

    def baseline(self, query: BurdenQuery) -> BaselineAggregates:
        return baseline_from_rows(self._rows(rollup_baseline_sql(self._dialect, query), query))

    def calibration(self, query: BurdenQuery) -> CalibrationAggregates:
        sql = rollup_calibration_sql(self._dialect, query)
        return calibration_from_rows(self._rows(sql, query))

    # ... and the same figures added up from the raw rows (tests and benchmarks compare them).

    def raw_trial(self, query: BurdenQuery) -> TrialAggregates:
        return trial_from_rows(self._rows(trial_sql(self._dialect, query), query))

    def raw_baseline(self, query: BurdenQuery) -> BaselineAggregates:
        return baseline_from_rows(self._rows(baseline_sql(self._dialect, query), query))

    def raw_calibration(self, query: BurdenQuery) -> CalibrationAggregates:
        return calibration_from_rows(self._rows(calibration_sql(self._dialect, query), query))

    def min_group_size(self) -> int | None:
        row = self.session.get(SiteSettingsRow, 1)
        return None if row is None else row.report_min_group_size

    def set_min_group_size(self, size: int, by: int | None, at: datetime) -> None:
        row = self.session.get(SiteSettingsRow, 1) or SiteSettingsRow(
            id=1, report_min_group_size=size
        )
        row.report_min_group_size, row.updated_by, row.updated_at = size, by, at
        self.session.add(row)
        self.session.flush()

    def pseudonym_secret(self) -> str:
        row = self.session.get(PseudonymKeyRow, 1)
        if row is not None:
            return row.secret
        try:
            with self.session.begin_nested():
                row = PseudonymKeyRow(id=1, secret=secrets.token_hex(32))
                self.session.add(row)
                self.session.flush()
        except IntegrityError:  # another report created it first
            row = self.session.get(PseudonymKeyRow, 1, populate_existing=True)
            assert row is not None
        return row.secret


# --- rows -> aggregates ------------------------------------------------------------------------


_Row = tuple[Any, ...]


def _split(
    rows: Iterable[_Row],
) -> tuple[_Row | None, dict[int, _Row], dict[int, _Row], Spread | None]:
    """(overall, {week: row}, {uid: row}, spread) from the statement's rows."""
    overall = None
    weeks: dict[int, tuple[Any, ...]] = {}
    people: dict[int, tuple[Any, ...]] = {}
    quart: dict[int, tuple[int, float]] = {}
    for row in rows:
        lvl, wk, uid = row[:3]
        if lvl == "spread":
            quart[int(wk)] = (int(row[3]), float(row[-1]))
        elif lvl == "all":
            overall = row
        elif lvl == "week":
            weeks[int(wk)] = row
        else:
            people[int(uid)] = row
    spread = None
    if len(quart) == 3:
        spread = Spread(quart[1][0], quart[1][1], quart[2][1], quart[3][1])
    return overall, weeks, people, spread


#: Where the amount columns start in a rollup row.
_FIRST = 7


def _day(number: Any) -> date | None:
    return None if number is None else DAY_EPOCH + timedelta(days=int(number))


def _ints(row: tuple[Any, ...] | None, columns: tuple[str, ...]) -> dict[str, int]:
    values = row[_FIRST : _FIRST + len(columns)] if row is not None else (None,) * len(columns)
    return {c: int(v or 0) for c, v in zip(columns, values, strict=True)}


def _trial_sums(row: tuple[Any, ...] | None) -> TrialSums:
    v = _ints(row, TRIAL_COLUMNS)
    return TrialSums(
        direct_minutes=v["direct"],
        travel_minutes=v["travel"],
        automatic_seconds={a: v[f"a_{a}"] for a in ACTIVITIES if v[f"a_{a}"]},
        manual_minutes={k: v[f"m_{k}"] for k in MANUAL_KINDS if v[f"m_{k}"]},
        practitioner_days=int(row[4] or 0) if row else 0,
        practitioners=int(row[3] or 0) if row else 0,
    )


def _baseline_sums(row: tuple[Any, ...] | None) -> BaselineSums:
    v = _ints(row, BASELINE_COLUMNS)
    return BaselineSums(
        minutes={c: v[f"c_{c}"] for c in CATEGORIES if v[f"c_{c}"]},
        practitioner_days=int(row[4] or 0) if row else 0,
        practitioners=int(row[3] or 0) if row else 0,
        first_day=_day(row[5]) if row else None,
        last_day=_day(row[6]) if row else None,
    )


def trial_from_rows(rows: Iterable[tuple[Any, ...]]) -> TrialAggregates:
    overall, weeks, people, spread = _split(rows)
    return TrialAggregates(
        overall=_trial_sums(overall),
        by_week={week_from_number(w): _trial_sums(r) for w, r in sorted(weeks.items())},
        by_practitioner={uid: _trial_sums(r) for uid, r in people.items()},
        spread=spread,
        first_week=week_from_number(min(weeks)) if weeks else None,
    )


def baseline_from_rows(rows: Iterable[tuple[Any, ...]]) -> BaselineAggregates:
    overall, _weeks, people, spread = _split(rows)
    return BaselineAggregates(
        overall=_baseline_sums(overall),
        by_practitioner={uid: _baseline_sums(r) for uid, r in people.items()},
        spread=spread,
    )


def calibration_from_rows(rows: Iterable[tuple[Any, ...]]) -> CalibrationAggregates:
    def sums(row: tuple[Any, ...] | None) -> Calibration:
        if row is None:
            return Calibration()
        return Calibration(
            practitioner_days=int(row[2] or 0),
            diary_recording_minutes=int(row[3] or 0),
            measured_recording_seconds=int(row[4] or 0),
            practitioners=int(row[5] or 0),
        )

    overall = None
    people: dict[int, Calibration] = {}
    for row in rows:
        if row[0] == "all":
            overall = row
        else:
            people[int(row[1])] = sums(row)
    return CalibrationAggregates(overall=sums(overall), by_practitioner=people)


def week_number(day: date) -> int:
    """The week number the SQL computes for ``day`` (for tests)."""
    return (day - week_from_number(0)).days // 7
