"""The demo data, seeded into the in-memory fakes: what a demo user will find in it."""

from __future__ import annotations

import copy
import json
import statistics
import subprocess
import sys
from collections import Counter, defaultdict
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest

from domain.calendar import working_days_between
from domain.clock import LOCAL_ZONE, FixedClock
from domain.errors import DomainError
from domain.families import LegalStatus
from domain.mapping import ITEM_CATEGORIES
from domain.network_meetings import MEETINGS
from domain.observations import ConsentKind, Skill
from domain.passwords import verify_passphrase
from domain.people import Role
from domain.summaries import SummaryEvent, SummaryStatus
from domain.timeuse import RecordingActivity, TimeCategory
from storage.seed import DemoCalendar, sample_data_dir, seed_database
from tests.fakes import Store, fake_uow_factory

WEDNESDAY = datetime(2025, 3, 12, 9, 30)
TODAY = WEDNESDAY.date()


def _seed(at: datetime = WEDNESDAY) -> tuple[Store, dict[str, int]]:
    factory = fake_uow_factory()
    counts = seed_database(factory, FixedClock(at))
    return factory.store, counts


#: One worker runs this file: its module fixtures seed the demo data into the fakes (about 1.5 s of
#: CPU), which each xdist worker running one of its tests would otherwise do again.
pytestmark = pytest.mark.xdist_group("sample-data")


@pytest.fixture(scope="module")
def seeded() -> tuple[Store, dict[str, int]]:
    return _seed()


@pytest.fixture(scope="module")
def store(seeded: tuple[Store, dict[str, int]]) -> Store:
    return seeded[0]


def _users(store: Store, role: Role) -> list:
    return [u for u in store.users.values() if u.role is role]


def _trial_start(today: date = TODAY) -> date:
    return DemoCalendar(today).day(-59)


def test_the_counts_returned_are_what_the_store_holds(seeded):
    store, counts = seeded
    assert counts["teams"] == len(store.teams) == 2
    assert counts["users"] == len(store.users)
    assert counts["families"] == len(store.families) >= 30
    assert counts["members"] == sum(len(f.members) for f in store.families.values()) >= 70
    assert counts["plan_revisions"] == sum(len(r) for r in store.plan_revisions.values())
    assert counts["mappings"] == len(store.mappings)
    assert counts["ratings"] == len(store.ratings)
    assert counts["summaries"] == len(store.summaries)
    assert counts["summary_versions"] == sum(len(v) for v in store.summary_versions.values())
    assert counts["contacts"] == len(store.contacts)
    assert counts["recording_sessions"] == len(store.sessions)
    assert counts["manual_entries"] == len(store.manual) > 0
    assert counts["baseline_entries"] == len(store.baseline)
    assert counts["observations"] == len(store.observations)
    assert counts["feedback"] == len(store.feedback)


def test_staff_cover_every_role_and_all_sign_in_with_the_documented_passphrase(store):
    practitioners = _users(store, Role.PRACTITIONER)
    assert len(practitioners) >= 8
    per_team = Counter(u.team_id for u in practitioners)
    assert len(per_team) == 2 and min(per_team.values()) >= 4
    managers = _users(store, Role.TEAM_MANAGER)
    assert sorted(m.team_id for m in managers) == sorted(per_team)
    (lead,) = _users(store, Role.PRACTICE_LEAD)
    assert len(lead.supports) >= 3
    assert lead.supports <= {p.id for p in practitioners}
    assert len(_users(store, Role.PROJECT_STAFF)) == 1
    assert len(_users(store, Role.ADMIN)) == 1

    people = json.loads((sample_data_dir() / "people.json").read_text(encoding="utf-8"))
    passphrase = people["demo_passphrase"]
    assert f"`{passphrase}`" in (sample_data_dir() / "README.md").read_text(encoding="utf-8")
    for user in store.users.values():
        assert user.passphrase_hash and verify_passphrase(passphrase, user.passphrase_hash)
        assert f"`{user.username}`" in (sample_data_dir() / "README.md").read_text(encoding="utf-8")


