"""The burden report from per-practitioner, per-day rollups; sessions dated by their local day.

1. ``recording_sessions.local_day``: the local calendar date (Europe/London unless
   TANDEM_TIMEZONE says otherwise) on which the session started. The report used the UTC day of
   ``started``, so a session begun between 00:00 and 01:00 BST counted on the previous day.
   Existing rows are filled in Python from the stored UTC instant (the same on SQLite and
   PostgreSQL; SQL has no portable time-zone arithmetic), in batches by id.
2. ``rollup_trial_days`` (contacts, recording sessions, manual entries) and ``rollup_diary_days``
   (baseline and trial-phase diary rows): one row per (practitioner, day) holding every sum the
   report needs and ``entries``, the number of raw rows behind it (a practitioner-day is a row
   with ``entries > 0``); ``rollup_trial_weeks`` the same trial sums per (practitioner, ISO week,
   from its Monday) with ``pdays``, its practitioner-days, so a report over many weeks reads one
   row per practitioner-week. Filled here from the raw rows with one set-based statement each.
3. Database triggers keep them right in the same transaction as every INSERT, UPDATE and DELETE
   of those five tables, whichever code path writes (a service, a bulk import, a cascade, plain
   SQL): SQLite row triggers with an UPSERT of the row's contribution (minus the old row, plus the
   new); PostgreSQL statement triggers with transition tables, so a bulk INSERT or COPY adds one
   grouped UPSERT per statement, not one per row.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 10:40:00

"""

import os
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Union
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0013"
down_revision: Union[str, Sequence[str], None] = "0012"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

BATCH = 5000

# The schema's own copy of the domain's lists as they were at this revision: a migration never
# imports them, or it would change whenever the domain did.
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
TRIAL_COLUMNS = (
    "entries",
    "direct_minutes",
    "travel_minutes",
    *(f"a_{a}" for a in ACTIVITIES),
    *(f"m_{k}" for k in KINDS),
)
DIARY_COLUMNS = ("entries", *(f"c_{c}" for c in CATEGORIES))
#: rollup_trial_weeks: practitioner-days in the week, then the trial amounts summed.
WEEK_AMOUNTS = TRIAL_COLUMNS[1:]
WEEK_COLUMNS = ("pdays", *WEEK_AMOUNTS)


def _monday(day: str, postgres: bool) -> str:
    """The Monday of the ISO week of date expression ``day``."""
    if postgres:
        return f"({day} - CAST(EXTRACT(ISODOW FROM {day}) AS INTEGER) + 1)"
    return f"date({day}, 'weekday 0', '-6 days')"


def _case(column: str, value: str, amount: str) -> str:
    return f"CASE WHEN {{x}}.{column} = '{value}' THEN {{x}}.{amount} ELSE 0 END"


def _diary(phase: str) -> tuple[str, str, str, str, dict[str, str], tuple[str, ...]]:
    """A diary table's source: its phase's rows, minutes by category."""
    amounts = {f"c_{c}": _case("category", c, "minutes") for c in CATEGORIES}
    return (
        "rollup_diary_days",
        phase,
        "user_id",
        "on_date",
        {"entries": "1", **amounts},
        ("user_id", "on_date", "category", "minutes"),
    )


#: source table -> (rollup table, phase or None, user column, day column,
#:                  {rollup column: expression over the row {x}}, columns whose change matters).
SOURCES: dict[str, tuple[str, str | None, str, str, dict[str, str], tuple[str, ...]]] = {
    "contacts": (
        "rollup_trial_days",
        None,
        "practitioner_id",
        "on_date",
        {"entries": "1", "direct_minutes": "{x}.minutes", "travel_minutes": "{x}.travel_minutes"},
        ("practitioner_id", "on_date", "minutes", "travel_minutes"),
    ),
    "recording_sessions": (
        "rollup_trial_days",
        None,
        "user_id",
        "local_day",
        {"entries": "1", **{f"a_{a}": _case("activity", a, "active_seconds") for a in ACTIVITIES}},
        ("user_id", "local_day", "activity", "active_seconds"),
    ),
    "manual_recording_entries": (
        "rollup_trial_days",
        None,
        "user_id",
        "on_date",
        {"entries": "1", **{f"m_{k}": _case("kind", k, "minutes") for k in KINDS}},
        ("user_id", "on_date", "kind", "minutes"),
    ),
    "baseline_entries": _diary("baseline"),
    "trial_diary_entries": _diary("trial"),
}


