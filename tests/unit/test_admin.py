"""Administration services and passphrase hashing (domain.services.admin, domain.passwords)."""

from __future__ import annotations

import base64
import unicodedata

import pytest

from domain import passwords
from domain.audit import AuditAction
from domain.clock import FixedClock
from domain.errors import AccessDenied, NotFound, ValidationError
from domain.people import Role
from domain.services import admin
from domain.services.context import Context
from tests.unit.conftest import NOW, PASSPHRASE, ROLE_ATTRS

NON_ADMINS = [r for r in ROLE_ATTRS if r != "admin"]


# --- passwords -----------------------------------------------------------------------------


def test_hash_is_encoded_scrypt_with_parameters_and_random_salt():
    encoded = passwords.hash_passphrase("a long enough passphrase")
    scheme, n, r, p, salt, digest = encoded.split("$")
    assert (scheme, n, r, p) == ("scrypt", str(passwords.N), "8", "1")  # N: lowered in tests
    assert len(base64.b64decode(salt)) == 16
    assert len(base64.b64decode(digest)) == 32
    assert passwords.hash_passphrase("a long enough passphrase") != encoded  # fresh salt


def test_verify_accepts_the_passphrase_and_nothing_else():
    encoded = passwords.hash_passphrase("a long enough passphrase")
    assert passwords.verify_passphrase("a long enough passphrase", encoded)
    assert not passwords.verify_passphrase("a long enough passphrasE", encoded)
    assert not passwords.verify_passphrase("", encoded)


@pytest.mark.parametrize(
    "encoded",
    [
        None,
        "",
        "plain-text",
        "bcrypt$1$2$3$AAAA$AAAA",
        "scrypt$x$8$1$AAAA$AAAA",
        "scrypt$16384$8$1$!!$??",
    ],
)
def test_verify_never_matches_a_missing_or_malformed_hash(encoded):
    assert passwords.verify_passphrase("a long enough passphrase", encoded) is False


def test_verify_compares_in_constant_time(monkeypatch):
    calls = []
    real = passwords.hmac.compare_digest

    def spy(a, b):
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(passwords.hmac, "compare_digest", spy)
    encoded = passwords.hash_passphrase("a long enough passphrase")
    assert passwords.verify_passphrase("a long enough passphrase", encoded)
    assert len(calls) == 1


def test_the_same_passphrase_typed_composed_or_decomposed_matches():
    composed = "café au lait please"
    decomposed = unicodedata.normalize("NFD", composed)
    assert composed != decomposed
    assert passwords.verify_passphrase(decomposed, passwords.hash_passphrase(composed))


@pytest.mark.parametrize("weak", ["", "          ", "short", "123456789"])
def test_a_short_or_empty_passphrase_is_refused_with_a_clear_message(weak):
    with pytest.raises(ValidationError) as err:
        passwords.hash_passphrase(weak)
    assert err.value.field == "passphrase"
    assert "Passphrase" in str(err.value)


def test_minimum_length_is_ten_characters():
    with pytest.raises(ValidationError, match="at least 10 characters"):
        passwords.check_passphrase("nine char")
    assert passwords.check_passphrase("ten chars!") == "ten chars!"


# --- first administrator and bootstrap -------------------------------------------------------


def test_first_administrator_can_be_created_on_an_empty_database(empty_uow, clock):
    ctx = Context(empty_uow, clock, None)
    assert admin.needs_first_admin(ctx)
    ada = admin.bootstrap_admin(ctx, "Ada", "Ada Admin", "a long enough passphrase")
    assert ada.role is Role.ADMIN and ada.username == "ada"
    assert not admin.needs_first_admin(ctx)
    signed_in = admin.authenticate(ctx, "ada", "a long enough passphrase")
    assert signed_in.id == ada.id


def test_a_second_bootstrap_is_refused_and_audited(empty_uow, clock):
    ctx = Context(empty_uow, clock, None)
    admin.bootstrap_admin(ctx, "ada", "Ada Admin", "a long enough passphrase")
    with pytest.raises(AccessDenied, match="already exists"):
        admin.bootstrap_admin(ctx, "eve", "Eve Intruder", "another long passphrase")
    store = empty_uow.store
    assert [u.username for u in store.users.values()] == ["ada"]
    assert store.audit[-1].action is AuditAction.DENIED


def test_bootstrap_refuses_a_weak_passphrase_and_stores_nothing(empty_uow, clock):
    ctx = Context(empty_uow, clock, None)
    with pytest.raises(ValidationError) as err:
        admin.bootstrap_admin(ctx, "ada", "Ada Admin", "short")
    assert err.value.field == "passphrase"
    assert empty_uow.store.users == {}


