"""Signs of Safety mapping and scaling services (domain.services.mappings)."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from domain.audit import AuditAction
from domain.errors import AccessDenied, Conflict, NotFound, ValidationError
from domain.mapping import (
    DEFAULT_ANCHOR_TEN,
    DEFAULT_ANCHOR_ZERO,
    Category,
    DangerPair,
    DangerStatement,
    MappingContent,
    MappingItem,
    SafetyGoal,
)
from domain.services import mappings as svc


def pair(key: str = "k1", worry: str = "Amy is left to look after Ben") -> DangerPair:
    return DangerPair(
        DangerStatement("The school and Alex", worry, "Ben could be badly hurt"),
        SafetyGoal(
            "An adult will be home every evening",
            "Amy will have time to play",
            "an adult at home on every visit",
            "3 months",
        ),
        key=key,
    )


def mapping_content(**changes) -> MappingContent:
    base = MappingContent(
        held_on=date(2025, 3, 5),
        participants=("Dana", " Amy ", "", "Alex"),
        items=(
            MappingItem(Category.HARM, "Ben was burnt by the kettle in January."),
            MappingItem(Category.EXISTING_STRENGTHS, "Gran visits every Sunday."),
            MappingItem(Category.NEXT_STEPS, "Family meeting with Gran."),
        ),
        pairs=(pair(),),
    )
    return dataclasses.replace(base, **changes)


def new_mapping(world, user=None, **changes):
    ctx = world.ctx(user or world.practitioner)
    return svc.save_mapping(ctx, world.family.id, None, mapping_content(**changes), None)


# --- mappings ------------------------------------------------------------------------------------


def test_a_family_starts_without_mappings(world):
    assert svc.list_mappings(world.ctx(world.practitioner), world.family.id) == []
    [event] = world.events(AuditAction.VIEW, family_id=world.family.id)
    assert event.entity == "mapping"


def test_save_creates_then_revises_a_mapping(world):
    ctx = world.ctx(world.practitioner)
    first = new_mapping(world)
    assert first.revision == 1 and first.family_id == world.family.id
    assert first.current.participants == ("Dana", "Amy", "Alex")
    world.clock.advance(hours=2)
    more = mapping_content(
        items=mapping_content().items
        + (MappingItem(Category.EXISTING_SAFETY, "Dana locks the door."),)
    )
    second = svc.save_mapping(ctx, world.family.id, first.id, more, 1)
    assert second.revision == 2 and second.id == first.id
    got = svc.get_mapping(ctx, world.family.id, first.id)
    assert [i.text for i in got.current.items_in(Category.EXISTING_SAFETY)] == [
        "Dana locks the door."
    ]
    assert [r.number for r in svc.mapping_revisions(ctx, world.family.id, first.id)] == [1, 2]
    assert [m.id for m in svc.list_mappings(ctx, world.family.id)] == [first.id]
    changes = [e.action for e in world.events(family_id=world.family.id, entity="mapping")]
    assert changes[:2] == [AuditAction.CREATE, AuditAction.UPDATE]


def test_a_family_can_have_several_mappings_oldest_first(world):
    later = new_mapping(world, held_on=date(2025, 3, 8))
    earlier = new_mapping(world, held_on=date(2025, 2, 1))
    listed = svc.list_mappings(world.ctx(world.manager), world.family.id)
    assert [m.id for m in listed] == [earlier.id, later.id]


def test_a_stale_save_names_who_saved_and_when(world):
    mapping = new_mapping(world)
    world.clock.advance(minutes=20)
    svc.save_mapping(
        world.ctx(world.manager),
        world.family.id,
        mapping.id,
        mapping_content(participants=("Dana", "Mo")),
        1,
    )
    with pytest.raises(Conflict) as err:
        svc.save_mapping(
            world.ctx(world.practitioner),
            world.family.id,
            mapping.id,
            mapping_content(participants=("Alex",)),
            1,
        )
    assert "Mo Manager saved this mapping at 09:50 on 10 March 2025 (revision 2)" in str(err.value)
    assert err.value.current_revision == 2
    assert world.store.mappings[mapping.id].current.participants == ("Dana", "Mo")
    assert len(world.store.mapping_revisions[mapping.id]) == 2


def test_a_new_mapping_cannot_name_a_base_revision(world):
    with pytest.raises(ValidationError) as err:
        svc.save_mapping(world.ctx(world.practitioner), world.family.id, None, mapping_content(), 2)
    assert err.value.field == "mapping"
    assert world.store.mappings == {}


def test_unchanged_content_adds_no_revision(world):
    mapping = new_mapping(world)
    again = svc.save_mapping(
        world.ctx(world.practitioner), world.family.id, mapping.id, mapping_content(), 1
    )
    assert again.revision == 1 and len(world.store.mapping_revisions[mapping.id]) == 1


def test_a_mapping_held_in_the_future_is_refused(world):
    with pytest.raises(ValidationError) as err:
        new_mapping(world, held_on=date(2025, 3, 11))
    assert err.value.field == "held_on"


def test_danger_statement_keys_are_unique_within_a_mapping(world):
    with pytest.raises(ValidationError) as err:
        new_mapping(world, pairs=(pair("same"), pair("same", "Another worry")))
    assert err.value.field == "pairs"


def test_another_familys_mapping_is_never_reachable_through_your_family(world):
    theirs = svc.save_mapping(
        world.ctx(world.other_practitioner),
        world.other_family.id,
        None,
        mapping_content(),
        None,
    )
    ctx = world.ctx(world.practitioner)
    with pytest.raises(NotFound, match="FAM-0001 has no mapping"):
        svc.get_mapping(ctx, world.family.id, theirs.id)
    with pytest.raises(NotFound):
        svc.save_mapping(ctx, world.family.id, theirs.id, mapping_content(participants=("x",)), 1)
    with pytest.raises(NotFound):
        svc.mapping_revisions(ctx, world.family.id, theirs.id)
    with pytest.raises(NotFound):
        svc.get_mapping(ctx, world.family.id, 12345)
    assert world.store.mappings[theirs.id].revision == 1


def test_history_and_diff_of_a_mapping(world):
    mapping = new_mapping(world)
    world.clock.advance(days=1)
    svc.save_mapping(
        world.ctx(world.manager),
        world.family.id,
        mapping.id,
        mapping_content(pairs=(pair(worry="Amy cares for Ben alone at night"),)),
        1,
    )
    ctx = world.ctx(world.practitioner)
    history = svc.mapping_history(ctx, world.family.id, mapping.id)
    assert [(h.number, h.author_name) for h in history] == [
        (1, "Alex Practitioner"),
        (2, "Mo Manager"),
    ]
    lines = svc.diff_mapping_revisions(ctx, world.family.id, mapping.id, 1, 2)
    assert "-    Worried about: Amy is left to look after Ben" in lines
    assert "+    Worried about: Amy cares for Ben alone at night" in lines
    with pytest.raises(NotFound, match="Revision 3 of the mapping does not exist"):
        svc.diff_mapping_revisions(ctx, world.family.id, mapping.id, 1, 3)


ACCESS = [
    ("practitioner", True, True),
    ("teammate", False, False),
    ("other_practitioner", False, False),
    ("manager", True, True),
    ("other_manager", False, False),
    ("lead", False, False),
    ("staff", False, False),
    ("admin", False, False),
]


@pytest.mark.parametrize("role,may_read,may_change", ACCESS)
def test_mapping_and_scaling_access_by_role(world, role, may_read, may_change):
    mapping = new_mapping(world)
    user = getattr(world, role)
    ctx = world.ctx(user)
    fid = world.family.id
    reads = [
        lambda: svc.list_mappings(ctx, fid),
        lambda: svc.get_mapping(ctx, fid, mapping.id),
        lambda: svc.mapping_revisions(ctx, fid, mapping.id),
        lambda: svc.scaling_series(ctx, fid),
        lambda: svc.latest_scaling(ctx, fid),
    ]
    changes = [
        lambda: svc.save_mapping(ctx, fid, mapping.id, mapping_content(participants=("X",)), 1),
        lambda: svc.record_scaling(ctx, fid, mapping.id, "Dana", "mother", 5, "Better weeks."),
    ]
    for calls, allowed in ((reads, may_read), (changes, may_change)):
        for call in calls:
            if allowed:
                call()
            else:
                with pytest.raises(AccessDenied):
                    call()
    denied = world.events(AuditAction.DENIED, user=user)
    assert len(denied) == (0 if may_read else 5) + (0 if may_change else 2)
    assert all(e.family_id == fid for e in denied)
    if not may_change:
        assert world.store.mappings[mapping.id].revision == 1 and world.store.ratings == []


def test_a_team_mate_with_team_policy_reads_but_does_not_scale(world):
    world.let_team_read(True)
    new_mapping(world)
    ctx = world.ctx(world.teammate)
    assert len(svc.list_mappings(ctx, world.family.id)) == 1
    with pytest.raises(AccessDenied, match="change"):
        svc.record_scaling(ctx, world.family.id, None, "Dana", "mother", 5, "Ok.")


# --- scaling -------------------------------------------------------------------------------------


def test_a_rating_keeps_its_reason_and_the_default_anchor_wording(world):
    mapping = new_mapping(world)
    rating = svc.record_scaling(
        world.ctx(world.practitioner),
        world.family.id,
        mapping.id,
        " Dana ",
        "mother",
        4,
        "Gran helps.",
    )
    assert rating.id is not None and rating.rated_on == world.today
    assert (rating.person, rating.score, rating.reason) == ("Dana", 4, "Gran helps.")
    assert (rating.anchor_zero, rating.anchor_ten) == (DEFAULT_ANCHOR_ZERO, DEFAULT_ANCHOR_TEN)
    assert rating.recorded_by == world.practitioner.id and rating.mapping_id == mapping.id
    assert world.store.ratings == [rating]
    [event] = world.events(AuditAction.CREATE, entity="scaling")
    assert event.family_id == world.family.id and event.entity_id == rating.id


def test_a_rating_can_use_its_own_anchor_wording(world):
    rating = svc.record_scaling(
        world.ctx(world.practitioner),
        world.family.id,
        None,
        "Dana",
        "mother",
        6,
        "Most days are calm.",
        anchor_zero="Things at their very worst",
        anchor_ten="The mum I always wanted to be",
        rated_on=date(2025, 3, 1),
    )
    stored = world.store.ratings[0]
    assert stored.anchor_ten == "The mum I always wanted to be"
    assert stored.anchor_zero == "Things at their very worst"
    assert stored.rated_on == date(2025, 3, 1) == rating.rated_on


@pytest.mark.parametrize(
    "kwargs,field",
    [
        ({"score": 11}, "score"),
        ({"score": -1}, "score"),
        ({"score": 5.5}, "score"),
        ({"reason": "  "}, "reason"),
        ({"person": ""}, "person"),
        ({"rated_on": date(2025, 3, 11)}, "rated_on"),
        ({"anchor_ten": ""}, "anchor_ten"),
        ({"danger_key": "nope"}, "danger_key"),
    ],
)
def test_bad_ratings_are_refused_naming_the_field(world, kwargs, field):
    new_mapping(world)
    args = {
        "person": "Dana",
        "person_role": "mother",
        "score": 5,
        "reason": "Some good weeks.",
    } | kwargs
    with pytest.raises(ValidationError) as err:
        svc.record_scaling(world.ctx(world.practitioner), world.family.id, None, **args)
    assert err.value.field == field
    assert world.store.ratings == []


def test_a_danger_statement_can_be_scaled_on_its_own(world):
    mapping = new_mapping(world)
    ctx = world.ctx(world.practitioner)
    svc.record_scaling(
        ctx, world.family.id, mapping.id, "Alex", "social worker", 3, "x", danger_key="k1"
    )
    svc.record_scaling(ctx, world.family.id, None, "Alex", "social worker", 4, "y", danger_key="k1")
    assert [r.danger_key for r in world.store.ratings] == ["k1", "k1"]


def test_scaling_a_danger_statement_of_another_mapping_is_refused(world):
    first = new_mapping(world)
    second = new_mapping(world, pairs=(pair("k2"),))
    ctx = world.ctx(world.practitioner)
    with pytest.raises(ValidationError, match="not in this mapping"):
        svc.record_scaling(ctx, world.family.id, first.id, "Alex", "sw", 3, "x", danger_key="k2")
    svc.record_scaling(ctx, world.family.id, second.id, "Alex", "sw", 3, "x", danger_key="k2")


def test_scaling_against_another_familys_mapping_is_not_found(world):
    theirs = svc.save_mapping(
        world.ctx(world.other_practitioner), world.other_family.id, None, mapping_content(), None
    )
    with pytest.raises(NotFound):
        svc.record_scaling(
            world.ctx(world.practitioner), world.family.id, theirs.id, "Dana", "mum", 5, "ok"
        )
    assert world.store.ratings == []


def rate(world, person, score, on, danger_key=None):
    svc.record_scaling(
        world.ctx(world.practitioner),
        world.family.id,
        None,
        person,
        "",
        score,
        "reason",
        rated_on=on,
        danger_key=danger_key,
    )


def test_scaling_series_gives_each_persons_scores_over_time(world):
    new_mapping(world)
    rate(world, "Dana", 6, date(2025, 2, 1))
    rate(world, "Alex", 3, date(2025, 1, 10))
    rate(world, "dana", 7, date(2025, 3, 1))
    rate(world, "Alex", 4, date(2025, 3, 1))
    rate(world, "Gran", 8, date(2025, 3, 1), danger_key="k1")
    series = svc.scaling_series(world.ctx(world.manager), world.family.id)
    assert series == {
        "Alex": [(date(2025, 1, 10), 3), (date(2025, 3, 1), 4)],
        "Dana": [(date(2025, 2, 1), 6), (date(2025, 3, 1), 7)],
    }
    assert svc.scaling_series(world.ctx(world.manager), world.family.id, danger_key="k1") == {
        "Gran": [(date(2025, 3, 1), 8)]
    }
    assert world.events(AuditAction.VIEW, entity="scaling", user=world.manager)


def test_latest_scaling_is_each_persons_last_rating_newest_first(world):
    rate(world, "Alex", 3, date(2025, 1, 10))
    rate(world, "Dana", 6, date(2025, 2, 1))
    rate(world, "Alex", 5, date(2025, 3, 1))
    latest = svc.latest_scaling(world.ctx(world.practitioner), world.family.id)
    assert [(r.person, r.score, r.rated_on) for r in latest] == [
        ("Alex", 5, date(2025, 3, 1)),
        ("Dana", 6, date(2025, 2, 1)),
    ]


def test_scaling_of_one_family_does_not_leak_into_another(world):
    rate(world, "Dana", 6, date(2025, 2, 1))
    assert svc.scaling_series(world.ctx(world.other_manager), world.other_family.id) == {}
    assert svc.latest_scaling(world.ctx(world.other_manager), world.other_family.id) == []
