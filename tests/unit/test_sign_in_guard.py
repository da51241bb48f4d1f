"""Sign-in that resists guessing: failures counted per typed name (in the store, so across
restarts), a delay the service itself enforces, a lock only an administrator lifts, and
passphrase hashes raised to the current cost at the next successful sign-in."""

from __future__ import annotations

from dataclasses import replace

import pytest

from domain import passwords
from domain.audit import AuditAction
from domain.errors import AccessDenied, NotFound
from domain.services import sign_in
from domain.services.sign_in import (
    SIGN_IN_LOCKED_MESSAGE,
    SignInFailed,
    SignInLocked,
    SignInThrottled,
    authenticate,
    unlock_sign_in,
)
from domain.signin import DEFAULT_LOCK_AFTER, LOCK_AFTER_ENV, lock_after
from tests.unit.conftest import PASSPHRASE

WRONG = "not the passphrase"


def fail(ctx, name="alex", passphrase=WRONG, **kw):
    with pytest.raises(SignInFailed) as err:
        authenticate(ctx, name, passphrase, **kw)
    return err.value


def test_the_service_refuses_to_check_before_the_delay_is_over(world):
    ctx = world.ctx(None)
    assert [fail(ctx).retry_after for _ in range(2)] == [0.0, 0.0]
    third = fail(ctx)
    assert third.failures == 3 and third.retry_after == 1.0
    # Even the right passphrase is not checked (nor counted) until the delay is over.
    too_soon = fail(ctx, passphrase=PASSPHRASE)
    assert isinstance(too_soon, SignInThrottled)
    assert too_soon.failures == 3 and "wait 1 s" in str(too_soon)
    world.clock.advance(seconds=1)
    assert authenticate(ctx, "alex", PASSPHRASE).username == "alex"
    assert world.store.sign_in == {}  # a success clears the count


def test_the_delay_grows_and_survives_a_restart(world):
    ctx = world.ctx(None)
    waits = [fail(ctx).retry_after]
    for _ in range(5):
        world.clock.advance(seconds=waits[-1])
        waits.append(fail(ctx).retry_after)
    assert waits == [0, 0, 1, 2, 4, 8]
    # A "restart" is a new context on the same store: the count is still there.
    fresh = world.ctx(None)
    assert isinstance(fail(fresh, passphrase=PASSPHRASE), SignInThrottled)


def test_unknown_names_are_delayed_and_locked_alike_without_storing_the_name(world):
    ctx = world.ctx(None)
    seen = []
    for _ in range(4):
        error = fail(ctx, name="mallory", passphrase="whatever it is")
        seen.append((type(error), str(error)))
        world.clock.advance(seconds=error.retry_after)
    for _ in range(4):
        error = fail(ctx, name="alex", passphrase="whatever it is")
        world.clock.advance(seconds=error.retry_after)
        seen.append((type(error), str(error)))
    assert seen[:4] == seen[4:]
    assert all("mallory" not in key for key in world.store.sign_in)
    assert all("mallory" not in e.detail for e in world.store.audit)


def test_the_account_locks_after_the_limit_until_an_administrator_unlocks_it(world):
    ctx = world.ctx(None)
    errors = []
    for _ in range(DEFAULT_LOCK_AFTER):
        errors.append(fail(ctx))
        world.clock.advance(minutes=5)
    assert [type(e) for e in errors[:-1]] == [SignInFailed] * (DEFAULT_LOCK_AFTER - 1)
    assert isinstance(errors[-1], SignInLocked)
    world.clock.advance(days=30)
    locked = fail(ctx, passphrase=PASSPHRASE)  # the right passphrase does not help
    assert isinstance(locked, SignInLocked)
    assert str(locked) == SIGN_IN_LOCKED_MESSAGE and "administrator" in str(locked)

    with pytest.raises(AccessDenied):
        unlock_sign_in(world.ctx(world.manager), "alex")
    assert unlock_sign_in(world.ctx(world.admin), "ALEX ") is True
    assert authenticate(ctx, "alex", PASSPHRASE).username == "alex"
    unlocks = [e for e in world.store.audit if e.entity == "sign-in"]
    assert [(e.action, e.user_id, e.detail) for e in unlocks] == [
        (AuditAction.UPDATE, world.admin.id, "unlocked alex")
    ]


