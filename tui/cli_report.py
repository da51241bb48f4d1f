"""'tandem report burden': the recording-burden report on the command line (SPEC §4).

    tandem report burden [--from DATE] [--to DATE] [--team NAME] [--practitioner USER]
                         [--format table|csv|json] [--names] [--min-group N]

The command runs as the system (an administrator) and is the project's export for analysis, so
it is pseudonymised by default: practitioners appear as stable pseudonyms and groups of
fewer than the site's smallest group (3 unless the administrator set more with
'tandem site set --report-min-group N'; '--min-group' may ask for more) are withheld, exactly as
project staff see it — the file can go to the evaluators as it is. '--names' makes
an identified export (user names and full names, nothing withheld); it is audited as such. A
single '--practitioner' needs '--names' (a pseudonym next to a chosen name would reveal it).
Dates are 'YYYY-MM-DD'; '--from' defaults to the Monday of the first week with trial
records, '--to' to today.

Besides the figures (exposure in practitioner-days; a practitioner-week is 5 of them) the report
gives the change from baseline to trial (median with a bootstrap 95% interval), the
diary-against-app calibration (after 'tandem import diary FILE --phase trial') and the conventions of the
measure: on screen, as '#' lines at the top of the CSV, and as "conventions" in the JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.cli_common import Parser


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"a date must be written YYYY-MM-DD, e.g. 2026-01-31 (got {text!r})"
        ) from None


def _positive(text: str) -> int:
    if not text.strip().isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1 (got {text!r})")
    return int(text)


def cmd_report_burden(args: argparse.Namespace) -> int:
    from domain.services.reports import burden_report
    from tui.bootstrap import open_for_command
    from tui.report.export import report_csv, report_json, rich_report

    runtime = open_for_command(args.db, writes=False)
    report = burden_report(
        runtime.system_context(),
        start=args.start,
        end=args.end,
        team=args.team,
        practitioner=args.practitioner,
        identify=True if args.names else False,
        min_group_size=args.min_group,
        idle_gap_seconds=runtime.idle_gap_seconds,
        long_gap_seconds=runtime.long_gap_seconds,
    )
    if args.format == "json":
        print(json.dumps(report_json(report), indent=2, ensure_ascii=False))
    elif args.format == "csv":
        sys.stdout.write(report_csv(report))
    else:
        from rich.console import Console

        Console().print(rich_report(report))
    return 0


def register(subparsers: argparse._SubParsersAction[Parser]) -> None:
    report = subparsers.add_parser("report", help="reports (recording burden)")
    # The sub-parser class (the CLI's one-line errors) is inherited from ``report``'s own.
    kinds = report.add_subparsers(dest="report_cmd", required=True)
    burden = kinds.add_parser(
        "burden",
        help="minutes recording per minute with families, by week and practitioner, vs baseline",
        description="\n\n".join(__doc__.split("\n\n")[2:]) if __doc__ else None,
    )
    burden.add_argument(
        "--from", dest="start", type=_iso_date, metavar="DATE", help="first day (YYYY-MM-DD)"
    )
    burden.add_argument(
        "--to", dest="end", type=_iso_date, metavar="DATE", help="last day (default: today)"
    )
    burden.add_argument("--team", metavar="NAME", help="one team (default: everyone)")
    burden.add_argument("--practitioner", metavar="USER", help="one practitioner (needs --names)")
    burden.add_argument("--format", choices=("table", "csv", "json"), default="table")
    burden.add_argument(
        "--names",
        action="store_true",
        help="show user names instead of pseudonyms (an identified export; audited)",
    )
    burden.add_argument(
        "--min-group",
        type=_positive,
        metavar="N",
        help="smallest group shown in a pseudonymised report (default: the site's setting, see "
        "'tandem site'; the command runs as the administrator, so a smaller one is allowed "
        "here, and the number used is in the audit log and the output)",
    )
    burden.set_defaults(func=cmd_report_burden)
