"""Case summaries: write (draft), submit, and the manager's review (approve / return), with every
version kept (SPEC §3 "Case summary").

Who may do what:

* write, save and submit: anyone with write access to the family (its allocated practitioner or
  the team's manager);
* approve or return: a team manager of the family's team; a summary cannot be approved by its
  author or by anyone who saved a version of its text;
* discard (remove for good): anyone with write access to the family, and only a draft that was
  never submitted (one started by mistake); a summary that has been submitted, returned ones
  included, is part of the record and is never removed;
* read (summaries, versions, the period's contacts): anyone with read access to the family.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from domain.access import Access, deny, load_family, refuse, require_role, require_user
from domain.audit import AuditAction, family_list_detail
from domain.clock import local_date, to_local
from domain.errors import Conflict, NotFound, ValidationError
from domain.families import Family
from domain.merge import Merge, three_way
from domain.people import Role
from domain.ports import UnitOfWork
from domain.scaling import summary_text
from domain.services.context import Context, audit
from domain.services.revisions import merged_revision, next_number, save_revision
from domain.summaries import (
    Summary,
    SummaryEvent,
    SummarySection,
    SummaryStatus,
    SummaryVersion,
    clean_sections,
    discard_refusal,
)
from domain.timeuse import Contact
from domain.validate import not_future, required_text


def _day(d: date) -> str:
    return f"{d.day} {d:%b %Y}"


def _user_name(uow: UnitOfWork, user_id: int | None) -> str:
    if user_id is None:
        return "someone"
    try:
        return uow.users.get(user_id).full_name
    except NotFound:
        return "someone"


def draft_key(summary_id: int) -> str:
    """The key of the autosaved editor text of a summary (domain/services/drafts.py)."""
    return f"summary:{summary_id}"


def _load(ctx: Context, uow: UnitOfWork, summary_id: int, need: Access) -> tuple[Summary, Family]:
    summary = uow.summaries.get(summary_id)
    family = load_family(ctx, uow, summary.family_id, need)
    return summary, family


def _refused(
    ctx: Context, uow: UnitOfWork, summary: Summary, what: str, field: str, message: str
) -> ValidationError:
    """A refusal of a summary change (its state, or who wrote it): audited as a denial."""
    return refuse(
        ctx,
        uow,
        ValidationError(field, message),
        what=what,
        entity="summary",
        entity_id=summary.id,
        family_id=summary.family_id,
    )


def _store(
    ctx: Context,
    uow: UnitOfWork,
    summary: Summary,
    event: SummaryEvent,
    *,
    expected: int | None,
    action: AuditAction,
    detail: str = "",
    comment: str = "",
    co_author: int | None = None,
) -> Summary:
    """Append the next version, save ``summary`` at it (Conflict if someone got there first)
    and audit the save as ``action``."""
    version = SummaryVersion(
        number=next_number(expected),
        event=event,
        status=summary.status,
        sections=dict(summary.sections),
        period_start=summary.period_start,
        period_end=summary.period_end,
        by_user=ctx.acting_id,
        at=ctx.clock.now(),
        comment=comment,
        co_author_id=co_author,
    )
    return save_revision(
        ctx,
        uow,
        uow.summaries,
        summary,
        version,
        expected=expected,
        action=action,
        entity="summary",
        family_id=summary.family_id,
        detail=detail,
    )


SAVE_REFUSED = (
    "so your changes were not saved over theirs. Both texts are kept: yours stays in your editor."
)


def _check_base(
    uow: UnitOfWork, summary: Summary, base_version: int | None, refused: str = SAVE_REFUSED
) -> None:
    """Conflict (naming who saved, and when) if the summary moved on from ``base_version``."""
    if base_version is None or base_version == summary.version:
        return
    versions = uow.summaries.versions(summary.saved_id)
    last = versions[-1] if versions else None
    who = _user_name(uow, last.by_user) if last else "someone"
    when = f" at {to_local(last.at):%H:%M} on {_day(local_date(last.at))}" if last else ""
    raise Conflict(
        f"{who} changed this summary{when} after you opened it, {refused}",
        current_revision=summary.version,
    )


def start_summary(
    ctx: Context,
    family_id: int,
    period_start: date | None = None,
    period_end: date | None = None,
) -> Summary:
    """Begin a draft summary. The period defaults to the day after the last summary's period
    (or the day the family was opened) up to today. Only one summary per family may be in
    progress (draft or returned) at a time. Its "Latest scaling" section starts filled in from
    the recorded scaling (domain.scaling.summary_text), for the author to edit."""
    today = ctx.clock.today()
    with ctx.uow() as uow:
        family = load_family(ctx, uow, family_id, Access.WRITE)
        existing = uow.summaries.for_family(family.saved_id)
        open_one = next((s for s in existing if s.is_editable), None)
        if open_one is not None:
            raise _refused(
                ctx,
                uow,
                open_one,
                "start a summary",
                "summary",
                f"Family {family.reference} already has a summary in progress "
                f"({_day(open_one.period_start)} to {_day(open_one.period_end)}); "
                "carry on with that one.",
            )
        if period_end is None:
            period_end = today
        not_future("period_end", "The end of the period", period_end, today)
        if period_start is None:
            if existing:
                period_start = max(s.period_end for s in existing) + timedelta(days=1)
            else:
                period_start = family.opened_on
            period_start = min(period_start, period_end)
        scaling = summary_text(uow.mappings.ratings(family.saved_id))
        summary = Summary(
            family_id=family.saved_id,
            author_id=ctx.acting_id,
            period_start=period_start,
            period_end=period_end,
            created_at=ctx.clock.now(),
            sections={SummarySection.LATEST_SCALING: scaling} if scaling else {},
        )
        summary = _store(
            ctx, uow, summary, SummaryEvent.SAVED, expected=None, action=AuditAction.CREATE
        )
        uow.commit()
    return summary


def save_summary(
    ctx: Context,
    summary_id: int,
    sections: dict[SummarySection | str, str],
    base_version: int,
    *,
    period_start: date | None = None,
    period_end: date | None = None,
    merged_with: int | None = None,
) -> Summary:
    """Save the text of some or all sections (sections not given keep their text).

    ``base_version`` is the version the user opened; if someone saved since, Conflict is raised
    and nothing is stored (the caller keeps the user's text as a draft, and merges: see
    :func:`merge_summary`). ``merged_with`` names the other person's version a merged text
    includes: the new version and the audit log then record both authors."""
    cleaned = clean_sections(sections)
    with ctx.uow() as uow:
        summary, family = _load(ctx, uow, summary_id, Access.WRITE)
        if not summary.is_editable:
            raise _refused(
                ctx,
                uow,
                summary,
                "change a summary",
                "status",
                f"This summary is {summary.status.label.lower()} and can no longer be changed.",
            )
        _check_base(uow, summary, base_version)
        start = period_start or summary.period_start
        end = period_end or summary.period_end
        not_future("period_end", "The end of the period", end, ctx.clock.today())
        updated = replace(
            summary,
            period_start=start,
            period_end=end,
            sections={**summary.sections, **cleaned},
        )
        if (updated.sections, updated.period_start, updated.period_end) == (
            summary.sections,
            summary.period_start,
            summary.period_end,
        ):
            return summary
        merged = merged_revision(merged_with, lambda: uow.summaries.versions(summary.saved_id))
        note = (
            f"Merged with version {merged.number} by {_user_name(uow, merged.author_id)}."
            if merged
            else ""
        )
        changed = sorted(s.value for s in cleaned if cleaned[s] != summary.sections.get(s, ""))
        saved = _store(
            ctx,
            uow,
            updated,
            SummaryEvent.SAVED,
            expected=summary.version,
            action=AuditAction.UPDATE,
            detail=f"version {next_number(summary.version)}; "
            f"sections: {', '.join(changed) or 'none'}" + (f"; {note}" if note else ""),
            comment=note,
            co_author=merged.co_author(ctx.user_id) if merged else None,
        )
        uow.commit()
    return saved


@dataclass(frozen=True)
class SummaryMerge:
    """The editor's text merged with what was saved since it was opened."""

    merge: Merge[SummarySection]
    #: The version stored now (the next save is made against it).
    current_version: int
    #: Who saved the versions since the editor's base, in order.
    their_names: tuple[str, ...]


