"""Who may see and change what (SPEC §2). Enforced here, in the service layer; the UI only hides.

Every check that fails writes a DENIED audit event, commits it, and raises AccessDenied.
"""

from __future__ import annotations

from enum import StrEnum

from domain.audit import AuditAction
from domain.errors import AccessDenied
from domain.families import Family
from domain.observations import Observation
from domain.people import Role, User
from domain.ports import UnitOfWork
from domain.services.context import Context, audit


class Access(StrEnum):
    READ = "read"
    WRITE = "write"


def family_access(user: User, family: Family, team_can_read: bool) -> Access | None:
    """The access ``user`` has to the whole record of ``family`` (practice leads: see observation_access)."""
    if user.role is Role.PRACTITIONER:
        if family.practitioner_id == user.id:
            return Access.WRITE
        if team_can_read and family.team_id == user.team_id:
            return Access.READ
        return None
    if user.role is Role.TEAM_MANAGER:
        return Access.WRITE if family.team_id == user.team_id else None
    return None


def observation_access(
    user: User, observation: Observation, family: Family, team_can_read: bool
) -> Access | None:
    if user.role is Role.PRACTICE_LEAD:
        return Access.WRITE if observation.practitioner_id in user.supports else None
    return family_access(user, family, team_can_read)


def deny(
    ctx: Context,
    uow: UnitOfWork,
    what: str,
    *,
    entity: str,
    entity_id: int | None = None,
    family_id: int | None = None,
) -> AccessDenied:
    """Audit the denial (committed at once) and return the error to raise."""
    audit(ctx, uow, AuditAction.DENIED, entity, entity_id, family_id=family_id, detail=what)
    uow.commit()
    who = ctx.user.role.label.lower() if ctx.user else "anonymous user"
    return AccessDenied(f"You do not have access to {what} (signed in as {who}).")


def require_user(ctx: Context, uow: UnitOfWork | None = None) -> User:
    """The signed-in user; else AccessDenied, audited (and committed) when ``uow`` is given."""
    if ctx.user is None or ctx.user.id is None:
        if uow is not None:
            audit(ctx, uow, AuditAction.DENIED, "session", detail="nobody signed in")
            uow.commit()
        raise AccessDenied("Please sign in first.")
    return ctx.user


def require_role(ctx: Context, uow: UnitOfWork, *roles: Role, what: str) -> User:
    user = require_user(ctx, uow)
    if user.role not in roles:
        raise deny(ctx, uow, what, entity="role")
    return user


def load_family(ctx: Context, uow: UnitOfWork, family_id: int, need: Access) -> Family:
    """The family, if the signed-in user may have ``need`` access to it; else audited AccessDenied."""
    user = require_user(ctx, uow)
    family = uow.families.get(family_id)
    team_can_read = False
    if user.role is Role.PRACTITIONER and family.team_id == user.team_id:
        team_can_read = uow.teams.get(family.team_id).settings.practitioners_see_team_families
    got = family_access(user, family, team_can_read)
    if got is None or (need is Access.WRITE and got is Access.READ):
        label = "change" if need is Access.WRITE and got is Access.READ else "see"
        raise deny(
            ctx,
            uow,
            f"{label} the records of family {family.reference}",
            entity="family",
            entity_id=family.id,
            family_id=family.id,
        )
    return family


def load_observation(
    ctx: Context, uow: UnitOfWork, observation_id: int, need: Access
) -> tuple[Observation, Family]:
    user = require_user(ctx, uow)
    observation = uow.observations.get(observation_id)
    family = uow.families.get(observation.family_id)
    team_can_read = False
    if user.role is Role.PRACTITIONER and family.team_id == user.team_id:
        team_can_read = uow.teams.get(family.team_id).settings.practitioners_see_team_families
    got = observation_access(user, observation, family, team_can_read)
    if got is None or (need is Access.WRITE and got is Access.READ):
        raise deny(
            ctx,
            uow,
            f"observation {observation_id}",
            entity="observation",
            entity_id=observation_id,
            family_id=family.id,
        )
    return observation, family
