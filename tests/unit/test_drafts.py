"""Autosaved drafts: kept per user, never shared."""

from __future__ import annotations

from datetime import datetime

import pytest

from domain.clock import LOCAL_ZONE, FixedClock
from domain.errors import AccessDenied, ValidationError
from domain.people import Role, Team, User
from domain.services.context import Context
from domain.services.drafts import autosave, discard_draft, get_draft, my_drafts
from tests.fakes import fake_uow_factory

NOW = datetime(2025, 5, 6, 10, 0, 0, tzinfo=LOCAL_ZONE)


@pytest.fixture
def env():
    factory = fake_uow_factory()
    clock = FixedClock(NOW)
    with factory() as uow:
        team = uow.teams.add(Team("North"))
        ann = uow.users.add(User("ann", "Ann Practitioner", Role.PRACTITIONER, team.id))
        bob = uow.users.add(User("bob", "Bob Practitioner", Role.PRACTITIONER, team.id))
        uow.commit()
    return Context(factory, clock, ann), Context(factory, clock, bob), factory


def test_autosave_keeps_the_text_and_get_draft_returns_it(env):
    ann, _, factory = env
    draft = autosave(ann, "summary:7", "Amy said she likes school.", base_revision=3)
    assert draft.saved_at == NOW
    got = get_draft(ann, "summary:7")
    assert got is not None
    assert (got.content, got.base_revision, got.user_id) == (
        "Amy said she likes school.",
        3,
        ann.user.id,
    )
    assert len(factory.store.drafts) == 1


def test_a_second_autosave_replaces_the_first_and_keeps_the_base_revision(env):
    ann, _, factory = env
    autosave(ann, "summary:7", "first", base_revision=3)
    ann.clock.advance(seconds=2)
    autosave(ann, "summary:7", "first and more")
    got = get_draft(ann, "summary:7")
    assert got.content == "first and more"
    assert got.base_revision == 3
    assert got.saved_at == datetime(2025, 5, 6, 10, 0, 2, tzinfo=LOCAL_ZONE)
    assert len(factory.store.drafts) == 1


def test_a_new_base_revision_replaces_the_old_one(env):
    ann, _, _ = env
    autosave(ann, "plan:1", "x", base_revision=3)
    autosave(ann, "plan:1", "y", base_revision=4)
    assert get_draft(ann, "plan:1").base_revision == 4


def test_text_is_kept_exactly_including_markup_and_whitespace(env):
    ann, _, _ = env
    text = "  [bold]not markup[/bold]\n\x1b[31m\tindent  "
    autosave(ann, "k", text)
    assert get_draft(ann, "k").content == text


def test_a_draft_belongs_only_to_its_user(env):
    ann, bob, _ = env
    autosave(ann, "summary:7", "Ann's words")
    assert get_draft(bob, "summary:7") is None
    assert my_drafts(bob) == []
    autosave(bob, "summary:7", "Bob's words")
    assert get_draft(ann, "summary:7").content == "Ann's words"
    discard_draft(bob, "summary:7")
    assert get_draft(ann, "summary:7").content == "Ann's words"
    assert get_draft(bob, "summary:7") is None


def test_discard_removes_the_draft_and_is_harmless_when_there_is_none(env):
    ann, _, factory = env
    autosave(ann, "k", "text")
    discard_draft(ann, "k")
    assert get_draft(ann, "k") is None
    discard_draft(ann, "k")
    assert factory.store.drafts == {}


def test_my_drafts_lists_the_users_drafts_newest_first(env):
    ann, bob, _ = env
    autosave(ann, "a", "1")
    ann.clock.advance(seconds=5)
    autosave(ann, "b", "2")
    autosave(bob, "c", "3")
    assert [d.key for d in my_drafts(ann)] == ["b", "a"]


def test_an_empty_key_is_refused(env):
    ann, _, _ = env
    with pytest.raises(ValidationError) as err:
        autosave(ann, "  ", "text")
    assert err.value.field == "key"


def test_drafts_need_a_signed_in_user(env):
    ann, _, _ = env
    anonymous = ann.as_user(None)
    with pytest.raises(AccessDenied, match="sign in"):
        autosave(anonymous, "k", "text")
    with pytest.raises(AccessDenied):
        my_drafts(anonymous)
