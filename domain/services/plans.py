"""The single family plan: read, save (a new immutable revision each time), history, differences,
review dates and the family copy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from domain import diff, export
from domain.access import Access, load_family
from domain.audit import AuditAction
from domain.clock import local_date, to_local
from domain.errors import Conflict, NotFound, ValidationError
from domain.families import Family
from domain.merge import Merge, three_way
from domain.network_meetings import MEETINGS
from domain.people import Team
from domain.plans import (
    SINGLE_PARTS,
    Plan,
    PlanContent,
    PlanRevision,
    ReviewRules,
    new_revision,
    plan_parts,
    review_due,
)
from domain.ports import UnitOfWork
from domain.services.context import Context, audit
from domain.services.revisions import MergedRevision, merged_revision, save_revision


@dataclass(frozen=True)
class RevisionInfo:
    """One line of a record's history: which revision, when, and who saved it."""

    number: int
    saved_at: datetime
    author_id: int
    author_name: str


def user_name(uow: UnitOfWork, user_id: int | None) -> str:
    """The full name of a user for messages and history ("an unknown user" if gone)."""
    if user_id is None or user_id == 0:  # 0: admin.SYSTEM_USER_ID
        return "the system"
    try:
        return uow.users.get(user_id).full_name
    except NotFound:
        return "an unknown user"


def when_text(at: datetime | None) -> str:
    """'14:05 on 3 March 2025' (or 'an unknown time')."""
    if at is None:
        return "an unknown time"
    return f"{to_local(at):%H:%M} on {export.plain_date(local_date(at))}"


def danger_texts(uow: UnitOfWork, family_id: int) -> dict[str, str]:
    """Danger statement text by key, across the family's mappings (later mappings win)."""
    texts: dict[str, str] = {}
    for mapping in uow.mappings.for_family(family_id):
        for pair in mapping.current.pairs:
            texts[pair.key] = pair.danger.text
    return texts


def check_plan_content(family: Family, content: PlanContent, danger_keys: set[str]) -> None:
    """Goals may name only this family's children and link only its danger statements."""
    children = {c.id: c.name for c in family.children}
    for n, goal in enumerate(content.goals, start=1):
        for child_id in goal.child_ids:
            if child_id not in children:
                raise ValidationError(
                    "goal.child_ids",
                    f"Goal {n} names someone who is not a child of family {family.reference}.",
                )
        if goal.danger_key and goal.danger_key not in danger_keys:
            raise ValidationError(
                "goal.danger_key",
                f"Goal {n} links a danger statement that is not in any of this family's mappings.",
            )


def get_plan(ctx: Context, family_id: int) -> Plan | None:
    """The family's current plan, or None if it has none yet (audited VIEW)."""
    with ctx.read() as uow:
        family = load_family(ctx, uow, family_id, Access.READ)
        plan = uow.plans.for_family(family.saved_id)
        audit(
            ctx,
            uow,
            AuditAction.VIEW,
            "plan",
            plan.id if plan else None,
            family_id=family.id,
            detail=f"revision {plan.revision}" if plan else "no plan yet",
        )
        uow.commit()
        return plan


def _conflict(uow: UnitOfWork, current: Plan | None, base_revision: int | None) -> Conflict:
    if current is None:
        return Conflict(
            f"This family has no saved plan, so revision {base_revision} cannot be changed. "
            "Nothing was overwritten; reload the plan and try again.",
            current_revision=None,
        )
    return Conflict(
        f"{user_name(uow, current.updated_by)} saved this plan at {when_text(current.updated_at)} "
        f"(revision {current.revision}) after you opened it. Your changes were not saved over "
        "theirs and nothing was overwritten: the two are merged field by field and goal by "
        "goal, and you decide anything you both changed.",
        current_revision=current.revision,
    )


def save_plan(
    ctx: Context,
    family_id: int,
    content: PlanContent,
    base_revision: int | None,
    *,
    merged_with: int | None = None,
) -> Plan:
    """Save ``content`` as the plan's next revision.

    ``base_revision`` is the revision the editor opened (None for a family without a plan). If
    someone saved since, Conflict names who and when and nothing is stored. Saving content
    identical to the current revision stores nothing and returns the current plan.
    ``merged_with`` names the other person's revision merged into ``content`` (see
    :func:`merge_plan`): the audit event of the save then names both authors."""
    with ctx.uow() as uow:
        family = load_family(ctx, uow, family_id, Access.WRITE)
        assert family.id is not None and ctx.user_id is not None
        current = uow.plans.for_family(family.id)
        if (current.revision if current else None) != base_revision:
            raise _conflict(uow, current, base_revision)
        check_plan_content(family, content, set(danger_texts(uow, family.id)))
        if current is not None and current.current == content:
            return current
        merged = merged_revision(merged_with, lambda: uow.plans.revisions(family.saved_id))
        co_author = merged.co_author(ctx.user_id) if merged else None
        revision = new_revision(current, content, ctx.user_id, ctx.clock.now(), co_author)
        draft = current or Plan(family_id=family.id, current=content, revision=0)
        plan = save_revision(
            ctx,
            uow,
            uow.plans,
            draft,
            revision,
            expected=base_revision,
            action=AuditAction.CREATE if current is None else AuditAction.UPDATE,
            entity="plan",
            family_id=family.id,
            detail=f"revision {revision.number}" + merged_note(uow, merged),
        )
        uow.commit()
        return plan


