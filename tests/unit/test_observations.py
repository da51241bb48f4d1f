"""Audio observations: consent, withdrawal, feedback, replies, skill trend and access."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from domain.audit import AuditAction
from domain.clock import LOCAL_ZONE
from domain.errors import AccessDenied, ValidationError
from domain.families import Member, MemberRole
from domain.observations import Consent, ConsentKind, ConsentMethod, Skill, SkillGroup
from domain.services.observations import (
    add_consent,
    add_observation,
    check_recording_link,
    feedback_queue,
    get_feedback,
    get_observation,
    list_observations,
    local_path,
    reply_to_feedback,
    save_feedback,
    skill_trend,
    withdraw_consent,
)

NOW = datetime(2025, 5, 6, 16, 0, 0, tzinfo=LOCAL_ZONE)
TODAY = NOW.date()


@pytest.fixture
def w(team_world):
    """The shared ``team_world`` at ``NOW``; FAM-0001 also has Jo Smith (``mum``) and ``amy``."""
    team_world.clock.at = NOW
    with team_world.factory() as uow:
        fam = team_world.fam
        fam.members = [Member("Jo Smith", MemberRole.PARENT), Member("Amy", MemberRole.CHILD)]
        uow.families.update(fam)
        uow.commit()
    team_world.mum, team_world.amy = fam.members
    return team_world


def mum_consent(**kw):
    c = dict(
        person="Jo Smith",
        kind="consent",
        given_on=date(2025, 4, 28),
        method="written",
        scope="Practice lead feedback only",
    )
    c.update(kw)
    return c


class FakeProbe:
    def __init__(self, result=754, error=None):
        self.result, self.error, self.calls = result, error, []

    def duration_seconds(self, path: str) -> int | None:
        self.calls.append(path)
        if self.error:
            raise self.error
        return self.result


def observe(w, who=None, **kw):
    args = dict(
        session_date=date(2025, 5, 1),
        link="https://recordings.example.org/abc",
        consents=[mum_consent()],
    )
    args.update(kw)
    return add_observation(w.ctx(who or w.prac), w.fam.id, **args)


ALL_FOURS = {s: 4 for s in Skill}


# -- adding ------------------------------------------------------------------------------------


def test_add_observation_with_consent(w):
    o = observe(w, duration_seconds=1800)
    stored = w.factory.store.observations[o.id]
    assert (stored.family_id, stored.practitioner_id, stored.session_date) == (
        w.fam.id,
        w.prac.id,
        date(2025, 5, 1),
    )
    assert (stored.duration_seconds, stored.created_by, stored.created_at) == (
        1800,
        w.prac.id,
        NOW,
    )
    [c] = stored.consents
    assert (c.person, c.kind, c.method, c.obtained_by, c.observation_id) == (
        "Jo Smith",
        ConsentKind.CONSENT,
        ConsentMethod.WRITTEN,
        w.prac.id,
        o.id,
    )
    assert stored.visible_link == "https://recordings.example.org/abc"
    [event] = w.events(AuditAction.CREATE)
    assert (event.entity, event.entity_id, event.family_id) == ("observation", o.id, w.fam.id)


def test_consent_objects_and_child_assent_linked_to_a_member(w):
    assent = Consent(
        "Amy",
        ConsentKind.ASSENT,
        date(2025, 5, 1),
        ConsentMethod.VERBAL,
        "ok",
        w.prac.id,
        member_id=w.amy.id,
    )
    o = observe(w, consents=[mum_consent(member_id=w.mum.id), assent])
    assert [(c.person, c.member_id) for c in o.consents] == [
        ("Jo Smith", w.mum.id),
        ("Amy", w.amy.id),
    ]


def test_a_recording_needs_at_least_one_consent(w):
    with pytest.raises(ValidationError) as err:
        observe(w, consents=[])
    assert err.value.field == "consents"
    assert w.factory.store.observations == {}


def test_a_childs_assent_alone_is_not_enough(w):
    with pytest.raises(ValidationError, match="adult's consent") as err:
        observe(w, consents=[mum_consent(person="Amy", kind="assent")])
    assert err.value.field == "consents"


@pytest.mark.parametrize(
    ("consent", "field"),
    [
        (mum_consent(person=""), "person"),
        (mum_consent(given_on=None), "given_on"),
        (mum_consent(given_on=date(2025, 5, 7)), "given_on"),
        (mum_consent(method="telepathy"), "method"),
        (mum_consent(kind="maybe"), "kind"),
        (mum_consent(scope=""), "scope"),
        (mum_consent(member_id=99999), "member"),
    ],
)
def test_bad_consent_names_its_field(w, consent, field):
    with pytest.raises(ValidationError) as err:
        observe(w, consents=[consent])
    assert err.value.field == field


def test_a_session_in_the_future_is_refused(w):
    with pytest.raises(ValidationError) as err:
        observe(w, session_date=date(2025, 5, 7))
    assert err.value.field == "session_date"


def test_duration_is_read_from_a_local_file_through_the_probe(w, tmp_path):
    audio = tmp_path / "visit.m4a"
    audio.write_bytes(b"not really audio")
    probe = FakeProbe(754)
    o = observe(w, link=str(audio), audio_probe=probe)
    assert o.duration_seconds == 754
    assert probe.calls == [str(audio)]
    o2 = observe(w, link=audio.as_uri(), audio_probe=probe)
    assert o2.duration_seconds == 754
    assert probe.calls[-1] == str(audio)


def test_a_given_duration_wins_and_urls_or_missing_files_are_not_probed(w, tmp_path):
    audio = tmp_path / "visit.m4a"
    audio.write_bytes(b"x")
    probe = FakeProbe(754)
    assert (
        observe(w, link=str(audio), duration_seconds=60, audio_probe=probe).duration_seconds == 60
    )
    assert observe(w, audio_probe=probe).duration_seconds is None
    assert probe.calls == []


def test_a_missing_file_a_folder_or_a_malformed_url_is_refused_at_the_link(w, tmp_path):
    before = dict(w.factory.store.observations)
    for bad, words in [
        (str(tmp_path / "gone.m4a"), "There is no file at"),
        (str(tmp_path), "is a folder"),
        ((tmp_path / "gone.m4a").as_uri(), "There is no file at"),
        ("https://", "not a valid web address"),
        ("https//recordings.example.org/a.m4a", "start it with https://"),
        ("http:/recordings.example.org/a.m4a", "should start with https://"),
        ("https://record ings.example.org/a.m4a", "not a valid web address"),
        ("https://recordings.example.org:http/a", "port is not a number"),
        ("www.example.org/visit.m4a", "start it with https://"),
    ]:
        with pytest.raises(ValidationError) as err:
            observe(w, link=bad)
        assert err.value.field == "link"
        assert words in str(err.value), (bad, str(err.value))
    assert w.factory.store.observations == before


def test_a_url_that_cannot_be_checked_is_allowed_with_a_warning(tmp_path):
    web = check_recording_link(" https://recordings.example.org/visit.m4a ")
    assert web.link == "https://recordings.example.org/visit.m4a"
    assert "cannot check a web address" in (web.warning or "")
    share = check_recording_link("smb://fileserver/recordings/visit.m4a")
    assert "cannot check a smb:// address" in (share.warning or "")
    audio = tmp_path / "visit.m4a"
    audio.write_bytes(b"x")
    assert check_recording_link(str(audio)).warning is None
    assert check_recording_link(audio.as_uri()).warning is None


def test_an_unreadable_file_leaves_the_duration_unknown(w, tmp_path):
    audio = tmp_path / "broken.m4a"
    audio.write_bytes(b"x")
    assert observe(w, link=str(audio), audio_probe=FakeProbe(None)).duration_seconds is None
    broken = FakeProbe(error=RuntimeError("bad header"))
    assert observe(w, link=str(audio), audio_probe=broken).duration_seconds is None


def test_local_path_recognises_paths_and_file_urls_only(tmp_path):
    f = tmp_path / "a b.wav"
    f.write_bytes(b"x")
    assert local_path(str(f)) == str(f)
    assert local_path(f.as_uri()) == str(f)
    assert local_path("https://example.org/a.wav") is None
    assert local_path(str(tmp_path)) is None  # a folder is not a recording


def test_a_manager_adds_a_recording_of_the_allocated_practitioner(w):
    o = observe(w, who=w.manager)
    assert (o.practitioner_id, o.created_by) == (w.prac.id, w.manager.id)


def test_the_observed_person_must_be_a_practitioner(w):
    with pytest.raises(ValidationError) as err:
        observe(w, who=w.manager, practitioner_id=w.manager.id)
    assert err.value.field == "practitioner"


# -- consent -----------------------------------------------------------------------------------


def test_add_consent_later(w):
    o = observe(w)
    o = add_consent(w.ctx(w.prac), o.id, mum_consent(person="Dad", given_on=date(2025, 5, 2)))
    assert [c.person for c in w.factory.store.observations[o.id].consents] == ["Jo Smith", "Dad"]
    assert all(c.id is not None for c in o.consents)
    assert w.events(AuditAction.UPDATE)[-1].detail == "consent added"


def test_withdrawing_consent_hides_the_link_at_once_and_keeps_feedback(w):
    o = observe(w, duration_seconds=900)
    save_feedback(w.ctx(w.lead), o.id, ALL_FOURS, [("01:00", "Good start")], "Warm", "Pause more")
    w.clock.advance(minutes=3)
    consent_id = o.consents[0].id
    result = withdraw_consent(w.ctx(w.prac), o.id, consent_id, TODAY)
    assert result.visible_link is None
    stored = w.factory.store.observations[o.id]
    assert stored.marked_for_deletion_at == datetime(2025, 5, 6, 16, 3, tzinfo=LOCAL_ZONE)
    assert stored.consents[0].withdrawn_on == TODAY
    assert stored.visible_link is None
    # Hidden wherever it is read.
    assert get_observation(w.ctx(w.manager), o.id).visible_link is None
    assert [x.visible_link for x in list_observations(w.ctx(w.prac), w.fam.id)] == [None]
    # Feedback text stays.
    fb = get_feedback(w.ctx(w.prac), o.id)
    assert (fb.strengths, fb.one_thing_to_try, fb.comments[0].text) == (
        "Warm",
        "Pause more",
        "Good start",
    )
    [event] = w.events(AuditAction.WITHDRAW)
    assert (event.entity_id, event.family_id, event.user_id) == (o.id, w.fam.id, w.prac.id)


def test_withdrawn_recordings_leave_the_queue_and_take_no_new_feedback_or_consent(w):
    o = observe(w)
    withdraw_consent(w.ctx(w.manager), o.id, o.consents[0].id, TODAY)
    assert feedback_queue(w.ctx(w.lead)) == []
    with pytest.raises(ValidationError, match="withdrawn"):
        save_feedback(w.ctx(w.lead), o.id, ALL_FOURS)
    with pytest.raises(ValidationError, match="withdrawn"):
        add_consent(w.ctx(w.prac), o.id, mum_consent(person="Dad"))


def test_withdrawal_errors(w):
    o = observe(w)
    cid = o.consents[0].id
    with pytest.raises(ValidationError) as err:
        withdraw_consent(w.ctx(w.prac), o.id, 424242, TODAY)
    assert err.value.field == "consent"
    with pytest.raises(ValidationError) as err:
        withdraw_consent(w.ctx(w.prac), o.id, cid, date(2025, 5, 9))
    assert err.value.field == "withdrawn_on"
    with pytest.raises(ValidationError) as err:
        withdraw_consent(w.ctx(w.prac), o.id, cid, date(2025, 4, 1))  # before it was given
    assert err.value.field == "withdrawn_on"
    with pytest.raises(ValidationError) as err:
        withdraw_consent(w.ctx(w.prac), o.id, cid, None)
    assert err.value.field == "withdrawn_on"
    assert w.factory.store.observations[o.id].visible_link is not None
    withdraw_consent(w.ctx(w.prac), o.id, cid, TODAY)
    with pytest.raises(ValidationError, match="already withdrawn"):
        withdraw_consent(w.ctx(w.prac), o.id, cid, TODAY)


def test_a_supporting_lead_may_withdraw_consent_but_not_add_it(w):
    o = observe(w)
    with pytest.raises(AccessDenied):
        add_consent(w.ctx(w.lead), o.id, mum_consent(person="Dad"))
    assert w.events(AuditAction.DENIED)[-1].family_id == w.fam.id
    assert withdraw_consent(w.ctx(w.lead), o.id, o.consents[0].id, TODAY).visible_link is None


# -- feedback ----------------------------------------------------------------------------------


def test_feedback_queue_lists_unreviewed_recordings_of_supported_practitioners(w):
    a = observe(w, session_date=date(2025, 5, 2))
    b = observe(w, session_date=date(2025, 4, 20))
    add_observation(
        w.ctx(w.south_prac), w.south_fam.id, date(2025, 5, 1), "https://x/y", [mum_consent()]
    )
    queue = feedback_queue(w.ctx(w.lead))
    assert [i.observation.id for i in queue] == [b.id, a.id]
    assert (queue[0].practitioner_name, queue[0].family_reference, queue[0].family_name) == (
        "Prac",
        "FAM-0001",
        "Smith",
    )
    save_feedback(w.ctx(w.lead), b.id, {"empathy": 3})
    assert [i.observation.id for i in feedback_queue(w.ctx(w.lead))] == [a.id]
    assert w.events(AuditAction.VIEW)[-1].entity == "feedback_queue"


@pytest.mark.parametrize("who", ["prac", "manager", "staff", "admin"])
def test_the_feedback_queue_is_for_practice_leads_only(w, who):
    with pytest.raises(AccessDenied):
        feedback_queue(w.ctx(getattr(w, who)))
    assert w.events(AuditAction.DENIED)[0].user_id == getattr(w, who).id


def test_save_feedback_stores_ratings_comments_and_is_audited(w):
    o = observe(w, duration_seconds=1200)
    fb = save_feedback(
        w.ctx(w.lead),
        o.id,
        {"empathy": 4.5, Skill.CLARITY: 2, "evocation": None},
        [{"at": "12:05", "text": "Clear about the worry"}, ("00:30", "Warm opening")],
        "Warm and clear",
        "Ask what Amy would say",
    )
    stored = w.factory.store.feedback[o.id]
    assert stored.ratings == {Skill.EMPATHY: 4.5, Skill.CLARITY: 2.0}
    assert [(c.at, c.text) for c in stored.comments] == [
        ("00:30", "Warm opening"),
        ("12:05", "Clear about the worry"),
    ]
    assert (stored.lead_id, stored.strengths, stored.one_thing_to_try) == (
        w.lead.id,
        "Warm and clear",
        "Ask what Amy would say",
    )
    assert (stored.created_at, stored.updated_at, stored.id) == (NOW, NOW, fb.id)
    assert w.events(AuditAction.CREATE)[-1].entity == "feedback"


def test_saving_again_replaces_the_feedback_but_keeps_replies(w):
    o = observe(w)
    save_feedback(w.ctx(w.lead), o.id, {"empathy": 3})
    reply_to_feedback(w.ctx(w.prac), o.id, "Thanks, I'll try that.")
    w.clock.advance(hours=1)
    fb = save_feedback(w.ctx(w.lead), o.id, {"empathy": 3.5}, strengths="Better")
    assert fb.ratings == {Skill.EMPATHY: 3.5}
    assert [r.text for r in fb.replies] == ["Thanks, I'll try that."]
    assert (fb.created_at, fb.updated_at) == (NOW, datetime(2025, 5, 6, 17, 0, tzinfo=LOCAL_ZONE))
    assert w.events(AuditAction.UPDATE)[-1].entity == "feedback"


@pytest.mark.parametrize(
    ("ratings", "comments", "field"),
    [
        ({"empathy": 6}, [], "empathy"),
        ({"empathy": 3.25}, [], "empathy"),
        ({"charm": 3}, [], "ratings"),
        ({}, [("1:75", "x")], "at"),
        ({}, [("20:01", "past the end")], "at"),
        ({}, [("01:00", "")], "comment"),
    ],
)
def test_bad_feedback_names_its_field(w, ratings, comments, field):
    o = observe(w, duration_seconds=1200)
    with pytest.raises(ValidationError) as err:
        save_feedback(w.ctx(w.lead), o.id, ratings, comments)
    assert err.value.field == field
    assert w.factory.store.feedback == {}


@pytest.mark.parametrize("strengths, one_thing", [("", ""), ("   ", "\n\t")])
def test_feedback_with_no_rating_and_no_text_cannot_be_saved_as_given(w, strengths, one_thing):
    o = observe(w, duration_seconds=1200)
    with pytest.raises(ValidationError) as err:
        save_feedback(w.ctx(w.lead), o.id, {s: None for s in Skill}, [], strengths, one_thing)
    assert err.value.field == Skill.EMPATHY.value
    assert "empty" in str(err.value)
    assert w.factory.store.feedback == {}
    # Any one thing said is enough.
    assert save_feedback(w.ctx(w.lead), o.id, {}, [], "Warm", "").strengths == "Warm"


def test_a_comment_at_the_very_end_is_fine(w):
    o = observe(w, duration_seconds=1200)
    fb = save_feedback(w.ctx(w.lead), o.id, {}, [("20:00", "Good ending")])
    assert fb.comments[0].at_seconds == 1200


@pytest.mark.parametrize("who", ["other_lead", "prac", "manager", "staff", "admin"])
def test_only_a_supporting_lead_gives_feedback_and_others_are_audited(w, who):
    o = observe(w)
    with pytest.raises(AccessDenied):
        save_feedback(w.ctx(getattr(w, who)), o.id, ALL_FOURS)
    [denied] = w.events(AuditAction.DENIED)
    assert (denied.user_id, denied.entity_id, denied.family_id) == (
        getattr(w, who).id,
        o.id,
        w.fam.id,
    )
    assert w.factory.store.feedback == {}


def test_reply_thread_between_practitioner_and_lead(w):
    o = observe(w)
    with pytest.raises(ValidationError, match="no feedback"):
        reply_to_feedback(w.ctx(w.prac), o.id, "Hello?")
    save_feedback(w.ctx(w.lead), o.id, ALL_FOURS)
    reply_to_feedback(w.ctx(w.prac), o.id, "I noticed I talked a lot.")
    w.clock.advance(minutes=10)
    reply_to_feedback(w.ctx(w.lead), o.id, "Try a pause after questions.")
    fb = get_feedback(w.ctx(w.prac), o.id)
    assert [(r.author_id, r.text) for r in fb.replies] == [
        (w.prac.id, "I noticed I talked a lot."),
        (w.lead.id, "Try a pause after questions."),
    ]
    assert fb.replies[1].at == datetime(2025, 5, 6, 16, 10, tzinfo=LOCAL_ZONE)
    with pytest.raises(ValidationError) as err:
        reply_to_feedback(w.ctx(w.prac), o.id, "  ")
    assert err.value.field == "reply"


@pytest.mark.parametrize("who", ["prac2", "manager", "other_lead", "staff", "admin"])
def test_others_cannot_reply(w, who):
    o = observe(w)
    save_feedback(w.ctx(w.lead), o.id, ALL_FOURS)
    with pytest.raises(AccessDenied):
        reply_to_feedback(w.ctx(getattr(w, who)), o.id, "me too")
    assert w.events(AuditAction.DENIED)[-1].family_id == w.fam.id
    assert w.factory.store.feedback[o.id].replies == []


def test_who_may_read_feedback(w):
    o = observe(w)
    save_feedback(w.ctx(w.lead), o.id, ALL_FOURS)
    for who in (w.prac, w.lead, w.manager):
        assert get_feedback(w.ctx(who), o.id).ratings == ALL_FOURS
    for who in (w.prac2, w.south_manager, w.other_lead, w.staff, w.admin):
        with pytest.raises(AccessDenied):
            get_feedback(w.ctx(who), o.id)
    assert len(w.events(AuditAction.DENIED)) == 5
    views = [e for e in w.events(AuditAction.VIEW) if e.entity == "feedback"]
    assert [e.user_id for e in views] == [w.prac.id, w.lead.id, w.manager.id]


def test_the_observed_practitioner_keeps_their_feedback_after_the_family_moves(w):
    o = observe(w)
    save_feedback(w.ctx(w.lead), o.id, ALL_FOURS)
    with w.factory() as uow:
        fam = uow.families.get(w.fam.id)
        fam.practitioner_id = w.prac2.id
        uow.families.update(fam)
        uow.commit()
    assert get_feedback(w.ctx(w.prac), o.id) is not None
    with pytest.raises(AccessDenied):
        list_observations(w.ctx(w.prac), w.fam.id)


# -- access to recordings ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who", ["prac2", "south_prac", "south_manager", "lead", "other_lead", "staff", "admin"]
)
def test_no_family_access_no_adding_or_listing_and_it_is_audited(w, who):
    ctx = w.ctx(getattr(w, who))
    with pytest.raises(AccessDenied):
        add_observation(ctx, w.fam.id, date(2025, 5, 1), "https://x", [mum_consent()])
    with pytest.raises(AccessDenied):
        list_observations(ctx, w.fam.id)
    denied = w.events(AuditAction.DENIED)
    assert len(denied) == 2
    assert all(e.family_id == w.fam.id and e.user_id == getattr(w, who).id for e in denied)
    assert w.factory.store.observations == {}


@pytest.mark.parametrize("who", ["prac2", "south_manager", "other_lead", "staff", "admin"])
def test_others_cannot_open_or_withdraw(w, who):
    o = observe(w)
    with pytest.raises(AccessDenied):
        get_observation(w.ctx(getattr(w, who)), o.id)
    with pytest.raises(AccessDenied):
        withdraw_consent(w.ctx(getattr(w, who)), o.id, o.consents[0].id, TODAY)
    assert len(w.events(AuditAction.DENIED)) == 2
    assert w.factory.store.observations[o.id].visible_link is not None


def test_a_supporting_lead_sees_the_recording(w):
    o = observe(w)
    assert get_observation(w.ctx(w.lead), o.id).link == "https://recordings.example.org/abc"
    view = w.events(AuditAction.VIEW)[-1]
    assert (view.user_id, view.entity_id, view.family_id) == (w.lead.id, o.id, w.fam.id)


# -- skill trend -------------------------------------------------------------------------------


def test_skill_trend_points_in_session_order_with_group_means(w):
    late = observe(w, session_date=date(2025, 5, 1))
    early = observe(w, session_date=date(2025, 3, 1))
    unrated = observe(w, session_date=date(2025, 4, 1))
    save_feedback(
        w.ctx(w.lead),
        late.id,
        {"empathy": 4, "collaboration": 3, "autonomy": 3.5, "evocation": 2.5, "clarity": 4},
    )
    save_feedback(w.ctx(w.lead), early.id, {"empathy": 2})
    save_feedback(w.ctx(w.lead), unrated.id, {}, strengths="Only words")
    trend = skill_trend(w.ctx(w.prac), w.prac.id)
    assert [p.session_date for p in trend] == [date(2025, 3, 1), date(2025, 5, 1)]
    day, ratings, means, _ = trend[1]
    assert ratings[Skill.EMPATHY] == 4
    assert means == {
        SkillGroup.CARE: 3.5,
        SkillGroup.GOOD_AUTHORITY: 4.0,
        SkillGroup.EVOCATION: 2.5,
    }
    assert trend[0].group_means[SkillGroup.GOOD_AUTHORITY] is None
    view = w.events(AuditAction.VIEW)[-1]
    assert (view.entity, view.entity_id) == ("skill_trend", w.prac.id)


def test_skill_trend_keeps_feedback_of_withdrawn_recordings(w):
    o = observe(w)
    save_feedback(w.ctx(w.lead), o.id, {"empathy": 3})
    withdraw_consent(w.ctx(w.prac), o.id, o.consents[0].id, TODAY)
    assert len(skill_trend(w.ctx(w.prac), w.prac.id)) == 1


def test_who_may_see_a_skill_trend(w):
    o = observe(w)
    save_feedback(w.ctx(w.lead), o.id, ALL_FOURS)
    for who in (w.prac, w.lead, w.manager):
        assert len(skill_trend(w.ctx(who), w.prac.id)) == 1
    for who in (w.prac2, w.south_manager, w.other_lead, w.staff, w.admin):
        with pytest.raises(AccessDenied, match="skill trend of Prac"):
            skill_trend(w.ctx(who), w.prac.id)
    denied = w.events(AuditAction.DENIED)
    assert [e.user_id for e in denied] == [
        w.prac2.id,
        w.south_manager.id,
        w.other_lead.id,
        w.staff.id,
        w.admin.id,
    ]
    assert all((e.entity, e.entity_id) == ("skill_trend", w.prac.id) for e in denied)


def test_feedback_given_is_listed_by_the_date_it_was_given_newest_first(w):
    from domain.services.observation_views import feedback_given

    older = observe(w, session_date=date(2025, 4, 1))
    newer_session = observe(w, session_date=date(2025, 5, 1))
    save_feedback(w.ctx(w.lead), newer_session.id, {"empathy": 4}, [], "", "")
    w.clock.advance(days=1)
    save_feedback(w.ctx(w.lead), older.id, {"empathy": 3}, [], "", "")
    w.clock.advance(days=1)
    # A later reply on the first one does not move it: the list shows (and is ordered by) the
    # date the feedback was given.
    reply_to_feedback(w.ctx(w.prac), newer_session.id, "Thank you.")
    given = feedback_given(w.ctx(w.lead))
    assert [g.observation.id for g in given] == [older.id, newer_session.id]
    assert given[0].given_at > given[1].given_at