def merge_summary(
    ctx: Context, summary_id: int, base_version: int, yours: dict[SummarySection | str, str]
) -> SummaryMerge:
    """Three-way merge, section by section: base = the version the editor opened, theirs = the
    version stored now, yours = the editor's text. Reading the versions is audited as a view."""
    mine = clean_sections(yours)
    with ctx.read() as uow:
        summary, family = _load(ctx, uow, summary_id, Access.READ)
        versions = uow.summaries.versions(summary.saved_id)
        base = next((v for v in versions if v.number == base_version), None)
        names = tuple(
            dict.fromkeys(
                _user_name(uow, v.by_user)
                for v in versions
                if v.number > base_version and v.by_user != ctx.user_id
            )
        )
        audit(
            ctx,
            uow,
            AuditAction.VIEW,
            "summary",
            summary.id,
            family_id=family.id,
            detail=f"merge of version {summary.version} with an edit of version {base_version}",
        )
        uow.commit()
    base_sections = dict(base.sections) if base is not None else {}
    merge = three_way(
        {s: base_sections.get(s, "") for s in SummarySection},
        {s: summary.text_of(s) for s in SummarySection},
        {s: mine.get(s, summary.text_of(s)) for s in SummarySection},
    )
    return SummaryMerge(merge, summary.version, names)


