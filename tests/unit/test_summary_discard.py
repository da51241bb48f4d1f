"""Discarding a draft case summary started by mistake: only a draft never submitted, only with
write access to the family, audited, the autosaved text gone too, the recording time kept."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest

from domain.audit import AuditAction
from domain.clock import LOCAL_ZONE
from domain.errors import AccessDenied, Conflict, NotFound, ValidationError
from domain.services.drafts import autosave, get_draft
from domain.services.recording import record_session
from domain.services.summaries import (
    approve_summary,
    discard_summary,
    draft_key,
    list_summaries,
    return_summary,
    save_summary,
    start_summary,
    submit_summary,
)
from domain.summaries import (
    SummaryEvent,
    SummarySection,
    SummaryStatus,
    SummaryVersion,
    discard_refusal,
)
from domain.timeuse import RecordingActivity

NOW = datetime(2025, 5, 6, 10, 0, 0, tzinfo=LOCAL_ZONE)


@pytest.fixture
def w(team_world):
    team_world.clock.at = NOW
    return team_world


def text():
    return {SummarySection.WHY_INVOLVED: "Worried about neglect of the children."}


def stored_ids(w) -> set[int]:
    return set(w.factory.store.summaries)


# -- what is removed ---------------------------------------------------------------------------


def test_the_author_discards_an_empty_draft_and_it_is_gone(w):
    ctx = w.ctx(w.prac)
    s = start_summary(ctx, w.fam.id)

    gone = discard_summary(ctx, s.id, base_version=s.version)

    assert gone.id == s.id
    assert list_summaries(ctx, w.fam.id) == []
    assert s.id not in w.factory.store.summaries
    assert s.id not in w.factory.store.summary_versions
    with pytest.raises(NotFound):
        discard_summary(ctx, s.id)


def test_discarding_is_audited_without_the_text(w):
    ctx = w.ctx(w.prac)
    s = start_summary(ctx, w.fam.id)
    s = save_summary(ctx, s.id, text(), s.version)

    discard_summary(ctx, s.id)

    [event] = w.events(AuditAction.DISCARD)
    assert (event.user_id, event.entity, event.entity_id, event.family_id) == (
        w.prac.id,
        "summary",
        s.id,
        w.fam.id,
    )
    assert event.at == NOW
    assert "2 version(s)" in event.detail and "6 words" in event.detail
    assert "neglect" not in event.detail  # the audit log never holds the case record's text


def test_after_discarding_a_new_summary_can_start_from_where_it_would_have(w):
    ctx = w.ctx(w.prac)
    mistake = start_summary(ctx, w.fam.id, date(2025, 3, 1), date(2025, 4, 30))
    with pytest.raises(ValidationError, match="already has a summary in progress"):
        start_summary(ctx, w.fam.id)

    discard_summary(ctx, mistake.id)
    fresh = start_summary(ctx, w.fam.id)

    # The discarded draft's period no longer moves the next one on.
    assert fresh.period_start == w.fam.opened_on
    assert [s.id for s in list_summaries(ctx, w.fam.id)] == [fresh.id]


def test_only_that_summary_is_removed(w):
    ctx = w.ctx(w.prac)
    kept = start_summary(ctx, w.fam.id, date(2025, 1, 6), date(2025, 2, 28))
    kept = save_summary(ctx, kept.id, text(), kept.version)
    kept = submit_summary(ctx, kept.id)
    mistake = start_summary(ctx, w.fam.id)

    discard_summary(ctx, mistake.id)

    [left] = list_summaries(ctx, w.fam.id)
    assert (left.id, left.status, left.version) == (kept.id, SummaryStatus.SUBMITTED, 3)
    assert len(w.factory.store.summary_versions[kept.id]) == 3


def test_everyones_autosaved_text_of_it_goes_too_and_nothing_else(w):
    prac, manager = w.ctx(w.prac), w.ctx(w.manager)
    s = start_summary(prac, w.fam.id)
    autosave(prac, draft_key(s.id), '{"sections": {"analysis": "half a thought"}}', s.version)
    autosave(manager, draft_key(s.id), '{"sections": {"analysis": "a note"}}', s.version)
    autosave(prac, "contact:new:1", "keep me", None)

    discard_summary(prac, s.id)

    assert get_draft(prac, draft_key(s.id)) is None
    assert get_draft(manager, draft_key(s.id)) is None
    other = get_draft(prac, "contact:new:1")
    assert other is not None and other.content == "keep me"


def test_the_recording_time_spent_on_it_still_counts(w):
    ctx = w.ctx(w.prac)
    s = start_summary(ctx, w.fam.id)
    record_session(
        ctx,
        w.fam.id,
        RecordingActivity.SUMMARY,
        NOW - timedelta(minutes=5),
        NOW,
        240,
    )
    before = list(w.factory.store.sessions)

    discard_summary(ctx, s.id)

    assert w.factory.store.sessions == before
    [session] = w.factory.store.sessions
    assert (session.family_id, session.activity, session.active_seconds) == (
        w.fam.id,
        RecordingActivity.SUMMARY,
        240,
    )


# -- what may not be discarded -----------------------------------------------------------------


def submitted(w):
    ctx = w.ctx(w.prac)
    s = start_summary(ctx, w.fam.id)
    s = save_summary(ctx, s.id, text(), s.version)
    return submit_summary(ctx, s.id)


def test_a_submitted_summary_cannot_be_discarded(w):
    s = submitted(w)
    with pytest.raises(ValidationError, match="is submitted, so it is part of the family's record"):
        discard_summary(w.ctx(w.prac), s.id)
    assert s.id in stored_ids(w)
    assert w.events(AuditAction.DISCARD) == []


def test_an_approved_summary_cannot_be_discarded_even_by_the_manager(w):
    s = approve_summary(w.ctx(w.manager), submitted(w).id)
    with pytest.raises(ValidationError, match="is approved, so it is part of the family's record"):
        discard_summary(w.ctx(w.manager), s.id)
    assert w.factory.store.summaries[s.id].status is SummaryStatus.APPROVED


def test_a_returned_summary_cannot_be_discarded(w):
    s = return_summary(w.ctx(w.manager), submitted(w).id, "Add the children's words.")
    with pytest.raises(ValidationError) as err:
        discard_summary(w.ctx(w.prac), s.id, base_version=s.version)
    assert err.value.field == "status"
    assert "returned by the manager" in str(err.value)
    assert "resubmit" in str(err.value)
    assert len(w.factory.store.summary_versions[s.id]) == 4


def test_a_draft_whose_history_shows_a_submission_is_refused(w):
    """Defence in depth: the status alone is not trusted; any step of review in its history keeps
    a summary on the record."""
    s = submitted(w)
    with w.factory() as uow:
        stored = uow.summaries.get(s.id)
        back = replace(stored, status=SummaryStatus.DRAFT)
        version = SummaryVersion(
            number=stored.version + 1,
            event=SummaryEvent.SAVED,
            status=SummaryStatus.DRAFT,
            sections=dict(stored.sections),
            period_start=stored.period_start,
            period_end=stored.period_end,
            by_user=w.prac.id,
            at=NOW,
        )
        uow.summaries.save(back, version, expected_revision=stored.version)
        uow.commit()

    with pytest.raises(ValidationError, match="was submitted for review before"):
        discard_summary(w.ctx(w.prac), s.id)
    assert s.id in stored_ids(w)


def test_discard_refusal_names_why(w):
    s = start_summary(w.ctx(w.prac), w.fam.id)
    assert discard_refusal(s) is None
    assert "submitted" in discard_refusal(replace(s, status=SummaryStatus.SUBMITTED))
    assert "returned" in discard_refusal(replace(s, status=SummaryStatus.RETURNED))


# -- who may discard ---------------------------------------------------------------------------


def test_the_team_manager_may_discard_a_draft_of_the_family(w):
    s = start_summary(w.ctx(w.prac), w.fam.id)
    discard_summary(w.ctx(w.manager), s.id)
    assert s.id not in stored_ids(w)
    [event] = w.events(AuditAction.DISCARD)
    assert event.user_id == w.manager.id


@pytest.mark.parametrize("who", ["prac2", "south_prac", "south_manager", "lead", "staff", "admin"])
def test_no_one_without_write_access_may_discard(w, who):
    s = start_summary(w.ctx(w.prac), w.fam.id)
    with pytest.raises(AccessDenied, match="You do not have access to"):
        discard_summary(w.ctx(getattr(w, who)), s.id)
    assert s.id in stored_ids(w)
    assert w.events(AuditAction.DISCARD) == []
    [denied] = w.events(AuditAction.DENIED)
    assert denied.user_id == getattr(w, who).id


def test_a_colleague_who_may_only_read_the_family_may_not_discard(w):
    s = start_summary(w.ctx(w.open_prac), w.open_fam.id)
    with pytest.raises(AccessDenied, match="change the records of family FAM-0003"):
        discard_summary(w.ctx(w.open_colleague), s.id)
    assert s.id in stored_ids(w)


def test_nobody_signed_in_may_discard(w):
    s = start_summary(w.ctx(w.prac), w.fam.id)
    with pytest.raises(AccessDenied, match="Please sign in first"):
        discard_summary(w.ctx(None), s.id)
    assert s.id in stored_ids(w)


# -- someone saved meanwhile -------------------------------------------------------------------


def test_a_draft_saved_since_it_was_looked_at_is_not_discarded(w):
    prac, manager = w.ctx(w.prac), w.ctx(w.manager)
    s = start_summary(prac, w.fam.id)
    w.clock.at = NOW + timedelta(minutes=7)
    save_summary(manager, s.id, text(), s.version)

    with pytest.raises(Conflict) as err:
        discard_summary(prac, s.id, base_version=s.version)

    assert "Manager changed this summary at 10:07 on 6 May 2025" in str(err.value)
    assert "so it was not discarded" in str(err.value)
    assert "not discarded" in str(err.value)
    assert err.value.current_revision == 2
    assert len(w.factory.store.summary_versions[s.id]) == 2
    assert w.events(AuditAction.DISCARD) == []
