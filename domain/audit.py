"""Audit events: who did what to which record, when. Insert-only."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class AuditAction(StrEnum):
    VIEW = "view"
    CREATE = "create"
    UPDATE = "update"
    SUBMIT = "submit"
    APPROVE = "approve"
    RETURN = "return"
    EXPORT = "export"
    REPORT = "report"
    IMPORT = "import"
    DENIED = "denied"
    SIGN_IN = "sign_in"
    SIGN_IN_FAILED = "sign_in_failed"
    WITHDRAW = "withdraw"
    REALLOCATE = "reallocate"
    #: A record removed on purpose (a draft case summary that was never submitted).
    DISCARD = "discard"


@dataclass(frozen=True)
class AuditEvent:
    at: datetime
    user_id: int | None
    action: AuditAction
    entity: str
    entity_id: int | None = None
    family_id: int | None = None
    detail: str = ""
    id: int | None = None


@dataclass
class Draft:
    """Unsaved editor text, autosaved so nothing typed is lost. ``key`` names the record edited."""

    user_id: int
    key: str
    content: str
    saved_at: datetime
    base_revision: int | None = None
    id: int | None = None


def family_token(family_id: int) -> str:
    """How a list-view event names one family it showed: ``[f12]``, searchable in ``detail``
    (the audit log's family filter matches it as well as the event's own family id)."""
    return f"[f{family_id}]"


def family_list_detail(summary: str, family_ids: Iterable[int | None]) -> str:
    """The detail of one event for a list that showed several families: the summary, then every
    family's token, so ``tandem audit --family REF`` finds the list without one event per row."""
    tokens = "".join(family_token(i) for i in sorted({i for i in family_ids if i is not None}))
    return f"{summary}; families {tokens}" if tokens else summary