def test_nobody_signed_in_may_set_up_teams_and_users_only_while_there_are_no_users(
    empty_uow, clock
):
    ctx = Context(empty_uow, clock, None)
    team = admin.create_team(ctx, "North")
    admin.create_user(ctx, "ada", "Ada Admin", "admin", passphrase="a long enough passphrase")
    with pytest.raises(AccessDenied, match="sign in"):
        admin.create_team(ctx, "South")
    with pytest.raises(AccessDenied):
        admin.create_user(ctx, "eve", "Eve", "admin", team_name=team.name)
    assert [t.name for t in empty_uow.store.teams.values()] == ["North"]
    denied = [e for e in empty_uow.store.audit if e.action is AuditAction.DENIED]
    assert len(denied) == 2 and all(e.user_id is None for e in denied)


def test_the_system_context_may_manage_teams_and_users(world):
    ctx = world.system()
    team = admin.create_team(ctx, "East")
    user = admin.create_user(ctx, "eli", "Eli East", "practitioner", team_name="East")
    assert user.team_id == team.id
    assert admin.is_system(ctx) and not admin.is_system(world.ctx(None))
    assert not admin.is_system(world.ctx(world.admin))
    assert [e.user_id for e in world.events(AuditAction.CREATE)] == [admin.SYSTEM_USER_ID] * 2
    assert len(admin.list_users(ctx)) == 9


def test_nobody_can_sign_in_as_the_system_or_take_its_name(world):
    with pytest.raises(admin.SignInFailed):
        admin.authenticate(world.ctx(None), "system", "")
    with pytest.raises(ValidationError, match="reserved") as err:
        admin.create_user(world.ctx(world.admin), "System", "Fake System", "admin")
    assert err.value.field == "username"
    assert admin.system_user().passphrase_hash is None


def test_a_plain_context_with_nobody_signed_in_is_not_the_system_context(world):
    with pytest.raises(AccessDenied):
        admin.create_team(world.ctx(None), "East")
    assert world.events(AuditAction.DENIED)


# --- teams ---------------------------------------------------------------------------------


def test_admin_creates_a_team_and_it_is_audited(world):
    team = admin.create_team(world.ctx(world.admin), "  East  ")
    assert team.name == "East" and team.id in world.store.teams
    [event] = world.events(AuditAction.CREATE, entity="team")
    assert event.user_id == world.admin.id and event.entity_id == team.id


def test_team_names_are_unique_ignoring_case(world):
    with pytest.raises(ValidationError) as err:
        admin.create_team(world.ctx(world.admin), "north")
    assert err.value.field == "name" and "already exists" in str(err.value)


@pytest.mark.parametrize("role", NON_ADMINS)
def test_only_admins_create_teams_and_denials_are_audited(world, role):
    user = getattr(world, role)
    with pytest.raises(AccessDenied):
        admin.create_team(world.ctx(user), "East")
    assert [t.name for t in world.store.teams.values()] == ["North", "South"]
    [event] = world.events(AuditAction.DENIED)
    assert event.user_id == user.id


def test_list_teams_for_any_signed_in_user_but_not_anonymous(world):
    assert [t.name for t in admin.list_teams(world.ctx(world.practitioner))] == ["North", "South"]
    with pytest.raises(AccessDenied):
        admin.list_teams(world.ctx(None))


def test_update_team_settings(world):
    ctx = world.ctx(world.admin)
    team = admin.update_team_settings(
        ctx, world.team.id, summary_rhythm_weeks=4, practitioners_see_team_families=True
    )
    stored = world.store.teams[world.team.id].settings
    assert stored.summary_rhythm_weeks == 4 and stored.practitioners_see_team_families
    assert stored.visiting_standard_working_days == 10  # untouched
    assert team.settings == stored
    assert world.events(AuditAction.UPDATE, entity="team")


def test_the_team_phone_is_a_setting_the_administrator_changes(world):
    ctx = world.ctx(world.admin)
    admin.update_team_settings(ctx, world.team.id, phone="  01632   960 123 ext 4 ")
    assert world.store.teams[world.team.id].settings.phone == "01632 960 123 ext 4"
    [event] = world.events(AuditAction.UPDATE, entity="team")
    assert "phone (none) -> 01632 960 123 ext 4" in event.detail
    for bad in ("call Sam", "12", "01632 960 123 or 01632 960 124"):
        with pytest.raises(ValidationError) as err:
            admin.update_team_settings(ctx, world.team.id, phone=bad)
        assert err.value.field == "phone"
    admin.update_team_settings(ctx, world.team.id, phone="")
    assert world.store.teams[world.team.id].settings.phone == ""


