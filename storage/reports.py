"""The recording-burden report's sums, added up in SQL (domain.ports.BurdenQueries).

Each of :meth:`SqlBurdenQueries.trial` and :meth:`SqlBurdenQueries.baseline` is ONE statement:
the base tables are scanned once, grouped to (practitioner, ISO week[, kind]) in a materialised
``grid``, and every figure — overall, per week, per practitioner, practitioner-weeks and the
quartiles of the per-practitioner ratio — is rolled up from that grid in the same statement. The
same SQL runs on SQLite and PostgreSQL; only the week number differs in spelling (both count
whole weeks from Monday 1970-01-05, so both give the same integers). Ratios are divided as
doubles from exact integer sums, so both databases (and Python) get bit-identical results.

The sums are read on a connection of their own, outside the unit of work's transaction (on
SQLite a DEFERRED read, never the write lock), so a long report never holds up anyone's save.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Date, bindparam, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from domain.clock import local_midnight
from domain.reports import (
    BaselineAggregates,
    BaselineSums,
    BurdenQuery,
    Spread,
    TrialAggregates,
    TrialSums,
    week_from_number,
)
from domain.timeuse import ManualKind, RecordingActivity, TimeCategory
from storage.engine import read_only_engine
from storage.tables import PseudonymKeyRow
from storage.utc import UtcDateTime

#: Whole weeks since Monday 1970-01-05 (julian day 2440591.5), per dialect.
_WEEK = {
    "sqlite": "CAST((julianday({col}) - 2440591.5) / 7 AS INTEGER)",
    "postgresql": "((CAST({col} AS DATE) - DATE '1970-01-05') / 7)",
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

#: Every statement returns rows of (level, week, user id, practitioners, practitioner-weeks,
#: the grid's amount columns summed..., quartile value). ``grid`` has one row per
#: practitioner-week, so COUNT(*) counts practitioner-weeks.
_ROLLUP = """
SELECT 'all' AS lvl, CAST(NULL AS INTEGER) AS wk, CAST(NULL AS INTEGER) AS uid,
       COUNT(DISTINCT uid) AS people, COUNT(*) AS pweeks, {sums},
       CAST(NULL AS DOUBLE PRECISION) AS val
