"""Families (cases): opening, members, each child's legal status, caseloads, allocation, closure.

Bulk import of a caseload (JSON, or the council's Annex A, SSDA903 and CIN census files) lives in
:mod:`domain.services.caseload_import` and :mod:`domain.services.caseload_reconcile`; it is
re-exported here (:func:`import_caseload`, :func:`import_caseload_json`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from typing import Any

from domain.access import Access, deny, load_family, refuse, require_role, require_user
from domain.audit import AuditAction, family_list_detail
from domain.errors import ValidationError
from domain.families import CpCategory, Family, LegalStatus, Member, MemberRole, StatusChange
from domain.people import Role
from domain.ports import UnitOfWork
from domain.services.admin import check_practitioner
from domain.services.caseload_import import (
    CaseloadImported,
    CaseloadImportError,
    import_caseload,
    import_caseload_json,
    load_caseload_json,
)
from domain.services.context import Context, audit
from domain.validate import not_future, one_of, required_text


def _acting_for_team(ctx: Context, uow: UnitOfWork, team_id: int | None, what: str) -> int:
    """Who may open families: an administrator or the system (any team) or a team manager (their
    own team). Returns the team id to use."""
    user = require_role(ctx, uow, Role.ADMIN, Role.TEAM_MANAGER, what=what)
    if user.role is Role.TEAM_MANAGER:
        if team_id is not None and team_id != user.team_id:
            raise deny(ctx, uow, f"{what} for another team", entity="team", entity_id=team_id)
        assert user.team_id is not None
        return user.team_id
    if team_id is None:
        raise ValidationError("team", "Choose the team the family belongs to.")
    uow.teams.get(team_id)
    return team_id


def _check_new_member(member: Member, today: date) -> Member:
    if member.id is not None:
        raise ValidationError("member", f"{member.name} is already a member of a family.")
    if member.date_of_birth is not None:
        not_future("date_of_birth", "Date of birth", member.date_of_birth, today)
    for change in member.status_history:
        not_future("since", "The date the status began", change.since, today)
    return member


def create_family(
    ctx: Context,
    reference: str,
    name: str,
    *,
    team_id: int | None = None,
    practitioner: int | str | None = None,
    opened_on: date | None = None,
    address: str = "",
    members: Iterable[Member] = (),
) -> Family:
    """Open a family. Team managers open families in their own team (``team_id`` defaults to it);
    administrators choose the team. ``practitioner`` (id or user name) must be an active
    practitioner of that team, or None while the family awaits allocation.
    Bootstrap: also accepts a system context (seeding)."""
    today = ctx.clock.today()
    opened_on = opened_on or today
    not_future("opened_on", "The date the family was opened", opened_on, today)
    with ctx.uow() as uow:
        team_id = _acting_for_team(ctx, uow, team_id, "open families")
        practitioner_id = (
            check_practitioner(uow, practitioner, team_id).id if practitioner is not None else None
        )
        family = Family(
            reference=reference,
            name=name,
            team_id=team_id,
            practitioner_id=practitioner_id,
            opened_on=opened_on,
            address=address,
            members=[_check_new_member(m, today) for m in members],
        )
        if uow.families.by_reference(family.reference) is not None:
            raise ValidationError(
                "reference", f"Reference {family.reference} is already used by another family."
            )
        family = uow.families.add(family)
        audit(ctx, uow, AuditAction.CREATE, "family", family.id, family_id=family.id)
        uow.commit()
        return family


def view_family(ctx: Context, family_id: int) -> Family:
    """The family with its members and each child's status history (audited VIEW)."""
    with ctx.read() as uow:
        family = load_family(ctx, uow, family_id, Access.READ)
        audit(ctx, uow, AuditAction.VIEW, "family", family.id, family_id=family.id)
        uow.commit()
        return family


def list_caseload(ctx: Context, *, include_closed: bool = False) -> list[Family]:
    """The families the signed-in user may see, by reference.

    Practitioners: their own families, plus their team's (read only) when the team allows it.
    Team managers: every family of their team. Other roles have no caseload (audited denial)."""
    with ctx.read() as uow:
        user = require_user(ctx, uow)
        if user.role is Role.PRACTITIONER:
            found = {
                f.id: f
                for f in uow.families.list(practitioner_id=user.id, include_closed=include_closed)
            }
            if user.team_id is not None:
                team = uow.teams.get(user.team_id)
                if team.settings.practitioners_see_team_families:
                    for f in uow.families.list(team_id=team.id, include_closed=include_closed):
                        found.setdefault(f.id, f)
            families = sorted(found.values(), key=lambda f: f.reference)
        elif user.role is Role.TEAM_MANAGER:
            families = uow.families.list(team_id=user.team_id, include_closed=include_closed)
        else:
            raise deny(ctx, uow, "a caseload of families", entity="caseload")
        audit(
            ctx,
            uow,
            AuditAction.VIEW,
            "caseload",
            detail=family_list_detail(f"{len(families)} families", (f.id for f in families)),
        )
        uow.commit()
        return families


