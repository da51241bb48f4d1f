"""Who may see and change what (SPEC §2). Enforced here, in the service layer; the UI only hides.

Every check that fails writes a DENIED audit event, commits it, and raises AccessDenied.

Every check starts from the present: the context names who is acting (``ctx.user_id``) and
:func:`require_user` loads that user -- active, role, team, supported practitioners -- in the
call's own unit of work, so an administrator's change applies to the user's very next action.
The user object the context carries is never trusted for a decision.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

from domain.audit import AuditAction
from domain.errors import AccessDenied, DomainError, NotFound, SignedOut
from domain.families import Family
from domain.observations import Observation
from domain.people import Role, User
from domain.ports import UnitOfWork
from domain.services.context import SYSTEM_USER_ID, Context, audit

RefusalT = TypeVar("RefusalT", bound=DomainError)


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
    who = _role_now(ctx, uow)
    return AccessDenied(f"You do not have access to {what} (signed in as {who}).")


def refuse(
    ctx: Context,
    uow: UnitOfWork,
    error: RefusalT,
    *,
    what: str,
    entity: str,
    entity_id: int | None = None,
    family_id: int | None = None,
) -> RefusalT:
    """A refusal that is not about who is asking but about the rules (reallocating to another
    team's practitioner, approving one's own summary, changing a submitted record, re-adding a
    withdrawn recording): audited as a DENIED event like an access denial, committed at once,
    and the same ``error`` returned for the caller to raise (shown next to its field)."""
    audit(
        ctx,
        uow,
        AuditAction.DENIED,
        entity,
        entity_id,
        family_id=family_id,
        detail=f"{what}: {error}",
    )
    uow.commit()
    return error


def _role_now(ctx: Context, uow: UnitOfWork) -> str:
    """The acting user's role as stored now, for a message (the context's copy may be stale)."""
    if ctx.user is None:
        return "anonymous user"
    if ctx.user_id is None or ctx.user_id == SYSTEM_USER_ID:
        return ctx.user.role.label.lower()
    try:
        return uow.users.get(ctx.user_id).role.label.lower()
    except NotFound:
        return "a removed user"


SIGNED_OUT_MESSAGE = (
    "Your account is no longer active, so you have been signed out. "
    "If you think this is a mistake, please contact your administrator."
)


def require_user(ctx: Context, uow: UnitOfWork | None = None) -> User:
    """The acting user as the database holds them now (active, role, team, supports).

    Nobody signed in: AccessDenied (audited when ``uow`` is given). A user deactivated or removed
    since signing in: SignedOut (audited) -- the app signs them out. The system context (bootstrap
    commands) is not a stored user and is returned as it is. Without ``uow`` nothing can be
    loaded: only the identity is checked (callers that decide anything pass their unit of work).
    """
    if ctx.user is None or ctx.user.id is None:
        if uow is not None:
            audit(ctx, uow, AuditAction.DENIED, "session", detail="nobody signed in")
            uow.commit()
        raise AccessDenied("Please sign in first.")
    if uow is None or ctx.user.id == SYSTEM_USER_ID:
        return ctx.user
    try:
        stored = uow.users.get(ctx.user.id)
    except NotFound:
        stored = None
    if stored is None or not stored.active:
        audit(
            ctx,
            uow,
            AuditAction.DENIED,
            "session",
            ctx.user.id,
            detail="account no longer active: signed out",
        )
        uow.commit()
        raise SignedOut(SIGNED_OUT_MESSAGE)
    return stored


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
