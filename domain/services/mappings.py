"""Signs of Safety mappings (each save a new revision) and 0–10 scaling by each person involved."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from domain import diff
from domain.access import Access, load_family
from domain.audit import AuditAction
from domain.errors import Conflict, NotFound, ValidationError
from domain.families import Family
from domain.mapping import (
    DEFAULT_ANCHOR_TEN,
    DEFAULT_ANCHOR_ZERO,
    SINGLE_MAPPING_PARTS,
    Mapping,
    MappingContent,
    MappingRevision,
    ScalingRating,
    mapping_parts,
)
from domain.merge import Merge, three_way
from domain.ports import UnitOfWork
from domain.scaling import FamilyScaling, family_scaling, person_key, summary_text
from domain.services.context import Context, audit
from domain.services.plans import (
    RevisionInfo,
    authors_name,
    merged_note,
    user_name,
    when_text,
)
from domain.services.revisions import merged_revision, next_number, save_revision
from domain.validate import not_future


def _mapping_of(uow: UnitOfWork, family: Family, mapping_id: int) -> Mapping:
    """The mapping if it belongs to ``family``; NotFound otherwise (never another family's)."""
    try:
        mapping = uow.mappings.get(mapping_id)
    except NotFound:
        mapping = None
    if mapping is None or mapping.family_id != family.id:
        raise NotFound(f"Family {family.reference} has no mapping with id {mapping_id}.")
    return mapping


def list_mappings(ctx: Context, family_id: int) -> list[Mapping]:
    """The family's mappings, oldest first (audited VIEW)."""
    with ctx.read() as uow:
        family = load_family(ctx, uow, family_id, Access.READ)
        mappings = uow.mappings.for_family(family.saved_id)
        audit(ctx, uow, AuditAction.VIEW, "mapping", family_id=family.id, detail="list")
        uow.commit()
        return mappings


def get_mapping(ctx: Context, family_id: int, mapping_id: int) -> Mapping:
    """One mapping of the family (audited VIEW)."""
    with ctx.read() as uow:
        family = load_family(ctx, uow, family_id, Access.READ)
        mapping = _mapping_of(uow, family, mapping_id)
        audit(ctx, uow, AuditAction.VIEW, "mapping", mapping.id, family_id=family.id)
        uow.commit()
        return mapping


def _check_content(content: MappingContent, today: date) -> None:
    not_future("held_on", "The date of the mapping", content.held_on, today)
    keys = [p.key for p in content.pairs]
    if len(keys) != len(set(keys)):
        raise ValidationError(
            "pairs", "Two danger statements share the same key; each must have its own."
        )


def _conflict(uow: UnitOfWork, mapping: Mapping | None, base_revision: int | None) -> Conflict:
    if mapping is None:
        return Conflict(
            "This mapping has not been saved yet. Nothing was overwritten; reload and try again."
        )
    revisions = uow.mappings.revisions(mapping.saved_id)
    who = user_name(uow, revisions[-1].author_id) if revisions else "someone else"
    return Conflict(
        f"{who} saved this mapping at {when_text(mapping.updated_at)} "
        f"(revision {mapping.revision}) after you opened it. Your changes were not saved over "
        "theirs and nothing was overwritten: the two are merged part by part, and you decide "
        "anything you both changed.",
        current_revision=mapping.revision,
    )


def save_mapping(
    ctx: Context,
    family_id: int,
    mapping_id: int | None,
    content: MappingContent,
    base_revision: int | None,
    *,
    merged_with: int | None = None,
) -> Mapping:
    """Create a mapping (``mapping_id`` None, ``base_revision`` None) or save a new revision of one.

    If someone saved since ``base_revision``, Conflict names who and when and nothing is stored.
    Saving content identical to the current revision stores nothing."""
    _check_content(content, ctx.clock.today())
    with ctx.uow() as uow:
        family = load_family(ctx, uow, family_id, Access.WRITE)
        assert family.id is not None and ctx.user_id is not None
        current = _mapping_of(uow, family, mapping_id) if mapping_id is not None else None
        if mapping_id is None and base_revision is not None:
            raise ValidationError("mapping", "A new mapping has no earlier revision to build on.")
        if (current.revision if current else None) != base_revision:
            raise _conflict(uow, current, base_revision)
        if current is not None and current.current == content:
            return current
        merged = merged_revision(
            merged_with,
            lambda: uow.mappings.revisions(current.id) if current and current.id else [],
        )
        co_author = merged.co_author(ctx.user_id) if merged else None
        revision = MappingRevision(
            next_number(base_revision), content, ctx.user_id, ctx.clock.now(), co_author
        )
        draft = current or Mapping(family_id=family.id, current=content, revision=0)
        mapping = save_revision(
            ctx,
            uow,
            uow.mappings,
            draft,
            revision,
            expected=base_revision,
            action=AuditAction.CREATE if current is None else AuditAction.UPDATE,
            entity="mapping",
            family_id=family.id,
            detail=f"revision {revision.number}" + merged_note(uow, merged),
        )
        uow.commit()
        return mapping


@dataclass(frozen=True)
class MappingMerge:
    merge: Merge[str]
    current_revision: int
    their_names: tuple[str, ...]


def merge_mapping(
    ctx: Context, family_id: int, mapping_id: int, base_revision: int, yours: MappingContent
) -> MappingMerge:
    """Three-way merge of a mapping, part by part: base = the revision the editor opened,
    theirs = the revision stored now, yours = the editor's mapping."""
    with ctx.read() as uow:
        family = load_family(ctx, uow, family_id, Access.READ)
        mapping = _mapping_of(uow, family, mapping_id)
        revisions = uow.mappings.revisions(mapping.saved_id)
        audit(
            ctx, uow, AuditAction.VIEW, "mapping", mapping.id, family_id=family.id, detail="merge"
        )
        names = tuple(
            dict.fromkeys(
                user_name(uow, r.author_id)
                for r in revisions
                if r.number > base_revision and r.author_id != ctx.user_id
            )
        )
        uow.commit()
    base = next((r.content for r in revisions if r.number == base_revision), None)
    merge = three_way(
        mapping_parts(base),
        mapping_parts(mapping.current),
        mapping_parts(yours),
        SINGLE_MAPPING_PARTS,
    )
    return MappingMerge(merge, mapping.revision, names)


def mapping_revisions(ctx: Context, family_id: int, mapping_id: int) -> list[MappingRevision]:
    """Every revision of one mapping, oldest first (audited VIEW)."""
    with ctx.read() as uow:
        family = load_family(ctx, uow, family_id, Access.READ)
        mapping = _mapping_of(uow, family, mapping_id)
        revisions = uow.mappings.revisions(mapping.saved_id)
        audit(
            ctx,
            uow,
            AuditAction.VIEW,
            "mapping",
            mapping.id,
            family_id=family.id,
            detail="revision history",
        )
        uow.commit()
        return revisions


def mapping_history(ctx: Context, family_id: int, mapping_id: int) -> list[RevisionInfo]:
    """Who saved each revision of a mapping and when, oldest first (audited VIEW)."""
    revisions = mapping_revisions(ctx, family_id, mapping_id)
    with ctx.read() as uow:
        return [
            RevisionInfo(
                r.number, r.saved_at, r.author_id, authors_name(uow, r.author_id, r.co_author_id)
            )
            for r in revisions
        ]


def diff_mapping_revisions(
    ctx: Context, family_id: int, mapping_id: int, a: int, b: int
) -> list[str]:
    """A unified diff (plain text lines) between two revisions of a mapping (audited VIEW)."""
    revisions = {r.number: r for r in mapping_revisions(ctx, family_id, mapping_id)}
    for n in (a, b):
        if n not in revisions:
            raise NotFound(
                f"Revision {n} of the mapping does not exist (the latest is {max(revisions, default=0)})."
            )
    return diff.unified(
        diff.mapping_lines(revisions[a].content),
        diff.mapping_lines(revisions[b].content),
        f"revision {a}",
        f"revision {b}",
    )


def record_scaling(
    ctx: Context,
    family_id: int,
    mapping_id: int | None,
    person: str,
    person_role: str,
    score: int,
    reason: str,
    anchor_zero: str | None = None,
    anchor_ten: str | None = None,
    rated_on: date | None = None,
    danger_key: str | None = None,
) -> ScalingRating:
    """Record one person's 0–10 judgement with its reason and the wording of both anchors
    (defaults: 0 = the children cannot safely stay at home; 10 = enough safety to close).

    ``danger_key`` scales one danger statement (it must be in the mapping, or in one of the
    family's mappings when ``mapping_id`` is None); without it the rating is the overall scale."""
    today = ctx.clock.today()
    rated_on = rated_on or today
    not_future("rated_on", "The date of the scaling", rated_on, today)
    with ctx.uow() as uow:
        family = load_family(ctx, uow, family_id, Access.WRITE)
        assert family.id is not None
        if mapping_id is not None:
            mappings = [_mapping_of(uow, family, mapping_id)]
        else:
            mappings = uow.mappings.for_family(family.id)
        if danger_key:
            keys = {p.key for m in mappings for p in m.current.pairs}
            if danger_key not in keys:
                raise ValidationError(
                    "danger_key",
                    "The danger statement being scaled is not in "
                    + ("this mapping." if mapping_id is not None else "this family's mappings."),
                )
        rating = ScalingRating(
            family_id=family.id,
            rated_on=rated_on,
            person=person,
            person_role=person_role,
            score=score,
            reason=reason,
            anchor_zero=DEFAULT_ANCHOR_ZERO if anchor_zero is None else anchor_zero,
            anchor_ten=DEFAULT_ANCHOR_TEN if anchor_ten is None else anchor_ten,
            mapping_id=mapping_id,
            danger_key=danger_key or None,
            recorded_by=ctx.user_id,
        )
        rating = uow.mappings.add_rating(rating)
        audit(ctx, uow, AuditAction.CREATE, "scaling", rating.id, family_id=family.id)
        uow.commit()
        return rating


def _ratings(
    ctx: Context, family_id: int, danger_key: str | None, what: str
) -> list[ScalingRating]:
    with ctx.read() as uow:
        family = load_family(ctx, uow, family_id, Access.READ)
        ratings = [
            r for r in uow.mappings.ratings(family.saved_id) if r.danger_key == (danger_key or None)
        ]
        audit(ctx, uow, AuditAction.VIEW, "scaling", family_id=family.id, detail=what)
        uow.commit()
        return ratings


def scaling_series(
    ctx: Context, family_id: int, *, danger_key: str | None = None
) -> dict[str, list[tuple[date, int]]]:
    """Each person's scores over time, oldest first, for the chart (audited VIEW).

    By default the overall safety scale; give ``danger_key`` for one danger statement's scale.
    Names differing only in case or spacing are one person, shown as first written."""
    series: dict[str, list[tuple[date, int]]] = {}
    shown: dict[str, str] = {}
    for r in _ratings(ctx, family_id, danger_key, "scaling series"):
        name = shown.setdefault(person_key(r.person), r.person)
        series.setdefault(name, []).append((r.rated_on, r.score))
    return series


def latest_scaling(
    ctx: Context, family_id: int, *, danger_key: str | None = None
) -> list[ScalingRating]:
    """Each person's most recent rating, newest first (audited VIEW)."""
    latest: dict[str, ScalingRating] = {}
    for r in _ratings(ctx, family_id, danger_key, "latest scaling"):
        latest[person_key(r.person)] = r  # ratings come by date, then id: the last one wins
    return sorted(latest.values(), key=lambda r: (r.rated_on, r.id or 0), reverse=True)


def family_scaling_of(ctx: Context, family_id: int) -> FamilyScaling:
    """The family's scaling by the one definition (domain.scaling): each person's latest overall
    score and their previous one, and the family's figure (audited VIEW)."""
    return family_scaling(_ratings(ctx, family_id, None, "family scaling"))


def scaling_summary_text(ctx: Context, family_id: int) -> str:
    """The family's latest scaling as a case summary's "Latest scaling" text: the figure, and
    each person's score, date and reason (audited VIEW; empty when nobody has scaled)."""
    return summary_text(_ratings(ctx, family_id, None, "latest scaling for a summary"))


def list_scaling(
    ctx: Context, family_id: int, *, mapping_id: int | None = None
) -> list[ScalingRating]:
    """Every rating of the family (overall and per danger statement), by date then id; with
    ``mapping_id`` only those given at that mapping (audited VIEW)."""
    with ctx.read() as uow:
        family = load_family(ctx, uow, family_id, Access.READ)
        if mapping_id is not None:
            _mapping_of(uow, family, mapping_id)
        ratings = [
            r
            for r in uow.mappings.ratings(family.saved_id)
            if mapping_id is None or r.mapping_id == mapping_id
        ]
        audit(ctx, uow, AuditAction.VIEW, "scaling", family_id=family.id, detail="list")
        uow.commit()
        return ratings
