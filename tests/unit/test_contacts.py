"""The contact log: logging, defaults, same-day corrections and access."""

from __future__ import annotations

import json
from datetime import date, datetime, time

import pytest

from domain.audit import AuditAction
from domain.clock import LOCAL_ZONE
from domain.errors import AccessDenied, DomainError, ValidationError
from domain.families import Member, MemberRole
from domain.services.contacts import (
    contact_defaults,
    contact_warnings,
    edit_contact,
    list_contacts,
    log_contact,
)
from domain.timeuse import LONG_CONTACT_MINUTES, ChildSeen, ContactKind, children_seen_from_flags

NOW = datetime(2025, 5, 6, 16, 42, 30, tzinfo=LOCAL_ZONE)
TODAY = NOW.date()


@pytest.fixture
def w(team_world):
    """The shared ``team_world`` (tests/unit/conftest.py) with its clock at ``NOW``; its family
    FAM-0001 gets two children, Amy and Ben Smith, and their mum."""
    team_world.clock.at = NOW
    with team_world.factory() as uow:
        fam = uow.families.get(team_world.fam.id)
        fam.members = [
            Member("Amy Smith", MemberRole.CHILD),
            Member("Ben Smith", MemberRole.CHILD),
            Member("Kim Smith", MemberRole.PARENT),
        ]
        uow.families.update(fam)
        uow.commit()
    with team_world.factory() as uow:
        team_world.fam = uow.families.get(team_world.fam.id)
    return team_world


def kids(w):
    amy, ben = w.fam.children
    return amy, ben


def visit(w, who=None, on=TODAY, start=time(14, 0), **kw):
    args = dict(
        minutes=45,
        kind=ContactKind.HOME_VISIT,
        note="Saw Amy and mum at home; bedroom seen.",
        present="Amy, mum",
        seen=[w.fam.children[0].id],
        travel_minutes=20,
    )
    args.update(kw)
    return log_contact(w.ctx(who or w.prac), w.fam.id, on, start, **args)


def test_log_contact_stores_it_and_audits(w):
    c = visit(w)
    stored = w.factory.store.contacts[c.id]
    assert (stored.on, stored.start, stored.minutes, stored.kind) == (
        TODAY,
        time(14, 0),
        45,
        ContactKind.HOME_VISIT,
    )
    assert (stored.practitioner_id, stored.logged_at, stored.travel_minutes) == (
        w.prac.id,
        NOW,
        20,
    )
    assert stored.present == "Amy, mum"
    [event] = w.events(AuditAction.CREATE)
    assert (event.entity, event.entity_id, event.family_id) == ("contact", c.id, w.fam.id)


def test_kind_may_be_given_as_text(w):
    assert visit(w, kind="phone").kind is ContactKind.PHONE
    with pytest.raises(ValidationError) as err:
        visit(w, kind="carrier pigeon")
    assert err.value.field == "kind"
    assert "home_visit" in str(err.value)


def test_a_date_in_the_future_is_refused(w):
    with pytest.raises(ValidationError) as err:
        visit(w, on=date(2025, 5, 7))
    assert err.value.field == "on"
    assert "Date cannot be in the future" in str(err.value)
    assert w.factory.store.contacts == {}


def test_a_start_later_today_is_refused_but_earlier_today_is_fine(w):
    with pytest.raises(ValidationError) as err:
        visit(w, start=time(17, 0))
    assert err.value.field == "start"
    assert visit(w, start=time(16, 40)).start == time(16, 40)
    assert visit(w, on=date(2025, 5, 5), start=time(17, 0)).on == date(2025, 5, 5)


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"note": ""}, "note"),
        ({"note": "x" * 281}, "note"),
        ({"minutes": 0}, "minutes"),
        ({"minutes": -5}, "minutes"),
        ({"travel_minutes": -1}, "travel_minutes"),
        ({"seen": [], "seen_alone": [1]}, "seen"),
        ({"seen": [999]}, "seen"),
    ],
)
def test_bad_values_name_their_field(w, kw, field):
    with pytest.raises(ValidationError) as err:
        visit(w, **kw)
    assert err.value.field == field