def _columns(target: str) -> tuple[str, ...]:
    return TRIAL_COLUMNS if target == "rollup_trial_days" else DIARY_COLUMNS


def _keys(phase: str | None) -> list[str]:
    return (["phase"] if phase else []) + ["user_id", "on_date"]


def _parts(table: str, x: str, sign: str) -> list[tuple[str, str]]:
    """The contribution of row ``x`` of ``table``: (expression, column) for the key columns,
    then every amount column."""
    target, phase, user, day, amounts, _ = SOURCES[table]
    parts = [(f"'{phase}'", "phase")] if phase else []
    parts += [(f"{x}.{user}", "user_id"), (f"{x}.{day}", "on_date")]
    for column in _columns(target):
        expression = amounts.get(column)
        parts.append(("0" if expression is None else f"{sign}({expression.format(x=x)})", column))
    return parts


def _projection(table: str, x: str, sign: str) -> str:
    return ", ".join(f"{e} AS {c}" for e, c in _parts(table, x, sign))


def _on_conflict_cols(target: str, keys: list[str], columns: Sequence[str]) -> str:
    sets = ", ".join(f"{c} = {target}.{c} + excluded.{c}" for c in columns)
    return f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {sets}"


def _on_conflict(target: str, keys: list[str]) -> str:
    return _on_conflict_cols(target, keys, _columns(target))


def _sqlite_upsert(table: str, x: str, sign: str) -> str:
    target, phase, *_ = SOURCES[table]
    keys = _keys(phase)
    values = ", ".join(e for e, _ in _parts(table, x, sign))
    return (
        f"INSERT INTO {target} ({', '.join([*keys, *_columns(target)])}) VALUES ({values}) "
        f"{_on_conflict(target, keys)};"
    )


def _sqlite_week(table: str, x: str, sign: str) -> str:
    """The week's sums moved by row ``x``, then its practitioner-days counted again (at most
    seven rollup_trial_days rows, along their primary key)."""
    target, _phase, user, day, amounts, _ = SOURCES[table]
    if target != "rollup_trial_days":
        return ""
    monday = _monday(f"{x}.{day}", postgres=False)
    values = [f"{x}.{user}", monday, "0"]
    for column in WEEK_AMOUNTS:
        expression = amounts.get(column)
        values.append("0" if expression is None else f"{sign}({expression.format(x=x)})")
    return (
        f"INSERT INTO rollup_trial_weeks (user_id, week_start, {', '.join(WEEK_COLUMNS)}) "
        f"VALUES ({', '.join(values)}) {_on_conflict_cols('rollup_trial_weeks', ['user_id', 'week_start'], WEEK_AMOUNTS)}; "
        f"UPDATE rollup_trial_weeks SET pdays = (SELECT COUNT(*) FROM rollup_trial_days d "
        f"WHERE d.user_id = {x}.{user} AND d.on_date >= {monday} "
        f"AND d.on_date <= date({monday}, '+6 days') AND d.entries > 0) "
        f"WHERE user_id = {x}.{user} AND week_start = {monday};"
    )


def sqlite_triggers() -> list[str]:
    statements = []
    for table, (*_, watched) in SOURCES.items():
        plus = f"{_sqlite_upsert(table, 'NEW', '+')} {_sqlite_week(table, 'NEW', '+')}"
        minus = f"{_sqlite_upsert(table, 'OLD', '-')} {_sqlite_week(table, 'OLD', '-')}"
        statements += [
            f"CREATE TRIGGER rollup_{table}_insert AFTER INSERT ON {table} BEGIN {plus} END",
            f"CREATE TRIGGER rollup_{table}_delete AFTER DELETE ON {table} BEGIN {minus} END",
            f"CREATE TRIGGER rollup_{table}_update AFTER UPDATE OF {', '.join(watched)} "
            f"ON {table} BEGIN {minus} {plus} END",
        ]
    return statements


