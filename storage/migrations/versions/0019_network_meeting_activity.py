"""Recording time spent writing up family network meetings: an activity of its own.

The meeting editor's clock ran under ``contact_log``; it now records ``network_meeting``. The
burden report's rollups pivot recording seconds by activity (migration 0013), so:

1. ``rollup_trial_days`` and ``rollup_trial_weeks`` gain ``a_network_meeting`` (NOT NULL, server
   default 0: the rollup triggers of contacts and manual entries list their columns and leave
   this one to its default, so they need no change);
2. the triggers of ``recording_sessions`` are made again with the new activity in their pivot
   (SQLite: its three row triggers; PostgreSQL: the body of ``rollup_recording_sessions()``,
   which its three statement triggers call).

Sessions stored before this revision stay ``contact_log``: a session does not say which editor
it timed, so no old row can be told apart. Downgrading restores 0013's triggers and drops the
columns; no row changes (a ``network_meeting`` session keeps its activity, which the older
rollups leave out of their activity columns; upgrading again counts it).

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06 17:30:00

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0019'
down_revision: Union[str, Sequence[str], None] = '0018'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# The schema's own copy of the lists at this revision (a migration never imports the domain's).
OLD_ACTIVITIES = (
    "summary",
    "plan",
    "mapping",
    "contact_log",
    "observation",
    "observation_feedback",
    "review",
)
NEW_ACTIVITIES = (*OLD_ACTIVITIES, "network_meeting")
KINDS = ("legacy_system", "court_statement", "letters_email", "other")
ROLLUPS = ("rollup_trial_days", "rollup_trial_weeks")


def _columns(activities: Sequence[str]) -> tuple[str, ...]:
    """rollup_trial_days' amount columns as the triggers write them."""
    return (
        "entries",
        "direct_minutes",
        "travel_minutes",
        *(f"a_{a}" for a in activities),
        *(f"m_{k}" for k in KINDS),
    )


def _amounts(activities: Sequence[str], x: str, sign: str) -> dict[str, str]:
    """A recording session ``x``'s contribution to each column (others: nothing)."""
    out = {"entries": f"{sign}(1)"}
    for a in activities:
        out[f"a_{a}"] = f"{sign}(CASE WHEN {x}.activity = '{a}' THEN {x}.active_seconds ELSE 0 END)"
    return out


def _upsert_sets(target: str, columns: Sequence[str]) -> str:
    return ", ".join(f"{c} = {target}.{c} + excluded.{c}" for c in columns)


def _sqlite_body(activities: Sequence[str], x: str, sign: str) -> str:
    """0013's SQLite trigger statements for one recording session row ``x`` (NEW or OLD)."""
    columns = _columns(activities)
    amounts = _amounts(activities, x, sign)
    values = [f"{x}.user_id", f"{x}.local_day", *(amounts.get(c, "0") for c in columns)]
    days = (
        f"INSERT INTO rollup_trial_days (user_id, on_date, {', '.join(columns)}) "
        f"VALUES ({', '.join(values)}) ON CONFLICT (user_id, on_date) DO UPDATE SET "
        f"{_upsert_sets('rollup_trial_days', columns)};"
    )
    monday = f"date({x}.local_day, 'weekday 0', '-6 days')"
    week_amounts = columns[1:]
    week_values = [f"{x}.user_id", monday, "0", *(amounts.get(c, "0") for c in week_amounts)]
    weeks = (
        f"INSERT INTO rollup_trial_weeks (user_id, week_start, pdays, {', '.join(week_amounts)}) "
        f"VALUES ({', '.join(week_values)}) ON CONFLICT (user_id, week_start) DO UPDATE SET "
        f"{_upsert_sets('rollup_trial_weeks', week_amounts)}; "
        f"UPDATE rollup_trial_weeks SET pdays = (SELECT COUNT(*) FROM rollup_trial_days d "
        f"WHERE d.user_id = {x}.user_id AND d.on_date >= {monday} "
        f"AND d.on_date <= date({monday}, '+6 days') AND d.entries > 0) "
        f"WHERE user_id = {x}.user_id AND week_start = {monday};"
    )
    return f"{days} {weeks}"


def _sqlite_triggers(activities: Sequence[str]) -> list[str]:
    plus = _sqlite_body(activities, "NEW", "+")
    minus = _sqlite_body(activities, "OLD", "-")
    watched = "user_id, local_day, activity, active_seconds"
    return [
        "DROP TRIGGER IF EXISTS rollup_recording_sessions_insert",
        "DROP TRIGGER IF EXISTS rollup_recording_sessions_delete",
        "DROP TRIGGER IF EXISTS rollup_recording_sessions_update",
        "CREATE TRIGGER rollup_recording_sessions_insert AFTER INSERT ON recording_sessions "
        f"BEGIN {plus} END",
        "CREATE TRIGGER rollup_recording_sessions_delete AFTER DELETE ON recording_sessions "
        f"BEGIN {minus} END",
        f"CREATE TRIGGER rollup_recording_sessions_update AFTER UPDATE OF {watched} "
        f"ON recording_sessions BEGIN {minus} {plus} END",
    ]


def _pg_rows(activities: Sequence[str], source: str, sign: str) -> str:
    columns = _columns(activities)
    amounts = _amounts(activities, "x", sign)
    parts = ["x.user_id AS user_id", "x.local_day AS on_date"]
    parts += [f"{amounts.get(c, '0')} AS {c}" for c in columns]
    return f"SELECT {', '.join(parts)} FROM {source} x"


