"""The contact log: logging, defaults, same-day corrections and access."""

from __future__ import annotations

import json
from datetime import date, datetime, time

import pytest

from domain.audit import AuditAction
from domain.clock import LOCAL_ZONE
from domain.errors import AccessDenied, DomainError, ValidationError
from domain.services.contacts import contact_defaults, edit_contact, list_contacts, log_contact
from domain.timeuse import ContactKind

NOW = datetime(2025, 5, 6, 16, 42, 30, tzinfo=LOCAL_ZONE)
TODAY = NOW.date()


@pytest.fixture
def w(team_world):
    """The shared ``team_world`` (tests/unit/conftest.py) with its clock at ``NOW``."""
    team_world.clock.at = NOW
    return team_world


def visit(w, who=None, on=TODAY, start=time(14, 0), **kw):
    args = dict(
        minutes=45,
        kind=ContactKind.HOME_VISIT,
        note="Saw Amy and mum at home; bedroom seen.",
        present="Amy, mum",
        child_seen=True,
        seen_alone=False,
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
        ({"child_seen": False, "seen_alone": True}, "seen_alone"),
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
    edited = edit_contact(
        w.ctx(w.prac), c.id, minutes=60, note="Saw Amy alone too.", seen_alone=True
    )
    stored = w.factory.store.contacts[c.id]
    assert (stored.minutes, stored.note, stored.seen_alone) == (60, "Saw Amy alone too.", True)
    assert stored.edited_at == datetime(2025, 5, 6, 17, 42, 30, tzinfo=LOCAL_ZONE)
    assert edited == stored
    [update] = w.events(AuditAction.UPDATE)
    assert (update.entity, update.entity_id, update.family_id) == ("contact", c.id, w.fam.id)
    assert update.detail.startswith("old values: ")
    assert json.loads(update.detail.removeprefix("old values: ")) == {
        "minutes": 45,
        "note": "Saw Amy and mum at home; bedroom seen.",
        "seen_alone": False,
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
