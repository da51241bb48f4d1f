"""Compare-and-set saves: a stale plan, mapping or summary save is refused with Conflict and stores
nothing, and of several writers racing from the same revision exactly one wins, whether they are
threads or separate processes."""

from __future__ import annotations

import multiprocessing
import threading
import time
from dataclasses import replace
from datetime import date, timedelta

import pytest

from domain.errors import Conflict, NotFound
from domain.mapping import Mapping, MappingRevision
from domain.plans import Plan, PlanRevision
from domain.summaries import Summary, SummaryEvent, SummarySection, SummaryVersion
from tests.integration.builders import NOW, build_world, mapping_content, plan_content


def _revision(number: int, words: str, author: int) -> PlanRevision:
    return PlanRevision(number, plan_content(words), author, NOW + timedelta(minutes=number))


def _first_plan(uow_factory, world) -> Plan:  # type: ignore[no-untyped-def]
    with uow_factory() as uow:
        first = _revision(1, "v1", world.practitioner.id)
        plan = uow.plans.save(
            Plan(world.family.id, first.content, 0), first, expected_revision=None
        )
        uow.commit()
    return plan


def test_stale_plan_save_is_refused_and_stores_nothing(uow_factory) -> None:  # type: ignore[no-untyped-def]
    world = build_world(uow_factory)
    opened_by_a = opened_by_b = _first_plan(uow_factory, world)
    with uow_factory() as uow:
        uow.plans.save(opened_by_a, _revision(2, "A", world.practitioner.id), expected_revision=1)
        uow.commit()
    with uow_factory() as uow, pytest.raises(Conflict) as caught:
        uow.plans.save(opened_by_b, _revision(2, "B", world.manager.id), expected_revision=1)
    assert caught.value.current_revision == 2
    assert "changed by someone else" in str(caught.value)
    with uow_factory() as uow:
        assert [r.content.family_words for r in uow.plans.revisions(world.family.id)] == [
            "v1",
            "A",
        ]
        assert uow.plans.for_family(world.family.id).current.family_words == "A"


def test_a_second_first_plan_is_a_conflict(uow_factory) -> None:  # type: ignore[no-untyped-def]
    world = build_world(uow_factory)
    _first_plan(uow_factory, world)
    with uow_factory() as uow, pytest.raises(Conflict) as caught:
        first = _revision(1, "also first", world.manager.id)
        uow.plans.save(Plan(world.family.id, first.content, 0), first, expected_revision=None)
    assert caught.value.current_revision == 1


def test_stale_mapping_save_is_refused(uow_factory) -> None:  # type: ignore[no-untyped-def]
    world = build_world(uow_factory)
    r1 = MappingRevision(1, mapping_content(), world.practitioner.id, NOW)
    with uow_factory() as uow:
        mapping = uow.mappings.save(
            Mapping(world.family.id, r1.content, 0), r1, expected_revision=None
        )
        uow.commit()
    later = replace(r1.content, participants=("Someone new",))
    with uow_factory() as uow:
        uow.mappings.save(mapping, MappingRevision(2, later, 1, NOW), expected_revision=1)
        uow.commit()
    with uow_factory() as uow, pytest.raises(Conflict) as caught:
        uow.mappings.save(mapping, MappingRevision(2, r1.content, 2, NOW), expected_revision=1)
    assert caught.value.current_revision == 2
    with uow_factory() as uow:
        assert [r.number for r in uow.mappings.revisions(mapping.id)] == [1, 2]
        assert uow.mappings.get(mapping.id).current.participants == ("Someone new",)
        with pytest.raises(NotFound):
            uow.mappings.save(
                replace(mapping, id=424242), MappingRevision(3, later, 1, NOW), expected_revision=2
            )


