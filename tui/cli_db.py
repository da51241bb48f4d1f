"""``tandem db roles`` and ``tandem db upgrade``: least privilege on PostgreSQL;
``tandem db rebuild-rollups``: the burden report's rollups checked against the raw rows.

Loaded by tui/cli.py (``register``). ``db roles`` prints the SQL that creates the schema owner and
the app's runtime role with their grants (storage/pg_roles.py), or runs it with ``--run`` on the
database named by ``--db`` (an administrator's URL). ``db upgrade`` migrates the database as the
login in ``--db`` (or $TANDEM_MIGRATION_DATABASE_URL): the schema owner.
"""

from __future__ import annotations

import argparse
import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.cli_common import Parser


def cmd_db_roles(args: argparse.Namespace) -> int:
    from storage.engine import configured_database_url, is_sqlite_url
    from storage.pg_roles import apply_roles, roles_sql

    if args.run:
        if not args.db:
            from domain.errors import ValidationError

            raise ValidationError(
                "db", "--run needs --db with an administrator's URL of the PostgreSQL database."
            )
        database: str | None = apply_roles(
            args.db, args.owner, args.runtime, reassign_from=args.reassign_from
        )
        print(
            f"Roles {args.owner} (schema owner) and {args.runtime} (the app's login) set up on "
            f"database {database}. Next: set their passwords, run `tandem db upgrade` as "
            f"{args.owner}, and point the app at {args.runtime}."
        )
        return 0
    database = args.database
    if database is None:
        url = (
            configured_database_url(args.db)
            if (args.db or os.environ.get("TANDEM_DATABASE_URL"))
            else ""
        )
        if url and not is_sqlite_url(url):
            from sqlalchemy.engine import make_url

            database = make_url(url).database
    print(
        roles_sql(args.owner, args.runtime, database or "tandem", reassign_from=args.reassign_from),
        end="",
    )
    return 0


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from storage.engine import configured_database_url, make_engine, redact_url
    from storage.migrate import upgrade_to_head

    url = configured_database_url(args.db or os.environ.get("TANDEM_MIGRATION_DATABASE_URL"))
    engine = make_engine(url)
    try:
        head = upgrade_to_head(engine)
    finally:
        engine.dispose()
    print(f"{redact_url(url)}: schema at revision {head}.")
    return 0


def cmd_db_rebuild_rollups(args: argparse.Namespace) -> int:
    """Exit 0 when the rollups agreed with the raw rows; 1 when any rollup row differed
    (they are rebuilt unless --check), so a scheduled check notices: a difference means a write
    went round the triggers (or a migration dropped one) and the cause wants finding."""
    from storage.engine import configured_database_url, make_engine
    from storage.rollups import missing_triggers, rebuild

    engine = make_engine(configured_database_url(args.db))
    try:
        from storage.migrate import upgrade_to_head

        upgrade_to_head(engine)
        with engine.connect() as connection:
            missing = missing_triggers(connection)
        check = rebuild(engine, check_only=args.check)
    finally:
        engine.dispose()
    print(
        f"Rollups from the raw rows: {check.trial_days:,} trial practitioner-days, "
        f"{check.diary_days:,} diary practitioner-days."
    )
    if missing:
        print(
            f"Missing triggers ({', '.join(missing)}): writes to those tables do not update the "
            "rollups. A migration that rebuilt the table dropped them; restore them in a new "
            "migration (see migration 0013)."
        )
    if not check.differing_days:
        print("The stored rollups agree with the raw rows" + ("." if args.check else "; kept."))
        return 1 if missing else 0
    n = check.differing_days
    print(
        f"{n:,} rollup row{'' if n == 1 else 's'} differed from the raw rows "
        "(per practitioner-day, or -week for rollup_trial_weeks):"
    )
    for d in check.differences:
        phase = f" {d.phase}" if d.phase else ""
        changes = ", ".join(f"{c} {s} -> {f}" for c, (s, f) in d.columns.items())
        print(f"  {d.table}{phase} user {d.user_id} {d.on_date}: {changes}")
    if n > len(check.differences):
        print(f"  ... and {n - len(check.differences):,} more")
    if check.rebuilt:
        print("The rollups were rebuilt from the raw rows; the report now agrees with them.")
    else:
        print("--check: the rollups were not changed; run without --check to rebuild them.")
    return 1


def register(sub: argparse._SubParsersAction[Parser]) -> None:
    db = sub.add_parser(
        "db", help="database roles and schema upgrades (PostgreSQL least privilege)"
    ).add_subparsers(dest="db_cmd", required=True, parser_class=sub._parser_class)
    roles = db.add_parser(
        "roles",
        help="print (or --run) the SQL creating the schema owner and the app's runtime role",
        description="Print the SQL that creates two PostgreSQL roles: OWNER owns and migrates the "
        "schema; RUNTIME is the app's login, with the DML it needs on every table but only SELECT "
        "and INSERT on the audit log. With --run, run it on the database of --db (a superuser's "
        "URL). Passwords are not set: set them with psql's \\password.",
    )
    roles.add_argument(
        "--owner", default="tandem_owner", help="schema owner role (default tandem_owner)"
    )
    roles.add_argument(
        "--runtime", default="tandem_app", help="the app's role (default tandem_app)"
    )
    roles.add_argument(
        "--database", help="database name in the script (default: from --db, else tandem)"
    )
    roles.add_argument(
        "--reassign-from",
        metavar="ROLE",
        help="hand everything ROLE owns in this database to OWNER (an older set-up where the app's "
        "own login owned the schema)",
    )
    roles.add_argument("--run", action="store_true", help="run the script on --db (an admin's URL)")
    roles.set_defaults(func=cmd_db_roles)
    upgrade = db.add_parser(
        "upgrade",
        help="bring the schema up to date, as the schema owner",
        description="Run the migrations as the login in --db (default: "
        "$TANDEM_MIGRATION_DATABASE_URL, else the usual database). On PostgreSQL use the schema "
        "owner's URL; the app's runtime role may not change the schema.",
    )
    upgrade.set_defaults(func=cmd_db_upgrade)
    rollups = db.add_parser(
        "rebuild-rollups",
        help="rebuild the burden report's per-day rollups from the raw rows, reporting differences",
        description="Add up every practitioner-day again from the contacts, recording sessions, "
        "manual entries and diary rows, compare with the stored rollups the report reads, and "
        "replace them (one transaction). Prints each practitioner-day that differed. Exit "
        "status 0: they agreed; 1: some differed (rebuilt unless --check) or a rollup trigger "
        "is missing.",
    )
    rollups.add_argument("--check", action="store_true", help="compare only; change nothing")
    rollups.set_defaults(func=cmd_db_rebuild_rollups)