def test_the_note_may_be_exactly_280_characters(w):
    assert len(visit(w, note="y" * 280).note) == 280


def test_defaults_are_today_now_rounded_down_and_a_home_visit_at_first(w):
    d = contact_defaults(w.ctx(w.prac))
    assert (d.on, d.start, d.kind, d.kind_from_last) == (
        TODAY,
        time(16, 40),
        ContactKind.HOME_VISIT,
        False,
    )


def test_defaults_offer_the_kind_this_practitioner_used_last(w):
    visit(w, kind=ContactKind.PHONE)
    w.clock.advance(minutes=1)
    visit(w, kind=ContactKind.SCHOOL_NURSERY)
    visit(w, who=w.manager, kind=ContactKind.VIDEO)  # someone else's last kind doesn't count
    d = contact_defaults(w.ctx(w.prac))
    assert (d.kind, d.kind_from_last) == (ContactKind.SCHOOL_NURSERY, True)


def test_defaults_start_is_a_multiple_of_five_minutes_and_never_in_the_future(w):
    w.clock.at = datetime(2025, 5, 6, 9, 59, 59)
    assert contact_defaults(w.ctx(w.prac)).start == time(9, 55)
    w.clock.at = datetime(2025, 5, 6, 10, 0, 0)
    assert contact_defaults(w.ctx(w.prac)).start == time(10, 0)


def test_the_defaults_can_be_logged_as_they_are(w):
    d = contact_defaults(w.ctx(w.prac))
    c = log_contact(w.ctx(w.prac), w.fam.id, d.on, d.start, 10, d.kind, "Quick call.")
    assert c.start == time(16, 40)


# -- editing ---------------------------------------------------------------------------------


def test_edit_on_the_same_day_changes_it_and_audits_the_old_values(w):
    c = visit(w)
    w.clock.advance(hours=1)
    amy, _ben = kids(w)
    edited = edit_contact(
        w.ctx(w.prac),
        c.id,
        minutes=60,
        note="Saw Amy alone too.",
        seen=[ChildSeen(amy.id, amy.name, alone=True)],
    )
    stored = w.factory.store.contacts[c.id]
    assert (stored.minutes, stored.note, stored.seen_alone) == (60, "Saw Amy alone too.", True)
    assert stored.seen == (ChildSeen(amy.id, "Amy Smith", alone=True),)
    assert stored.edited_at == datetime(2025, 5, 6, 17, 42, 30, tzinfo=LOCAL_ZONE)
    assert edited == stored
    [update] = w.events(AuditAction.UPDATE)
    assert (update.entity, update.entity_id, update.family_id) == ("contact", c.id, w.fam.id)
    assert update.detail.startswith("old values: ")
    assert json.loads(update.detail.removeprefix("old values: ")) == {
        "minutes": 45,
        "note": "Saw Amy and mum at home; bedroom seen.",
        "seen": [{"member_id": amy.id, "name": "Amy Smith", "alone": False}],
    }


def test_edit_can_move_the_date_and_time_and_audits_them_readably(w):
    c = visit(w)
    edit_contact(w.ctx(w.prac), c.id, on=date(2025, 5, 5), start=time(9, 30))
    detail = json.loads(w.events(AuditAction.UPDATE)[0].detail.removeprefix("old values: "))
    assert detail == {"on": "2025-05-06", "start": "14:00:00"}


def test_edit_with_nothing_changed_stores_and_audits_nothing(w):
    c = visit(w)
    assert edit_contact(w.ctx(w.prac), c.id, minutes=45, note=None) == c
    assert w.events(AuditAction.UPDATE) == []
    assert w.factory.store.contacts[c.id].edited_at is None


def test_edit_is_validated_like_a_new_contact(w):
    c = visit(w)
    with pytest.raises(ValidationError) as err:
        edit_contact(w.ctx(w.prac), c.id, on=date(2025, 5, 8))
    assert err.value.field == "on"
    with pytest.raises(ValidationError) as err:
        edit_contact(w.ctx(w.prac), c.id, note="z" * 300)
    assert err.value.field == "note"
    with pytest.raises(ValidationError) as err:
        edit_contact(w.ctx(w.prac), c.id, colour="red")
    assert err.value.field == "colour"
    assert w.factory.store.contacts[c.id].note == c.note


