"""The sign-in guard on a real database: the count and the lock are rows, so they outlive the
process that wrote them; an administrator unlocks from the command line (audited)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from domain.audit import AuditAction
from domain.clock import FixedClock
from domain.services import admin
from domain.services.context import Context
from domain.services.sign_in import (
    SIGN_IN_LOCKED_MESSAGE,
    SignInFailed,
    SignInLocked,
    SignInThrottled,
    authenticate,
    unlock_sign_in,
)
from tests.integration.test_cli import one_clean_line, tandem

PASSPHRASE = "a long enough passphrase"
NOW = datetime(2026, 12, 1, 9, 0)


def _fail(ctx: Context, name: str = "alex", passphrase: str = "wrong wrong wrong", **kw):
    with pytest.raises(SignInFailed) as err:
        authenticate(ctx, name, passphrase, **kw)
    return err.value


def test_failures_delay_and_lock_are_kept_in_the_database(uow_factory) -> None:
    clock = FixedClock(NOW)
    system = admin.system_context(uow_factory, clock)
    admin.create_user(system, "alex", "Alex", "project_staff", passphrase=PASSPHRASE)
    for _ in range(3):
        _fail(Context(uow_factory, clock, None), max_failures=4)
    # A new context (as after a restart) is still held back, even with the right passphrase.
    assert isinstance(
        _fail(Context(uow_factory, clock, None), passphrase=PASSPHRASE), SignInThrottled
    )
    clock.advance(seconds=1)
    locked = _fail(Context(uow_factory, clock, None), max_failures=4)
    assert isinstance(locked, SignInLocked) and str(locked) == SIGN_IN_LOCKED_MESSAGE
    clock.advance(days=1)
    assert isinstance(_fail(Context(uow_factory, clock, None), passphrase=PASSPHRASE), SignInLocked)
    with uow_factory() as uow:
        record = uow.users.sign_in_record("alex")
    assert record is not None and record.failures == 4 and record.locked_at is not None

    assert unlock_sign_in(system, "alex") is True
    assert authenticate(Context(uow_factory, clock, None), "alex", PASSPHRASE).username == "alex"
    with uow_factory() as uow:
        assert uow.users.sign_in_record("alex") is None
        unlocks = [e for e in uow.audit.list() if e.entity == "sign-in"]
    assert [e.action for e in unlocks] == [AuditAction.UPDATE]


def test_tandem_users_unlock(tmp_path: Path) -> None:
    from tui.bootstrap import open_runtime

    db = str(tmp_path / "unlock.db")
    runtime = open_runtime(db, clock=FixedClock(NOW))
    admin.create_user(
        runtime.system_context(), "alex", "Alex", "project_staff", passphrase=PASSPHRASE
    )
    for _ in range(3):
        _fail(runtime.context(None), max_failures=3)
        runtime.clock.advance(minutes=1)  # type: ignore[attr-defined]
    runtime.engine.dispose()

    result = tandem("users", "unlock", "ALEX", db=db)
    assert result.returncode == 0, result.stderr
    assert "Unlocked sign-in for 'alex'" in result.stdout
    assert "no user called" in one_clean_line(tandem("users", "unlock", "nobody", db=db))

    runtime = open_runtime(db, clock=FixedClock(NOW))
    assert authenticate(runtime.context(None), "alex", PASSPHRASE).username == "alex"
    audit = tandem("audit", db=db)
    assert "unlocked alex" in audit.stdout
    runtime.engine.dispose()
