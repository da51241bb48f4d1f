"""Conflicts merge, never overwrite (issue 11, item 2), on SQLite and PostgreSQL: two people edit
the same summary, plan and mapping from one revision; the second save is refused (compare-and-set
stays), the merge takes the other person's change to a part the second never touched, each
clash is decided, and the merged save keeps both people's edits and names both authors."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from domain.audit import AuditAction
from domain.clock import FixedClock
from domain.errors import Conflict
from domain.mapping import Category, MappingItem, combine_mapping_parts, mapping_from_parts
from domain.merge import Choice, resolve
from domain.plans import combine_parts, plan_from_parts
from domain.services import mappings, plans, summaries, summary_listing
from domain.services.context import Context
from domain.summaries import SummarySection
from tests.integration.builders import build_world, mapping_content, plan_content

NOW = datetime(2025, 3, 1, 10, 0, 0)


def contexts(uow_factory):  # type: ignore[no-untyped-def]
    world = build_world(uow_factory)
    clock = FixedClock(NOW)
    return (
        world,
        Context(uow_factory, clock, world.practitioner),
        Context(uow_factory, clock, world.manager),
    )


def last_audit(uow_factory, entity: str):  # type: ignore[no-untyped-def]
    with uow_factory() as uow:
        events = [
            e for e in uow.audit.list() if e.entity == entity and e.action is AuditAction.UPDATE
        ]
    return events[-1]


def test_summary_merge_keeps_both_edits(uow_factory) -> None:  # type: ignore[no-untyped-def]
    world, alex, mo = contexts(uow_factory)
    s = summaries.start_summary(alex, world.family.id)
    s = summaries.save_summary(alex, s.id, {"analysis": "A.", "next_steps": "N."}, s.version)
    opened = s.version
    summaries.save_summary(mo, s.id, {"analysis": "A, by Mo."}, opened)
    mine = {sec.value: s.text_of(sec) for sec in SummarySection}
    mine["next_steps"] = "N, by Alex."
    mine["why_involved"] = "Alex's reason."
    try:
        summaries.save_summary(alex, s.id, mine, opened)
        raise AssertionError("a stale save must be refused")
    except Conflict:
        pass
    result = summaries.merge_summary(alex, s.id, opened, mine)
    assert result.merge.clean
    saved = summaries.save_summary(
        alex, s.id, result.merge.merged, result.current_version, merged_with=result.current_version
    )
    assert saved.text_of(SummarySection.ANALYSIS) == "A, by Mo."
    assert saved.text_of(SummarySection.NEXT_STEPS) == "N, by Alex."
    newest = summaries.summary_versions(alex, s.id)[-1]
    assert newest.by_user == world.practitioner.id
    assert newest.comment == f"Merged with version {opened + 1} by Mo Khan."
    assert newest.co_author_id == world.manager.id  # the version itself names both authors
    assert "by Mo Khan" in last_audit(uow_factory, "summary").detail
    history = summary_listing.version_history(alex, s.id)
    assert history[-1].by_name == "Alex Smith & Mo Khan"
    assert history[-2].by_name == "Mo Khan"  # an ordinary save names one author


def test_plan_merge_keeps_both_edits_and_decides_clashes(uow_factory) -> None:  # type: ignore[no-untyped-def]
    world, alex, mo = contexts(uow_factory)
    first = plan_content()
    first = replace(first, goals=(replace(first.goals[0], child_ids=(), danger_key=None),))
    plans.save_plan(alex, world.family.id, first, None)
    plans.save_plan(mo, world.family.id, replace(first, contingency="Mo's contingency."), 1)
    goal = replace(first.goals[0], text="Amy is at school by 9")
    mine = replace(first, agreed_with="Dana and Gran", goals=(goal,))
    result = plans.merge_plan(alex, world.family.id, 1, mine)
    assert result.merge.clean and result.their_names == ("Mo Khan",)
    merged = plan_from_parts(resolve(result.merge, {}, combine_parts))
    plans.save_plan(alex, world.family.id, merged, 2, merged_with=2)
    stored = plans.get_plan(alex, world.family.id)
    assert stored.revision == 3
    assert stored.current.contingency == "Mo's contingency."
    assert stored.current.agreed_with == "Dana and Gran"
    assert stored.current.goals[0].text == "Amy is at school by 9"
    assert "merged with revision 2 by Mo Khan" in last_audit(uow_factory, "plan").detail
    revisions = plans.plan_revisions(alex, world.family.id)
    assert [(r.author_id, r.co_author_id) for r in revisions] == [
        (world.practitioner.id, None),
        (world.manager.id, None),
        (world.practitioner.id, world.manager.id),
    ]
    names = [r.author_name for r in plans.plan_history(alex, world.family.id)]
    assert names == ["Alex Smith", "Mo Khan", "Alex Smith & Mo Khan"]

    # Both rewrite the one goal: a clash; keep both keeps both goals.
    plans.save_plan(mo, world.family.id, replace(stored.current, goals=(replace(goal, text="Mo's goal"),)), 3)  # fmt: skip
    mine = replace(stored.current, goals=(replace(goal, text="Alex's goal"),))
    result = plans.merge_plan(alex, world.family.id, 3, mine)
    assert [c.key for c in result.merge.clashes] == ["goal 1"]
    merged = plan_from_parts(resolve(result.merge, {"goal 1": Choice.BOTH}, combine_parts))
    plans.save_plan(alex, world.family.id, merged, 4, merged_with=4)
    texts = [g.text for g in plans.get_plan(alex, world.family.id).current.goals]
    assert texts == ["Mo's goal", "Alex's goal"]


def test_mapping_merge_keeps_both_edits(uow_factory) -> None:  # type: ignore[no-untyped-def]
    world, alex, mo = contexts(uow_factory)
    first = mapping_content()
    m = mappings.save_mapping(alex, world.family.id, None, first, None)
    theirs = replace(
        first, items=(*first.items, MappingItem(Category.NEXT_STEPS, "Mo: school meeting"))
    )
    mappings.save_mapping(mo, world.family.id, m.id, theirs, 1)
    mine = replace(first, participants=(*first.participants, "Gran"))
    try:
        mappings.save_mapping(alex, world.family.id, m.id, mine, 1)
        raise AssertionError("a stale save must be refused")
    except Conflict as exc:
        assert "nothing was overwritten" in str(exc)
    result = mappings.merge_mapping(alex, world.family.id, m.id, 1, mine)
    assert result.merge.clean
    merged = mapping_from_parts(resolve(result.merge, {}, combine_mapping_parts))
    mappings.save_mapping(alex, world.family.id, m.id, merged, 2, merged_with=2)
    stored = mappings.get_mapping(alex, world.family.id, m.id)
    assert stored.revision == 3
    assert "Gran" in stored.current.participants
    assert "Mo: school meeting" in [i.text for i in stored.current.items]
    assert [p.key for p in stored.current.pairs] == ["k1"]
    assert "merged with revision 2 by Mo Khan" in last_audit(uow_factory, "mapping").detail
    history = mappings.mapping_history(alex, world.family.id, m.id)
    assert [h.author_name for h in history] == ["Alex Smith", "Mo Khan", "Alex Smith & Mo Khan"]
    assert mappings.mapping_revisions(alex, world.family.id, m.id)[-1].co_author_id == (
        world.manager.id
    )
