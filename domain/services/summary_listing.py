"""What the Summaries tab shows beside each summary and each version: who wrote it, who saved it
last and when, who reviewed it. Read-only companions of domain/services/summaries.py, with the
same access rule (read access to the family) and an audited view.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.access import Access, load_family
from domain.audit import AuditAction
from domain.errors import NotFound
from domain.ports import UnitOfWork
from domain.services.context import Context, audit
from domain.services.summaries import load_versions
from domain.summaries import Summary, SummaryVersion


def _names(uow: UnitOfWork, ids: set[int | None]) -> dict[int, str]:
    out: dict[int, str] = {}
    for user_id in ids:
        if user_id is None:
            continue
        try:
            out[user_id] = uow.users.get(user_id).full_name
        except NotFound:
            out[user_id] = "someone"
    return out


@dataclass(frozen=True)
class SummaryListing:
    summary: Summary
    author_name: str
    #: The last version: when and by whom the summary was last saved or moved on.
    updated_at: datetime | None
    updated_by_name: str
    reviewer_name: str


@dataclass(frozen=True)
class VersionInfo:
    version: SummaryVersion
    by_name: str


def summary_listing(ctx: Context, family_id: int) -> list[SummaryListing]:
    """The family's summaries (newest period first) with the names shown beside them."""
    with ctx.read() as uow:
        family = load_family(ctx, uow, family_id, Access.READ)
        summaries = uow.summaries.for_family(family.saved_id)
        last: dict[int, SummaryVersion | None] = {}
        for s in summaries:
            versions = uow.summaries.versions(s.id) if s.id is not None else []
            last[s.id or 0] = versions[-1] if versions else None
        names = _names(
            uow,
            {s.author_id for s in summaries}
            | {s.reviewer_id for s in summaries}
            | {v.by_user for v in last.values() if v is not None},
        )
        out = []
        for s in summaries:
            v = last[s.id or 0]
            out.append(
                SummaryListing(
                    summary=s,
                    author_name=names.get(s.author_id, "someone"),
                    updated_at=v.at if v else s.created_at,
                    updated_by_name=names.get(v.by_user, "someone") if v else "",
                    reviewer_name=names.get(s.reviewer_id, "") if s.reviewer_id else "",
                )
            )
        audit(ctx, uow, AuditAction.VIEW, "summary", None, family_id=family.id, detail="list")
        uow.commit()
    return out


def version_history(ctx: Context, summary_id: int) -> list[VersionInfo]:
    """Every version of the summary, oldest first, with the name of whoever made it."""
    with ctx.read() as uow:
        versions = load_versions(ctx, uow, summary_id)
        names = _names(uow, {u for v in versions for u in (v.by_user, v.co_author_id)})
        uow.commit()
    return [VersionInfo(v, _authors(names, v)) for v in versions]


def _authors(names: dict[int, str], version: SummaryVersion) -> str:
    """Who made a version: one name, or both when it merged someone else's version."""
    by = names.get(version.by_user, "someone")
    if version.co_author_id is None:
        return by
    return f"{by} & {names.get(version.co_author_id, 'someone')}"


__all__ = ["SummaryListing", "VersionInfo", "summary_listing", "version_history"]