def test_an_unknown_name_locks_with_the_same_message(world):
    ctx = world.ctx(None)
    for _ in range(3):
        fail(ctx, name="nobody-here", max_failures=3)
        world.clock.advance(minutes=1)
    assert str(fail(ctx, name="nobody-here", max_failures=3)) == SIGN_IN_LOCKED_MESSAGE


def test_unlocking_an_unknown_user_is_not_found(world):
    with pytest.raises(NotFound):
        unlock_sign_in(world.ctx(world.admin), "nobody-here")


def test_failures_do_not_expire_with_time(world):
    ctx = world.ctx(None)
    fail(ctx)
    world.clock.advance(days=2)
    assert fail(ctx).failures == 2


def test_the_limit_is_a_site_setting_of_at_least_three(monkeypatch):
    assert lock_after({}) == 10
    assert lock_after({LOCK_AFTER_ENV: "5"}) == 5
    assert lock_after({LOCK_AFTER_ENV: "1"}) == 3
    assert lock_after({LOCK_AFTER_ENV: "lots"}) == 10
    monkeypatch.setenv(LOCK_AFTER_ENV, "4")
    assert lock_after() == 4


def test_every_attempt_is_audited_including_refused_ones(world):
    ctx = world.ctx(None)
    for _ in range(4):
        fail(ctx)
    details = [e.detail for e in world.store.audit if e.action is AuditAction.SIGN_IN_FAILED]
    assert details == ["alex", "alex", "alex", "alex (too soon, not checked)"]


def test_an_older_cheaper_hash_still_verifies_and_is_upgraded_at_sign_in(world):
    old = passwords.hash_passphrase(PASSPHRASE, n=passwords.MIN_N)
    alex = world.store.users[world.practitioner.id]
    world.store.users[alex.id] = replace(alex, passphrase_hash=old)
    # conftest lowers N for the suite; pretend the current cost is higher than the stored one
    passwords.N = passwords.MIN_N * 2  # restored by the autouse fixture's monkeypatch
    authenticate(world.ctx(None), "alex", PASSPHRASE)
    upgraded = world.store.users[alex.id].passphrase_hash
    assert upgraded != old and upgraded.split("$")[1] == str(passwords.MIN_N * 2)
    assert passwords.verify_passphrase(PASSPHRASE, upgraded)
    assert any("hash upgraded" in e.detail for e in world.store.audit)
    # and it is not upgraded again
    authenticate(world.ctx(None), "alex", PASSPHRASE)
    assert world.store.users[alex.id].passphrase_hash == upgraded


@pytest.mark.real_hash_cost
def test_new_hashes_use_scrypt_n_2_17_and_legacy_ones_still_verify():
    assert passwords.N == 2**17
    encoded = passwords.hash_passphrase(PASSPHRASE)
    assert encoded.split("$")[1:4] == [str(2**17), "8", "1"]
    assert passwords.verify_passphrase(PASSPHRASE, encoded)
    assert not passwords.needs_upgrade(encoded)
    legacy = passwords.hash_passphrase(PASSPHRASE, n=passwords.LEGACY_N)
    assert passwords.verify_passphrase(PASSPHRASE, legacy)
    assert passwords.needs_upgrade(legacy)


def test_hash_cost_can_only_be_a_power_of_two_not_below_the_minimum():
    for bad in (passwords.MIN_N // 2, 3000):
        with pytest.raises(ValueError):
            passwords.hash_passphrase(PASSPHRASE, n=bad)


def test_sign_in_module_exports_what_admin_reexports():
    assert sign_in.backoff_seconds(3) == 1.0