def test_children_have_mixed_legal_statuses_with_history(store):
    children = [m for f in store.families.values() for m in f.children]
    current = Counter(c.current_status for c in children if True)
    for status in (
        LegalStatus.EARLY_HELP,
        LegalStatus.CHILD_IN_NEED,
        LegalStatus.CHILD_PROTECTION,
        LegalStatus.CHILD_LOOKED_AFTER,
    ):
        assert current[status] >= 3, status
    assert sum(1 for c in children if len(c.status_history) >= 2) >= 20
    changed_in_trial = [c for c in children if c.current_status_since >= _trial_start()]
    assert len(changed_in_trial) >= 5
    assert all(
        s.cp_category is not None
        for c in children
        for s in c.status_history
        if s.status is LegalStatus.CHILD_PROTECTION
    )
    assert sum(1 for f in store.families.values() if f.closed_on) >= 1


def test_a_family_has_one_child_on_cp_and_a_sibling_on_cin(store):
    mixed = [
        f
        for f in store.families.values()
        if {LegalStatus.CHILD_PROTECTION, LegalStatus.CHILD_IN_NEED}
        <= {c.current_status for c in f.children}
    ]
    assert mixed, "no family with a child on CP and a sibling on CIN"


def test_most_families_have_a_plan_and_several_have_revisions(store):
    assert len(store.plans) >= 0.75 * len(store.families)
    counts = Counter(len(r) for r in store.plan_revisions.values())
    assert counts[2] + counts[3] >= 5
    for family_id, plan in store.plans.items():
        family = store.families[family_id]
        child_ids = {c.id for c in family.children}
        keys = {
            p.key
            for m in store.mappings.values()
            if m.family_id == family_id
            for p in m.current.pairs
        }
        content = plan.current
        assert content.family_words and content.contingency and content.agreed_with
        assert content.review_date >= content.start_date
        assert content.goals
        for goal in content.goals:
            assert goal.child_ids and set(goal.child_ids) <= child_ids
            assert goal.danger_key is None or goal.danger_key in keys
            assert goal.actions and all(a.what and a.who for a in goal.actions)
    linked = [g for p in store.plans.values() for g in p.current.goals if g.danger_key]
    assert len(linked) >= 20
    overdue = [p for p in store.plans.values() if p.current.review_date < TODAY]
    assert 1 <= len(overdue) <= 6


def test_mappings_fill_every_category_and_several_people_scale_on_four_dates(store):
    assert store.mappings
    for mapping in store.mappings.values():
        content = mapping.current
        assert content.participants and content.pairs
        for category in ITEM_CATEGORIES:
            assert content.items_in(category), (mapping.family_id, category)
    by_family: dict[int, list] = defaultdict(list)
    for rating in store.ratings:
        by_family[rating.family_id].append(rating)
    assert max(len({r.rated_on for r in rs}) for rs in by_family.values()) >= 4
    roles = {r.person_role for r in store.ratings}
    assert {"mum", "social worker", "school"} <= roles
    assert any(r.startswith("child") for r in roles)
    assert any(r.anchor_zero != store.ratings[0].anchor_zero for r in store.ratings)
    trends = []
    for ratings in by_family.values():
        worker = [r for r in ratings if r.person_role == "social worker" and r.danger_key is None]
        if len({r.rated_on for r in worker}) >= 3:
            trends.append(worker[-1].score - worker[0].score)
    assert sum(1 for t in trends if t > 0) >= 5
    assert sum(1 for t in trends if t < 0) >= 3


def test_summaries_are_in_every_life_cycle_state(store):
    statuses = Counter(s.status for s in store.summaries.values())
    assert set(statuses) == set(SummaryStatus)
    for summary_id, versions in store.summary_versions.items():
        summary = store.summaries[summary_id]
        assert [v.number for v in versions] == list(range(1, len(versions) + 1))
        assert versions[-1].status is summary.status
        assert versions[0].event is SummaryEvent.SAVED
        family = store.families[summary.family_id]
        manager = next(u for u in _users(store, Role.TEAM_MANAGER) if u.team_id == family.team_id)
        for v in versions:
            if v.event in (SummaryEvent.APPROVED, SummaryEvent.RETURNED):
                assert v.by_user == manager.id
            else:
                assert v.by_user == summary.author_id
    resubmitted = [
        s
        for s in store.summaries.values()
        if s.status is SummaryStatus.SUBMITTED
        and store.summary_versions[s.id][-1].event is SummaryEvent.RESUBMITTED
    ]
    assert resubmitted and all(s.return_comment for s in resubmitted)
    returned = [s for s in store.summaries.values() if s.status is SummaryStatus.RETURNED]
    assert returned and all(store.summary_versions[s.id][-1].comment for s in returned)
    approved = [s for s in store.summaries.values() if s.status is SummaryStatus.APPROVED]
    assert all(s.reviewer_id and s.decided_at and s.submitted_at for s in approved)
    assert all(s.word_count > 150 for s in approved)


