"""The three-way merge (domain/merge.py): a part only one side changed merges by itself; a part
both changed differently is a clash the user decides; nothing either side wrote is lost."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.merge import Choice, both, resolve, three_way

KEYS = st.sampled_from(["why", "changed", "voice", "analysis"])
TEXT = st.text(max_size=12)
PARTS = st.dictionaries(KEYS, TEXT, max_size=4)


def test_only_their_change_and_only_mine_merge_without_asking():
    base = {"why": "A", "changed": "B", "voice": "C"}
    theirs = {"why": "A", "changed": "B (theirs)", "voice": "C"}
    yours = {"why": "A (mine)", "changed": "B", "voice": "C"}
    m = three_way(base, theirs, yours)
    assert m.clean
    assert m.merged == {"why": "A (mine)", "changed": "B (theirs)", "voice": "C"}
    assert m.taken_from_theirs == ("changed",) and m.kept_from_yours == ("why",)


def test_both_changed_one_part_differently_is_a_clash_decided_by_the_user():
    m = three_way({"why": "A"}, {"why": "A theirs"}, {"why": "A mine"})
    assert [c.key for c in m.clashes] == ["why"]
    assert resolve(m, {"why": Choice.MINE}) == {"why": "A mine"}
    assert resolve(m, {"why": Choice.THEIRS}) == {"why": "A theirs"}
    assert resolve(m, {"why": Choice.BOTH}) == {"why": "A theirs\n\nA mine"}
    with pytest.raises(KeyError):
        resolve(m, {})  # never decided silently


def test_keep_both_does_not_repeat_or_add_blank_text():
    assert both("", "mine") == "mine" and both("theirs", "  ") == "theirs"
    assert both("same", "same") == "same"


@given(PARTS, PARTS, PARTS)
def test_every_change_either_side_made_survives_the_merge(base, theirs, yours):
    m = three_way(base, theirs, yours)
    clashing = {c.key for c in m.clashes}
    for key in m.merged:
        b, t, y = base.get(key, ""), theirs.get(key, ""), yours.get(key, "")
        if key in clashing:
            continue
        if t != b:
            assert m.merged[key] == t  # their change is never dropped
        if y != b:
            assert m.merged[key] == y  # nor mine
    for choice in Choice:
        out = resolve(m, {k: choice for k in clashing})
        for c in m.clashes:
            if choice is not Choice.THEIRS:
                assert c.yours.strip() in out[c.key]
            if choice is not Choice.MINE:
                assert c.theirs.strip() in out[c.key]


@given(PARTS, PARTS)
def test_merging_with_an_unchanged_side_gives_the_other_side(base, changed):
    assert three_way(base, base, changed).merged == {
        k: changed.get(k, "") for k in three_way(base, base, changed).merged
    }
    assert three_way(base, changed, base).clean and three_way(base, base, changed).clean
