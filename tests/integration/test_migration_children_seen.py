"""Migration 0014: a contact's single "child seen" / "seen alone" flags become per-child rows by
the rule its docstring states (children named in "present", else every child of the family), on
both backends."""

from __future__ import annotations

from datetime import date, time

from alembic import command
from sqlalchemy import Boolean, Date, Time, bindparam, text

from storage.engine import make_engine
from storage.migrate import alembic_config, migration_connection, upgrade_to_head


def _migrate(engine, target: str) -> None:  # type: ignore[no-untyped-def]
    config = alembic_config()
    with migration_connection(engine) as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, target)


def test_single_flags_become_per_child_rows(database_url) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine(database_url)
    try:
        _migrate(engine, "0011")
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO teams (id, name, summary_rhythm_weeks, "
                    "visiting_standard_working_days, practitioners_see_team_families) "
                    "VALUES (1, 'North', 6, 10, false)"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO users (id, username, full_name, role, team_id, active) "
                    "VALUES (1, 'sam', 'Sam', 'practitioner', 1, true)"
                )
            )
            for fid, ref in ((1, "FAM-1"), (2, "FAM-2")):
                conn.execute(
                    text(
                        "INSERT INTO families (id, reference, name, team_id, practitioner_id, "
                        "opened_on, address, closure_reason) "
                        "VALUES (:id, :ref, :ref, 1, 1, :on, '', '')"
                    ).bindparams(bindparam("on", type_=Date())),
                    {"id": fid, "ref": ref, "on": date(2025, 1, 1)},
                )
            members = [
                (1, 1, "Lily Hughes", "child"),
                (2, 1, "Josh Hughes", "child"),
                (3, 1, "Kerry Hughes", "parent"),
                (4, 2, "Pat Moss", "parent"),
            ]
            for mid, fid, name, role in members:
                conn.execute(
                    text(
                        "INSERT INTO members (id, family_id, name, role) "
                        "VALUES (:id, :fid, :name, :role)"
                    ),
                    {"id": mid, "fid": fid, "name": name, "role": role},
                )
            contacts = [
                # id, family, present, seen, alone
                (1, 1, "Kerry, Lily (9)", True, True),  # Lily named: only Lily, alone
                (2, 1, "Kerry", True, False),  # no child named: both children
                (3, 1, "Lily, Josh", False, False),  # not seen: no rows
                (4, 2, "Pat", True, False),  # no child in the family: flag cleared
            ]
            for cid, fid, present, seen, alone in contacts:
                conn.execute(
                    text(
                        "INSERT INTO contacts (id, family_id, practitioner_id, on_date, "
                        "start_time, minutes, kind, note, present, child_seen, seen_alone, "
                        "travel_minutes) VALUES (:id, :fid, 1, :on, :at, 30, 'home_visit', "
                        "'Visit.', :present, :seen, :alone, 0)"
                    ).bindparams(
                        bindparam("on", type_=Date()),
                        bindparam("at", type_=Time()),
                        bindparam("seen", type_=Boolean()),
                        bindparam("alone", type_=Boolean()),
                    ),
                    {
                        "id": cid,
                        "fid": fid,
                        "on": date(2025, 3, 3),
                        "at": time(10, 0),
                        "present": present,
                        "seen": seen,
                        "alone": alone,
                    },
                )
        upgrade_to_head(engine)
        with engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT contact_id, member_id, name, alone FROM contact_children_seen "
                    "ORDER BY contact_id, member_id"
                )
            ).all()
            flags = conn.execute(
                text("SELECT id, child_seen, seen_alone FROM contacts ORDER BY id")
            ).all()
            phone = conn.execute(text("SELECT phone FROM teams")).scalar_one()
        assert [tuple(r) for r in rows] == [
            (1, 1, "Lily Hughes", True),
            (2, 1, "Lily Hughes", False),
            (2, 2, "Josh Hughes", False),
        ]
        assert [(i, bool(s), bool(a)) for i, s, a in flags] == [
            (1, True, True),
            (2, True, False),
            (3, False, False),
            (4, False, False),
        ]
        assert phone == ""
    finally:
        engine.dispose()