def _grouped_upsert(table: str, rows: str) -> str:
    target, phase, *_ = SOURCES[table]
    keys = _keys(phase)
    columns = _columns(target)
    nonzero = " OR ".join(f"SUM({c}) <> 0" for c in columns)
    return (
        f"INSERT INTO {target} ({', '.join([*keys, *columns])}) "
        f"SELECT {', '.join(keys)}, {', '.join(f'SUM({c})' for c in columns)} "
        f"FROM ({rows}) d GROUP BY {', '.join(keys)} HAVING {nonzero} "
        f"ORDER BY {', '.join(keys)} {_on_conflict(target, keys)};"
    )


def _pg_week(table: str, rows: str) -> str:
    """The weeks' sums moved by ``rows`` (the statement's contributions), then the
    practitioner-days of every week touched counted again from rollup_trial_days."""
    if SOURCES[table][0] != "rollup_trial_days":
        return ""
    monday = _monday("d.on_date", postgres=True)
    sums = ", ".join(f"SUM({c})" for c in WEEK_AMOUNTS)
    keys = ["user_id", "week_start"]
    return (
        f" INSERT INTO rollup_trial_weeks (user_id, week_start, {', '.join(WEEK_COLUMNS)}) "
        f"SELECT d.user_id, {monday}, 0, {sums} FROM ({rows}) d GROUP BY 1, 2 "
        "ORDER BY 1, 2 "
        f"{_on_conflict_cols('rollup_trial_weeks', keys, WEEK_AMOUNTS)};"
        " UPDATE rollup_trial_weeks w SET pdays = (SELECT COUNT(*) FROM rollup_trial_days t"
        " WHERE t.user_id = w.user_id AND t.on_date >= w.week_start"
        " AND t.on_date <= w.week_start + 6 AND t.entries > 0)"
        f" WHERE (w.user_id, w.week_start) IN (SELECT DISTINCT d.user_id, {monday} FROM ({rows}) d);"
    )


def postgres_triggers() -> list[str]:
    statements = []
    for table in SOURCES:
        plus = f"SELECT {_projection(table, 'x', '+')} FROM new_rows x"
        minus = f"SELECT {_projection(table, 'x', '-')} FROM old_rows x"
        both = plus + " UNION ALL " + minus
        statements.append(
            f"CREATE FUNCTION rollup_{table}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
            "BEGIN\n"
            f"  IF TG_OP = 'INSERT' THEN {_grouped_upsert(table, plus)}{_pg_week(table, plus)}\n"
            f"  ELSIF TG_OP = 'DELETE' THEN {_grouped_upsert(table, minus)}{_pg_week(table, minus)}\n"
            f"  ELSE {_grouped_upsert(table, both)}{_pg_week(table, both)}\n"
            "  END IF;\n"
            "  RETURN NULL;\n"
            "END $$"
        )
        for event, referencing in (
            ("INSERT", "NEW TABLE AS new_rows"),
            ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
            ("DELETE", "OLD TABLE AS old_rows"),
        ):
            statements.append(
                f"CREATE TRIGGER rollup_{table}_{event.lower()} AFTER {event} ON {table} "
                f"REFERENCING {referencing} FOR EACH STATEMENT "
                f"EXECUTE FUNCTION rollup_{table}()"
            )
    return statements


