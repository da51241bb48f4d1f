"""The unit tests' fake unit of work serves any record registered by a typed key (domain/ports.py
RepoKey): a FamilyRecordsKey gets the generic in-memory repository, other keys a registered fake,
and nothing is kept without a commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from domain.errors import NotFound
from domain.ports import FamilyRecordsKey, RepoKey
from tests.fakes import FakeUnitOfWork, Store, register_fake


@dataclass
class Visit:
    family_id: int
    on: date
    note: str
    id: int | None = None


VISITS = FamilyRecordsKey[Visit]("test_visits", dated=lambda v: v.on)


def test_a_family_records_key_is_served_without_any_fake_written_for_it() -> None:
    store = Store()
    with FakeUnitOfWork(store) as uow:
        visits = uow.repo(VISITS)
        a = visits.add(Visit(1, date(2026, 3, 2), "first"))
        b = visits.add(Visit(1, date(2026, 3, 9), "second"))
        visits.add(Visit(2, date(2026, 3, 5), "another family"))
        uow.commit()
    with FakeUnitOfWork(store) as uow:
        visits = uow.repo(VISITS)
        assert [v.note for v in visits.for_family(1)] == ["second", "first"]  # newest first
        assert [v.id for v in visits.for_family(1, start=date(2026, 3, 3))] == [b.id]
        assert [v.id for v in visits.for_family(1, end=date(2026, 3, 3))] == [a.id]
        visits.update(Visit(1, date(2026, 3, 2), "corrected", id=a.id))
        # not committed: undone on leaving
    with FakeUnitOfWork(store) as uow:
        assert uow.repo(VISITS).get(a.id).note == "first"
        with pytest.raises(NotFound):
            uow.repo(VISITS).get(999)
    assert set(store.of(VISITS)) == {a.id, b.id, a.id + 2}


def test_another_key_needs_a_registered_fake_and_says_so() -> None:
    notes = RepoKey[list[str]]("test_notes")
    with FakeUnitOfWork() as uow, pytest.raises(LookupError, match="test_notes"):
        uow.repo(notes)
    register_fake(notes, lambda uow: uow.store.records.setdefault("test_notes", []))
    with FakeUnitOfWork() as uow:
        uow.repo(notes).append("kept in the store")
        assert uow.store.records["test_notes"] == ["kept in the store"]
