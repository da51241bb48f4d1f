"""``tandem import manual FILE.csv [--replace]``: manual recording time collected on paper.

Loaded by tui/cli.py (``add_import_manual``). Acts as the system (an administrator); audited by
the service (domain/services/manual_time.py). All rows or none: every problem is printed with its
line number, one per line, and the exit status is non-zero.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.cli_common import Parser


def cmd_import_manual(args: argparse.Namespace) -> int:
    from domain.services.manual_time import import_manual
    from tui.bootstrap import open_for_command
    from tui.cli_common import read_file as _read_file

    text = _read_file(args.file)
    runtime = open_for_command(args.db, writes=True)
    result = import_manual(runtime.system_context(), text, replace_existing=args.replace)
    replaced = f"; replaced {result.replaced} earlier entries" if args.replace else ""
    print(
        f"Imported {result.rows} manual entries for {result.practitioners} practitioners "
        f"({result.first_date} to {result.last_date}) from {args.file}{replaced}."
    )
    return 0


def add_import_manual(imports: argparse._SubParsersAction[Parser]) -> None:
    """Add ``manual`` to the ``tandem import`` sub-commands."""
    p = imports.add_parser(
        "manual",
        help="manual recording time collected on paper (CSV)",
        description=(
            "Header practitioner,date,kind,minutes (optionally family, note); dates dd/mm/yyyy "
            "or yyyy-mm-dd; kind legacy_system, court_statement, letters_email or other. All "
            "rows or none. A row already imported (same practitioner, date and kind) refuses "
            "the file unless --replace is given."
        ),
    )
    p.add_argument("file")
    p.add_argument(
        "--replace",
        action="store_true",
        help=(
            "first remove the file's practitioners' entries of the file's kinds over its date "
            "range, then import (audited)"
        ),
    )
    p.set_defaults(func=cmd_import_manual)