def fill_statements(postgres: bool) -> list[str]:
    """Every rollup row from the raw rows (set-based, one statement per rollup table)."""
    statements = []
    for target in ("rollup_trial_days", "rollup_diary_days"):
        tables = [t for t, spec in SOURCES.items() if spec[0] == target]
        keys = _keys(SOURCES[tables[0]][1])
        columns = _columns(target)
        rows = " UNION ALL ".join(f"SELECT {_projection(t, 'x', '')} FROM {t} x" for t in tables)
        statements.append(
            f"INSERT INTO {target} ({', '.join([*keys, *columns])}) "
            f"SELECT {', '.join(keys)}, {', '.join(f'SUM({c})' for c in columns)} "
            f"FROM ({rows}) d GROUP BY {', '.join(keys)}"
        )
    statements.append(
        f"INSERT INTO rollup_trial_weeks (user_id, week_start, {', '.join(WEEK_COLUMNS)}) "
        f"SELECT user_id, {_monday('on_date', postgres)}, "
        f"SUM(CASE WHEN entries > 0 THEN 1 ELSE 0 END), "
        f"{', '.join(f'SUM({c})' for c in WEEK_AMOUNTS)} FROM rollup_trial_days GROUP BY 1, 2"
    )
    return statements


def _zone() -> ZoneInfo:
    name = os.environ.get("TANDEM_TIMEZONE", "").strip() or "Europe/London"
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("Europe/London")


def _local_day(started: datetime | str, zone: ZoneInfo) -> date:
    if isinstance(started, str):
        started = datetime.fromisoformat(started)
    if started.tzinfo is None:
        started = started.replace(tzinfo=UTC)
    return started.astimezone(zone).date()


def _fill_local_days() -> None:
    bind = op.get_bind()
    zone = _zone()
    sessions = sa.table(
        "recording_sessions",
        sa.column("id", sa.Integer),
        sa.column("started", sa.DateTime),
        sa.column("local_day", sa.Date),
    )
    update = (
        sessions.update()
        .where(sessions.c.id == sa.bindparam("_id"))
        .values(local_day=sa.bindparam("_day", type_=sa.Date))
    )
    last = None
    while True:
        query = sa.select(sessions.c.id, sessions.c.started).order_by(sessions.c.id).limit(BATCH)
        if last is not None:
            query = query.where(sessions.c.id > last)
        rows = bind.execute(query).fetchall()
        if not rows:
            break
        last = rows[-1].id
        bind.execute(update, [{"_id": r.id, "_day": _local_day(r.started, zone)} for r in rows])


def _amount(name: str) -> 'sa.Column[int]':
    return sa.Column(name, sa.Integer(), nullable=False)


def upgrade() -> None:
    with op.batch_alter_table("recording_sessions") as batch_op:
        batch_op.add_column(sa.Column("local_day", sa.Date(), nullable=True))
    _fill_local_days()
    with op.batch_alter_table("recording_sessions") as batch_op:
        batch_op.alter_column("local_day", existing_type=sa.Date(), nullable=False)

    op.create_table(
        "rollup_trial_days",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        *(_amount(c) for c in TRIAL_COLUMNS),
        sa.PrimaryKeyConstraint("user_id", "on_date", name=op.f("pk_rollup_trial_days")),
    )
    op.create_table(
        "rollup_diary_days",
        sa.Column("phase", sa.String(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        *(_amount(c) for c in DIARY_COLUMNS),
        sa.PrimaryKeyConstraint("phase", "user_id", "on_date", name=op.f("pk_rollup_diary_days")),
    )
    op.create_table(
        "rollup_trial_weeks",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("week_start", sa.Date(), nullable=False),
        *(_amount(c) for c in WEEK_COLUMNS),
        sa.PrimaryKeyConstraint("user_id", "week_start", name=op.f("pk_rollup_trial_weeks")),
    )
    postgres = op.get_bind().dialect.name == "postgresql"
    for statement in fill_statements(postgres):
        op.execute(statement)
    for statement in postgres_triggers() if postgres else sqlite_triggers():
        op.execute(statement)


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for table in SOURCES:
        for event in ("insert", "update", "delete"):
            on = f" ON {table}" if postgres else ""
            op.execute(f"DROP TRIGGER IF EXISTS rollup_{table}_{event}{on}")
        if postgres:
            op.execute(f"DROP FUNCTION IF EXISTS rollup_{table}()")
    op.drop_table("rollup_trial_weeks")
    op.drop_table("rollup_diary_days")
    op.drop_table("rollup_trial_days")
    with op.batch_alter_table("recording_sessions") as batch_op:
        batch_op.drop_column("local_day")