def test_contacts_cover_twelve_weeks_of_working_days(store):
    contacts = list(store.contacts.values())
    # The demo's day offsets skip weekends only (bank holidays are not skipped when seeding).
    cal = DemoCalendar(TODAY)
    offset = {cal.day(-k): k for k in range(1, 61)}
    assert all(c.on in offset for c in contacts)
    weeks = Counter((offset[c.on] - 1) // 5 for c in contacts)
    assert sorted(weeks) == list(range(12))
    assert min(weeks.values()) >= 50
    assert all(c.on.weekday() < 5 and c.on < TODAY for c in contacts)
    assert all(len(c.note) <= 280 and c.logged_at.date() == c.on for c in contacts)
    assert len({c.kind for c in contacts}) == 7
    assert sum(1 for c in contacts if c.seen_alone) >= 100


def test_children_on_cp_are_seen_every_ten_working_days_with_a_few_overdue(store):
    # Per child (the visiting standard is per child): each CP child's own visits.
    overdue, within = [], []
    for family in store.families.values():
        for child in family.children:
            if child.current_status is not LegalStatus.CHILD_PROTECTION:
                continue
            seen = [
                c.on
                for c in store.contacts.values()
                if c.family_id == family.id
                and c.kind.is_visit
                and child.id in {s.member_id for s in c.seen}
            ]
            gaps = working_days_between(max(seen), TODAY)
            (overdue if gaps > 10 else within).append(child.name)
    assert 1 <= len(overdue) <= 4
    assert len(within) >= 8


def test_recording_burden_follows_the_trial_and_baseline_profiles(store):
    trial_start = _trial_start()
    baseline_dates = sorted({b.on for b in store.baseline})
    assert baseline_dates[-1] < trial_start <= min(c.on for c in store.contacts.values())
    assert working_days_between(baseline_dates[0], trial_start) == 40  # eight working weeks
    assert {b.category for b in store.baseline} == set(TimeCategory)
    minutes_per_week = 39 * 60 * 59 / 5
    for user in _users(store, Role.PRACTITIONER):
        direct = sum(c.minutes for c in store.contacts.values() if c.practitioner_id == user.id)
        recorded = sum(s.active_seconds for s in store.sessions if s.user_id == user.id) / 60
        recorded += sum(m.minutes for m in store.manual if m.user_id == user.id)
        assert 0.30 <= direct / minutes_per_week <= 0.50, user.username
        assert 0.08 <= recorded / minutes_per_week <= 0.20, user.username
        assert 0.2 <= recorded / direct <= 0.6, user.username
        base = Counter()
        for b in store.baseline:
            if b.user_id == user.id:
                base[b.category] += b.minutes
        assert 1.2 <= base[TimeCategory.RECORDING] / base[TimeCategory.DIRECT_WORK] <= 2.2
        assert 40 <= sum(base.values()) / 8 / 60 <= 46  # hours a week
    activities = {s.activity for s in store.sessions}
    assert activities == set(RecordingActivity)
    assert all(
        0 < s.active_seconds <= (s.ended - s.started).total_seconds() for s in store.sessions
    )


def test_observations_have_consent_and_practice_lead_feedback(store):
    (lead,) = _users(store, Role.PRACTICE_LEAD)
    observations = list(store.observations.values())
    assert all(o.practitioner_id in lead.supports for o in observations)
    assert any(c.kind is ConsentKind.ASSENT for o in observations for c in o.consents)
    assert all(any(c.kind is ConsentKind.CONSENT for c in o.consents) for o in observations)
    withdrawn = [o for o in observations if o.withdrawn]
    assert len(withdrawn) == 1
    assert withdrawn[0].visible_link is None and withdrawn[0].marked_for_deletion_at
    assert withdrawn[0].id in store.feedback  # the feedback text stays
    assert any(o.id not in store.feedback for o in observations)  # some still waiting
    for feedback in store.feedback.values():
        observation = store.observations[feedback.observation_id]
        assert feedback.lead_id == lead.id and feedback.complete
        assert set(feedback.ratings) == set(Skill)
        assert all(v * 2 == int(v * 2) for v in feedback.ratings.values())
        assert feedback.comments and feedback.strengths and feedback.one_thing_to_try
        assert all(c.at_seconds <= observation.duration_seconds for c in feedback.comments)
    assert sum(len(f.replies) for f in store.feedback.values()) >= 3


def _without_hashes(store: Store) -> Store:
    clean = copy.deepcopy(store)
    clean.users = {k: replace(u, passphrase_hash=None) for k, u in clean.users.items()}
    return clean


def test_seeding_twice_gives_the_same_data(store):
    again, _ = _seed()
    assert _without_hashes(again) == _without_hashes(store)


def test_seeding_a_week_later_moves_every_date_a_week_later(store):
    later, _ = _seed(WEDNESDAY + timedelta(days=7))
    week = timedelta(days=7)
    for key, contact in store.contacts.items():
        moved = later.contacts[key]
        assert (moved.on, moved.logged_at) == (contact.on + week, contact.logged_at + week)
    for key, family in store.families.items():
        for member, moved in zip(family.members, later.families[key].members, strict=True):
            assert [s.since + week for s in member.status_history] == [
                s.since for s in moved.status_history
            ]
            if member.date_of_birth:
                assert moved.date_of_birth == member.date_of_birth + week


def test_seeding_at_a_weekend_keeps_everything_on_working_days_and_in_the_past():
    saturday = datetime(2025, 3, 15, 8, 0, tzinfo=LOCAL_ZONE)
    store, _ = _seed(saturday)
    assert all(c.on.weekday() < 5 for c in store.contacts.values())
    assert all(s.ended <= saturday for s in store.sessions)
    assert all(c.logged_at <= saturday for c in store.contacts.values())


def test_seed_refuses_a_store_that_is_not_empty():
    factory = fake_uow_factory()
    clock = FixedClock(WEDNESDAY)
    counts = seed_database(factory, clock)
    before = copy.deepcopy(factory.store)
    with pytest.raises(DomainError) as err:
        seed_database(factory, clock)
    assert str(err.value) == (
        f"The database is not empty (it has {counts['users']} users and 2 teams and "
        f"{counts['families']} families); seed only loads into an empty database."
    )
    assert factory.store == before


def test_checked_in_files_are_what_the_generator_writes(tmp_path):
    generator = sample_data_dir() / "generate.py"
    subprocess.run(
        [sys.executable, str(generator), "--out", str(tmp_path)], check=True, capture_output=True
    )
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written
    for name in written:
        assert (tmp_path / name).read_bytes() == (sample_data_dir() / name).read_bytes(), (
            f"sample_data/{name} is out of date: run `uv run python sample_data/generate.py`"
        )


def test_files_are_well_formed():
    families = json.loads((sample_data_dir() / "families.json").read_text(encoding="utf-8"))
    refs = [f["reference"] for f in families["families"]]
    assert len(refs) == len(set(refs))
    baseline = (sample_data_dir() / "baseline.csv").read_text(encoding="utf-8")
    assert baseline.startswith("practitioner,date,category,minutes\n")
    ages = [
        -m["dob"] / 365.25
        for f in families["families"]
        for m in f["members"]
        if m["role"] == "child"
    ]
    assert all(0 < age < 18 for age in ages)
    assert statistics.median(ages) < 12


def test_network_meetings_follow_the_family_network_meeting_contacts(store):
    """Each demo network meeting was held on the day its practitioner logged a family meeting
    with that family, lists who came with their roles, and names a later next meeting (if any)."""
    meetings = list(store.of(MEETINGS).values())
    assert len(meetings) == 8
    assert len({m.family_id for m in meetings}) == 4
    teams = {store.families[m.family_id].team_id for m in meetings}
    assert len(teams) == 2
    for m in meetings:
        assert m.held_on < TODAY and m.recorded_at.date() == m.held_on
        assert any(a.role == "Mum" for a in m.attendees)
        assert m.next_meeting_on is None or m.next_meeting_on > m.held_on
        assert any(
            c.family_id == m.family_id
            and c.on == m.held_on
            and c.practitioner_id == m.recorded_by
            and c.kind.value == "family_meeting"
            for c in store.contacts.values()
        )
