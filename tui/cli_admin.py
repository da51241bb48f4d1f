"""Command-line administration: ``tandem users ...`` and ``tandem teams ...`` beyond ``add``.

Registered by tui/cli.py (``register_users``, ``register_teams``). Every command calls the same
domain services as the administrator's screen (domain/services/admin.py), acting as the system
(an administrator no one can sign in as); each change is audited with what changed and, given
``--reason``, why.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from domain.people import Team
    from tui.bootstrap import Runtime
    from tui.cli_common import Parser

ROLES = ["practitioner", "team_manager", "practice_lead", "project_staff", "admin"]


class PassphraseMissing(Exception):
    """Raised before the database is opened when no passphrase was given."""


def read_passphrase_stdin(args: argparse.Namespace, how: str) -> str:
    """The first line of standard input; a clear one-line refusal when it was not offered."""
    from tui.cli_common import CliError

    if not getattr(args, "passphrase_stdin", False):
        raise CliError(
            "a passphrase is needed: give it on the first line of standard input with "
            f"--passphrase-stdin, e.g. {how} --passphrase-stdin < pass.txt"
        )
    line = sys.stdin.readline()
    if not line.strip():
        raise CliError("--passphrase-stdin was given but standard input was empty.")
    return line.rstrip("\r\n")


def _runtime(args: argparse.Namespace, *, writes: bool = True) -> Runtime:
    from tui.bootstrap import open_for_command

    return open_for_command(args.db, writes=writes)


def cmd_users_reset_passphrase(args: argparse.Namespace) -> int:
    from domain.services import admin

    passphrase = read_passphrase_stdin(args, f"tandem users reset-passphrase {args.user}")
    user = admin.reset_passphrase(
        _runtime(args).system_context(), args.user, passphrase, reason=args.reason
    )
    print(
        f"Set a one-time passphrase for {user.username!r}: they choose a new one when they "
        "next sign in."
    )
    return 0


def cmd_users_set(args: argparse.Namespace) -> int:
    from domain.services import admin
    from tui.cli_common import CliError

    changes: dict[str, Any] = {}  # as given: update_user checks each
    if args.name is not None:
        changes["full_name"] = args.name
    if args.role is not None:
        changes["role"] = args.role
    if args.team is not None:
        changes["team_name"] = args.team or None  # --team "" removes the team
    if not changes:
        raise CliError("nothing to change: give --name, --role or --team.")
    user = admin.update_user(
        _runtime(args).system_context(),
        args.user,
        reason=args.reason,
        **changes,
    )
    print(f"Updated {user.username!r}.")
    return 0


def cmd_users_deactivate(args: argparse.Namespace) -> int:
    from domain.services import admin

    user = admin.deactivate_user(_runtime(args).system_context(), args.user, reason=args.reason)
    print(f"Deactivated {user.username!r}: they can no longer sign in; their records are kept.")
    return 0


def cmd_users_reactivate(args: argparse.Namespace) -> int:
    from domain.services import admin

    user = admin.reactivate_user(_runtime(args).system_context(), args.user, reason=args.reason)
    print(f"Reactivated {user.username!r}.")
    return 0


def cmd_users_supports(args: argparse.Namespace) -> int:
    from domain.services import admin

    ctx = _runtime(args).system_context()
    if args.change == "add":
        lead = admin.change_supports(ctx, args.lead, add=args.users, reason=args.reason)
    else:
        lead = admin.change_supports(ctx, args.lead, remove=args.users, reason=args.reason)
    names = [u.supports_usernames for u in admin.list_users(ctx) if u.id == lead.id]
    supported = ", ".join(names[0]) if names and names[0] else "no one"
    print(f"{lead.username!r} now supports: {supported}.")
    return 0


def _yes_no(text: str) -> bool:
    value = text.strip().lower()
    if value in ("yes", "y", "true", "1", "on"):
        return True
    if value in ("no", "n", "false", "0", "off"):
        return False
    raise argparse.ArgumentTypeError(f"answer yes or no (got {text!r})")


def _whole(text: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"a whole number is needed (got {text!r})") from None


#: Command-line option -> team setting (domain.services.admin.SETTING_RULES).
TEAM_OPTIONS = {
    "visiting_days": "visiting_standard_working_days",
    "summary_weeks": "summary_rhythm_weeks",
    "cp_first_review_months": "cp_first_review_months",
    "cp_review_months": "cp_later_review_months",
    "cin_review_months": "cin_review_months",
    "early_help_review_months": "early_help_review_months",
    "cla_review_months": "cla_review_months",
}


def cmd_teams_set(args: argparse.Namespace) -> int:
    from domain.services import admin
    from tui.cli_common import CliError

    numbers = {
        setting: getattr(args, option)
        for option, setting in TEAM_OPTIONS.items()
        if getattr(args, option) is not None
    }
    if not numbers and args.team_read is None and args.phone is None:
        raise CliError(
            "nothing to change: give --visiting-days, --summary-weeks, --team-read, --phone or "
            "a review option (see 'tandem teams set --help')."
        )
    team = admin.update_team_settings(
        _runtime(args).system_context(),
        args.name,
        reason=args.reason,
        practitioners_see_team_families=args.team_read,
        phone=args.phone,
        **numbers,
    )
    print(f"Updated team {team.name!r}: " + team_summary(team))
    return 0


def team_dict(team: Team) -> dict[str, object]:
    s = team.settings
    return {
        "name": team.name,
        "visiting_standard_working_days": s.visiting_standard_working_days,
        "summary_rhythm_weeks": s.summary_rhythm_weeks,
        "practitioners_see_team_families": s.practitioners_see_team_families,
        "phone": s.phone,
        "review_rules_months": {
            "cp_first": s.cp_first_review_months,
            "cp_later": s.cp_later_review_months,
            "child_in_need": s.cin_review_months,
            "early_help": s.early_help_review_months,
            "looked_after": s.cla_review_months,
        },
    }


def team_summary(team: Team) -> str:
    s = team.settings
    return (
        f"visiting every {s.visiting_standard_working_days} working days, summaries every "
        f"{s.summary_rhythm_weeks} weeks, team read {'yes' if s.practitioners_see_team_families else 'no'}, "
        f"reviews CP {s.cp_first_review_months}/{s.cp_later_review_months}, "
        f"CIN {s.cin_review_months}, EH {s.early_help_review_months}, "
        f"CLA {s.cla_review_months} months, phone {s.phone or '(not set)'}"
    )


def cmd_teams_list(args: argparse.Namespace) -> int:
    from domain.services import admin

    teams = admin.list_teams(_runtime(args, writes=False).system_context())
    if args.json:
        print(json.dumps([team_dict(t) for t in teams], indent=2, ensure_ascii=False))
    else:
        for t in teams:
            print(f"{t.name}: {team_summary(t)}")
    return 0


def _reason(p: argparse.ArgumentParser) -> None:
    p.add_argument("--reason", metavar="TEXT", help="why (kept in the audit log)")


def register_users(users: argparse._SubParsersAction[Parser]) -> None:
    reset = users.add_parser(
        "reset-passphrase",
        help="give a user a one-time passphrase (they choose a new one at sign-in)",
    )
    reset.add_argument("user", metavar="USER")
    reset.add_argument(
        "--passphrase-stdin",
        action="store_true",
        help="read the one-time passphrase from the first line of stdin",
    )
    _reason(reset)
    reset.set_defaults(func=cmd_users_reset_passphrase)

    set_ = users.add_parser("set", help="change a user's name, role or team")
    set_.add_argument("user", metavar="USER")
    set_.add_argument("--name", metavar="N", help="full name")
    set_.add_argument("--role", metavar="R", choices=ROLES, help=", ".join(ROLES))
    set_.add_argument("--team", metavar="T", help='team name ("" for none)')
    _reason(set_)
    set_.set_defaults(func=cmd_users_set)

    deact = users.add_parser("deactivate", help="stop a leaver signing in (records are kept)")
    deact.add_argument("user", metavar="USER")
    _reason(deact)
    deact.set_defaults(func=cmd_users_deactivate)

    react = users.add_parser("reactivate", help="let a deactivated user sign in again")
    react.add_argument("user", metavar="USER")
    _reason(react)
    react.set_defaults(func=cmd_users_reactivate)

    sup = users.add_parser("supports", help="add or remove practitioners a practice lead supports")
    sup.add_argument("lead", metavar="LEAD")
    sup.add_argument("change", choices=["add", "remove"])
    sup.add_argument("users", metavar="USER", nargs="+")
    _reason(sup)
    sup.set_defaults(func=cmd_users_supports)


def register_teams(teams: argparse._SubParsersAction[Parser]) -> None:
    set_ = teams.add_parser("set", help="change a team's settings")
    set_.add_argument("name", metavar="NAME")
    set_.add_argument(
        "--visiting-days", type=_whole, metavar="N", help="visiting standard (working days)"
    )
    set_.add_argument("--summary-weeks", type=_whole, metavar="N", help="summary rhythm (weeks)")
    set_.add_argument(
        "--team-read",
        type=_yes_no,
        metavar="yes|no",
        help="may practitioners read team-mates' families",
    )
    set_.add_argument(
        "--cp-first-review-months", type=_whole, metavar="N", help="first CP review (months)"
    )
    set_.add_argument(
        "--cp-review-months", type=_whole, metavar="N", help="later CP reviews (months)"
    )
    set_.add_argument("--cin-review-months", type=_whole, metavar="N", help="CIN plan review")
    set_.add_argument(
        "--early-help-review-months", type=_whole, metavar="N", help="Early Help plan review"
    )
    set_.add_argument("--cla-review-months", type=_whole, metavar="N", help="CLA plan review")
    set_.add_argument(
        "--phone",
        metavar="NUMBER",
        help="the team's phone number for families, printed on the family copy of a plan "
        "('' clears it)",
    )
    _reason(set_)
    set_.set_defaults(func=cmd_teams_set)

    lst = teams.add_parser("list", help="list teams and their settings")
    lst.add_argument("--json", action="store_true", help="print a JSON list")
    lst.set_defaults(func=cmd_teams_list)


def cmd_site_show(args: argparse.Namespace) -> int:
    from domain.services import admin

    size = admin.report_min_group(_runtime(args, writes=False).system_context())
    if args.json:
        print(json.dumps({"report_min_group_size": size}))
    else:
        print(f"Smallest group in pseudonymised reports: {size} practitioners")
    return 0


def cmd_site_set(args: argparse.Namespace) -> int:
    from domain.services import admin

    size = admin.set_report_min_group(
        _runtime(args).system_context(), args.report_min_group, reason=args.reason
    )
    print(f"Smallest group in pseudonymised reports: {size} practitioners (audited).")
    return 0


def register_site(site: argparse._SubParsersAction[Parser]) -> None:
    show = site.add_parser("show", help="show the site's settings")
    show.add_argument("--json", action="store_true", help="print a JSON object")
    show.set_defaults(func=cmd_site_show)
    set_ = site.add_parser("set", help="change a site setting (audited)")
    set_.add_argument(
        "--report-min-group",
        required=True,
        type=_whole,
        metavar="N",
        help="smallest group of practitioners shown in a pseudonymised burden report (3 to 50)",
    )
    _reason(set_)
    set_.set_defaults(func=cmd_site_set)
