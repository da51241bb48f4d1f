"""Command-line trust commands: ``tandem audit``, ``tandem backup`` and ``tandem restore``.

Loaded by tui/cli.py (``register``). Each command acts as the system (an administrator) and is
audited: listing the audit log adds a VIEW event, a backup an EXPORT event (written before the
copy is taken, so the backup holds the record of itself), a restore an IMPORT event in the
restored database.
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from typing import TYPE_CHECKING

from domain.clock import to_local
from domain.errors import ValidationError

if TYPE_CHECKING:
    from collections.abc import Iterable

    from domain.services.audit_log import AuditEntry
    from tui.cli_common import Parser

AUDIT_COLUMNS = ("when", "who", "action", "entity", "family", "detail")


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(
            "from", f"--from must be a date written YYYY-MM-DD, e.g. 2025-03-01 (got {text!r})."
        ) from None


def _entity(entry: AuditEntry) -> str:
    return entry.entity if entry.entity_id is None else f"{entry.entity} {entry.entity_id}"


def audit_table(entries: Iterable[AuditEntry]) -> list[str]:
    """The lines of the readable table: one header, one line per event (control characters in
    stored text made visible, so nothing in the log can drive the terminal)."""
    from tui.text import sanitise

    rows: list[tuple[str, ...]] = [
        (
            f"{to_local(e.at):%Y-%m-%d %H:%M:%S}",
            e.user,
            e.action.value,
            _entity(e),
            e.family or "-",
            e.detail,
        )
        for e in entries
    ]
    rows = [tuple(sanitise(v, single_line=True) for v in row) for row in rows]
    header = tuple(c.upper() for c in AUDIT_COLUMNS)
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header) - 1)]
    lines = []
    for row in [header, *rows]:
        cells = [f"{v:<{w}}" for v, w in zip(row[:-1], widths, strict=True)]
        lines.append("  ".join([*cells, row[-1]]).rstrip())
    return lines


def cmd_audit_verify(args: argparse.Namespace) -> int:
    """``tandem audit --verify``: walk the hash chain; exit 1 naming the first broken event."""
    import sys

    from domain.services.audit_log import verify_audit
    from tui.bootstrap import open_runtime

    runtime = open_runtime(args.db)
    try:
        result = verify_audit(runtime.system_context())
    finally:
        runtime.engine.dispose()
    if not result.chained or result.check is None:
        print(
            "This database keeps no hash chain (PostgreSQL): the audit log is protected by "
            "database roles instead; the app's login may only read and add to it (see "
            "'tandem db roles')."
        )
        return 0
    check = result.check
    if check.intact:
        print(f"Audit log intact, {check.events} event{'' if check.events == 1 else 's'}.")
        if check.head:
            print(f"Newest hash: {check.head} (keep it elsewhere to check the log later)")
        return 0
    print(
        f"tandem: audit log BROKEN at event {check.broken_at}: {check.reason} "
        f"({check.events - 1} events before it are intact).",
        file=sys.stderr,
    )
    return 1


def cmd_audit(args: argparse.Namespace) -> int:
    from domain.services.audit_log import list_audit
    from tui.bootstrap import open_for_command

    if getattr(args, "verify", False):
        return cmd_audit_verify(args)
    since = _day(args.since) if args.since else None
    runtime = open_for_command(args.db, writes=False)
    try:
        entries = list_audit(
            runtime.system_context(),
            family=args.family,
            user=args.user,
            since=since,
            limit=args.limit,
        )
    finally:
        runtime.engine.dispose()
    if args.json:
        print(json.dumps([e.as_dict() for e in entries], indent=2, ensure_ascii=False))
        return 0
    if not entries:
        print("No audit events match.")
        return 0
    for line in audit_table(entries):
        print(line)
    print(f"({len(entries)} event{'' if len(entries) == 1 else 's'})")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from domain.audit import AuditAction
    from domain.services.audit_log import record_maintenance
    from storage.backup import backup_database, check_backup_destination
    from storage.engine import configured_database_url
    from tui.bootstrap import open_for_command

    url = configured_database_url(args.db)
    runtime = open_for_command(args.db, writes=False)  # refuses a missing database first
    target = check_backup_destination(url, args.dest, overwrite=args.force)
    try:
        record_maintenance(runtime.system_context(), AuditAction.EXPORT, f"backup to {target}")
    finally:
        runtime.engine.dispose()
    result = backup_database(url, target, overwrite=args.force)
    print(
        f"Backed up {runtime.display_url} to {result.path}: {result.total_rows:,} rows in "
        f"{len(result.rows)} tables, {result.bytes:,} bytes, checked ({result.seconds:.1f} s)."
    )
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from domain.audit import AuditAction
    from domain.services.audit_log import record_maintenance
    from storage.backup import restore_database
    from storage.engine import configured_database_url
    from tui.bootstrap import open_runtime

    url = configured_database_url(args.db)
    result = restore_database(args.src, url, force=args.force)
    runtime = open_runtime(args.db)  # brings an older backup up to the current schema
    kept = f"; the database it replaced was kept at {result.previous}" if result.previous else ""
    try:
        record_maintenance(
            runtime.system_context(), AuditAction.IMPORT, f"restored from {result.source}{kept}"
        )
    finally:
        runtime.engine.dispose()
    print(
        f"Restored {runtime.display_url} from {result.source}: {result.total_rows:,} rows in "
        f"{len(result.rows)} tables, checked{kept}."
    )
    return 0


def register(sub: argparse._SubParsersAction[Parser]) -> None:
    audit = sub.add_parser(
        "audit",
        help="list the audit log (who viewed or changed what, and when)",
        description="List audit events, oldest first. Runs as the system (an administrator); "
        "the listing is itself audited.",
    )
    audit.add_argument("--family", metavar="REF", help="only events about this family")
    audit.add_argument("--user", metavar="NAME", help="only events by this user name ('system')")
    audit.add_argument(
        "--from", dest="since", metavar="DATE", help="only events on or after DATE (YYYY-MM-DD)"
    )
    audit.add_argument("--limit", type=int, metavar="N", help="only the newest N events")
    audit.add_argument("--json", action="store_true", help="print a JSON list")
    audit.add_argument(
        "--verify",
        action="store_true",
        help="check the audit log's hash chain (SQLite): 'intact, N events' or the first broken "
        "event, with exit status 1",
    )
    audit.set_defaults(func=cmd_audit)

    backup = sub.add_parser(
        "backup",
        help="copy the SQLite database to DEST while it may be in use",
        description="Copy the SQLite database with SQLite's online backup API (safe while the "
        "app is in use) and check the copy. DEST is a file, or a folder to put a dated file in. "
        "For PostgreSQL use pg_dump (see README).",
    )
    backup.add_argument("dest", metavar="DEST")
    backup.add_argument("--force", action="store_true", help="replace DEST if it exists")
    backup.set_defaults(func=cmd_backup)

    restore = sub.add_parser(
        "restore",
        help="replace the SQLite database with the backup SRC",
        description="Replace the database with a backup made by 'tandem backup'. Refuses a "
        "database that already holds records unless --force is given (a copy of it is then kept "
        "next to it first).",
    )
    restore.add_argument("src", metavar="SRC")
    restore.add_argument(
        "--force", action="store_true", help="replace a database that holds records"
    )
    restore.set_defaults(func=cmd_restore)
