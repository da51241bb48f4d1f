"""The hash chain itself (domain/audit_chain.py): which link a change, a removal or an insertion
breaks, on plain data."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

from domain.audit import AuditAction, AuditEvent
from domain.audit_chain import GENESIS, ChainLink, event_hash, verify_chain


def chain(n: int) -> list[ChainLink]:
    links, previous = [], GENESIS
    for i in range(1, n + 1):
        event = AuditEvent(
            datetime(2025, 3, 10, 9, i), 1, AuditAction.VIEW, "family", i, i, f"Zoë {i}", id=i
        )
        digest = event_hash(previous, event)
        links.append(ChainLink(event, previous, digest))
        previous = digest
    return links


def test_intact_chain_counts_events_and_gives_the_head() -> None:
    links = chain(5)
    check = verify_chain(links)
    assert check.intact and check.events == 5 and check.head == links[-1].hash
    assert verify_chain([]).intact and verify_chain([]).events == 0


def test_changed_content_names_that_event() -> None:
    links = chain(5)
    links[2] = replace(links[2], event=replace(links[2].event, detail="rewritten"))
    check = verify_chain(links)
    assert not check.intact and check.broken_at == 3 and "content" in check.reason


def test_removed_event_names_the_next_one() -> None:
    links = chain(5)
    del links[1]
    check = verify_chain(links)
    assert check.broken_at == 3 and "link" in check.reason
    assert verify_chain(chain(5)[1:]).broken_at == 2  # the oldest removed


def test_missing_hash_is_a_break() -> None:
    links = chain(3)
    links[1] = replace(links[1], hash=None)
    assert verify_chain(links).broken_at == 2


def test_an_aware_instant_hashes_as_the_same_instant_in_utc() -> None:
    naive_utc = AuditEvent(datetime(2025, 6, 1, 8, 0), None, AuditAction.SIGN_IN, "user")
    aware = replace(naive_utc, at=datetime(2025, 6, 1, 9, 0, tzinfo=timezone(timedelta(hours=1))))
    assert event_hash("", naive_utc) == event_hash("", aware)
    assert event_hash("", aware) == event_hash(
        "", replace(aware, at=datetime(2025, 6, 1, 8, 0, tzinfo=UTC))
    )
    assert event_hash("", naive_utc) != event_hash("x", naive_utc)
