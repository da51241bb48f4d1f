"""Importing a time-use diary (SPEC §3 "Baseline"): ``tandem import diary FILE.csv --phase
baseline|trial`` (``tandem import baseline FILE.csv`` is the same with ``--phase baseline``).

The file has the header ``practitioner,date,category,minutes`` (any order). It is imported whole
or not at all: every problem is listed with its line number. A file is never imported twice:
when any of its rows is already stored (same practitioner, date and category, in the same
phase) the whole file is refused, saying how many and which lines; with ``replace=True`` each
practitioner's stored rows of that phase over the file's date range are removed first and the
file's rows take their place (audited as such).

Trial-phase rows are kept apart from everything measured (domain/diary.py): they only
calibrate the diary against the app in the burden report.
"""

from __future__ import annotations

from domain.access import require_role
from domain.audit import AuditAction
from domain.diary import DiaryPhase
from domain.errors import ValidationError
from domain.people import Role
from domain.services.context import Context, audit
from domain.services.recording import (
    BaselineImportError,
    ImportResult,
    parse_baseline_lines,
)

_ENTITY = {DiaryPhase.BASELINE: "baseline", DiaryPhase.TRIAL: "trial_diary"}


def _lines(numbers: list[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:20])
    return shown + (f" and {len(numbers) - 20} more" if len(numbers) > 20 else "")


def import_diary(
    ctx: Context, csv_text: str, phase: DiaryPhase | str, *, replace: bool = False
) -> ImportResult:
    """Import diary rows of ``phase``: all or nothing, never doubled (see the module doc)."""
    try:
        phase = DiaryPhase(phase)
    except ValueError:
        raise ValidationError(
            "phase", f"The phase must be baseline or trial (got {phase!r})."
        ) from None
    with ctx.uow() as uow:
        require_role(ctx, uow, Role.ADMIN, Role.PROJECT_STAFF, what=f"import {phase.label} diaries")
        users = uow.users.list()
        lines = parse_baseline_lines(csv_text, users, ctx.clock.today())
        entries = [e for _, e in lines]
        first, last = min(e.on for e in entries), max(e.on for e in entries)
        people = sorted({e.user_id for e in entries})
        names = {u.id: u.username for u in users}
        replaced = 0
        if replace:
            for uid in people:
                replaced += uow.diary.delete(phase, uid, first, last)
        else:
            stored = uow.diary.keys(phase, people, first, last)
            doubled = [n for n, e in lines if (e.user_id, e.on, e.category.value) in stored]
            if doubled:
                raise BaselineImportError(
                    [
                        f"{len(doubled)} of the file's {len(lines)} rows are already imported "
                        f"(same practitioner, date and category): line{'s' if len(doubled) > 1 else ''} "
                        f"{_lines(doubled)}. Use --replace to replace "
                        f"{'these practitioners' if len(people) > 1 else 'this practitioner'}' "
                        f"{phase.label} rows from {first} to {last} with the file."
                    ]
                )
        count = uow.diary.add(phase, entries)
        detail = f"{count} rows for {len(people)} practitioners"
        if phase is DiaryPhase.TRIAL:
            detail += " (trial-phase diary)"
        if replace:
            who = ", ".join(names.get(uid, str(uid)) for uid in people)
            detail += f"; replaced {replaced} earlier rows of {who} from {first} to {last}"
        audit(ctx, uow, AuditAction.IMPORT, _ENTITY[phase], None, detail=detail)
        uow.commit()
    return ImportResult(count, len(people), first, last, replaced=replaced)


__all__ = ["import_diary"]
