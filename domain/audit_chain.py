"""The audit log's hash chain: each event holds the hash of the one before it and its own.

On SQLite, whoever holds the file can change anything in it, triggers included, so the database
alone cannot keep the audit log honest. Each event therefore stores ``prev_hash`` (the previous
event's ``hash``; empty for the first) and ``hash`` = SHA-256 of ``prev_hash`` and the event's own
content, computed in the transaction that inserts it (SQLite writers take turns, so two events can
never claim the same predecessor). Changing an event's content breaks its own hash; deleting or
inserting one breaks the next event's ``prev_hash``. :func:`verify_chain` names the first event
where the chain no longer holds.

What it cannot catch on its own: someone who rewrites every hash from the tampered event on, or
who removes the newest events. Keep the head hash ``tandem audit --verify`` prints somewhere else
(a ticket, an email) to catch those too. On PostgreSQL the log is protected by database roles
instead (the app's login may only SELECT and INSERT it; ``tandem db roles``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from domain.audit import AuditEvent

#: ``prev_hash`` of the first event.
GENESIS = ""


def _instant(at: datetime) -> str:
    """``at`` as the database gives it back: an aware instant in UTC without its zone."""
    if at.tzinfo is not None:
        at = at.astimezone(UTC).replace(tzinfo=None)
    return at.isoformat(sep=" ", timespec="microseconds")


def event_hash(prev_hash: str, event: AuditEvent) -> str:
    """SHA-256 (hex) of the previous hash and everything the event says (not its id)."""
    content = [
        prev_hash,
        _instant(event.at),
        event.user_id,
        str(event.action.value if hasattr(event.action, "value") else event.action),
        event.entity,
        event.entity_id,
        event.family_id,
        event.detail,
    ]
    encoded = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainLink:
    """One stored event with the two hashes stored beside it (None: none was stored)."""

    event: AuditEvent
    prev_hash: str | None
    hash: str | None


@dataclass(frozen=True)
class ChainCheck:
    """What :func:`verify_chain` found."""

    events: int
    #: The id of the first event where the chain breaks (None: intact).
    broken_at: int | None = None
    reason: str = ""
    #: The newest event's hash (keep it elsewhere to catch removal of the newest events).
    head: str = GENESIS

    @property
    def intact(self) -> bool:
        return self.broken_at is None


def verify_chain(links: Iterable[ChainLink]) -> ChainCheck:
    """Walk the events oldest first; stop at the first one whose hashes do not hold."""
    previous = GENESIS
    count = 0
    for link in links:
        count += 1
        event_id = link.event.id if link.event.id is not None else -1
        if link.hash is None or link.prev_hash is None:
            return ChainCheck(count, event_id, "it carries no hash", previous)
        if link.prev_hash != previous:
            why = (
                "the event before it was changed, removed or inserted"
                if count > 1
                else "events before it were removed"
            )
            return ChainCheck(count, event_id, f"its link to the previous event is broken: {why}")
        if event_hash(link.prev_hash, link.event) != link.hash:
            return ChainCheck(count, event_id, "its content was changed after it was written")
        previous = link.hash
    return ChainCheck(count, None, "", previous)


__all__ = ["GENESIS", "ChainCheck", "ChainLink", "event_hash", "verify_chain"]