def merged_note(uow: UnitOfWork, merged: MergedRevision | None) -> str:
    """The audit detail's note that a save merged someone else's revision."""
    if merged is None:
        return ""
    who = user_name(uow, merged.author_id) if merged.author_id is not None else "someone"
    return f"; merged with revision {merged.number} by {who}"


def authors_name(uow: UnitOfWork, author_id: int, co_author_id: int | None) -> str:
    """Who saved a revision: one name, or both when it merged someone else's revision."""
    if co_author_id is None:
        return user_name(uow, author_id)
    return f"{user_name(uow, author_id)} & {user_name(uow, co_author_id)}"


@dataclass(frozen=True)
class PlanMerge:
    merge: Merge[str]
    current_revision: int | None
    their_names: tuple[str, ...]


def merge_plan(
    ctx: Context, family_id: int, base_revision: int | None, yours: PlanContent
) -> PlanMerge:
    """Three-way merge of the plan, field by field and goal by goal: base = the revision the
    editor opened, theirs = the revision stored now, yours = the editor's plan."""
    with ctx.read() as uow:
        family = load_family(ctx, uow, family_id, Access.READ)
        revisions = uow.plans.revisions(family.saved_id)
        audit(ctx, uow, AuditAction.VIEW, "plan", family_id=family.id, detail="merge")
        names = tuple(
            dict.fromkeys(
                user_name(uow, r.author_id)
                for r in revisions
                if r.number > (base_revision or 0) and r.author_id != ctx.user_id
            )
        )
        uow.commit()
    base = next((r.content for r in revisions if r.number == base_revision), None)
    current = revisions[-1] if revisions else None
    merge = three_way(
        plan_parts(base),
        plan_parts(current.content if current else None),
        plan_parts(yours),
        SINGLE_PARTS,
    )
    return PlanMerge(merge, current.number if current else None, names)


def plan_revisions(ctx: Context, family_id: int) -> list[PlanRevision]:
    """Every revision of the plan, oldest first (audited VIEW)."""
    with ctx.read() as uow:
        family = load_family(ctx, uow, family_id, Access.READ)
        revisions = uow.plans.revisions(family.saved_id)
        audit(ctx, uow, AuditAction.VIEW, "plan", family_id=family.id, detail="revision history")
        uow.commit()
        return revisions


def plan_history(ctx: Context, family_id: int) -> list[RevisionInfo]:
    """Who saved each revision and when, oldest first (audited VIEW)."""
    with ctx.read() as uow:
        family = load_family(ctx, uow, family_id, Access.READ)
        revisions = uow.plans.revisions(family.saved_id)
        audit(ctx, uow, AuditAction.VIEW, "plan", family_id=family.id, detail="revision history")
        uow.commit()
        return [
            RevisionInfo(
                r.number, r.saved_at, r.author_id, authors_name(uow, r.author_id, r.co_author_id)
            )
            for r in revisions
        ]


def suggest_review_date(
    ctx: Context, family_id: int, start: date, rules: ReviewRules | None = None
) -> date | None:
    """The review date the rules give for this family's children counted from ``start`` (the
    plan start or last review), or None if no child has a status with a review timescale.

    The rules are the family's team's (administration, team settings) unless ``rules`` is given."""
    with ctx.read() as uow:
        family = load_family(ctx, uow, family_id, Access.READ)
        audit(
            ctx,
            uow,
            AuditAction.VIEW,
            "family",
            family.id,
            family_id=family.id,
            detail="review rules",
        )
        uow.commit()
        return review_due(family, start, rules or team_review_rules(uow.teams.get(family.team_id)))


def team_review_rules(team: Team) -> ReviewRules:
    """A team's plan review rules (its settings, changed by an administrator)."""
    s = team.settings
    return ReviewRules(
        cp_first_review_months=s.cp_first_review_months,
        cp_later_review_months=s.cp_later_review_months,
        cin_review_months=s.cin_review_months,
        early_help_review_months=s.early_help_review_months,
        cla_review_months=s.cla_review_months,
    )


