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


# --- keeping text when the database cannot take a draft (issue 11, item 1) ---------------------


class MemoryCopies:
    """A LocalCopies fake: what would be files on this computer, in a dict."""

    def __init__(self, fail: bool = False) -> None:
        self.copies: dict[tuple[int, str], object] = {}
        self.fail = fail

    def write(self, draft):  # type: ignore[no-untyped-def]
        if self.fail:
            raise OSError(28, "No space left on device")
        self.copies[(draft.user_id, draft.key)] = draft
        return f"/home/ann/.local/share/tandem/unsaved/{len(self.copies)}.json"

    def read(self, user_id, key):  # type: ignore[no-untyped-def]
        return self.copies.get((user_id, key))

    def delete(self, user_id, key):  # type: ignore[no-untyped-def]
        self.copies.pop((user_id, key), None)

    def for_user(self, user_id):  # type: ignore[no-untyped-def]
        return [d for (u, _), d in self.copies.items() if u == user_id]


def full_disk(ctx: Context) -> Context:
    """The same user on a database that refuses every write, as a full disk does."""

    def broken():  # type: ignore[no-untyped-def]
        raise RuntimeError("(sqlite3.OperationalError) database or disk is full")

    return Context(broken, ctx.clock, ctx.user)


def test_kept_text_goes_to_the_database_and_says_so(env):
    from domain.services.drafts import keep_text

    ann, _, _ = env
    copies = MemoryCopies()
    copies.copies[(ann.user.id, "summary:7")] = "an older local copy"
    kept = keep_text(ann, copies, "summary:7", "every word", 2)
    assert kept.in_database and kept.kept
    assert kept.message() == "Your unsaved text is kept as a draft and offered back next time."
    assert get_draft(ann, "summary:7").content == "every word"
    assert copies.copies == {}  # the database holds the newer text now


def test_a_full_database_keeps_every_word_in_a_local_copy_and_never_claims_a_draft(env):
    from domain.services.drafts import keep_text, newest_unsaved

    ann, _, _ = env
    copies = MemoryCopies()
    text = "Amy said she likes school. " * 50
    kept = keep_text(full_disk(ann), copies, "summary:7", text, 3)
    assert not kept.in_database and kept.kept
    assert kept.failure == "database or disk is full"
    assert "could not be saved as a draft (database or disk is full)" in kept.message()
    assert "kept as a draft" not in kept.message()
    assert get_draft(ann, "summary:7") is None
    # Offered back: from the copy, even while the database cannot be read at all.
    for ctx in (ann, full_disk(ann)):
        draft, local = newest_unsaved(ctx, copies, "summary:7")
        assert local and draft.content == text and draft.base_revision == 3


def test_text_too_long_for_a_draft_is_kept_locally_with_the_reason(env):
    from domain.services.drafts import MAX_CONTENT, keep_text

    ann, _, _ = env
    copies = MemoryCopies()
    text = "x" * (MAX_CONTENT + 1)
    kept = keep_text(ann, copies, "summary:7", text)
    assert not kept.in_database
    assert "too long to keep as a draft" in kept.failure
    assert copies.read(ann.user.id, "summary:7").content == text


def test_when_nothing_can_keep_the_text_the_message_says_so(env):
    from domain.services.drafts import keep_text

    ann, _, _ = env
    kept = keep_text(full_disk(ann), MemoryCopies(fail=True), "summary:7", "words")
    assert not kept.kept
    assert "No space left on device" in kept.failure
    assert kept.message().startswith("Your text could not be kept anywhere")


def test_the_newer_of_draft_and_local_copy_is_offered(env):
    from domain.services.drafts import keep_text, newest_unsaved

    ann, _, _ = env
    copies = MemoryCopies()
    keep_text(full_disk(ann), copies, "plan:1", "local words")
    ann.clock.advance(seconds=5)
    autosave(ann, "plan:1", "database words")  # newer, and the copy was not removed by it
    draft, local = newest_unsaved(ann, copies, "plan:1")
    assert (draft.content, local) == ("database words", False)


def test_sign_in_is_told_of_copies_waiting_on_this_computer(env):
    from domain.services.drafts import keep_text, local_copies_notice, local_copies_of

    ann, bob, _ = env
    copies = MemoryCopies()
    assert local_copies_notice(local_copies_of(ann, copies)) == ""
    keep_text(full_disk(ann), copies, "summary:7", "words")
    keep_text(full_disk(ann), copies, "plan:family:3", "words")
    notice = local_copies_notice(local_copies_of(ann, copies))
    assert notice.startswith("2 unsaved texts (a case summary, a family plan)")
    assert local_copies_of(bob, copies) == []