FROM grid
UNION ALL
SELECT 'week', wk, NULL, COUNT(*), COUNT(*), {sums}, NULL FROM grid GROUP BY wk
UNION ALL
SELECT 'pract', NULL, uid, 1, COUNT(*), {sums}, NULL FROM grid GROUP BY uid
UNION ALL
SELECT 'spread', k, NULL, n, NULL, {nulls}, lo + (hi - lo) * rem / 4.0 FROM quart"""

_TRIAL = """
WITH c AS (
    SELECT x.practitioner_id AS uid, {week_c} AS wk,
           SUM(x.minutes) AS direct, SUM(x.travel_minutes) AS travel
    FROM contacts x JOIN users u ON u.id = x.practitioner_id
    WHERE {scope} AND x.on_date <= :end_day {c_from}
    GROUP BY 1, 2
),
s AS (
    SELECT x.user_id AS uid, {week_s} AS wk, {pivot_s}
    FROM recording_sessions x JOIN users u ON u.id = x.user_id
    WHERE {scope} AND x.started < :end_at {s_from}
    GROUP BY 1, 2
),
m AS (
    SELECT x.user_id AS uid, {week_m} AS wk, {pivot_m}
    FROM manual_recording_entries x JOIN users u ON u.id = x.user_id
    WHERE {scope} AND x.on_date <= :end_day {m_from}
    GROUP BY 1, 2
),
grid AS MATERIALIZED (
    SELECT uid, wk, {sums_named}
    FROM (
        SELECT uid, wk, direct, travel, {zero_a}, {zero_m} FROM c
        UNION ALL SELECT uid, wk, 0, 0, {cols_a}, {zero_m} FROM s
        UNION ALL SELECT uid, wk, 0, 0, {zero_a}, {cols_m} FROM m
    ) parts
    GROUP BY uid, wk
),
pp AS (
    SELECT uid, SUM(direct) AS direct, SUM({recording}) AS rec FROM grid GROUP BY uid
),
{quartiles}
{rollup}
"""

_BASELINE = """
WITH grid AS MATERIALIZED (
    SELECT x.user_id AS uid, {week_b} AS wk, {pivot_b}
    FROM baseline_entries x JOIN users u ON u.id = x.user_id
    WHERE {scope}
    GROUP BY 1, 2
),
pp AS (
    SELECT uid, SUM(c_direct_work) AS direct, SUM(c_recording) AS rec FROM grid GROUP BY uid
),
{quartiles}
{rollup}
"""

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
    week = _WEEK[dialect]
    has_from = query.start is not None
    auto = tuple(f"a_{a}" for a in ACTIVITIES)
    manual = tuple(f"m_{k}" for k in MANUAL_KINDS)
    return _TRIAL.format(
        week_c=week.format(col="x.on_date"),
        week_s=week.format(col="x.started"),
        week_m=week.format(col="x.on_date"),
        scope=_scope(query),
        c_from="AND x.on_date >= :start_day" if has_from else "",
        s_from="AND x.started >= :start_at" if has_from else "",
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
        week_b=_WEEK[dialect].format(col="x.on_date"),
        pivot_b=_pivot("x.category", CATEGORIES, "x.minutes", "c"),
        scope=_scope(query),
        quartiles=_QUARTILES.format(per="1"),
        rollup=_rollup(BASELINE_COLUMNS),
    )


def query_params(query: BurdenQuery) -> dict[str, Any]:
    params: dict[str, Any] = {
        "end_day": query.end,
        # Sessions are stored in UTC: the period runs from local midnight to local midnight.
        "end_at": local_midnight(query.end + timedelta(days=1)),
    }
    if query.start is not None:
        params["start_day"] = query.start
        params["start_at"] = local_midnight(query.start)
    if query.team_id is not None:
        params["team_id"] = query.team_id
    if query.practitioner_id is not None:
        params["practitioner_id"] = query.practitioner_id
    return params


_TYPES = {"end_day": Date, "start_day": Date, "end_at": UtcDateTime, "start_at": UtcDateTime}


class SqlBurdenQueries:
    def __init__(self, session: Session) -> None:
        self.session = session

    def _rows(self, sql: str, query: BurdenQuery) -> list[tuple[Any, ...]]:
        params = {k: v for k, v in query_params(query).items() if f":{k}" in sql}
        statement = text(sql).bindparams(
            *(bindparam(name, type_=_TYPES[name]) for name in params if name in _TYPES)
        )
        engine = read_only_engine(self.session.get_bind())  # type: ignore[arg-type]
        with engine.connect() as connection:
            return [tuple(r) for r in connection.execute(statement, params)]

    def trial(self, query: BurdenQuery) -> TrialAggregates:
        dialect = self.session.get_bind().dialect.name
        return trial_from_rows(self._rows(trial_sql(dialect, query), query))

    def baseline(self, query: BurdenQuery) -> BaselineAggregates:
        dialect = self.session.get_bind().dialect.name
        return baseline_from_rows(self._rows(baseline_sql(dialect, query), query))

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


def _split(rows: Iterable[tuple[Any, ...]]):  # type: ignore[no-untyped-def]
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


def _ints(row: tuple[Any, ...] | None, columns: tuple[str, ...]) -> dict[str, int]:
    values = row[5 : 5 + len(columns)] if row is not None else (None,) * len(columns)
    return {c: int(v or 0) for c, v in zip(columns, values, strict=True)}


def _trial_sums(row: tuple[Any, ...] | None) -> TrialSums:
    v = _ints(row, TRIAL_COLUMNS)
    return TrialSums(
        direct_minutes=v["direct"],
        travel_minutes=v["travel"],
        automatic_seconds={a: v[f"a_{a}"] for a in ACTIVITIES if v[f"a_{a}"]},
        manual_minutes={k: v[f"m_{k}"] for k in MANUAL_KINDS if v[f"m_{k}"]},
        practitioner_weeks=int(row[4] or 0) if row else 0,
        practitioners=int(row[3] or 0) if row else 0,
    )


def _baseline_sums(row: tuple[Any, ...] | None) -> BaselineSums:
    v = _ints(row, BASELINE_COLUMNS)
    return BaselineSums(
        minutes={c: v[f"c_{c}"] for c in CATEGORIES if v[f"c_{c}"]},
        practitioner_weeks=int(row[4] or 0) if row else 0,
        practitioners=int(row[3] or 0) if row else 0,
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


def week_number(day: date) -> int:
    """The week number the SQL computes for ``day`` (for tests)."""
    return (day - week_from_number(0)).days // 7
