"""Administration changes after set-up: one-time passphrases, leavers, practice leads' supported
practitioners and team settings -- each audited with who and why (domain.services.admin)."""

from __future__ import annotations

from datetime import date

import pytest

from domain.audit import AuditAction
from domain.errors import AccessDenied, ValidationError
from domain.services import admin
from domain.services.caseload import caseload
from domain.services.plans import suggest_review_date
from tests.unit.conftest import PASSPHRASE

ONE_TIME = "given by the admin"
MINE = "my very own passphrase"


def _last_update(world, entity: str):
    return [e for e in world.events(AuditAction.UPDATE) if e.entity == entity][-1]


# --- one-time passphrases ----------------------------------------------------------------------


def test_a_reset_passphrase_works_once_then_the_user_must_choose_their_own(world):
    admin.reset_passphrase(world.ctx(world.admin), "alex", ONE_TIME, reason="forgot it")
    event = _last_update(world, "user")
    assert event.user_id == world.admin.id and event.entity_id == world.practitioner.id
    assert "one-time passphrase" in event.detail and "why: forgot it" in event.detail
    assert ONE_TIME not in event.detail

    with pytest.raises(admin.SignInFailed):  # the old one no longer works
        admin.authenticate(world.ctx(None), "alex", PASSPHRASE)
    with pytest.raises(admin.PassphraseChangeRequired):  # the right one cannot sign in yet
        admin.authenticate(world.ctx(None), "alex", ONE_TIME)
    assert not [e for e in world.events(AuditAction.SIGN_IN) if e.user_id == world.practitioner.id]

    with pytest.raises(ValidationError) as err:
        admin.choose_new_passphrase(world.ctx(None), "alex", ONE_TIME, ONE_TIME)
    assert err.value.field == "new"
    with pytest.raises(admin.SignInFailed):
        admin.choose_new_passphrase(world.ctx(None), "alex", "a wrong guess!", MINE)

    signed_in = admin.choose_new_passphrase(world.ctx(None), "alex", ONE_TIME, MINE)
    assert signed_in.id == world.practitioner.id and signed_in.passphrase_hash is None
    assert not world.store.users[world.practitioner.id].must_change_passphrase
    assert admin.authenticate(world.ctx(None), "alex", MINE).id == world.practitioner.id
    with pytest.raises(admin.SignInFailed):
        admin.authenticate(world.ctx(None), "alex", ONE_TIME)


def test_choosing_a_new_passphrase_is_only_for_one_time_passphrases(world):
    with pytest.raises(admin.SignInFailed):
        admin.choose_new_passphrase(world.ctx(None), "alex", PASSPHRASE, MINE)
    assert admin.authenticate(world.ctx(None), "alex", PASSPHRASE)


def test_only_admins_reset_passphrases(world):
    with pytest.raises(AccessDenied):
        admin.reset_passphrase(world.ctx(world.manager), "alex", ONE_TIME)
    assert world.events(AuditAction.DENIED, user=world.manager)
    assert admin.authenticate(world.ctx(None), "alex", PASSPHRASE)


def test_a_user_added_with_a_one_time_passphrase_chooses_their_own_first(world):
    admin.create_user(
        world.ctx(world.admin),
        "newbie",
        "New Person",
        "project_staff",
        None,
        ONE_TIME,
        one_time=True,
        reason="joined the project",
    )
    assert "why: joined the project" in world.events(AuditAction.CREATE)[-1].detail
    with pytest.raises(admin.PassphraseChangeRequired):
        admin.authenticate(world.ctx(None), "newbie", ONE_TIME)
    assert admin.choose_new_passphrase(world.ctx(None), "newbie", ONE_TIME, MINE)


# --- name, role, team, leavers --------------------------------------------------------------------


def test_changes_are_audited_with_what_changed_and_why(world):
    admin.update_user(
        world.ctx(world.admin),
        "pat",
        full_name="Pat Newname",
        role="team_manager",
        team_name="South",
        reason="promoted",
    )
    detail = _last_update(world, "user").detail
    assert "name 'Pat Projectstaff' -> 'Pat Newname'" in detail
    assert "role project_staff -> team_manager" in detail
    assert "team no team -> South" in detail and detail.endswith("why: promoted")


def test_nothing_changed_writes_no_event(world):
    before = len(world.store.audit)
    admin.update_user(world.ctx(world.admin), "pat", full_name=world.staff.full_name)
    assert len(world.store.audit) == before


def test_deactivating_a_practitioner_holding_families_lists_them(world):
    with pytest.raises(ValidationError) as err:
        admin.deactivate_user(world.ctx(world.admin), "alex")
    assert err.value.field == "active"
    assert "FAM-0001 Reid family" in str(err.value) and "reallocate" in str(err.value)
    assert world.store.users[world.practitioner.id].active