def _revision(revisions: list[PlanRevision], number: int) -> PlanRevision:
    for r in revisions:
        if r.number == number:
            return r
    latest = revisions[-1].number if revisions else None
    if latest is None:
        raise NotFound("This family has no saved plan yet.")
    raise NotFound(f"Revision {number} of the plan does not exist (the latest is {latest}).")


def diff_revisions(ctx: Context, family_id: int, a: int, b: int) -> list[str]:
    """A unified diff (plain text lines) from revision ``a`` to revision ``b`` (audited VIEW)."""
    with ctx.read() as uow:
        family = load_family(ctx, uow, family_id, Access.READ)
        assert family.id is not None
        revisions = uow.plans.revisions(family.id)
        before, after = _revision(revisions, a), _revision(revisions, b)
        names = {c.id: c.name for c in family.children if c.id is not None}
        dangers = danger_texts(uow, family.id)

        def label(r: PlanRevision) -> str:
            return (
                f"revision {r.number} (saved {to_local(r.saved_at):%Y-%m-%d %H:%M} by "
                f"{user_name(uow, r.author_id)})"
            )

        lines = diff.unified(
            diff.plan_lines(before.content, child_names=names, danger_texts=dangers),
            diff.plan_lines(after.content, child_names=names, danger_texts=dangers),
            label(before),
            label(after),
        )
        audit(ctx, uow, AuditAction.VIEW, "plan", family_id=family.id, detail=f"diff {a}..{b}")
        uow.commit()
        return lines


def plan_changes(ctx: Context, family_id: int, a: int, b: int) -> list[diff.PartChange]:
    """What changed from revision ``a`` to revision ``b``, per field, goal and action, in plain
    language (domain.diff.plan_changes; audited VIEW)."""
    with ctx.read() as uow:
        family = load_family(ctx, uow, family_id, Access.READ)
        assert family.id is not None
        revisions = uow.plans.revisions(family.id)
        before, after = _revision(revisions, a), _revision(revisions, b)
        names = {c.id: c.name for c in family.children if c.id is not None}
        changes = diff.plan_changes(
            before.content,
            after.content,
            child_names=names,
            danger_texts=danger_texts(uow, family.id),
        )
        audit(ctx, uow, AuditAction.VIEW, "plan", family_id=family.id, detail=f"changes {a}..{b}")
        uow.commit()
        return changes


def export_family_copy(ctx: Context, family_id: int, fmt: str) -> str:
    """The plan in plain language for the family, as Markdown or HTML (audited EXPORT).

    Sharing the plan outside the app is for whoever may change it: the allocated practitioner or
    the team's manager."""
    return family_copy_with_contact(ctx, family_id, fmt)[0]


def _worker_contact(ctx: Context, uow: UnitOfWork, family: Family) -> export.WorkerContact:
    """The family's allocated practitioner (or, with none allocated, whoever makes the copy),
    the family's team and that team's phone number."""
    worker_id = family.practitioner_id or ctx.user_id
    name = uow.users.get(worker_id).full_name if worker_id is not None else ""
    team = uow.teams.get(family.team_id)
    return export.WorkerContact(name, team.name, team.settings.phone)


def family_copy_with_contact(
    ctx: Context, family_id: int, fmt: str
) -> tuple[str, export.WorkerContact]:
    """As export_family_copy, with the worker contact printed on the copy (so a screen can say
    when the team's phone number is missing from it)."""
    if fmt not in export.FORMATS:
        raise ValidationError("format", f"The format must be markdown or html (got {fmt!r}).")
    with ctx.read() as uow:
        family = load_family(ctx, uow, family_id, Access.WRITE)
        assert family.id is not None
        plan = uow.plans.for_family(family.id)
        if plan is None:
            raise NotFound(
                f"Family {family.reference} has no plan yet, so there is nothing to export."
            )
        worker = _worker_contact(ctx, uow, family)
        text = export.family_copy(
            family,
            plan.current,
            fmt,
            made_on=ctx.clock.today(),
            danger_texts=danger_texts(uow, family.id),
            worker=worker,
            # The last network meeting held (newest first): what the network agreed.
            meeting=next(iter(uow.repo(MEETINGS).for_family(family.id)), None),
        )
        audit(
            ctx,
            uow,
            AuditAction.EXPORT,
            "plan",
            plan.id,
            family_id=family.id,
            detail=f"family copy, {fmt}, revision {plan.revision}",
        )
        uow.commit()
        return text, worker