def test_edit_is_refused_after_the_day_it_was_logged(w):
    c = visit(w, on=date(2025, 5, 1))
    w.clock.at = datetime(2025, 5, 7, 8, 0)
    with pytest.raises(DomainError, match="only be changed on the day it was logged"):
        edit_contact(w.ctx(w.prac), c.id, minutes=10)
    with pytest.raises(DomainError, match="6 May 2025"):
        edit_contact(w.ctx(w.manager), c.id, minutes=10)
    assert w.factory.store.contacts[c.id].minutes == 45


def test_the_teams_manager_may_correct_a_practitioners_contact(w):
    c = visit(w)
    edit_contact(w.ctx(w.manager), c.id, kind="office")
    assert w.factory.store.contacts[c.id].kind is ContactKind.OFFICE
    assert w.events(AuditAction.UPDATE)[0].user_id == w.manager.id


def test_only_whoever_logged_it_may_correct_it_and_others_are_audited(w):
    c = visit(w, who=w.manager)  # logged by the manager
    with pytest.raises(AccessDenied, match="someone else logged"):
        edit_contact(w.ctx(w.prac), c.id, minutes=10)
    [denied] = w.events(AuditAction.DENIED)
    assert (denied.user_id, denied.entity, denied.entity_id, denied.family_id) == (
        w.prac.id,
        "contact",
        c.id,
        w.fam.id,
    )
    assert w.factory.store.contacts[c.id].minutes == 45


@pytest.mark.parametrize("who", ["prac2", "south_prac", "south_manager", "lead", "staff", "admin"])
def test_no_access_to_another_teams_or_unallocated_family_and_it_is_audited(w, who):
    c = visit(w)
    ctx = w.ctx(getattr(w, who))
    with pytest.raises(AccessDenied):
        log_contact(ctx, w.fam.id, TODAY, time(9, 0), 10, "phone", "Call.")
    with pytest.raises(AccessDenied):
        list_contacts(ctx, w.fam.id)
    with pytest.raises(AccessDenied):
        edit_contact(ctx, c.id, minutes=5)
    denied = w.events(AuditAction.DENIED)
    assert len(denied) == 3
    assert all(e.user_id == getattr(w, who).id and e.family_id == w.fam.id for e in denied)
    assert len(w.factory.store.contacts) == 1


def test_a_team_colleague_may_list_but_not_log_when_the_team_allows(w):
    log_contact(w.ctx(w.open_prac), w.open_fam.id, TODAY, time(9, 0), 10, "phone", "Call.")
    colleague = w.ctx(w.open_colleague)
    assert len(list_contacts(colleague, w.open_fam.id)) == 1
    with pytest.raises(AccessDenied, match="change the records"):
        log_contact(colleague, w.open_fam.id, TODAY, time(9, 0), 10, "phone", "Call.")


# -- listing ---------------------------------------------------------------------------------


def test_list_contacts_newest_first_within_the_range_and_audited(w):
    visit(w, on=date(2025, 4, 1), note="april")
    visit(w, on=date(2025, 5, 1), start=time(9, 0), note="may morning")
    visit(w, on=date(2025, 5, 1), start=time(15, 0), note="may afternoon")
    visit(w, on=date(2025, 5, 6), note="today")
    ctx = w.ctx(w.manager)
    assert [c.note for c in list_contacts(ctx, w.fam.id)] == [
        "today",
        "may afternoon",
        "may morning",
        "april",
    ]
    assert [c.note for c in list_contacts(ctx, w.fam.id, date(2025, 4, 2), date(2025, 5, 1))] == [
        "may afternoon",
        "may morning",
    ]
    views = w.events(AuditAction.VIEW)
    assert len(views) == 2
    assert all(v.family_id == w.fam.id and v.user_id == w.manager.id for v in views)


def test_list_with_end_before_start_is_refused(w):
    with pytest.raises(ValidationError) as err:
        list_contacts(w.ctx(w.prac), w.fam.id, date(2025, 5, 2), date(2025, 5, 1))
    assert err.value.field == "end"


