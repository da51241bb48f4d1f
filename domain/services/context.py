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

    def read(self) -> UnitOfWork:
        """A unit of work for a read: what a screen shows, from one consistent snapshot that never
        holds the database's write lock (storage/uow.py ``SqlReadUnitOfWork``).

        The rule for a read service (one per screen): open ``ctx.read()``, check access, read
        everything the screen shows, record its one VIEW event with :func:`audit`, then call
        ``uow.commit()`` and only then return. On a read unit of work commit() ends the read and
        writes the recorded events in one short write of their own; if that write fails it raises,
        so nobody sees data whose viewing was not audited (audit after the read, so the event can
        say what was seen, e.g. which revision). A refusal (``deny``) commits its DENIED event
        the same way. Factories without a ``read()`` (the fakes) give an ordinary unit of work.
        """
        opener = getattr(self.uow, "read", None)
        return opener() if callable(opener) else self.uow()

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
