"""The command line and composition root: ``tandem [--db PATH_OR_URL] COMMAND ...``.

Every failure is one clear line on stderr and a non-zero exit; never a traceback. Heavy imports
(SQLAlchemy, Textual) happen inside the commands that need them, so ``tandem --help`` is instant.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from domain.errors import DomainError
from tui.cli_common import CliError
from tui.cli_common import Parser as _Parser
from tui.cli_common import read_file as _read_file

if TYPE_CHECKING:
    from domain.services.admin import UserRow
    from tui.bootstrap import Runtime


def _print_json(obj: object) -> None:
    print(json.dumps(obj, indent=2, ensure_ascii=False, default=str))


# --- commands -------------------------------------------------------------------------------


def cmd_app(args: argparse.Namespace) -> int:
    from tui.bootstrap import open_runtime

    return _run_app(lambda: open_runtime(args.db, create=False), demo=False)


def cmd_demo(args: argparse.Namespace) -> int:
    from tui.bootstrap import fresh_demo_runtime

    return _run_app(lambda: fresh_demo_runtime(args.db), demo=True)


def _run_app(opener: Callable[[], Runtime], *, demo: bool) -> int:
    """Paint first, open the database in a worker: start-up never waits for SQLAlchemy or Alembic."""
    from tui.app import TandemApp

    TandemApp(opener=opener, demo=demo).run()
    return 0


def cmd_seed(args: argparse.Namespace) -> int:
    from storage.seed import seed_database
    from tui.bootstrap import open_for_command

    runtime = open_for_command(args.db, writes=True)
    counts = seed_database(runtime.uow_factory, runtime.clock)
    print(f"Seeded {runtime.display_url}: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    return 0


def cmd_info(args: argparse.Namespace) -> int:
    from storage.info import record_counts
    from storage.migrate import current_revision
    from tui.bootstrap import open_for_command

    runtime = open_for_command(args.db, writes=False)
    counts = record_counts(runtime.engine)
    info = {
        "database": runtime.display_url,
        "schema_revision": current_revision(runtime.engine),
        "counts": counts,
    }
    if args.json:
        _print_json(info)
    else:
        print(f"Database:        {info['database']}")
        print(f"Schema revision: {info['schema_revision']}")
        width = max(len(k) for k in counts)
        for key, value in counts.items():
            print(f"  {key:<{width}}  {value:>9,}")
    return 0


def cmd_teams_add(args: argparse.Namespace) -> int:
    from domain.services import admin
    from tui.bootstrap import open_for_command

    runtime = open_for_command(args.db, writes=True)
    team = admin.create_team(runtime.system_context(), args.name)
    print(f"Created team {team.name!r}.")
    return 0


def cmd_users_add(args: argparse.Namespace) -> int:
    from domain.services import admin
    from tui.bootstrap import open_for_command
    from tui.cli_admin import read_passphrase_stdin

    passphrase = read_passphrase_stdin(args, f"tandem users add {args.username} ...")
    runtime = open_for_command(args.db, writes=True)
    user = admin.create_user(
        runtime.system_context(),
        args.username,
        args.name,
        args.role,
        team_name=args.team,
        passphrase=passphrase,
        one_time=args.one_time,
        reason=args.reason,
    )
    print(f"Created {user.role.label.lower()} {user.username!r}.")
    return 0


def cmd_users_list(args: argparse.Namespace) -> int:
    from domain.services import admin
    from tui.bootstrap import open_for_command

    runtime = open_for_command(args.db, writes=False)
    rows = admin.list_users(runtime.system_context())
    if args.json:
        _print_json([_user_json(u) for u in rows])
    else:
        for u in rows:
            state = "" if u.active else "  (deactivated)"
            print(f"{u.username:<20} {u.role:<14} {u.team or '-':<20} {u.name}{state}")
    return 0


def _user_json(u: UserRow) -> dict[str, object]:
    out: dict[str, object] = {
        "username": u.username,
        "name": u.name,
        "role": u.role,
        "team": u.team,
        "active": u.active,
    }
    if u.role == "practice_lead":
        out["supports"] = list(u.supports_usernames)
    return out


def cmd_users_unlock(args: argparse.Namespace) -> int:
    from domain.services.sign_in import unlock_sign_in
    from tui.bootstrap import open_for_command

    runtime = open_for_command(args.db, writes=True)
    if unlock_sign_in(runtime.system_context(), args.username):
        print(f"Unlocked sign-in for {args.username.strip().lower()!r}.")
    else:
        print(f"{args.username.strip().lower()!r} had no failed sign-ins to clear.")
    return 0


def cmd_import_caseload(args: argparse.Namespace) -> int:
    """JSON, or the council's Annex A workbook, SSDA903 CSV files or CIN census XML."""
    from domain.caseload_grouping import parse_map
    from domain.services import caseload_import
    from tui.bootstrap import open_for_command
    from tui.caseload_files import CaseloadFileError, decode_text, read_caseload_files

    try:
        kind, payload = read_caseload_files(args.paths, args.format)
        mapping = None
        if args.map:
            with open(args.map, "rb") as fh:
                mapping = parse_map(decode_text(fh.read()), args.map)
    except CaseloadFileError as exc:
        raise CliError(str(exc)) from None
    except OSError as exc:
        raise CliError(f"{args.map}: cannot read it ({exc.strerror or exc}).") from None
    runtime = open_for_command(args.db, writes=True)
    ctx = runtime.system_context()
    if kind == "json":
        if args.map or args.team:
            raise CliError("--map and --team are for the council's files, not a JSON caseload.")
        assert isinstance(payload, str)
        data = caseload_import.load_caseload_json(payload)
        result = caseload_import.import_caseload(ctx, data, check=args.check)
    else:
        assert isinstance(payload, list)
        result = caseload_import.import_council_files(
            ctx, payload, mapping=mapping, default_team=args.team, check=args.check
        )
    for line in result.lines():
        print(line)
    return 0