@pytest.mark.parametrize(
    "kwargs,field",
    [
        ({"summary_rhythm_weeks": 0}, "summary_rhythm_weeks"),
        ({"summary_rhythm_weeks": 53}, "summary_rhythm_weeks"),
        ({"visiting_standard_working_days": 0}, "visiting_standard_working_days"),
    ],
)
def test_team_settings_out_of_range_are_refused(world, kwargs, field):
    with pytest.raises(ValidationError) as err:
        admin.update_team_settings(world.ctx(world.admin), world.team.id, **kwargs)
    assert err.value.field == field
    assert world.store.teams[world.team.id].settings.summary_rhythm_weeks == 6


def test_a_manager_cannot_change_team_settings(world):
    with pytest.raises(AccessDenied):
        admin.update_team_settings(
            world.ctx(world.manager), world.team.id, practitioners_see_team_families=True
        )
    assert not world.store.teams[world.team.id].settings.practitioners_see_team_families
    assert world.events(AuditAction.DENIED, user=world.manager)


# --- users ---------------------------------------------------------------------------------


def test_admin_creates_a_user_who_can_then_sign_in(world):
    user = admin.create_user(
        world.ctx(world.admin),
        "Dee",
        "Dee Newstarter",
        "practitioner",
        team_name="north",
        passphrase="a brand new passphrase",
    )
    assert (user.username, user.role, user.team_id) == ("dee", Role.PRACTITIONER, world.team.id)
    assert admin.authenticate(world.ctx(None), "dee", "a brand new passphrase").id == user.id
    [event] = world.events(AuditAction.CREATE, entity="user")
    assert "a brand new passphrase" not in event.detail


@pytest.mark.parametrize(
    "args,kwargs,field,words",
    [
        (("dee", "Dee", "practitioner"), {}, "team", "must belong to a team"),
        (("dee", "Dee", "practitioner"), {"team_name": "West"}, "team", "no team called 'West'"),
        (("alex", "Alex Two", "practitioner"), {"team_name": "North"}, "username", "already taken"),
        (("dee", "Dee", "wizard"), {}, "role", "practitioner, team_manager"),
        (("d", "Dee", "admin"), {}, "username", "2–40 characters"),
        (("dee", "  ", "admin"), {}, "full_name", "cannot be empty"),
        (("dee", "Dee", "admin"), {"passphrase": "too short"}, "passphrase", "at least 10"),
        (
            ("deedeedeedee", "Dee", "admin"),
            {"passphrase": "DeeDeeDeeDee"},
            "passphrase",
            "user name",
        ),
    ],
)
def test_create_user_refuses_bad_input_naming_the_field(world, args, kwargs, field, words):
    before = len(world.store.users)
    with pytest.raises(ValidationError) as err:
        admin.create_user(world.ctx(world.admin), *args, **kwargs)
    assert err.value.field == field
    assert words in str(err.value)
    assert len(world.store.users) == before


@pytest.mark.parametrize("role", NON_ADMINS)
def test_only_admins_create_users(world, role):
    with pytest.raises(AccessDenied):
        admin.create_user(world.ctx(getattr(world, role)), "dee", "Dee", "admin")
    assert all(u.username != "dee" for u in world.store.users.values())
    assert world.events(AuditAction.DENIED, user=getattr(world, role))


def test_list_users_for_admins_only(world):
    rows = admin.list_users(world.ctx(world.admin))
    assert [u.username for u in rows] == sorted(u.username for u in world.users)
    alex = next(u for u in rows if u.username == "alex")
    assert (alex.name, alex.role_label, alex.team, alex.has_passphrase) == (
        "Alex Practitioner",
        "Practitioner",
        "North",
        True,
    )
    assert next(u for u in rows if u.username == "lee").team is None
    assert not hasattr(alex, "passphrase_hash")
    with pytest.raises(AccessDenied):
        admin.list_users(world.ctx(world.manager))
    assert world.events(AuditAction.DENIED, user=world.manager)


def test_update_user_changes_role_and_team(world):
    ctx = world.ctx(world.admin)
    updated = admin.update_user(ctx, "pat", role="team_manager", team_name="South")
    assert updated.role is Role.TEAM_MANAGER and updated.team_id == world.other_team.id
    assert world.store.users[world.staff.id].role is Role.TEAM_MANAGER
    assert world.events(AuditAction.UPDATE, entity="user")


