"""One read per screen: the services a screen needs, run in one read transaction and audited as
one view.

A screen shows several things (the Plan tab: the family, its plan, the danger statements of its
mappings, who saved the plan); each has its own read service, which checks access and audits its
own view. :func:`one_read` runs such services together, for one screen:

- in ONE read unit of work (``ctx.read()``: one consistent snapshot that never holds the write
  lock), handed to each of them in turn -- their own ``with ctx.read()`` blocks join it;
- their VIEW events are gathered into ONE event for the screen (what each saw, and every family
  it showed: ``tandem audit --family REF`` still finds it), written in one short write after the
  read and before anything is returned, so nobody sees data whose viewing was not audited;
- a refusal (an audited DENIED, a signed-out user) is written as before and the error raised;
  nothing the screen would have shown is returned, so nothing else is recorded as seen.

    def plan_screen(ctx, family_id):
        return one_read(ctx, lambda c: PlanBundle(view_family(c, family_id), ...),
                        entity="plan", family_id=family_id, what="plan tab")
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from types import TracebackType
from typing import Any, TypeVar

from domain.audit import AuditAction, AuditEvent, family_token
from domain.ports import UnitOfWork
from domain.services.context import Context

T = TypeVar("T")


class _GatheredAudit:
    """The audit log as the composed services see it: events are gathered, reads pass through."""

    def __init__(self, log: Any) -> None:
        self._log = log
        self.events: list[AuditEvent] = []

    def record(self, event: AuditEvent) -> None:
        self.events.append(event)

    def record_many(self, events: Sequence[AuditEvent]) -> None:
        self.events.extend(events)

    def __getattr__(self, name: str) -> Any:  # list, chain, chained: the real log's
        return getattr(self._log, name)


class _Joined:
    """The open read unit of work, lent to each composed service: entering and leaving it do
    nothing (the screen's read stays open), commit() and rollback() do nothing (the screen's
    one_read commits once, at the end), and audit events are gathered."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow
        self.audit = _GatheredAudit(uow.audit)

    def __getattr__(self, name: str) -> object:
        """Every repository of the port, present or future: the open unit of work's own."""
        return getattr(self._uow, name)

    def __enter__(self) -> _Joined:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        return None

    def commit(self) -> None:
        return None

    def rollback(self) -> None:
        return None


def one_read(
    ctx: Context,
    load: Callable[[Context], T],
    *,
    entity: str,
    what: str,
    entity_id: int | None = None,
    family_id: int | None = None,
) -> T:
    """``load(c)`` with every service it calls on ``c`` in one read transaction, audited as one
    VIEW event (``entity``, ``entity_id``, ``family_id``; the detail starts with ``what`` and
    says what each part showed). Only read services may be called by ``load``."""
    with ctx.read() as uow:
        joined = _Joined(uow)
        shared = Context(lambda: joined, ctx.clock, ctx.user)  # type: ignore[arg-type,return-value]  # _Joined lends the open unit of work: the port by delegation
        try:
            result = load(shared)
        except BaseException:
            # A refusal records why (DENIED, audited by the service that refused); the views
            # gathered before it showed nothing to anyone, so they are not recorded.
            for event in joined.audit.events:
                if event.action is not AuditAction.VIEW:
                    uow.audit.record(event)
            uow.commit()
            raise
        uow.audit.record(one_event(ctx, joined.audit.events, entity, what, entity_id, family_id))
        uow.commit()  # the one short write; raises (and nothing is returned) if it fails
    return result


def one_event(
    ctx: Context,
    events: Sequence[AuditEvent],
    entity: str,
    what: str,
    entity_id: int | None,
    family_id: int | None,
) -> AuditEvent:
    """The screen's one VIEW event standing for ``events``: each part as ``entity detail``
    (repeats once), and a ``[fN]`` token for every family shown other than ``family_id`` (which,
    when not given, is the family every part was about, if they were all about one)."""
    shown = {e.family_id for e in events if e.family_id is not None}
    if family_id is None and len(shown) == 1:
        family_id = shown.pop()  # every part was about one family: the event is that family's
    parts: list[str] = []
    others: set[int] = set()
    for event in events:
        part = " ".join(p for p in (event.entity, event.detail) if p)
        if part not in parts:
            parts.append(part)
        if event.family_id is not None and event.family_id != family_id:
            others.add(event.family_id)
    detail = what + (": " + "; ".join(parts) if parts else "")
    if others:
        detail += "; families " + "".join(family_token(i) for i in sorted(others))
    return AuditEvent(
        at=ctx.clock.now(),
        user_id=ctx.user_id,
        action=AuditAction.VIEW,
        entity=entity,
        entity_id=entity_id,
        family_id=family_id,
        detail=detail,
    )