def cmd_import_diary(args: argparse.Namespace) -> int:
    """``import diary FILE --phase baseline|trial [--replace]``; ``import baseline FILE`` is the
    same with ``--phase baseline``."""
    from domain.services.diary import import_diary
    from tui.bootstrap import open_for_command

    text = _read_file(args.file)
    runtime = open_for_command(args.db, writes=True)
    phase = getattr(args, "phase", "baseline")
    result = import_diary(runtime.system_context(), text, phase, replace=args.replace)
    what = "baseline" if phase == "baseline" else "trial-phase diary"
    replaced = f", replacing {result.replaced} earlier rows" if args.replace else ""
    print(
        f"Imported {result.rows} {what} rows for {result.practitioners} practitioners "
        f"({result.first_date} to {result.last_date}) from {args.file}{replaced}."
    )
    return 0


cmd_import_baseline = cmd_import_diary


# --- parser ---------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="tandem", description="Lightweight case recording, with recording burden measured."
    )
    p.add_argument(
        "--db",
        metavar="PATH_OR_URL",
        default=None,
        help="SQLite file or database URL (default: $TANDEM_DATABASE_URL, else the user data directory)",
    )
    p.set_defaults(func=cmd_app)
    sub = p.add_subparsers(dest="command", parser_class=_Parser, metavar="COMMAND")

    sub.add_parser("demo", help="open the app on a fresh demo database").set_defaults(func=cmd_demo)
    sub.add_parser("seed", help="load sample_data/ into an empty database").set_defaults(
        func=cmd_seed
    )
    info = sub.add_parser("info", help="database location, schema revision and record counts")
    info.add_argument("--json", action="store_true", help="print a JSON object")
    info.set_defaults(func=cmd_info)

    teams = sub.add_parser("teams", help="manage teams").add_subparsers(
        dest="teams_cmd", required=True, parser_class=_Parser
    )
    t_add = teams.add_parser("add", help="create a team")
    t_add.add_argument("name")
    t_add.set_defaults(func=cmd_teams_add)
    from tui.cli_admin import register_site, register_teams, register_users

    register_teams(teams)
    register_site(
        sub.add_parser("site", help="settings of the whole trial site").add_subparsers(
            dest="site_cmd", required=True, parser_class=_Parser
        )
    )

    users = sub.add_parser("users", help="manage users").add_subparsers(
        dest="users_cmd", required=True, parser_class=_Parser
    )
    u_add = users.add_parser("add", help="create a user")
    u_add.add_argument("username")
    u_add.add_argument("--name", required=True, help="full name")
    u_add.add_argument(
        "--role",
        required=True,
        choices=["practitioner", "team_manager", "practice_lead", "project_staff", "admin"],
    )
    u_add.add_argument("--team", help="team name (practitioners and team managers)")
    u_add.add_argument(
        "--passphrase-stdin",
        action="store_true",
        help="read the passphrase from the first line of stdin",
    )
    u_add.add_argument(
        "--one-time",
        action="store_true",
        help="the user must choose a new passphrase at their first sign-in",
    )
    u_add.add_argument("--reason", metavar="TEXT", help="why (kept in the audit log)")
    u_add.set_defaults(func=cmd_users_add)
    u_list = users.add_parser("list", help="list users")
    u_list.add_argument("--json", action="store_true")
    u_list.set_defaults(func=cmd_users_list)
    register_users(users)
    u_unlock = users.add_parser("unlock", help="clear a user's failed sign-ins and lock (audited)")
    u_unlock.add_argument("username")
    u_unlock.set_defaults(func=cmd_users_unlock)

    imp = sub.add_parser("import", help="import data").add_subparsers(
        dest="import_cmd", required=True, parser_class=_Parser
    )
    i_case = imp.add_parser(
        "caseload",
        help="families from the council's files: JSON, Ofsted Annex A (.xlsx), SSDA903 (CSV), "
        "CIN census (XML); a later import updates",
    )
    i_case.add_argument("paths", nargs="+", metavar="PATH", help="the file(s) to import")
    i_case.add_argument(
        "--format", choices=["json", "annex-a", "ssda903", "cin"], help="(default: detected)"
    )
    i_case.add_argument(
        "--team", metavar="NAME", help="the team that receives children the files do not allocate"
    )
    i_case.add_argument(
        "--map",
        metavar="FILE",
        help="CSV kind,from,to (worker -> user name, child ID -> family reference, team -> team) "
        "or JSON",
    )
    i_case.add_argument(
        "--check", action="store_true", help="report what would change, and write nothing"
    )
    i_case.set_defaults(func=cmd_import_caseload)
    replace_help = (
        "replace each practitioner's rows over the file's date range (otherwise a file with "
        "rows already imported is refused)"
    )
    i_base = imp.add_parser("baseline", help="pre-trial time-use diary (CSV)")
    i_base.add_argument("file")
    i_base.add_argument("--replace", action="store_true", help=replace_help)
    i_base.set_defaults(func=cmd_import_diary, phase="baseline")
    i_diary = imp.add_parser(
        "diary", help="time-use diary (CSV practitioner,date,category,minutes), either phase"
    )
    i_diary.add_argument("file")
    i_diary.add_argument(
        "--phase",
        choices=("baseline", "trial"),
        required=True,
        help="baseline: the pre-trial diary; trial: kept during the trial to calibrate the app "
        "(never mixed with measured figures)",
    )
    i_diary.add_argument("--replace", action="store_true", help=replace_help)
    i_diary.set_defaults(func=cmd_import_diary)
    from tui.cli_manual import add_import_manual

    add_import_manual(imp)

    for register in EXTRA_COMMANDS:
        register(sub)
    return p


#: Other modules add their sub-commands here (report, audit, backup ...), keeping this file small.
EXTRA_COMMANDS: list[Callable[[argparse._SubParsersAction[_Parser]], None]] = []


def _load_extra_commands() -> None:
    import importlib

    for name in ("tui.cli_report", "tui.cli_trust", "tui.cli_db", "tui.cli_serve"):
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        if module.register not in EXTRA_COMMANDS:  # main() may run more than once
            EXTRA_COMMANDS.append(module.register)


def main(argv: Sequence[str] | None = None) -> int:
    _load_extra_commands()
    try:
        args = build_parser().parse_args(argv)
        return int(args.func(args) or 0)
    except CliError as exc:
        print(f"tandem: {exc}", file=sys.stderr)
        return 2
    except DomainError as exc:
        print(f"tandem: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("tandem: interrupted.", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - the promise is one line, never a traceback
        from tui.bootstrap import describe_failure

        print(f"tandem: {describe_failure(exc)}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