def submit_summary(ctx: Context, summary_id: int, base_version: int | None = None) -> Summary:
    """Draft → submitted, or returned → submitted again (recorded as RESUBMITTED)."""
    with ctx.uow() as uow:
        summary, family = _load(ctx, uow, summary_id, Access.WRITE)
        if not summary.is_editable:
            raise _refused(
                ctx,
                uow,
                summary,
                "submit a summary",
                "status",
                f"This summary is already {summary.status.label.lower()}; only a draft or a "
                "returned summary can be submitted.",
            )
        _check_base(uow, summary, base_version)
        if summary.word_count == 0:
            raise ValidationError("sections", "Write at least one section before submitting.")
        event = (
            SummaryEvent.RESUBMITTED
            if summary.status is SummaryStatus.RETURNED
            else SummaryEvent.SUBMITTED
        )
        summary = replace(summary, status=SummaryStatus.SUBMITTED, submitted_at=ctx.clock.now())
        saved = _store(
            ctx,
            uow,
            summary,
            event,
            expected=summary.version,
            action=AuditAction.SUBMIT,
            detail=event.value,
        )
        uow.commit()
    return saved


def _load_for_review(ctx: Context, uow: UnitOfWork, summary_id: int, what: str) -> Summary:
    summary = uow.summaries.get(summary_id)
    user = require_user(ctx, uow)
    if user.role is not Role.TEAM_MANAGER:
        raise deny(
            ctx, uow, what, entity="summary", entity_id=summary.id, family_id=summary.family_id
        )
    load_family(ctx, uow, summary.family_id, Access.WRITE)
    if summary.status is not SummaryStatus.SUBMITTED:
        raise _refused(
            ctx,
            uow,
            summary,
            what,
            "status",
            f"Only a submitted summary can be reviewed; this one is "
            f"{summary.status.label.lower()}.",
        )
    return summary


def approve_summary(ctx: Context, summary_id: int) -> Summary:
    with ctx.uow() as uow:
        summary = _load_for_review(ctx, uow, summary_id, "approve summaries")
        writers = {
            v.by_user
            for v in uow.summaries.versions(summary.saved_id)
            if v.event is SummaryEvent.SAVED
        }
        if ctx.user_id == summary.author_id or ctx.user_id in writers:
            raise _refused(
                ctx,
                uow,
                summary,
                "approve summaries",
                "reviewer",
                "You cannot approve a summary you wrote.",
            )
        now = ctx.clock.now()
        summary = replace(
            summary,
            status=SummaryStatus.APPROVED,
            reviewer_id=ctx.user_id,
            decided_at=now,
        )
        saved = _store(
            ctx,
            uow,
            summary,
            SummaryEvent.APPROVED,
            expected=summary.version,
            action=AuditAction.APPROVE,
        )
        uow.commit()
    return saved


def return_summary(ctx: Context, summary_id: int, comment: str) -> Summary:
    """Send a submitted summary back to its author with the manager's comments (required)."""
    with ctx.uow() as uow:
        summary = _load_for_review(ctx, uow, summary_id, "return summaries")
        text = required_text("comment", "A comment for the author", comment, max_length=5000)
        summary = replace(
            summary,
            status=SummaryStatus.RETURNED,
            reviewer_id=ctx.user_id,
            decided_at=ctx.clock.now(),
            return_comment=text,
        )
        saved = _store(
            ctx,
            uow,
            summary,
            SummaryEvent.RETURNED,
            expected=summary.version,
            action=AuditAction.RETURN,
            comment=text,
        )
        uow.commit()
    return saved


