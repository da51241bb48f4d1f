"""The command line and composition root: ``tandem [--db PATH_OR_URL] COMMAND ...``.

Every failure is one clear line on stderr and a non-zero exit; never a traceback. Heavy imports
(SQLAlchemy, Textual) happen inside the commands that need them, so ``tandem --help`` is instant.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence

from domain.errors import DomainError


class CliError(Exception):
    """A failure to report as one line."""


def _print_json(obj: object) -> None:
    print(json.dumps(obj, indent=2, ensure_ascii=False, default=str))


# --- commands -------------------------------------------------------------------------------


def cmd_app(args: argparse.Namespace) -> int:
    from tui.bootstrap import open_runtime

    return _run_app(lambda: open_runtime(args.db), demo=False)


def cmd_demo(args: argparse.Namespace) -> int:
    from tui.bootstrap import fresh_demo_runtime

    return _run_app(lambda: fresh_demo_runtime(args.db), demo=True)


def _run_app(opener, *, demo: bool) -> int:  # type: ignore[no-untyped-def]
    """Paint first, open the database in a worker: start-up never waits for SQLAlchemy or Alembic."""
    from tui.app import TandemApp

    TandemApp(opener=opener, demo=demo).run()
    return 0


def cmd_seed(args: argparse.Namespace) -> int:
    from storage.seed import seed_database
    from tui.bootstrap import open_runtime

    runtime = open_runtime(args.db)
    counts = seed_database(runtime.uow_factory, runtime.clock)
    print(f"Seeded {runtime.display_url}: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    return 0


def cmd_info(args: argparse.Namespace) -> int:
    from storage.info import record_counts
    from storage.migrate import current_revision
    from tui.bootstrap import open_runtime

    runtime = open_runtime(args.db)
    info = {
        "database": runtime.display_url,
        "schema_revision": current_revision(runtime.engine),
        "counts": record_counts(runtime.engine),
    }
    if args.json:
        _print_json(info)
    else:
        print(f"Database:        {info['database']}")
        print(f"Schema revision: {info['schema_revision']}")
        width = max(len(k) for k in info["counts"])
        for key, value in info["counts"].items():
            print(f"  {key:<{width}}  {value:>9,}")
    return 0


def cmd_teams_add(args: argparse.Namespace) -> int:
    from domain.services import admin
    from tui.bootstrap import open_runtime

    runtime = open_runtime(args.db)
    team = admin.create_team(runtime.system_context(), args.name)
    print(f"Created team {team.name!r}.")
    return 0


def _read_passphrase(args: argparse.Namespace) -> str | None:
    if not args.passphrase_stdin:
        return None
    line = sys.stdin.readline()
    if not line:
        raise CliError("--passphrase-stdin was given but standard input was empty.")
    return line.rstrip("\r\n")


def cmd_users_add(args: argparse.Namespace) -> int:
    from domain.services import admin
    from tui.bootstrap import open_runtime

    passphrase = _read_passphrase(args)
    runtime = open_runtime(args.db)
    user = admin.create_user(
        runtime.system_context(),
        args.username,
        args.name,
        args.role,
        team_name=args.team,
        passphrase=passphrase,
    )
    print(f"Created {user.role.label.lower()} {user.username!r}.")
    return 0


def cmd_users_list(args: argparse.Namespace) -> int:
    from domain.services import admin
    from tui.bootstrap import open_runtime

    runtime = open_runtime(args.db)
    rows = admin.list_users(runtime.system_context())
    if args.json:
        _print_json(
            [{"username": u.username, "name": u.name, "role": u.role, "team": u.team} for u in rows]
        )
    else:
        for u in rows:
            print(f"{u.username:<20} {u.role:<14} {u.team or '-':<20} {u.name}")
    return 0


def _read_file(path: str) -> str:
    try:
        with open(path, encoding="utf-8-sig") as fh:
            return fh.read()
    except FileNotFoundError:
        raise CliError(f"{path}: no such file.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CliError(f"{path}: cannot read it ({exc}).") from None


def cmd_import_caseload(args: argparse.Namespace) -> int:
    from domain.services import families
    from tui.bootstrap import open_runtime

    text = _read_file(args.file)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CliError(
            f"{args.file}: not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}."
        ) from None
    runtime = open_runtime(args.db)
    result = families.import_caseload(runtime.system_context(), data)
    print(f"Imported {result.families} families with {result.members} members from {args.file}.")
    return 0


def cmd_import_baseline(args: argparse.Namespace) -> int:
    from domain.services import recording
    from tui.bootstrap import open_runtime

    text = _read_file(args.file)
    runtime = open_runtime(args.db)
    result = recording.import_baseline(runtime.system_context(), text)
    print(
        f"Imported {result.rows} baseline rows for {result.practitioners} practitioners "
        f"({result.first_date} to {result.last_date}) from {args.file}."
    )
    return 0


# --- parser ---------------------------------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise CliError(f"{message} (see '{self.prog} --help').")


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
    u_add.set_defaults(func=cmd_users_add)
    u_list = users.add_parser("list", help="list users")
    u_list.add_argument("--json", action="store_true")
    u_list.set_defaults(func=cmd_users_list)

    imp = sub.add_parser("import", help="import data").add_subparsers(
        dest="import_cmd", required=True, parser_class=_Parser
    )
    i_case = imp.add_parser("caseload", help="families from the council's main system (JSON)")
    i_case.add_argument("file")
    i_case.set_defaults(func=cmd_import_caseload)
    i_base = imp.add_parser("baseline", help="pre-trial time-use diary (CSV)")
    i_base.add_argument("file")
    i_base.set_defaults(func=cmd_import_baseline)

    for register in EXTRA_COMMANDS:
        register(sub)
    return p


#: Other modules add their sub-commands here (report, audit, backup ...), keeping this file small.
EXTRA_COMMANDS: list[Callable[[argparse._SubParsersAction], None]] = []


def _load_extra_commands() -> None:
    import importlib

    for name in ("tui.cli_report", "tui.cli_trust", "tui.cli_serve"):
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