def _pg_statements(activities: Sequence[str], rows: str) -> str:
    """0013's PostgreSQL statements for the contributions ``rows`` of one statement."""
    columns = _columns(activities)
    nonzero = " OR ".join(f"SUM({c}) <> 0" for c in columns)
    days = (
        f"INSERT INTO rollup_trial_days (user_id, on_date, {', '.join(columns)}) "
        f"SELECT user_id, on_date, {', '.join(f'SUM({c})' for c in columns)} "
        f"FROM ({rows}) d GROUP BY user_id, on_date HAVING {nonzero} "
        f"ORDER BY user_id, on_date ON CONFLICT (user_id, on_date) DO UPDATE SET "
        f"{_upsert_sets('rollup_trial_days', columns)};"
    )
    monday = "(d.on_date - CAST(EXTRACT(ISODOW FROM d.on_date) AS INTEGER) + 1)"
    week_amounts = columns[1:]
    weeks = (
        f" INSERT INTO rollup_trial_weeks (user_id, week_start, pdays, {', '.join(week_amounts)}) "
        f"SELECT d.user_id, {monday}, 0, {', '.join(f'SUM({c})' for c in week_amounts)} "
        f"FROM ({rows}) d GROUP BY 1, 2 ORDER BY 1, 2 "
        f"ON CONFLICT (user_id, week_start) DO UPDATE SET "
        f"{_upsert_sets('rollup_trial_weeks', week_amounts)};"
        " UPDATE rollup_trial_weeks w SET pdays = (SELECT COUNT(*) FROM rollup_trial_days t"
        " WHERE t.user_id = w.user_id AND t.on_date >= w.week_start"
        " AND t.on_date <= w.week_start + 6 AND t.entries > 0)"
        f" WHERE (w.user_id, w.week_start) IN (SELECT DISTINCT d.user_id, {monday} FROM ({rows}) d);"
    )
    return days + weeks


def _pg_function(activities: Sequence[str]) -> str:
    plus = _pg_rows(activities, "new_rows", "+")
    minus = _pg_rows(activities, "old_rows", "-")
    both = plus + " UNION ALL " + minus
    return (
        "CREATE OR REPLACE FUNCTION rollup_recording_sessions() RETURNS trigger "
        "LANGUAGE plpgsql AS $$\n"
        "BEGIN\n"
        f"  IF TG_OP = 'INSERT' THEN {_pg_statements(activities, plus)}\n"
        f"  ELSIF TG_OP = 'DELETE' THEN {_pg_statements(activities, minus)}\n"
        f"  ELSE {_pg_statements(activities, both)}\n"
        "  END IF;\n"
        "  RETURN NULL;\n"
        "END $$"
    )


def _triggers(activities: Sequence[str]) -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_pg_function(activities))
    else:
        for statement in _sqlite_triggers(activities):
            op.execute(statement)


def upgrade() -> None:
    # Plain ADD / DROP COLUMN (SQLite 3.35+), not a batch table copy: on SQLite the rollup
    # triggers of the raw tables name these tables, so renaming a copy into place would fail.
    for table in ROLLUPS:
        op.add_column(
            table, sa.Column('a_network_meeting', sa.Integer(), server_default='0', nullable=False)
        )
    _fill()
    _triggers(NEW_ACTIVITIES)


def _fill() -> None:
    """The new columns from any ``network_meeting`` session already stored (there are none
    unless this database was downgraded past 0019 and upgraded again)."""
    postgres = op.get_bind().dialect.name == "postgresql"
    meetings = "SELECT {cols} FROM recording_sessions WHERE activity = 'network_meeting'"
    if postgres:
        monday = "(local_day - CAST(EXTRACT(ISODOW FROM local_day) AS INTEGER) + 1)"
        sunday = "w.week_start + 6"
    else:
        monday = "date(local_day, 'weekday 0', '-6 days')"
        sunday = "date(w.week_start, '+6 days')"
    op.execute(
        "UPDATE rollup_trial_days SET a_network_meeting = (SELECT COALESCE(SUM(s.active_seconds), "
        "0) FROM recording_sessions s WHERE s.activity = 'network_meeting' "
        "AND s.user_id = rollup_trial_days.user_id AND s.local_day = rollup_trial_days.on_date) "
        f"WHERE (user_id, on_date) IN ({meetings.format(cols='user_id, local_day')})"
    )
    op.execute(
        "UPDATE rollup_trial_weeks SET a_network_meeting = (SELECT COALESCE(SUM("
        "d.a_network_meeting), 0) FROM rollup_trial_days d, rollup_trial_weeks w "
        "WHERE w.user_id = rollup_trial_weeks.user_id AND w.week_start = "
        "rollup_trial_weeks.week_start AND d.user_id = w.user_id AND d.on_date >= w.week_start "
        f"AND d.on_date <= {sunday}) "
        f"WHERE (user_id, week_start) IN ({meetings.format(cols=f'user_id, {monday}')})"
    )


def downgrade() -> None:
    # Rows stay as they are: a network_meeting session keeps its activity (an older version
    # leaves it out of its rollups' activities; upgrading again counts it: _fill).
    _triggers(OLD_ACTIVITIES)
    for table in ROLLUPS:
        op.execute(f"ALTER TABLE {table} DROP COLUMN a_network_meeting")