def add_member(
    ctx: Context,
    family_id: int,
    name: str,
    role: MemberRole | str,
    date_of_birth: date | None = None,
) -> Member:
    """Add a child or adult to the family (allocated practitioner or the team's manager)."""
    role = one_of("role", "Role", role, MemberRole)
    member = _check_new_member(
        Member(name=name, role=role, date_of_birth=date_of_birth), ctx.clock.today()
    )
    with ctx.uow() as uow:
        family = load_family(ctx, uow, family_id, Access.WRITE)
        known = {m.id for m in family.members}
        family.members.append(member)
        uow.families.update(family)
        added = next(m for m in uow.families.get(family_id).members if m.id not in known)
        audit(
            ctx,
            uow,
            AuditAction.UPDATE,
            "member",
            added.id,
            family_id=family.id,
            detail="member added",
        )
        uow.commit()
        return added


def set_legal_status(
    ctx: Context,
    family_id: int,
    member_id: int,
    status: LegalStatus | str,
    since: date,
    cp_category: CpCategory | str | None = None,
) -> Member:
    """Give a child a new legal status from ``since`` (history kept, oldest first).

    A change dated the same day as the current status corrects it; an earlier date is refused."""
    status = one_of("legal_status", "Legal status", status, LegalStatus)
    if cp_category is not None and cp_category != "":
        cp_category = one_of("cp_category", "Category", cp_category, CpCategory)
    else:
        cp_category = None
    not_future("since", "The date the status began", since, ctx.clock.today())
    change = StatusChange(status=status, since=since, cp_category=cp_category)
    with ctx.uow() as uow:
        family = load_family(ctx, uow, family_id, Access.WRITE)
        member = family.member(member_id)
        if not member.is_child:
            raise ValidationError("legal_status", "Only a child can have a legal status.")
        history = list(member.status_history)
        if history:
            last = history[-1]
            if since < last.since:
                raise ValidationError(
                    "since",
                    f"{member.name}'s current status began on {last.since.isoformat()}; "
                    "a new status cannot begin before that.",
                )
            if last.status is change.status and last.cp_category == change.cp_category:
                raise ValidationError(
                    "legal_status", f"{member.name} already has the status {status.label}."
                )
            if since == last.since:
                history.pop()
        elif status is LegalStatus.NONE:
            raise ValidationError("legal_status", f"{member.name} has no status to end.")
        member.status_history = [*history, change]
        uow.families.update(family)
        audit(
            ctx,
            uow,
            AuditAction.UPDATE,
            "member",
            member.id,
            family_id=family.id,
            detail=f"legal status {status.value} from {since.isoformat()}",
        )
        uow.commit()
        return member


def reallocate(ctx: Context, family_id: int, practitioner_username: str) -> Family:
    """Allocate the family to another practitioner of the same team (that team's manager only)."""
    with ctx.uow() as uow:
        require_role(ctx, uow, Role.TEAM_MANAGER, what="reallocate families")
        family = load_family(ctx, uow, family_id, Access.WRITE)
        what = f"reallocate family {family.reference}"
        where: dict[str, Any] = {"entity": "family", "entity_id": family.id, "family_id": family.id}
        if not family.is_open:
            closed = ValidationError("practitioner", f"Family {family.reference} is closed.")
            raise refuse(ctx, uow, closed, what=what, **where)
        try:
            target = check_practitioner(uow, practitioner_username, family.team_id)
        except ValidationError as refused:  # a refusal too: audited like any denial
            raise refuse(ctx, uow, refused, what=what, **where) from None
        if target.id == family.practitioner_id:
            raise ValidationError(
                "practitioner",
                f"Family {family.reference} is already allocated to {target.full_name}.",
            )
        before = (
            uow.users.get(family.practitioner_id).username
            if family.practitioner_id is not None
            else "nobody"
        )
        family.practitioner_id = target.id
        uow.families.update(family)
        audit(
            ctx,
            uow,
            AuditAction.REALLOCATE,
            "family",
            family.id,
            family_id=family.id,
            detail=f"from {before} to {target.username}",
        )
        uow.commit()
        return family


def close_family(ctx: Context, family_id: int, closed_on: date, reason: str) -> Family:
    """Close the family (the team's manager decides closure). The reason is required."""
    reason = required_text("closure_reason", "The reason for closing", reason, max_length=500)
    not_future("closed_on", "The closing date", closed_on, ctx.clock.today())
    with ctx.uow() as uow:
        require_role(ctx, uow, Role.TEAM_MANAGER, what="close families")
        family = load_family(ctx, uow, family_id, Access.WRITE)
        if not family.is_open:
            raise ValidationError(
                "closed_on",
                f"Family {family.reference} was already closed on {family.closed_on.isoformat()}.",  # type: ignore[union-attr]  # closed: it has a date
            )
        family = replace(family, closed_on=closed_on, closure_reason=reason)
        uow.families.update(family)
        audit(
            ctx, uow, AuditAction.UPDATE, "family", family.id, family_id=family.id, detail="closed"
        )
        uow.commit()
        return family


__all__ = [
    "CaseloadImportError",
    "CaseloadImported",
    "add_member",
    "check_practitioner",
    "close_family",
    "create_family",
    "import_caseload",
    "import_caseload_json",
    "list_caseload",
    "load_caseload_json",
    "reallocate",
    "set_legal_status",
    "view_family",
]
