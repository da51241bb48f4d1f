"""Per-practitioner, per-day rollups of the burden report's measure (migration 0013).

``rollup_trial_days`` holds, for each (practitioner, local day), the sums of contacts (minutes
with families, travel), recording sessions (active seconds by activity, on the session's
``local_day``) and manual entries (minutes by kind); ``rollup_diary_days`` the diary minutes by
category, per phase (baseline, trial); ``rollup_trial_weeks`` the trial sums per (practitioner,
ISO week from its Monday) with ``pdays``, its practitioner-days. ``entries`` counts the raw rows
behind a day's row, so a practitioner-day is a row with ``entries > 0`` (a row whose rows were
all removed stays, at zero; so does a week with ``pdays = 0``).

Database triggers (created by the migration) keep all three tables right in the same transaction as
every INSERT, UPDATE and DELETE of the five raw tables, whatever writes them: the report
(storage/reports.py) can read the rollups and never disagree with the rows, even after a crash.

:func:`rebuild` recomputes the three tables from the raw rows with one set-based statement each,
reports every practitioner-day (or -week) on which the stored rollups differed, and replaces them
(``tandem db rebuild-rollups``). ``check_only`` compares without writing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from domain.timeuse import ManualKind, RecordingActivity, TimeCategory

ACTIVITIES = tuple(a.value for a in RecordingActivity)
MANUAL_KINDS = tuple(k.value for k in ManualKind)
CATEGORIES = tuple(c.value for c in TimeCategory)

TRIAL_TABLE = "rollup_trial_days"
WEEK_TABLE = "rollup_trial_weeks"
DIARY_TABLE = "rollup_diary_days"
TRIAL_ROLLUP_COLUMNS = (
    "entries",
    "direct_minutes",
    "travel_minutes",
    *(f"a_{a}" for a in ACTIVITIES),
    *(f"m_{k}" for k in MANUAL_KINDS),
)
DIARY_ROLLUP_COLUMNS = ("entries", *(f"c_{c}" for c in CATEGORIES))
WEEK_ROLLUP_COLUMNS = ("pdays", *TRIAL_ROLLUP_COLUMNS[1:])

#: The Monday of a date's ISO week, per dialect.
MONDAY = {
    "sqlite": "date({day}, 'weekday 0', '-6 days')",
    "postgresql": "({day} - CAST(EXTRACT(ISODOW FROM {day}) AS INTEGER) + 1)",
}
#: The raw tables the rollups summarise (each has INSERT/UPDATE/DELETE triggers).
SOURCE_TABLES = (
    "contacts",
    "recording_sessions",
    "manual_recording_entries",
    "baseline_entries",
    "trial_diary_entries",
)
TRIGGERS = tuple(
    f"rollup_{table}_{event}" for table in SOURCE_TABLES for event in ("insert", "update", "delete")
)


def _case(column: str, value: str, amount: str) -> str:
    return f"CASE WHEN x.{column} = '{value}' THEN x.{amount} ELSE 0 END"


def _raw_rows(dialect: str) -> dict[str, str]:
    """Each rollup table's rows as one grouped SELECT over the raw rows (the weeks' over the
    fresh days: ``fresh_rollup_trial_days``, which :func:`compare` fills first)."""

    def select(table: str, keys: list[str], amounts: dict[str, str], columns: Sequence[str]) -> str:
        values = [amounts.get(c, "0") + f" AS {c}" for c in columns]
        return f"SELECT {', '.join([*keys, *values])} FROM {table} x"

    trial = [
        select(
            "contacts",
            ["x.practitioner_id AS user_id", "x.on_date AS on_date"],
            {"entries": "1", "direct_minutes": "x.minutes", "travel_minutes": "x.travel_minutes"},
            TRIAL_ROLLUP_COLUMNS,
        ),
        select(
            "recording_sessions",
            ["x.user_id AS user_id", "x.local_day AS on_date"],
            {
                "entries": "1",
                **{f"a_{a}": _case("activity", a, "active_seconds") for a in ACTIVITIES},
            },
            TRIAL_ROLLUP_COLUMNS,
        ),
        select(
            "manual_recording_entries",
            ["x.user_id AS user_id", "x.on_date AS on_date"],
            {"entries": "1", **{f"m_{k}": _case("kind", k, "minutes") for k in MANUAL_KINDS}},
            TRIAL_ROLLUP_COLUMNS,
        ),
    ]
    diary_amounts = {
        "entries": "1",
        **{f"c_{c}": _case("category", c, "minutes") for c in CATEGORIES},
    }
    diary = [
        select(
            table,
            [f"'{phase}' AS phase", "x.user_id AS user_id", "x.on_date AS on_date"],
            diary_amounts,
            DIARY_ROLLUP_COLUMNS,
        )
        for table, phase in (("baseline_entries", "baseline"), ("trial_diary_entries", "trial"))
    ]

    def sums(columns: Sequence[str]) -> str:
        return ", ".join(f"SUM({c}) AS {c}" for c in columns)

    return {
        TRIAL_TABLE: f"SELECT user_id, on_date, {sums(TRIAL_ROLLUP_COLUMNS)} "
        f"FROM ({' UNION ALL '.join(trial)}) d GROUP BY user_id, on_date",
        WEEK_TABLE: f"SELECT user_id, {MONDAY[dialect].format(day='on_date')} AS week_start, "
        f"COUNT(*) AS pdays, {sums(TRIAL_ROLLUP_COLUMNS[1:])} FROM {_fresh(TRIAL_TABLE)} "
        "GROUP BY 1, 2",
        DIARY_TABLE: f"SELECT phase, user_id, on_date, {sums(DIARY_ROLLUP_COLUMNS)} "
        f"FROM ({' UNION ALL '.join(diary)}) d GROUP BY phase, user_id, on_date",
    }


_KEYS = {
    TRIAL_TABLE: ("user_id", "on_date"),
    WEEK_TABLE: ("user_id", "week_start"),
    DIARY_TABLE: ("phase", "user_id", "on_date"),
}
_COLUMNS = {
    TRIAL_TABLE: TRIAL_ROLLUP_COLUMNS,
    WEEK_TABLE: WEEK_ROLLUP_COLUMNS,
    DIARY_TABLE: DIARY_ROLLUP_COLUMNS,
}


def _keys(table: str) -> tuple[str, ...]:
    return _KEYS[table]


def _columns(table: str) -> tuple[str, ...]:
    return _COLUMNS[table]


def _fresh(table: str) -> str:
    return f"fresh_{table}"


def rebuild_statements(dialect: str = "sqlite") -> list[str]:
    """Replace every rollup table from the raw rows (set-based: one INSERT ... SELECT each)."""
    statements = []
    for table, rows in _raw_rows(dialect).items():
        listed = ", ".join([*_keys(table), *_columns(table)])
        fresh = _fresh(table)
        statements += [
            f"DROP TABLE IF EXISTS {fresh}",
            f"CREATE TEMPORARY TABLE {fresh} AS {rows}",
            f"DELETE FROM {table}",
            f"INSERT INTO {table} ({listed}) SELECT {listed} FROM {fresh}",
        ]
    statements += [f"DROP TABLE {_fresh(t)}" for t in _KEYS]
    return statements


@dataclass(frozen=True)
class RollupDifference:
    """One practitioner-day on which the stored rollup and the raw rows disagreed."""

    table: str
    phase: str | None
    user_id: int
    on_date: date
    #: column -> (stored, from the raw rows); a missing row reads as all zero.
    columns: dict[str, tuple[int, int]]


@dataclass(frozen=True)
class RollupCheck:
    """What :func:`rebuild` found: how many rollup rows it compared and each difference."""

    trial_days: int
    diary_days: int
    #: Rollup rows (practitioner-days) that differed; the first DETAIL_LIMIT are described.
    differing_days: int = 0
    differences: list[RollupDifference] = field(default_factory=list)
    rebuilt: bool = False


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


#: At most this many differences are described one by one (all are counted).
DETAIL_LIMIT = 50


def compare(connection: Any) -> tuple[dict[str, int], int, list[RollupDifference]]:
    """(fresh row counts per table, number of differing rows, the first differences) between the stored rollups and the raw rows.
    ``connection``: a SQLAlchemy Connection inside the caller's transaction. The raw rows are
    added up once, into a temporary table per rollup table (``fresh_<table>``), which
    :func:`rebuild` then copies in."""
    from sqlalchemy import text

    differences: list[RollupDifference] = []
    counts: dict[str, int] = {}
    differing = 0
    for table, rows in _raw_rows(connection.dialect.name).items():
        keys, columns = _keys(table), _columns(table)
        fresh = _fresh(table)
        connection.execute(text(f"DROP TABLE IF EXISTS {fresh}"))
        connection.execute(text(f"CREATE TEMPORARY TABLE {fresh} AS {rows}"))
        listed = ", ".join([*keys, *columns])
        nonzero = " OR ".join(f"{c} <> 0" for c in columns)
        stored = f"SELECT {listed} FROM {table} WHERE {nonzero}"  # a row of zeros is no row
        raw = f"SELECT {listed} FROM {fresh}"
        odd = (
            f"SELECT * FROM ({raw} EXCEPT {stored}) a UNION SELECT * FROM ({stored} EXCEPT {raw}) b"
        )
        found = connection.execute(text(f"SELECT DISTINCT {', '.join(keys)} FROM ({odd}) o"))
        keys_found = [tuple(r) for r in found]
        counts[table] = int(connection.execute(text(f"SELECT COUNT(*) FROM {fresh}")).scalar())
        where = " AND ".join(f"{k} = :{k}" for k in keys)
        differing += len(keys_found)
        for key in keys_found[: max(0, DETAIL_LIMIT - len(differences))]:
            params = dict(zip(keys, key, strict=True))
            values = []
            for source in (table, fresh):
                row = connection.execute(
                    text(f"SELECT {', '.join(columns)} FROM {source} WHERE {where}"), params
                ).first()
                values.append(tuple(int(v or 0) for v in row) if row else (0,) * len(columns))
            differences.append(
                RollupDifference(
                    table=table,
                    phase=params.get("phase"),
                    user_id=int(params["user_id"]),
                    on_date=_as_date(params.get("on_date", params.get("week_start"))),
                    columns={
                        c: (s, f)
                        for c, s, f in zip(columns, values[0], values[1], strict=True)
                        if s != f
                    },
                )
            )
    return counts, differing, differences


def rebuild(engine: Any, *, check_only: bool = False) -> RollupCheck:
    """Compare the stored rollups with the raw rows and (unless ``check_only``) replace them, in
    one transaction. On PostgreSQL the raw tables are locked against writes (SHARE) for its
    length, so no save lands between the comparison and the rebuild; on SQLite the write
    transaction does the same."""
    from sqlalchemy import text

    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text(f"LOCK TABLE {', '.join(SOURCE_TABLES)} IN SHARE MODE"))
        else:
            # Take the write lock first (a read snapshot could otherwise go stale).
            connection.execute(text(f"DELETE FROM {TRIAL_TABLE} WHERE 0 = 1"))
        counts, differing, differences = compare(connection)
        for table in _KEYS:
            if not check_only:
                listed = ", ".join([*_keys(table), *_columns(table)])
                connection.execute(text(f"DELETE FROM {table}"))
                connection.execute(
                    text(f"INSERT INTO {table} ({listed}) SELECT {listed} FROM {_fresh(table)}")
                )
            connection.execute(text(f"DROP TABLE {_fresh(table)}"))
    return RollupCheck(
        trial_days=counts[TRIAL_TABLE],
        diary_days=counts[DIARY_TABLE],
        differing_days=differing,
        differences=differences,
        rebuilt=not check_only,
    )


def missing_triggers(connection: Any) -> list[str]:
    """The rollup triggers this database lacks (e.g. dropped by a later table rebuild)."""
    from sqlalchemy import text

    if connection.dialect.name == "postgresql":
        names = connection.execute(
            text("SELECT DISTINCT tgname FROM pg_trigger WHERE NOT tgisinternal")
        ).scalars()
    else:
        names = connection.execute(
            text("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        ).scalars()
    present = set(names)
    return [t for t in TRIGGERS if t not in present]
