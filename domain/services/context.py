"""What every service call carries: how to open a unit of work, the clock, and who is acting."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from domain.audit import AuditAction, AuditEvent
from domain.people import User
from domain.ports import Clock, UnitOfWork

#: The id audit events carry for actions of the system (never a real user's id).
SYSTEM_USER_ID = 0


@dataclass(frozen=True)
class Context:
    uow: Callable[[], UnitOfWork]
    clock: Clock
    #: Who is acting: the user as they signed in. None only for bootstrapping commands (seed,
    #: first administrator). Only its id is relied on: every service decides on the user as
    #: stored now (domain/access.py ``require_user``), never on this copy's role, team or supports.
    user: User | None

    @property
    def user_id(self) -> int | None:
        return self.user.id if self.user else None

    @property
    def acting_id(self) -> int:
        """The acting user's id, for a service that has required a signed-in user (access.py
        ``require_user``); a programming error without one."""
        if self.user is None:
            raise LookupError("nobody is acting: this service needs a signed-in user")
        return self.user.saved_id

    def as_user(self, user: User | None) -> Context:
        return Context(self.uow, self.clock, user)


def audit(
    ctx: Context,
    uow: UnitOfWork,
    action: AuditAction,
    entity: str,
    entity_id: int | None = None,
    *,
    family_id: int | None = None,
    detail: str = "",
) -> None:
    """Write one audit event inside ``uow`` (committed with the change it records)."""
    uow.audit.record(
        AuditEvent(
            at=ctx.clock.now(),
            user_id=ctx.user_id,
            action=action,
            entity=entity,
            entity_id=entity_id,
            family_id=family_id,
            detail=detail,
        )
    )