def discard_summary(ctx: Context, summary_id: int, base_version: int | None = None) -> Summary:
    """Remove a draft summary that was never submitted (started by mistake), with its versions
    and everyone's autosaved text of it. Returns the summary as it was.

    ``base_version`` is the version the user was shown; if someone saved since, Conflict is
    raised and nothing is removed (they may have written something worth keeping). Recording
    sessions spent on the summary are kept: they belong to the family, and the time still counts.
    """
    with ctx.uow() as uow:
        summary, family = _load(ctx, uow, summary_id, Access.WRITE)
        versions = uow.summaries.versions(summary.saved_id)
        refusal = discard_refusal(summary, versions)
        if refusal is not None:
            raise _refused(ctx, uow, summary, "discard a summary", "status", refusal)
        _check_base(
            uow,
            summary,
            base_version,
            "so it was not discarded. Look at what is in it now, then discard it again if you "
            "still want to.",
        )
        uow.summaries.delete(summary.saved_id, expected_version=summary.version)
        uow.drafts.delete_for_everyone(draft_key(summary.saved_id))
        audit(
            ctx,
            uow,
            AuditAction.DISCARD,
            "summary",
            summary.id,
            family_id=family.id,
            detail=(
                f"draft discarded: period {summary.period_start.isoformat()} to "
                f"{summary.period_end.isoformat()}; {len(versions)} version(s); "
                f"{summary.word_count} words; author user {summary.author_id}"
            ),
        )
        uow.commit()
    return summary


def get_summary(ctx: Context, summary_id: int) -> Summary:
    with ctx.read() as uow:
        summary, family = _load(ctx, uow, summary_id, Access.READ)
        audit(ctx, uow, AuditAction.VIEW, "summary", summary.id, family_id=family.id)
        uow.commit()
    return summary


def load_versions(ctx: Context, uow: UnitOfWork, summary_id: int) -> list[SummaryVersion]:
    """Every version of the summary, oldest first, read inside ``uow`` and audited as a view."""
    summary, family = _load(ctx, uow, summary_id, Access.READ)
    versions = uow.summaries.versions(summary.saved_id)
    audit(ctx, uow, AuditAction.VIEW, "summary", summary.id, family_id=family.id, detail="versions")
    return versions


def summary_versions(ctx: Context, summary_id: int) -> list[SummaryVersion]:
    """Every version of the summary, oldest first."""
    with ctx.read() as uow:
        versions = load_versions(ctx, uow, summary_id)
        uow.commit()
    return versions


def period_contacts(ctx: Context, summary_id: int) -> list[Contact]:
    """The contact log entries of the summary's period, in the order they happened."""
    with ctx.read() as uow:
        summary, family = _load(ctx, uow, summary_id, Access.READ)
        contacts = uow.contacts.for_family(
            family.saved_id, start=summary.period_start, end=summary.period_end
        )
        audit(
            ctx,
            uow,
            AuditAction.VIEW,
            "contact",
            None,
            family_id=family.id,
            detail=f"contacts of summary {summary.id}",
        )
        uow.commit()
    return sorted(contacts, key=lambda c: (c.on, c.start, c.id or 0))


@dataclass(frozen=True)
class ReviewItem:
    summary: Summary
    family_reference: str
    family_name: str
    author_name: str


def review_queue(ctx: Context) -> list[ReviewItem]:
    """Submitted summaries of the manager's team families, oldest submitted first."""
    with ctx.read() as uow:
        user = require_role(ctx, uow, Role.TEAM_MANAGER, what="the summary review queue")
        summaries = uow.summaries.with_status(SummaryStatus.SUBMITTED, team_id=user.team_id)
        summaries.sort(key=lambda s: (s.submitted_at is None, s.submitted_at, s.id))
        items = []
        for s in summaries:
            family = uow.families.get(s.family_id)
            items.append(ReviewItem(s, family.reference, family.name, _user_name(uow, s.author_id)))
        audit(
            ctx,
            uow,
            AuditAction.VIEW,
            "review_queue",
            None,
            detail=family_list_detail(
                f"{len(items)} summaries: {', '.join(str(s.id) for s in summaries)}",
                (s.family_id for s in summaries),
            ),
        )
        uow.commit()
    return items


def list_summaries(ctx: Context, family_id: int) -> list[Summary]:
    """The family's summaries, newest period first."""
    with ctx.read() as uow:
        family = load_family(ctx, uow, family_id, Access.READ)
        summaries = uow.summaries.for_family(family.saved_id)
        audit(ctx, uow, AuditAction.VIEW, "summary", None, family_id=family.id, detail="list")
        uow.commit()
    return summaries


__all__ = [
    "ReviewItem",
    "approve_summary",
    "discard_summary",
    "draft_key",
    "get_summary",
    "list_summaries",
    "load_versions",
    "period_contacts",
    "return_summary",
    "review_queue",
    "save_summary",
    "start_summary",
    "submit_summary",
    "summary_versions",
]