def test_a_deactivated_user_cannot_sign_in(world):
    admin.update_user(world.ctx(world.admin), world.staff.id, active=False)
    with pytest.raises(admin.SignInFailed) as err:
        admin.authenticate(world.ctx(None), "pat", PASSPHRASE)
    assert str(err.value) == admin.SIGN_IN_FAILED_MESSAGE


def test_a_practitioner_with_open_families_keeps_role_team_and_access(world):
    ctx = world.ctx(world.admin)
    for kwargs, field in (
        ({"active": False}, "active"),
        ({"role": "project_staff"}, "role"),
        ({"team_name": "South"}, "team"),
    ):
        with pytest.raises(ValidationError) as err:
            admin.update_user(ctx, "alex", **kwargs)
        assert err.value.field == field
        assert "1 open family" in str(err.value) and "reallocate" in str(err.value)
    stored = world.store.users[world.practitioner.id]
    assert stored.active and stored.role is Role.PRACTITIONER and stored.team_id == world.team.id


def test_there_is_always_an_active_administrator(world):
    ctx = world.ctx(world.admin)
    with pytest.raises(ValidationError, match="at least one active administrator"):
        admin.update_user(ctx, "ada", active=False)
    with pytest.raises(ValidationError, match="at least one active administrator"):
        admin.update_user(ctx, "ada", role="practitioner", team_name="North")
    admin.create_user(ctx, "root", "Second Admin", "admin")
    admin.update_user(ctx, "ada", active=False)
    assert not world.store.users[world.admin.id].active


def test_a_lead_who_changes_role_stops_supporting_anyone(world):
    updated = admin.update_user(world.ctx(world.admin), "lee", role="project_staff")
    assert updated.supports == frozenset()


def test_a_deactivated_administrator_is_refused_even_with_an_old_session(world):
    ctx = world.ctx(world.admin)
    admin.create_user(ctx, "root", "Second Admin", "admin")
    admin.update_user(world.ctx(world.store.users[max(world.store.users)]), "ada", active=False)
    with pytest.raises(AccessDenied):
        admin.create_team(ctx, "East")
    assert world.events(AuditAction.DENIED, user=world.admin)


def test_update_of_an_unknown_user_is_not_found(world):
    with pytest.raises(NotFound, match="no user called 'nobody'"):
        admin.update_user(world.ctx(world.admin), "nobody", active=False)


# --- passphrases -----------------------------------------------------------------------------


def test_admin_resets_a_passphrase(world):
    admin.set_passphrase(world.ctx(world.admin), "alex", "a completely new one")
    with pytest.raises(admin.SignInFailed):
        admin.authenticate(world.ctx(None), "alex", PASSPHRASE)
    assert admin.authenticate(world.ctx(None), "alex", "a completely new one")
    assert not any("a completely new one" in e.detail for e in world.store.audit)


def test_a_user_changes_their_own_passphrase_by_giving_the_current_one(world):
    ctx = world.ctx(world.practitioner)
    with pytest.raises(ValidationError) as err:
        admin.set_passphrase(ctx, "alex", "my own new passphrase", current="wrong guess!!")
    assert err.value.field == "current"
    admin.set_passphrase(ctx, world.practitioner.id, "my own new passphrase", current=PASSPHRASE)
    assert admin.authenticate(world.ctx(None), "alex", "my own new passphrase")


def test_a_non_admin_cannot_reset_someone_elses_passphrase(world):
    with pytest.raises(AccessDenied):
        admin.set_passphrase(world.ctx(world.manager), "alex", "taken over account")
    assert admin.authenticate(world.ctx(None), "alex", PASSPHRASE)
    assert world.events(AuditAction.DENIED, user=world.manager)


def test_a_non_admin_learns_nothing_about_unknown_users(world):
    with pytest.raises(AccessDenied):
        admin.set_passphrase(world.ctx(world.manager), "nobody", "taken over account")


def test_a_reset_passphrase_must_be_long_enough(world):
    with pytest.raises(ValidationError) as err:
        admin.set_passphrase(world.ctx(world.admin), "alex", "short")
    assert err.value.field == "passphrase"
    assert admin.authenticate(world.ctx(None), "alex", PASSPHRASE)


# --- practice leads ----------------------------------------------------------------------------


def test_set_supports_replaces_the_set(world):
    lead = admin.set_supports(world.ctx(world.admin), "lee", [world.teammate.id, "cy"])
    assert lead.supports == {world.teammate.id, world.other_practitioner.id}
    assert world.store.users[world.lead.id].supports == lead.supports