def test_stale_summary_save_is_refused(uow_factory) -> None:  # type: ignore[no-untyped-def]
    world = build_world(uow_factory)
    summary = Summary(
        family_id=world.family.id,
        author_id=world.practitioner.id,
        period_start=date(2025, 1, 1),
        period_end=date(2025, 2, 28),
        sections={SummarySection.ANALYSIS: "first"},
    )

    def version(number: int, text: str) -> SummaryVersion:
        return SummaryVersion(
            number,
            SummaryEvent.SAVED,
            summary.status,
            {SummarySection.ANALYSIS: text},
            summary.period_start,
            summary.period_end,
            world.practitioner.id,
            NOW,
        )

    with uow_factory() as uow:
        saved = uow.summaries.save(summary, version(1, "first"), expected_revision=None)
        uow.commit()
    with uow_factory() as uow:
        mine = replace(saved, sections={SummarySection.ANALYSIS: "mine"})
        uow.summaries.save(mine, version(2, "mine"), expected_revision=1)
        uow.commit()
    with uow_factory() as uow, pytest.raises(Conflict) as caught:
        theirs = replace(saved, sections={SummarySection.ANALYSIS: "theirs"})
        uow.summaries.save(theirs, version(2, "theirs"), expected_revision=1)
    assert caught.value.current_revision == 2
    with uow_factory() as uow:
        assert uow.summaries.get(saved.id).text_of(SummarySection.ANALYSIS) == "mine"
        assert [v.sections[SummarySection.ANALYSIS] for v in uow.summaries.versions(saved.id)] == [
            "first",
            "mine",
        ]
        with pytest.raises(NotFound):
            uow.summaries.save(replace(saved, id=777777), version(3, "x"), expected_revision=2)


def test_two_threads_saving_the_same_revision_one_wins(uow_factory) -> None:  # type: ignore[no-untyped-def]
    """A holds its save uncommitted while B saves from the same revision: B must wait for A and
    then lose (SQLite: B cannot begin until A ends; PostgreSQL: B's UPDATE waits on A's row lock
    and re-checks the revision)."""
    world = build_world(uow_factory)
    plan = _first_plan(uow_factory, world)
    a_saved = threading.Event()
    outcome: dict[str, object] = {}

    def writer_a() -> None:
        with uow_factory() as uow:
            uow.plans.save(plan, _revision(2, "A", world.practitioner.id), expected_revision=1)
            a_saved.set()
            time.sleep(0.3)
            uow.commit()
        outcome["A"] = "saved"

    def writer_b() -> None:
        a_saved.wait(10)
        try:
            with uow_factory() as uow:
                uow.plans.save(plan, _revision(2, "B", world.manager.id), expected_revision=1)
                uow.commit()
            outcome["B"] = "saved"
        except Conflict as error:
            outcome["B"] = error

    threads = [threading.Thread(target=writer_a), threading.Thread(target=writer_b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert outcome["A"] == "saved"
    assert isinstance(outcome["B"], Conflict) and outcome["B"].current_revision == 2
    with uow_factory() as uow:
        assert [r.content.family_words for r in uow.plans.revisions(world.family.id)] == [
            "v1",
            "A",
        ]


def _race_worker(url: str, family_id: int, author_id: int, name: str, barrier, results) -> None:  # type: ignore[no-untyped-def]
    """Runs in a child process: save revision 2 from revision 1 (or the first plan)."""
    from storage.engine import make_engine
    from storage.uow import sql_uow_factory

    engine = make_engine(url)
    make_uow = sql_uow_factory(engine)
    expected = None if name.startswith("first") else 1
    number = 1 if expected is None else 2
    revision = PlanRevision(number, plan_content(name), author_id, NOW)
    barrier.wait(60)
    try:
        with make_uow() as uow:
            uow.plans.save(
                Plan(family_id, revision.content, 0), revision, expected_revision=expected
            )
            uow.commit()
        results.put((name, "saved"))
    except Conflict:
        results.put((name, "conflict"))
    except Exception as error:  # reported to the parent, which fails the test
        results.put((name, f"error: {type(error).__name__}: {error}"))
    finally:
        engine.dispose()


@pytest.mark.parametrize("race", ["first save", "later save"])
def test_processes_racing_on_one_revision_exactly_one_wins(uow_factory, database_url, race) -> None:  # type: ignore[no-untyped-def]
    world = build_world(uow_factory)
    if race == "later save":
        _first_plan(uow_factory, world)
    prefix = "first" if race == "first save" else "later"
    writers = 3
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(writers)
    results = context.Queue()
    processes = [
        context.Process(
            target=_race_worker,
            args=(
                database_url,
                world.family.id,
                world.practitioner.id,
                f"{prefix}-{i}",
                barrier,
                results,
            ),
        )
        for i in range(writers)
    ]
    for p in processes:
        p.start()
    outcomes = dict(results.get(timeout=120) for _ in processes)
    for p in processes:
        p.join(30)
    assert sorted(outcomes.values()) == ["conflict"] * (writers - 1) + ["saved"], outcomes
    winner = next(name for name, result in outcomes.items() if result == "saved")
    with uow_factory() as uow:
        assert uow.plans.for_family(world.family.id).current.family_words == winner
        expected_revisions = 1 if race == "first save" else 2
        assert len(uow.plans.revisions(world.family.id)) == expected_revisions