def test_a_leaver_cannot_sign_in_keeps_their_name_and_can_come_back(world):
    ctx = world.ctx(world.admin)
    admin.deactivate_user(ctx, "pat", reason="left the council")
    assert "pat: deactivated; why: left the council" == _last_update(world, "user").detail
    with pytest.raises(admin.SignInFailed):
        admin.authenticate(world.ctx(None), "pat", PASSPHRASE)
    row = next(u for u in admin.list_users(ctx) if u.username == "pat")
    assert not row.active and row.name == world.staff.full_name
    admin.reactivate_user(ctx, "pat")
    assert admin.authenticate(world.ctx(None), "pat", PASSPHRASE).username == "pat"


def test_a_reason_is_kept_short(world):
    with pytest.raises(ValidationError) as err:
        admin.deactivate_user(world.ctx(world.admin), "pat", reason="x" * 201)
    assert err.value.field == "reason"
    assert world.store.users[world.staff.id].active


# --- practice leads ------------------------------------------------------------------------------


def test_supports_add_and_remove_one_at_a_time(world):
    ctx = world.ctx(world.admin)
    lead = admin.change_supports(ctx, "lee", add=["bea", "cy"], reason="new pairing")
    assert lead.supports == {world.practitioner.id, world.teammate.id, world.other_practitioner.id}
    assert "added bea, cy" in _last_update(world, "user").detail
    lead = admin.change_supports(ctx, "lee", remove=["alex"])
    assert world.store.users[world.lead.id].supports == {
        world.teammate.id,
        world.other_practitioner.id,
    }
    assert "removed alex" in _last_update(world, "user").detail
    row = next(u for u in admin.list_users(ctx) if u.username == "lee")
    assert row.supports_usernames == ("bea", "cy")


def test_supports_refuses_removing_someone_not_supported_and_non_practitioners(world):
    ctx = world.ctx(world.admin)
    with pytest.raises(ValidationError, match="does not support"):
        admin.change_supports(ctx, "lee", remove=["bea"])
    with pytest.raises(ValidationError, match="not a practitioner"):
        admin.change_supports(ctx, "lee", add=["mo"])
    with pytest.raises(AccessDenied):
        admin.change_supports(world.ctx(world.manager), "lee", add=["bea"])
    assert world.store.users[world.lead.id].supports == {world.practitioner.id}


# --- team settings --------------------------------------------------------------------------------


def test_team_settings_by_name_audited_and_read_by_the_caseload_at_once(world):
    ctx = world.ctx(world.admin)
    before = caseload(world.ctx(world.teammate))
    assert [r.reference for r in before] == ["FAM-0002"]
    team = admin.update_team_settings(
        ctx,
        "North",
        visiting_standard_working_days="15",
        summary_rhythm_weeks=4,
        practitioners_see_team_families=True,
        reason="new standard",
    )
    assert team.settings.visiting_standard_working_days == 15
    detail = _last_update(world, "team").detail
    assert "visiting standard 10 -> 15 working days" in detail
    assert "summary rhythm 6 -> 4 weeks" in detail and "why: new standard" in detail
    after = caseload(world.ctx(world.teammate))
    assert {r.reference for r in after} >= {"FAM-0001", "FAM-0002"}


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"visiting_standard_working_days": "ten"}, "visiting_standard_working_days"),
        ({"visiting_standard_working_days": 0}, "visiting_standard_working_days"),
        ({"summary_rhythm_weeks": 53}, "summary_rhythm_weeks"),
        ({"cin_review_months": -1}, "cin_review_months"),
        ({"cp_first_review_months": 9}, "cp_first_review_months"),  # later than later reviews
    ],
)
def test_bad_team_settings_name_the_field_and_change_nothing(world, kwargs, field):
    with pytest.raises(ValidationError) as err:
        admin.update_team_settings(world.ctx(world.admin), "North", **kwargs)
    assert err.value.field == field
    assert world.store.teams[world.team.id].settings.visiting_standard_working_days == 10
    assert not [e for e in world.events(AuditAction.UPDATE) if e.entity == "team"]


def test_plan_review_rules_are_the_teams(world):
    start = date(2025, 3, 1)
    ctx = world.ctx(world.practitioner)
    # Ben: child in need (3 months by default); Amy: CP since 2025-01-15 (first review +3 months)
    assert suggest_review_date(ctx, world.family.id, start) == date(2025, 4, 15)
    admin.update_team_settings(
        world.ctx(world.admin), "North", cp_first_review_months=2, cin_review_months=1
    )
    assert suggest_review_date(ctx, world.family.id, start) == date(2025, 3, 15)
    assert "child in need plan review 3 -> 1 months" in _last_update(world, "team").detail
