"""Case summaries: writing, the review life cycle, versions, conflicts and who may do what."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from domain.audit import AuditAction
from domain.clock import LOCAL_ZONE
from domain.errors import AccessDenied, Conflict, ValidationError
from domain.families import Family
from domain.services.summaries import (
    approve_summary,
    get_summary,
    list_summaries,
    period_contacts,
    return_summary,
    review_queue,
    save_summary,
    start_summary,
    submit_summary,
    summary_versions,
)
from domain.summaries import SummaryEvent, SummarySection, SummaryStatus
from domain.timeuse import Contact, ContactKind

NOW = datetime(2025, 5, 6, 10, 0, 0, tzinfo=LOCAL_ZONE)
TODAY = NOW.date()


@pytest.fixture
def w(team_world):
    """The shared ``team_world`` (tests/unit/conftest.py) with its clock at ``NOW``."""
    team_world.clock.at = NOW
    return team_world


def full_text():
    return {
        SummarySection.WHY_INVOLVED: "Worried about neglect of the children.",
        SummarySection.WHAT_CHANGED: "Mum started a parenting course.",
        "analysis": "Safety has improved.",
    }


def submitted(w, author=None):
    ctx = w.ctx(author or w.prac)
    s = start_summary(ctx, w.fam.id)
    s = save_summary(ctx, s.id, full_text(), s.version)
    return submit_summary(ctx, s.id)


# -- start ------------------------------------------------------------------------------------


def test_start_summary_defaults_to_the_family_opening_until_today(w):
    s = start_summary(w.ctx(w.prac), w.fam.id)
    assert (s.period_start, s.period_end) == (date(2025, 1, 6), TODAY)
    assert s.status is SummaryStatus.DRAFT
    assert s.author_id == w.prac.id
    assert s.version == 1
    stored = w.factory.store.summaries[s.id]
    assert stored.family_id == w.fam.id
    [v] = w.factory.store.summary_versions[s.id]
    assert (v.number, v.event, v.status, v.by_user) == (
        1,
        SummaryEvent.SAVED,
        SummaryStatus.DRAFT,
        w.prac.id,
    )
    [created] = w.events(AuditAction.CREATE)
    assert (created.entity, created.entity_id, created.family_id) == ("summary", s.id, w.fam.id)


def test_the_next_summary_starts_the_day_after_the_last_one_ended(w):
    ctx = w.ctx(w.prac)
    first = start_summary(ctx, w.fam.id, date(2025, 1, 6), date(2025, 3, 31))
    first = save_summary(ctx, first.id, full_text(), first.version)
    submit_summary(ctx, first.id)
    second = start_summary(ctx, w.fam.id)
    assert (second.period_start, second.period_end) == (date(2025, 4, 1), TODAY)


def test_a_summary_ending_today_makes_the_next_start_today_not_tomorrow(w):
    ctx = w.ctx(w.prac)
    s = submitted(w)
    assert s.period_end == TODAY
    nxt = start_summary(ctx, w.fam.id)
    assert (nxt.period_start, nxt.period_end) == (TODAY, TODAY)


def test_only_one_summary_may_be_in_progress(w):
    ctx = w.ctx(w.prac)
    start_summary(ctx, w.fam.id)
    with pytest.raises(ValidationError, match="already has a summary in progress") as err:
        start_summary(ctx, w.fam.id)
    assert err.value.field == "summary"
    assert len(w.factory.store.summaries) == 1


def test_a_period_ending_in_the_future_is_refused(w):
    with pytest.raises(ValidationError) as err:
        start_summary(w.ctx(w.prac), w.fam.id, date(2025, 4, 1), date(2025, 5, 7))
    assert err.value.field == "period_end"
    assert "cannot be in the future" in str(err.value)


def test_a_period_ending_before_it_starts_is_refused(w):
    with pytest.raises(ValidationError) as err:
        start_summary(w.ctx(w.prac), w.fam.id, date(2025, 4, 1), date(2025, 3, 1))
    assert err.value.field == "period_end"


# -- save ------------------------------------------------------------------------------------


def test_save_keeps_sections_not_given_and_appends_a_version(w):
    ctx = w.ctx(w.prac)
    s = start_summary(ctx, w.fam.id)
    s = save_summary(ctx, s.id, {"why_involved": "Neglect.", "analysis": "Better."}, 1)
    s = save_summary(ctx, s.id, {"analysis": "Much better."}, s.version)
    assert s.version == 3
    assert s.sections == {
        SummarySection.WHY_INVOLVED: "Neglect.",
        SummarySection.ANALYSIS: "Much better.",
    }
    versions = summary_versions(ctx, s.id)
    assert [v.number for v in versions] == [1, 2, 3]
    assert versions[1].sections[SummarySection.ANALYSIS] == "Better."
    update = w.events(AuditAction.UPDATE)[-1]
    assert update.detail == "version 3; sections: analysis"


def test_save_without_changes_stores_no_new_version(w):
    ctx = w.ctx(w.prac)
    s = start_summary(ctx, w.fam.id)
    s = save_summary(ctx, s.id, {"analysis": "Better."}, 1)
    again = save_summary(ctx, s.id, {"analysis": "Better."}, s.version)
    assert again.version == 2
    assert len(w.factory.store.summary_versions[s.id]) == 2


def test_save_can_change_the_period(w):
    ctx = w.ctx(w.prac)
    s = start_summary(ctx, w.fam.id)
    s = save_summary(ctx, s.id, {}, 1, period_start=date(2025, 3, 1))
    assert s.period_start == date(2025, 3, 1)
    assert w.factory.store.summaries[s.id].period_start == date(2025, 3, 1)


def test_a_stale_save_is_a_conflict_and_nothing_is_overwritten(w):
    prac, manager = w.ctx(w.prac), w.ctx(w.manager)
    s = start_summary(prac, w.fam.id)
    save_summary(manager, s.id, {"analysis": "Manager's words."}, 1)
    w.clock.advance(minutes=5)
    with pytest.raises(Conflict) as err:
        save_summary(prac, s.id, {"analysis": "Practitioner's words."}, 1)
    assert err.value.current_revision == 2
    assert "Manager changed this summary at 10:00 on 6 May 2025" in str(err.value)
    assert "Both texts are kept" in str(err.value)
    stored = w.factory.store.summaries[s.id]
    assert stored.sections[SummarySection.ANALYSIS] == "Manager's words."
    assert len(w.factory.store.summary_versions[s.id]) == 2


def test_a_stale_edit_merges_section_by_section_and_the_save_names_both_authors(w):
    from domain.merge import Choice, resolve
    from domain.services.summaries import merge_summary

    prac, manager = w.ctx(w.prac), w.ctx(w.manager)
    s = start_summary(prac, w.fam.id)
    s = save_summary(prac, s.id, {"analysis": "First.", "next_steps": "Visit."}, 1)
    opened = s.version
    save_summary(manager, s.id, {"analysis": "First, checked by the manager."}, opened)
    mine = {sec.value: s.text_of(sec) for sec in SummarySection}
    mine["next_steps"] = "Visit on Friday."  # a section the manager never touched
    result = merge_summary(prac, s.id, opened, mine)
    assert result.merge.clean and result.current_version == opened + 1
    assert result.their_names == ("Manager",)
    merged = result.merge.merged
    assert merged[SummarySection.ANALYSIS] == "First, checked by the manager."
    assert merged[SummarySection.NEXT_STEPS] == "Visit on Friday."
    saved = save_summary(prac, s.id, merged, result.current_version, merged_with=opened + 1)
    assert saved.text_of(SummarySection.ANALYSIS) == "First, checked by the manager."
    assert saved.text_of(SummarySection.NEXT_STEPS) == "Visit on Friday."
    last = summary_versions(prac, s.id)[-1]
    assert (
        last.by_user == w.prac.id
        and last.comment == f"Merged with version {opened + 1} by Manager."
    )

    # Both change one section: a clash, decided by the user, never silently.
    save_summary(manager, s.id, {"analysis": "Manager again."}, saved.version)
    mine = {sec.value: saved.text_of(sec) for sec in SummarySection}
    mine["analysis"] = "Practitioner's analysis."
    result = merge_summary(prac, s.id, saved.version, mine)
    assert [c.key for c in result.merge.clashes] == [SummarySection.ANALYSIS]
    both = resolve(result.merge, {SummarySection.ANALYSIS: Choice.BOTH})
    assert both[SummarySection.ANALYSIS] == "Manager again.\n\nPractitioner's analysis."


def test_an_unknown_section_is_refused(w):
    ctx = w.ctx(w.prac)
    s = start_summary(ctx, w.fam.id)
    with pytest.raises(ValidationError, match="Unknown summary section"):
        save_summary(ctx, s.id, {"gossip": "x"}, 1)


def test_text_is_stored_literally(w):
    ctx = w.ctx(w.prac)
    s = start_summary(ctx, w.fam.id)
    text = 'Dad said "[red]no[/red]" and \x1b[2J left.'
    s = save_summary(ctx, s.id, {"children_voice": text}, 1)
    assert get_summary(ctx, s.id).sections[SummarySection.CHILDREN_VOICE] == text


def test_submitted_and_approved_summaries_cannot_be_edited(w):
    s = submitted(w)
    with pytest.raises(ValidationError, match="submitted and can no longer be changed") as err:
        save_summary(w.ctx(w.prac), s.id, {"analysis": "late edit"}, s.version)
    assert err.value.field == "status"
    approve_summary(w.ctx(w.manager), s.id)
    with pytest.raises(ValidationError, match="approved"):
        save_summary(w.ctx(w.prac), s.id, {"analysis": "late edit"}, s.version + 1)


# -- life cycle ---------------------------------------------------------------------------------


def test_submit_then_approve(w):
    s = submitted(w)
    assert s.status is SummaryStatus.SUBMITTED
    assert s.submitted_at == NOW
    w.clock.advance(hours=2)
    approved = approve_summary(w.ctx(w.manager), s.id)
    assert approved.status is SummaryStatus.APPROVED
    assert approved.reviewer_id == w.manager.id
    assert approved.decided_at == datetime(2025, 5, 6, 12, 0, tzinfo=LOCAL_ZONE)
    events = [v.event for v in summary_versions(w.ctx(w.prac), s.id)]
    assert events == [
        SummaryEvent.SAVED,
        SummaryEvent.SAVED,
        SummaryEvent.SUBMITTED,
        SummaryEvent.APPROVED,
    ]
    assert [
        e.action for e in w.events() if e.action in (AuditAction.SUBMIT, AuditAction.APPROVE)
    ] == [
        AuditAction.SUBMIT,
        AuditAction.APPROVE,
    ]


def test_return_with_comment_then_edit_and_resubmit(w):
    s = submitted(w)
    returned = return_summary(w.ctx(w.manager), s.id, "Please add the children's views.")
    assert returned.status is SummaryStatus.RETURNED
    assert returned.return_comment == "Please add the children's views."
    prac = w.ctx(w.prac)
    edited = save_summary(
        prac, s.id, {"children_voice": "Amy: 'I like my room.'"}, returned.version
    )
    again = submit_summary(prac, s.id)
    assert again.status is SummaryStatus.SUBMITTED
    versions = summary_versions(prac, s.id)
    assert [v.event for v in versions][-3:] == [
        SummaryEvent.RETURNED,
        SummaryEvent.SAVED,
        SummaryEvent.RESUBMITTED,
    ]
    assert versions[-3].comment == "Please add the children's views."
    assert edited.version + 1 == again.version
    assert w.events(AuditAction.SUBMIT)[-1].detail == "resubmitted"


def test_return_needs_a_comment(w):
    s = submitted(w)
    with pytest.raises(ValidationError) as err:
        return_summary(w.ctx(w.manager), s.id, "   ")
    assert err.value.field == "comment"
    assert w.factory.store.summaries[s.id].status is SummaryStatus.SUBMITTED


def test_an_empty_summary_cannot_be_submitted(w):
    ctx = w.ctx(w.prac)
    s = start_summary(ctx, w.fam.id)
    with pytest.raises(ValidationError, match="at least one section"):
        submit_summary(ctx, s.id)


def test_submit_twice_is_refused(w):
    s = submitted(w)
    with pytest.raises(ValidationError, match="already submitted"):
        submit_summary(w.ctx(w.prac), s.id)


def test_submit_with_a_stale_base_version_is_a_conflict(w):
    ctx = w.ctx(w.prac)
    s = start_summary(ctx, w.fam.id)
    save_summary(w.ctx(w.manager), s.id, {"analysis": "x"}, 1)
    with pytest.raises(Conflict):
        submit_summary(ctx, s.id, base_version=1)


def test_only_a_submitted_summary_can_be_approved_or_returned(w):
    ctx = w.ctx(w.prac)
    s = start_summary(ctx, w.fam.id)
    with pytest.raises(ValidationError, match="Only a submitted summary"):
        approve_summary(w.ctx(w.manager), s.id)
    with pytest.raises(ValidationError, match="Only a submitted summary"):
        return_summary(w.ctx(w.manager), s.id, "no")


def test_a_manager_cannot_approve_a_summary_they_wrote(w):
    s = submitted(w, author=w.manager)
    with pytest.raises(ValidationError, match="You cannot approve a summary you wrote.") as err:
        approve_summary(w.ctx(w.manager), s.id)
    assert err.value.field == "reviewer"
    assert approve_summary(w.ctx(w.manager2), s.id).reviewer_id == w.manager2.id


def test_a_manager_who_saved_text_in_the_summary_cannot_approve_it(w):
    ctx = w.ctx(w.prac)
    s = start_summary(ctx, w.fam.id)
    s = save_summary(w.ctx(w.manager), s.id, full_text(), 1)
    submit_summary(ctx, s.id)
    with pytest.raises(ValidationError, match="You cannot approve a summary you wrote."):
        approve_summary(w.ctx(w.manager), s.id)


# -- reading ---------------------------------------------------------------------------------


def add_contact(w, on, start="10:00", note="Visit"):
    h, m = map(int, start.split(":"))
    with w.factory() as uow:
        c = uow.contacts.add(
            Contact(w.fam.id, w.prac.id, on, time(h, m), 30, ContactKind.HOME_VISIT, note)
        )
        uow.commit()
    return c


def test_period_contacts_lists_the_contacts_of_the_period_in_order(w):
    add_contact(w, date(2025, 2, 28), note="before")
    add_contact(w, date(2025, 3, 20), "14:00", note="later same day")
    add_contact(w, date(2025, 3, 20), "09:00", note="first")
    add_contact(w, date(2025, 3, 31), note="last day")
    add_contact(w, date(2025, 4, 1), note="after")
    ctx = w.ctx(w.prac)
    s = start_summary(ctx, w.fam.id, date(2025, 3, 1), date(2025, 3, 31))
    assert [c.note for c in period_contacts(ctx, s.id)] == ["first", "later same day", "last day"]
    view = w.events(AuditAction.VIEW)[-1]
    assert (view.entity, view.family_id) == ("contact", w.fam.id)


def test_list_summaries_newest_period_first_and_audited(w):
    ctx = w.ctx(w.prac)
    a = start_summary(ctx, w.fam.id, date(2025, 1, 6), date(2025, 2, 28))
    a = save_summary(ctx, a.id, full_text(), 1)
    submit_summary(ctx, a.id)
    b = start_summary(ctx, w.fam.id)
    assert [s.id for s in list_summaries(ctx, w.fam.id)] == [b.id, a.id]
    view = w.events(AuditAction.VIEW)[-1]
    assert (view.entity, view.family_id, view.user_id) == ("summary", w.fam.id, w.prac.id)


def test_review_queue_shows_the_managers_team_oldest_submitted_first(w):
    first = submitted(w)
    w.clock.advance(hours=1)
    # A second North family, submitted later, and a South one.
    with w.factory() as uow:
        fam2 = uow.families.add(
            Family("FAM-0009", "Khan", w.north.id, w.prac2.id, date(2025, 1, 1))
        )
        uow.commit()
    p2 = w.ctx(w.prac2)
    s2 = start_summary(p2, fam2.id)
    s2 = save_summary(p2, s2.id, full_text(), 1)
    s2 = submit_summary(p2, s2.id)
    sp = w.ctx(w.south_prac)
    s3 = start_summary(sp, w.south_fam.id)
    s3 = save_summary(sp, s3.id, full_text(), 1)
    submit_summary(sp, s3.id)
    queue = review_queue(w.ctx(w.manager))
    assert [i.summary.id for i in queue] == [first.id, s2.id]
    assert (queue[0].family_reference, queue[0].family_name, queue[0].author_name) == (
        "FAM-0001",
        "Smith",
        "Prac",
    )
    assert [i.summary.id for i in review_queue(w.ctx(w.south_manager))] == [s3.id]
    approve_summary(w.ctx(w.manager), first.id)
    assert [i.summary.id for i in review_queue(w.ctx(w.manager))] == [s2.id]


def test_review_queue_is_for_managers_only_and_denial_is_audited(w):
    for user in (w.prac, w.lead, w.staff, w.admin):
        with pytest.raises(AccessDenied):
            review_queue(w.ctx(user))
    assert [e.user_id for e in w.events(AuditAction.DENIED)] == [
        w.prac.id,
        w.lead.id,
        w.staff.id,
        w.admin.id,
    ]


# -- access ------------------------------------------------------------------------------------


def test_the_teams_manager_may_write_a_summary(w):
    s = start_summary(w.ctx(w.manager), w.fam.id)
    assert s.author_id == w.manager.id


@pytest.mark.parametrize("who", ["prac2", "south_prac", "south_manager", "lead", "staff", "admin"])
def test_others_cannot_start_or_read_summaries_and_are_audited(w, who):
    mine = start_summary(w.ctx(w.prac), w.fam.id)
    ctx = w.ctx(getattr(w, who))
    before = len(w.events(AuditAction.DENIED))
    for call in (
        lambda: start_summary(ctx, w.fam.id),
        lambda: list_summaries(ctx, w.fam.id),
        lambda: get_summary(ctx, mine.id),
        lambda: summary_versions(ctx, mine.id),
        lambda: period_contacts(ctx, mine.id),
        lambda: save_summary(ctx, mine.id, {"analysis": "x"}, 1),
    ):
        with pytest.raises(AccessDenied):
            call()
    denied = w.events(AuditAction.DENIED)[before:]
    assert len(denied) == 6
    assert all(e.user_id == getattr(w, who).id for e in denied)
    assert all(e.family_id == w.fam.id for e in denied)
    assert w.factory.store.summaries[mine.id].sections == {}


def test_a_team_colleague_may_read_but_not_write_when_the_team_allows(w):
    owner, colleague = w.ctx(w.open_prac), w.ctx(w.open_colleague)
    s = start_summary(owner, w.open_fam.id)
    assert [x.id for x in list_summaries(colleague, w.open_fam.id)] == [s.id]
    with pytest.raises(AccessDenied, match="change the records of family FAM-0003"):
        save_summary(colleague, s.id, {"analysis": "x"}, 1)
    assert w.events(AuditAction.DENIED)[-1].family_id == w.open_fam.id


def test_only_a_manager_of_the_familys_team_may_approve_or_return(w):
    s = submitted(w)
    for who in (w.prac, w.prac2, w.lead, w.staff, w.admin, w.south_manager):
        with pytest.raises(AccessDenied):
            approve_summary(w.ctx(who), s.id)
        with pytest.raises(AccessDenied):
            return_summary(w.ctx(who), s.id, "no")
    denied = w.events(AuditAction.DENIED)
    assert len(denied) == 12
    assert all(e.family_id == w.fam.id for e in denied)
    assert w.factory.store.summaries[s.id].status is SummaryStatus.SUBMITTED