# -- which children were seen, and which alone -------------------------------------------------


def test_each_child_is_recorded_as_seen_or_seen_alone(w):
    amy, ben = kids(w)
    c = visit(w, seen=[ben.id, amy.id], seen_alone=[ben.id])
    stored = w.factory.store.contacts[c.id]
    # In the family's order, with the names as they were at the contact.
    assert stored.seen == (ChildSeen(amy.id, "Amy Smith"), ChildSeen(ben.id, "Ben Smith", True))
    assert (stored.child_seen, stored.seen_alone) == (True, True)
    assert stored.seen_text() == "Amy Smith, Ben Smith (alone)"
    assert visit(w, seen=[]).seen_text() == "no child seen"


def test_a_child_since_removed_stays_recorded_as_seen_through_a_correction(w):
    amy, _ben = kids(w)
    gone = ChildSeen(None, "Cal Smith", alone=True)  # the member was removed after the visit
    c = visit(w, seen=[ChildSeen(amy.id, amy.name), gone])
    edited = edit_contact(w.ctx(w.prac), c.id, seen=[ChildSeen(amy.id, amy.name, True), gone])
    assert edited.seen == (ChildSeen(amy.id, "Amy Smith", True), gone)


def test_only_the_familys_children_can_be_marked_seen(w):
    adult = next(m for m in w.fam.members if not m.is_child)
    with pytest.raises(ValidationError) as err:
        visit(w, seen=[adult.id])
    assert err.value.field == "seen"
    assert "children" in str(err.value)


def test_one_family_wide_flag_becomes_per_child_by_the_documented_rule():
    children = [(1, "Lily Hughes"), (2, "Josh Hughes")]
    # The children named in "present" were seen ...
    assert children_seen_from_flags("Kerry, lily (9), school", children, True, True) == (
        ChildSeen(1, "Lily Hughes", True),
    )
    # ... and when none is named, every child was (what the single flag claimed).
    assert children_seen_from_flags("Mum only", children, True, False) == (
        ChildSeen(1, "Lily Hughes"),
        ChildSeen(2, "Josh Hughes"),
    )
    assert children_seen_from_flags("Lily", children, False, False) == ()
    assert children_seen_from_flags("Lily", [], True, True) == ()


# -- overlapping and unusually long contacts: accepted, with a warning ----------------------------


def test_a_long_contact_is_warned_about_but_accepted(w):
    ctx = w.ctx(w.prac)
    assert contact_warnings(ctx, w.fam.id, TODAY, time(9, 0), LONG_CONTACT_MINUTES) == []
    [warning] = contact_warnings(ctx, w.fam.id, TODAY, time(9, 0), 900)
    assert warning.startswith("900 minutes is 15 h 00 min, longer than 4 hours")
    assert visit(w, start=time(1, 0), minutes=900).minutes == 900


def test_an_overlap_with_the_same_practitioners_contact_is_warned_about(w):
    visit(w, start=time(14, 0), minutes=45)  # 14:00-14:45
    ctx = w.ctx(w.prac)
    [warning] = contact_warnings(ctx, w.fam.id, TODAY, time(14, 30), 30)
    assert warning.startswith("Overlaps your home visit with this family, 14:00–14:45")
    # Back to back is not an overlap; the same start is.
    assert contact_warnings(ctx, w.fam.id, TODAY, time(14, 45), 30) == []
    assert len(contact_warnings(ctx, w.fam.id, TODAY, time(14, 0), 10)) == 1
    # A contact that ran past midnight the day before overlaps the early morning.
    visit(w, on=date(2025, 5, 5), start=time(23, 30), minutes=60)
    [late] = contact_warnings(ctx, w.fam.id, TODAY, time(0, 15), 10)
    assert "on 5 May, 23:30–00:30" in late


def test_someone_elses_contact_and_the_contact_being_corrected_are_not_overlaps(w):
    mine = visit(w, start=time(14, 0))
    visit(w, who=w.manager, start=time(14, 0))
    assert contact_warnings(w.ctx(w.prac), w.fam.id, TODAY, time(14, 0), 45, mine.id) == []
