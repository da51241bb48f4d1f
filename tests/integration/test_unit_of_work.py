"""The unit of work: commit makes work durable, anything else undoes it; missing ids are NotFound."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time

import pytest

from domain.errors import NotFound
from domain.families import Family
from domain.observations import Observation
from domain.people import Team
from domain.timeuse import Contact, ContactKind
from storage.uow import SqlUnitOfWork
from tests.integration.builders import build_world


def _team_names(uow_factory) -> list[str]:  # type: ignore[no-untyped-def]
    with uow_factory() as uow:
        return [t.name for t in uow.teams.list()]


def test_leaving_without_commit_rolls_back(uow_factory) -> None:  # type: ignore[no-untyped-def]
    with uow_factory() as uow:
        uow.teams.add(Team(name="Never committed"))
        assert [t.name for t in uow.teams.list()] == ["Never committed"]
    assert _team_names(uow_factory) == []


def test_an_error_inside_the_block_rolls_back(uow_factory) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RuntimeError), uow_factory() as uow:
        uow.teams.add(Team(name="Half done"))
        raise RuntimeError("boom")
    assert _team_names(uow_factory) == []


def test_only_work_before_the_last_commit_is_kept(uow_factory) -> None:  # type: ignore[no-untyped-def]
    with uow_factory() as uow:
        uow.teams.add(Team(name="Kept"))
        uow.commit()
        uow.teams.add(Team(name="Dropped"))
    assert _team_names(uow_factory) == ["Kept"]


def test_rollback_undoes_and_the_unit_stays_usable(uow_factory) -> None:  # type: ignore[no-untyped-def]
    with uow_factory() as uow:
        uow.teams.add(Team(name="Undone"))
        uow.rollback()
        uow.teams.add(Team(name="Afterwards"))
        uow.commit()
    assert _team_names(uow_factory) == ["Afterwards"]


def test_each_unit_of_work_has_its_own_session(uow_factory) -> None:  # type: ignore[no-untyped-def]
    first, second = uow_factory(), uow_factory()
    assert isinstance(first, SqlUnitOfWork) and first is not second
    with first:
        first.teams.add(Team(name="One"))
        first.commit()
    with second:
        assert [t.name for t in second.teams.list()] == ["One"]


def test_using_a_unit_of_work_outside_its_block_is_an_error(uow_factory) -> None:  # type: ignore[no-untyped-def]
    uow = uow_factory()
    with pytest.raises(RuntimeError, match="not open"):
        uow.commit()
    with uow:
        pass
    with pytest.raises(RuntimeError, match="not open"):
        uow.commit()


def test_missing_ids_raise_not_found_with_a_readable_message(uow_factory) -> None:  # type: ignore[no-untyped-def]
    world = build_world(uow_factory)
    missing = 987654
    with uow_factory() as uow:
        lookups = [
            uow.teams.get,
            uow.users.get,
            uow.families.get,
            uow.mappings.get,
            uow.summaries.get,
            uow.contacts.get,
            uow.observations.get,
        ]
        for lookup in lookups:
            with pytest.raises(NotFound, match=f"with id {missing}"):
                lookup(missing)
        with pytest.raises(NotFound):
            uow.teams.update(Team(name="Ghost", id=missing))
        with pytest.raises(NotFound):
            uow.families.update(replace(world.family, id=missing))
        with pytest.raises(NotFound):
            uow.contacts.update(
                Contact(
                    family_id=world.family.id,
                    practitioner_id=world.practitioner.id,
                    on=date(2025, 3, 3),
                    start=time(10),
                    minutes=5,
                    kind=ContactKind.PHONE,
                    note="x",
                    id=missing,
                )
            )
        with pytest.raises(NotFound):
            uow.observations.update(
                Observation(
                    family_id=world.family.id,
                    practitioner_id=world.practitioner.id,
                    session_date=date(2025, 3, 3),
                    link="x",
                    id=missing,
                )
            )
        family = uow.families.get(world.family.id)
        family.members[0].id = missing  # a member that is not this family's
        with pytest.raises(NotFound, match="No member"):
            uow.families.update(family)


def test_a_family_added_is_a_copy_the_callers_object_is_untouched(uow_factory) -> None:  # type: ignore[no-untyped-def]
    with uow_factory() as uow:
        team = uow.teams.add(Team(name="North"))
        draft = Family("FAM-1", "Ng family", team.id, None, date(2025, 1, 1))
        stored = uow.families.add(draft)
        uow.commit()
    assert draft.id is None and stored.id is not None


def test_a_second_writer_in_the_same_thread_fails_fast_on_sqlite(uow_factory, backend) -> None:  # type: ignore[no-untyped-def]
    """On SQLite it could only wait for the first one's write lock; on PostgreSQL it is allowed."""
    with uow_factory() as outer:
        outer.teams.add(Team(name="Outer"))
        if backend == "sqlite":
            with pytest.raises(RuntimeError, match="already open on this SQLite database"):
                with uow_factory():
                    pass
        else:
            with uow_factory() as inner:
                assert inner.teams.list() == []  # cannot see the outer's uncommitted team
        outer.commit()
    with uow_factory() as again:  # the guard was released
        assert [t.name for t in again.teams.list()] == ["Outer"]


# --- the repository registry (domain/ports.py RepoKey, storage/repo_base.py register) ---------


def test_every_registered_record_is_served_by_its_key_one_repository_per_unit(uow_factory) -> None:  # type: ignore[no-untyped-def]
    from domain.network_meetings import MEETINGS
    from storage.repo_base import registered_keys
    from storage.tables import RECORD_MODULES, metadata

    assert "storage.records.network_meetings" in RECORD_MODULES
    assert "network_meetings" in metadata.tables  # its row, declared in its own module
    assert MEETINGS in registered_keys()
    with uow_factory() as uow:
        for key in registered_keys():
            repo = uow.repo(key)
            assert uow.repo(key) is repo  # made once per unit of work
            assert repo.session is uow.session  # on the unit's own transaction
        first = uow.repo(MEETINGS)
    with uow_factory() as uow:
        assert uow.repo(MEETINGS) is not first
        assert uow.repo(MEETINGS).for_family(12345) == []
    with pytest.raises(RuntimeError, match="not open"):
        uow.repo(MEETINGS)


def test_an_unregistered_key_or_a_second_key_of_the_same_name_is_refused(uow_factory) -> None:  # type: ignore[no-untyped-def]
    from domain.ports import RepoKey
    from storage.repo_base import register

    with uow_factory() as uow, pytest.raises(LookupError, match="'nowhere'"):
        uow.repo(RepoKey[object]("nowhere"))
    with pytest.raises(RuntimeError, match="network_meetings"):
        register(RepoKey[object]("network_meetings"), lambda session: object())


@pytest.mark.parametrize(
    "first", ["storage.repo_base", "storage.tables", "storage.records.network_meetings"]
)
def test_the_records_register_whichever_storage_module_is_imported_first(first: str) -> None:
    """storage/tables.py imports storage/records/ as it ends, and those modules import it back:
    no import order may leave a table out of the metadata or a repository unregistered."""
    import subprocess
    import sys

    check = (
        f"import {first}\n"
        "from storage.repo_base import registered_keys\n"
        "from storage.tables import metadata\n"
        "assert 'network_meetings' in metadata.tables\n"
        "assert [k.name for k in registered_keys()] == ['network_meetings'], registered_keys()\n"
    )
    run = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
