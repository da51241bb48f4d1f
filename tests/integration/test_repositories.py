"""Every aggregate goes into the database and comes back equal, on SQLite and PostgreSQL.

Each test writes in one unit of work, commits, and reads in a fresh one, so what is compared is
what the database holds, not what a Session remembered.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta

import pytest

from domain.audit import AuditAction, AuditEvent, Draft
from domain.errors import NotFound, ValidationError
from domain.families import LegalStatus, Member, MemberRole, StatusChange
from domain.mapping import Mapping, MappingRevision, ScalingRating
from domain.observations import (
    Consent,
    ConsentKind,
    ConsentMethod,
    Feedback,
    Observation,
    Reply,
    Skill,
    TimedComment,
)
from domain.people import Role, Team, TeamSettings, User
from domain.plans import Plan, PlanRevision
from domain.summaries import Summary, SummaryEvent, SummarySection, SummaryStatus, SummaryVersion
from domain.timeuse import (
    BaselineEntry,
    ChildSeen,
    Contact,
    ContactKind,
    ManualEntry,
    ManualKind,
    RecordingActivity,
    RecordingSession,
    TimeCategory,
)
from tests.integration.builders import NOW, build_world, mapping_content, plan_content


@pytest.fixture
def world(uow_factory):  # type: ignore[no-untyped-def]
    return build_world(uow_factory)


def test_teams_round_trip(uow_factory, world) -> None:  # type: ignore[no-untyped-def]
    with uow_factory() as uow:
        assert uow.teams.get(world.team.id) == world.team
        assert uow.teams.by_name("  NORTH ") == world.team
        assert uow.teams.by_name("South") is None
        south = uow.teams.add(Team(name="South"))
        south.settings = TeamSettings(4, 5, practitioners_see_team_families=True)
        uow.teams.update(south)
        uow.commit()
    with uow_factory() as uow:
        assert [t.name for t in uow.teams.list()] == ["North", "South"]
        assert uow.teams.get(south.id).settings == TeamSettings(4, 5, True)
        with pytest.raises(ValidationError) as caught:
            uow.teams.add(Team(name="North"))
        assert caught.value.field == "name"
        # The failed insert left the transaction usable.
        assert uow.teams.by_name("North") == world.team


def test_users_round_trip_with_supports(uow_factory, world) -> None:  # type: ignore[no-untyped-def]
    with uow_factory() as uow:
        assert uow.users.get(world.practitioner.id) == world.practitioner
        assert uow.users.get(world.practitioner.id).passphrase_hash == "scrypt$abc"
        assert uow.users.by_username(" LEE ") == world.lead
        assert uow.users.get(world.lead.id).supports == {world.practitioner.id}
        assert [u.username for u in uow.users.list()] == ["alex", "lee", "mo"]
        lead = replace(
            world.lead, supports=frozenset({world.manager.id}), active=False, passphrase_hash="x"
        )
        uow.users.update(lead)
        uow.commit()
    with uow_factory() as uow:
        assert uow.users.get(world.lead.id) == lead
        with pytest.raises(ValidationError) as caught:
            uow.users.add(User(username="alex", full_name="Another Alex", role=Role.ADMIN))
        assert caught.value.field == "username"
        assert "already taken" in str(caught.value)


def test_family_add_assigns_ids_and_loads_members_and_history(uow_factory, world) -> None:  # type: ignore[no-untyped-def]
    family = world.family
    assert family.id is not None and family.reference == "FAM-0001"
    assert all(m.id is not None and m.family_id == family.id for m in family.members)
    with uow_factory() as uow:
        stored = uow.families.get(family.id)
        assert stored == family
        assert stored.children[0].current_status is LegalStatus.CHILD_PROTECTION
        assert [c.status for c in stored.children[0].status_history] == [
            LegalStatus.CHILD_IN_NEED,
            LegalStatus.CHILD_PROTECTION,
        ]
        assert uow.families.by_reference("fam-0001") == family
        assert uow.families.by_reference("FAM-9999") is None


def test_family_update_changes_fields_members_and_history(uow_factory, world) -> None:  # type: ignore[no-untyped-def]
    with uow_factory() as uow:
        family = uow.families.get(world.family.id)
        parent, child = family.members
        family.members = [
            child,
            Member(name="Ben Reid", role=MemberRole.CHILD, date_of_birth=date(2019, 2, 2)),
        ]
        child.status_history.append(StatusChange(LegalStatus.CHILD_IN_NEED, date(2025, 3, 1)))
        family.practitioner_id = None
        family.address = "2 Low Road"
        uow.families.update(family)
        assert family.members[1].id is not None  # the new member got an id
        uow.commit()
    with uow_factory() as uow:
        stored = uow.families.get(family.id)
        assert stored == family
        assert [m.name for m in stored.members] == ["Amy Reid", "Ben Reid"]
        assert stored.members[0].current_status is LegalStatus.CHILD_IN_NEED
        assert stored.practitioner_id is None and stored.address == "2 Low Road"


def test_family_list_filters(uow_factory, world) -> None:  # type: ignore[no-untyped-def]
    with uow_factory() as uow:
        closed = replace(world.family, id=None, reference="FAM-0002", members=[])
        closed = uow.families.add(closed)
        closed.closed_on = date(2025, 3, 1)
        closed.closure_reason = "Moved away"
        uow.families.update(closed)
        uow.commit()
    with uow_factory() as uow:
        assert [f.reference for f in uow.families.list()] == ["FAM-0001"]
        assert [f.reference for f in uow.families.list(include_closed=True)] == [
            "FAM-0001",
            "FAM-0002",
        ]
        assert uow.families.list(practitioner_id=world.manager.id) == []
        assert [
            f.reference for f in uow.families.list(team_id=world.team.id, include_closed=True)
        ] == ["FAM-0001", "FAM-0002"]
        assert uow.families.list(team_id=world.team.id)[0] == world.family


def test_plan_revisions_are_kept_and_current_is_latest(uow_factory, world) -> None:  # type: ignore[no-untyped-def]
    fid = world.family.id
    first = PlanRevision(1, plan_content(), world.practitioner.id, NOW)
    second = PlanRevision(2, plan_content("Changed words"), world.manager.id, NOW + timedelta(1))
    with uow_factory() as uow:
        assert uow.plans.for_family(fid) is None
        plan = uow.plans.save(
            Plan(family_id=fid, current=first.content, revision=0), first, expected_revision=None
        )
        uow.commit()
    with uow_factory() as uow:
        assert uow.plans.for_family(fid) == plan
        plan = uow.plans.save(plan, second, expected_revision=1)
        uow.commit()
    with uow_factory() as uow:
        stored = uow.plans.for_family(fid)
        assert stored == plan
        assert stored.current.family_words == "Changed words"
        assert (stored.revision, stored.updated_by, stored.updated_at) == (
            2,
            world.manager.id,
            NOW + timedelta(1),
        )
        assert uow.plans.revisions(fid) == [first, second]
        assert uow.plans.revisions(fid)[0].content.goals[0].actions[0].by_when == date(2025, 3, 1)


def test_mapping_revisions_and_ratings(uow_factory, world) -> None:  # type: ignore[no-untyped-def]
    fid = world.family.id
    r1 = MappingRevision(1, mapping_content(date(2025, 2, 20)), world.practitioner.id, NOW)
    with uow_factory() as uow:
        later = uow.mappings.save(
            Mapping(family_id=fid, current=r1.content, revision=0), r1, expected_revision=None
        )
        earlier_rev = MappingRevision(1, mapping_content(date(2025, 1, 5)), world.manager.id, NOW)
        earlier = uow.mappings.save(
            Mapping(family_id=fid, current=earlier_rev.content, revision=0),
            earlier_rev,
            expected_revision=None,
        )
        uow.commit()
    r2 = MappingRevision(2, replace(r1.content, participants=("Dana",)), world.manager.id, NOW)
    with uow_factory() as uow:
        later = uow.mappings.save(later, r2, expected_revision=1)
        rating = uow.mappings.add_rating(
            ScalingRating(
                family_id=fid,
                rated_on=date(2025, 2, 20),
                person="Dana Reid",
                person_role="Mum",
                score=4,
                reason="School is better but mornings are hard.",
                mapping_id=later.id,
                danger_key="k1",
                recorded_by=world.practitioner.id,
            )
        )
        first_rating = uow.mappings.add_rating(
            ScalingRating(
                family_id=fid,
                rated_on=date(2025, 1, 5),
                person="Alex",
                person_role="",
                score=0,
                reason="Start.",
                anchor_zero="Care proceedings",
                anchor_ten="Closed",
            )  # fmt: skip
        )
        uow.commit()
    with uow_factory() as uow:
        assert uow.mappings.get(later.id) == later
        assert uow.mappings.get(later.id).current.participants == ("Dana",)
        assert uow.mappings.for_family(fid) == [earlier, later]
        assert uow.mappings.revisions(later.id) == [r1, r2]
        assert uow.mappings.revisions(later.id)[0].content == mapping_content()
        assert uow.mappings.ratings(fid) == [first_rating, rating]
        assert uow.mappings.ratings(fid)[0].anchor_zero == "Care proceedings"
        with pytest.raises(NotFound):
            uow.mappings.get(99999)


def _summary(world, **changes) -> Summary:  # type: ignore[no-untyped-def]
    base = Summary(
        family_id=world.family.id,
        author_id=world.practitioner.id,
        period_start=date(2025, 1, 1),
        period_end=date(2025, 2, 28),
        sections={SummarySection.WHY_INVOLVED: "Neglect concerns.", SummarySection.ANALYSIS: ""},
        created_at=NOW,
    )
    return replace(base, **changes)


def _version(summary: Summary, number: int, event: SummaryEvent, by: int) -> SummaryVersion:
    return SummaryVersion(
        number=number,
        event=event,
        status=summary.status,
        sections=dict(summary.sections),
        period_start=summary.period_start,
        period_end=summary.period_end,
        by_user=by,
        at=NOW + timedelta(hours=number),
        comment="Looks good" if event is SummaryEvent.APPROVED else "",
    )


def test_summary_life_cycle_round_trip(uow_factory, world) -> None:  # type: ignore[no-untyped-def]
    draft = _summary(world)
    v1 = _version(draft, 1, SummaryEvent.SAVED, world.practitioner.id)
    with uow_factory() as uow:
        saved = uow.summaries.save(draft, v1, expected_revision=None)
        uow.commit()
    assert saved.id is not None and saved.version == 1
    submitted = replace(
        saved,
        status=SummaryStatus.SUBMITTED,
        submitted_at=NOW + timedelta(days=1),
        sections={**saved.sections, SummarySection.NEXT_STEPS: "Review in six weeks — ✓"},
    )
    v2 = _version(submitted, 2, SummaryEvent.SUBMITTED, world.practitioner.id)
    with uow_factory() as uow:
        submitted = uow.summaries.save(submitted, v2, expected_revision=1)
        uow.commit()
    with uow_factory() as uow:
        assert uow.summaries.get(saved.id) == submitted
        assert uow.summaries.versions(saved.id) == [v1, v2]
        assert uow.summaries.with_status(SummaryStatus.SUBMITTED) == [submitted]
        assert uow.summaries.with_status(SummaryStatus.SUBMITTED, team_id=world.team.id) == [
            submitted
        ]
        assert uow.summaries.with_status(SummaryStatus.SUBMITTED, team_id=world.team.id + 1) == []
        assert uow.summaries.with_status(SummaryStatus.DRAFT) == []


def test_summaries_for_family_newest_period_first(uow_factory, world) -> None:  # type: ignore[no-untyped-def]
    with uow_factory() as uow:
        older = _summary(world, period_start=date(2024, 11, 1), period_end=date(2024, 12, 31))
        older = uow.summaries.save(
            older, _version(older, 1, SummaryEvent.SAVED, 1), expected_revision=None
        )
        newer = _summary(world)
        newer = uow.summaries.save(
            newer, _version(newer, 1, SummaryEvent.SAVED, 1), expected_revision=None
        )
        uow.commit()
    with uow_factory() as uow:
        assert uow.summaries.for_family(world.family.id) == [newer, older]


def test_contacts_round_trip_and_queries(uow_factory, world) -> None:  # type: ignore[no-untyped-def]
    def contact(on: date, start: time, logged: datetime | None, **kw) -> Contact:  # type: ignore[no-untyped-def]
        return Contact(
            family_id=world.family.id,
            practitioner_id=world.practitioner.id,
            on=on,
            start=start,
            minutes=45,
            kind=ContactKind.HOME_VISIT,
            note="Saw Amy in her room; she said [crying] she is fine",
            logged_at=logged,
            **kw,
        )

    with uow_factory() as uow:
        amy = world.child
        a = uow.contacts.add(
            contact(date(2025, 3, 3), time(14, 5), NOW, seen=(ChildSeen(amy.id, amy.name),))
        )
        b = uow.contacts.add(
            contact(date(2025, 3, 5), time(9, 0), NOW - timedelta(days=1), travel_minutes=20)
        )
        c = uow.contacts.add(contact(date(2025, 3, 5), time(16, 30), None, present="Dana"))
        uow.commit()
    with uow_factory() as uow:
        assert uow.contacts.get(a.id) == a and a.start == time(14, 5)
        assert uow.contacts.for_family(world.family.id) == [c, b, a]
        assert uow.contacts.for_family(world.family.id, start=date(2025, 3, 4)) == [c, b]
        assert uow.contacts.for_family(world.family.id, end=date(2025, 3, 4)) == [a]
        assert uow.contacts.last_for_practitioner(world.practitioner.id) == a
        assert uow.contacts.last_for_practitioner(world.manager.id) is None
        a.note = "Corrected note"
        a.seen = (ChildSeen(amy.id, amy.name, alone=True),)
        a.edited_at = NOW + timedelta(minutes=5)
        uow.contacts.update(a)
        uow.commit()
    with uow_factory() as uow:
        assert uow.contacts.get(a.id) == a
        assert a.seen_alone and uow.contacts.get(b.id).seen == ()
        assert uow.contacts.for_practitioner(
            world.practitioner.id, start=date(2025, 3, 3), end=date(2025, 3, 4)
        ) == [a]


def test_recording_sessions_manual_and_baseline(uow_factory, world) -> None:  # type: ignore[no-untyped-def]
    uid = world.practitioner.id
    with uow_factory() as uow:
        late = uow.recording.add_session(
            RecordingSession(
                uid, RecordingActivity.PLAN, NOW, NOW + timedelta(minutes=10), 420, world.family.id
            )
        )
        early = uow.recording.add_session(
            RecordingSession(
                uid,
                RecordingActivity.SUMMARY,
                NOW - timedelta(hours=2),
                NOW - timedelta(hours=1),
                3000,
            )  # fmt: skip
        )
        other = uow.recording.add_session(
            RecordingSession(world.manager.id, RecordingActivity.REVIEW, NOW, NOW, 0)
        )
        manual = uow.recording.add_manual(
            ManualEntry(uid, date(2025, 3, 7), 30, ManualKind.COURT_STATEMENT, "Draft C2")
        )
        count = uow.recording.add_baseline(
            BaselineEntry(uid, date(2025, 1, 6), category, 15 * i)
            for i, category in enumerate(TimeCategory)
        )
        uow.commit()
    assert count == len(TimeCategory)
    with uow_factory() as uow:
        assert uow.recording.sessions(user_id=uid) == [early, late]
        assert uow.recording.sessions(family_id=world.family.id) == [late]
        assert uow.recording.sessions() == [early, late, other]  # by start, then id
        assert uow.recording.manual_entries(user_id=uid) == [manual]
        assert uow.recording.manual_entries(user_id=world.manager.id) == []


def _consent(world, person: str = "Dana Reid", **kw) -> Consent:  # type: ignore[no-untyped-def]
    fields = {
        "kind": ConsentKind.CONSENT,
        "given_on": date(2025, 3, 1),
        "method": ConsentMethod.WRITTEN,
        "scope": "Recording of this visit for practice feedback",
        "obtained_by": world.practitioner.id,
    }
    return Consent(person=person, **{**fields, **kw})


def test_observation_consents_and_feedback(uow_factory, world) -> None:  # type: ignore[no-untyped-def]
    with uow_factory() as uow:
        observation = uow.observations.add(
            Observation(
                family_id=world.family.id,
                practitioner_id=world.practitioner.id,
                session_date=date(2025, 3, 3),
                link="file:///recordings/visit 1.m4a",
                duration_seconds=1800,
                consents=[
                    _consent(world),
                    _consent(
                        world, "Amy Reid", member_id=world.child.id, method=ConsentMethod.VERBAL
                    ),
                ],
                created_by=world.practitioner.id,
                created_at=NOW,
            )
        )
        uow.commit()
    assert all(c.id and c.observation_id == observation.id for c in observation.consents)
    with uow_factory() as uow:
        stored = uow.observations.get(observation.id)
        assert stored == observation
        stored.consents[1].withdrawn_on = date(2025, 3, 4)
        stored.consents.append(_consent(world, "Gran"))
        stored.marked_for_deletion_at = NOW + timedelta(days=1)
        uow.observations.update(stored)
        uow.commit()
    with uow_factory() as uow:
        again = uow.observations.get(observation.id)
        # A withdrawn recording's address is erased in the row, not only hidden.
        assert again == replace(stored, link=None) and again.withdrawn and again.link is None
        assert uow.observations.list(family_id=world.family.id) == [again]
        assert uow.observations.list(practitioner_ids=[world.manager.id]) == []
        assert uow.observations.list(practitioner_ids=[]) == []
        assert uow.observations.feedback(observation.id) is None

        feedback = Feedback(
            observation_id=observation.id,
            lead_id=world.lead.id,
            ratings={Skill.EMPATHY: 4.5, Skill.CLARITY: 2},
            comments=[TimedComment(125, "Lovely open question"), TimedComment(5, "Intro")],
            strengths="Warmth",
            one_thing_to_try="Name the worry",
            replies=[Reply(world.practitioner.id, "Thanks!", NOW)],
            created_at=NOW,
        )
        saved = uow.observations.save_feedback(feedback)
        uow.commit()
    with uow_factory() as uow:
        assert uow.observations.feedback(observation.id) == saved
        assert [c.at for c in saved.comments] == ["00:05", "02:05"]
        replaced = replace(
            saved,
            ratings={s: 3.0 for s in Skill},
            comments=[],
            replies=[*saved.replies, Reply(world.lead.id, "Try it next visit", NOW)],
            updated_at=NOW + timedelta(hours=1),
        )
        assert uow.observations.save_feedback(replaced).id == saved.id
        uow.commit()
    with uow_factory() as uow:
        stored_feedback = uow.observations.feedback(observation.id)
        assert stored_feedback == replaced and stored_feedback.complete


def test_audit_log_filters_and_limit(uow_factory, world) -> None:  # type: ignore[no-untyped-def]
    events = [
        AuditEvent(NOW, world.practitioner.id, AuditAction.VIEW, "family", 1, world.family.id),
        AuditEvent(
            NOW + timedelta(minutes=1), world.manager.id, AuditAction.UPDATE, "plan", 2, 999
        ),
        AuditEvent(NOW + timedelta(minutes=2), None, AuditAction.SIGN_IN_FAILED, "user", None),
        AuditEvent(
            NOW + timedelta(minutes=3),
            world.practitioner.id,
            AuditAction.DENIED,
            "family",
            detail="see the records of family FAM-0009",
        ),
    ]
    with uow_factory() as uow:
        for event in events:
            uow.audit.record(event)
        uow.commit()
    with uow_factory() as uow:
        stored = uow.audit.list()
        assert [replace(e, id=None) for e in stored] == events
        assert all(e.id is not None for e in stored)
        assert uow.audit.list(family_id=world.family.id) == [stored[0]]
        assert uow.audit.list(user_id=world.practitioner.id) == [stored[0], stored[3]]
        assert uow.audit.list(since=NOW + timedelta(minutes=2)) == stored[2:]
        assert uow.audit.list(limit=2) == stored[2:]


def test_drafts_put_replaces_by_user_and_key(uow_factory, world) -> None:  # type: ignore[no-untyped-def]
    uid = world.practitioner.id
    with uow_factory() as uow:
        uow.drafts.put(Draft(uid, "summary:1", "first words", NOW))
        uow.drafts.put(Draft(uid, "plan:1", "plan words", NOW, base_revision=3))
        uow.drafts.put(Draft(world.manager.id, "summary:1", "manager's", NOW))
        uow.commit()
    with uow_factory() as uow:
        assert uow.drafts.get(uid, "summary:1").content == "first words"
        uow.drafts.put(Draft(uid, "summary:1", "more words", NOW + timedelta(seconds=2), 1))
        # Read back inside the same unit of work as well as after commit.
        assert uow.drafts.get(uid, "summary:1").content == "more words"
        uow.commit()
    with uow_factory() as uow:
        draft = uow.drafts.get(uid, "summary:1")
        assert (draft.content, draft.saved_at, draft.base_revision) == (
            "more words",
            NOW + timedelta(seconds=2),
            1,
        )
        assert [d.key for d in uow.drafts.for_user(uid)] == ["summary:1", "plan:1"]
        uow.drafts.delete(uid, "summary:1")
        uow.drafts.delete(uid, "no-such-key")
        uow.commit()
    with uow_factory() as uow:
        assert uow.drafts.get(uid, "summary:1") is None
        assert [d.key for d in uow.drafts.for_user(uid)] == ["plan:1"]
        assert uow.drafts.get(world.manager.id, "summary:1").content == "manager's"