def test_set_supports_checks_roles(world):
    ctx = world.ctx(world.admin)
    with pytest.raises(ValidationError, match="not a practice lead") as err:
        admin.set_supports(ctx, "mo", ["alex"])
    assert err.value.field == "lead"
    with pytest.raises(ValidationError, match="not a practitioner") as err:
        admin.set_supports(ctx, "lee", ["alex", "mo"])
    assert err.value.field == "supports"
    assert world.store.users[world.lead.id].supports == {world.practitioner.id}


def test_only_admins_set_supports(world):
    with pytest.raises(AccessDenied):
        admin.set_supports(world.ctx(world.lead), "lee", ["alex", "bea", "cy"])
    assert world.store.users[world.lead.id].supports == {world.practitioner.id}
    assert world.events(AuditAction.DENIED, user=world.lead)


# --- sign-in -----------------------------------------------------------------------------------


def test_sign_in_returns_the_user_without_the_hash_and_is_audited(world):
    user = admin.authenticate(world.ctx(None), "  ALEX ", PASSPHRASE)
    assert user.id == world.practitioner.id and user.passphrase_hash is None
    [event] = world.events(AuditAction.SIGN_IN)
    assert event.user_id == world.practitioner.id and event.at == NOW


@pytest.mark.parametrize(
    "username,passphrase",
    [
        ("alex", "the wrong passphrase"),
        ("nobody", PASSPHRASE),
        ("", PASSPHRASE),
        ("alex", ""),
    ],
)
def test_every_sign_in_failure_has_the_same_message_and_is_audited(world, username, passphrase):
    with pytest.raises(admin.SignInFailed) as err:
        admin.authenticate(world.ctx(None), username, passphrase)
    assert str(err.value) == "User name or passphrase is not right."
    assert err.value.failures == 1
    [event] = world.events(AuditAction.SIGN_IN_FAILED)
    assert event.user_id is None
    assert not world.events(AuditAction.SIGN_IN)


def test_a_failed_sign_in_never_stores_an_unknown_name_as_typed(world):
    typed = "my secret passphrase typed in the wrong box"
    with pytest.raises(admin.SignInFailed):
        admin.authenticate(world.ctx(None), typed, "x")
    assert all(typed not in e.detail for e in world.store.audit)


def test_failures_are_counted_so_the_caller_can_slow_down(world):
    ctx = world.ctx(None)
    counts = []
    for _ in range(4):
        with pytest.raises(admin.SignInFailed) as err:
            admin.authenticate(ctx, "alex", "not the passphrase")
        counts.append(err.value.failures)
        world.clock.advance(seconds=5)
    assert counts == [1, 2, 3, 4]
    # a different user name has its own count
    with pytest.raises(admin.SignInFailed) as err:
        admin.authenticate(ctx, "bea", "not the passphrase")
    assert err.value.failures == 1


def test_a_successful_sign_in_resets_the_count(world):
    ctx = world.ctx(None)
    for _ in range(2):
        with pytest.raises(admin.SignInFailed):
            admin.authenticate(ctx, "alex", "not the passphrase")
    admin.authenticate(ctx, "alex", PASSPHRASE)
    with pytest.raises(admin.SignInFailed) as err:
        admin.authenticate(ctx, "alex", "not the passphrase")
    assert err.value.failures == 1


def test_unknown_names_are_counted_too(world):
    ctx = world.ctx(None)
    for expected in (1, 2):
        with pytest.raises(admin.SignInFailed) as err:
            admin.authenticate(ctx, "mallory", "whatever it is")
        assert err.value.failures == expected


def test_a_user_without_a_passphrase_cannot_sign_in(world):
    admin.create_user(world.ctx(world.admin), "dee", "Dee", "project_staff")
    with pytest.raises(admin.SignInFailed):
        admin.authenticate(world.ctx(None), "dee", "")
    with pytest.raises(admin.SignInFailed):
        admin.authenticate(world.ctx(None), "dee", "anything at all really")


def test_backoff_grows_and_is_capped():
    assert [admin.backoff_seconds(n) for n in range(1, 10)] == [0, 0, 1, 2, 4, 8, 16, 30, 30]


def test_clock_drives_sign_in_audit_time(world):
    ctx = Context(world.uow, FixedClock(NOW.replace(hour=17)), None)
    admin.authenticate(ctx, "mo", PASSPHRASE)
    assert world.events(AuditAction.SIGN_IN)[0].at.hour == 17
