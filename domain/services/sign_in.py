"""Signing in: one message for every failure, every attempt audited, and guessing resisted.

Failed attempts are counted in the database per typed user name (known or not, see
:mod:`domain.signin`), so the growing delay between attempts and the lock after
:func:`domain.signin.lock_after` failures in a row survive restarts and hold for every way in
(the app, a browser session, anything else calling :func:`authenticate`). Nothing said to the
caller reveals whether a user name exists: unknown names are delayed and locked the same way.
A locked name stays locked until an administrator runs :func:`unlock_sign_in`.

Passphrase hashes made at an older, lower cost are rehashed at :data:`domain.passwords.N` on the
next successful sign-in. Re-exported by :mod:`domain.services.admin`.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import replace
from typing import NoReturn

from domain.audit import AuditAction, AuditEvent
from domain.errors import AccessDenied, NotFound, ValidationError
from domain.passwords import dummy_verify, hash_passphrase, needs_upgrade, verify_passphrase
from domain.people import User
from domain.ports import UnitOfWork
from domain.services.context import Context, audit
from domain.signin import SignInRecord, backoff_seconds, lock_after

__all__ = [
    "SIGN_IN_FAILED_MESSAGE",
    "SIGN_IN_LOCKED_MESSAGE",
    "SignInFailed",
    "SignInLocked",
    "SignInThrottled",
    "authenticate",
    "backoff_seconds",
    "unlock_sign_in",
]

SIGN_IN_FAILED_MESSAGE = "User name or passphrase is not right."
SIGN_IN_LOCKED_MESSAGE = (
    "Too many failed sign-ins: signing in with this user name is locked. "
    "Please contact your administrator to unlock it."
)


class SignInFailed(AccessDenied):
    """Sign-in failed. The message never says whether the name or the passphrase was wrong.

    ``failures`` is how many sign-ins with this user name have failed in a row (this one
    included); ``retry_after`` how many seconds the service will refuse to check the next one.
    """

    def __init__(self, failures: int, retry_after: float = 0.0, message: str = "") -> None:
        super().__init__(message or SIGN_IN_FAILED_MESSAGE)
        self.failures = failures
        self.retry_after = retry_after


class PassphraseChangeRequired(AccessDenied):
    """The user name and passphrase are right, but the passphrase was a one-time one given by an
    administrator: the user must choose a new one (``admin.choose_new_passphrase``) first."""

    def __init__(self, username: str) -> None:
        super().__init__("This passphrase was for one sign-in only: choose a new passphrase.")
        self.username = username


class SignInThrottled(SignInFailed):
    """Tried again before the delay after the last failure was over: not checked, not counted."""

    def __init__(self, failures: int, retry_after: float) -> None:
        seconds = max(1, math.ceil(retry_after))
        super().__init__(
            failures,
            retry_after,
            f"Too many failed sign-ins. Please wait {seconds} s before trying again.",
        )


class SignInLocked(SignInFailed):
    """Too many failures in a row: only an administrator can unlock this user name."""

    def __init__(self, failures: int) -> None:
        super().__init__(failures, 0.0, SIGN_IN_LOCKED_MESSAGE)


def _name_token(typed: str) -> str:
    """How a failed sign-in names what was typed: a real user name as is; anything else only as
    a short hash (people sometimes type their passphrase into the name field)."""
    return "unknown:" + hashlib.sha256(typed.encode("utf-8")).hexdigest()[:16]


def _audit_failure(ctx: Context, uow: UnitOfWork, user: User | None, detail: str) -> None:
    uow.audit.record(
        AuditEvent(
            at=ctx.clock.now(),
            user_id=None,
            action=AuditAction.SIGN_IN_FAILED,
            entity="user",
            entity_id=user.id if user else None,
            detail=detail,
        )
    )


def check_not_held_back(
    ctx: Context, uow: UnitOfWork, typed: str, user: User | None
) -> SignInRecord:
    """The failure record for this typed name; a locked name, or one tried again before its
    delay is over, is refused here (audited, not checked, not counted)."""
    token = user.username if user is not None else _name_token(typed)
    record = uow.users.sign_in_record(token) or SignInRecord(token)
    if record.locked:
        _audit_failure(ctx, uow, user, f"{token} (locked)")
        uow.commit()
        raise SignInLocked(record.failures)
    wait = _seconds_until(ctx, record)
    if wait > 0:
        _audit_failure(ctx, uow, user, f"{token} (too soon, not checked)")
        uow.commit()
        raise SignInThrottled(record.failures, wait)
    return record


def fail_sign_in(
    ctx: Context,
    uow: UnitOfWork,
    typed: str,
    user: User | None,
    record: SignInRecord | None = None,
    *,
    max_failures: int | None = None,
) -> NoReturn:
    """Count a failed sign-in for the typed name (delay, then lock after ``max_failures``, the
    site's :func:`domain.signin.lock_after` by default), audit it, commit and raise: the one way
    every sign-in path fails (a one-time passphrase's replacement too)."""
    limit = max_failures if max_failures is not None else lock_after()
    token = user.username if user is not None else _name_token(typed)
    if record is None:
        record = uow.users.sign_in_record(token) or SignInRecord(token)
    record.failures += 1
    record.last_failed_at = ctx.clock.now()
    if record.failures >= limit:
        record.locked_at = record.last_failed_at
    uow.users.save_sign_in_record(record)
    _audit_failure(ctx, uow, user, token + (" (now locked)" if record.locked else ""))
    uow.commit()
    if record.locked:
        raise SignInLocked(record.failures)
    raise SignInFailed(record.failures, _seconds_until(ctx, record))


def _seconds_until(ctx: Context, record: SignInRecord) -> float:
    allowed = record.next_allowed_at()
    if allowed is None:
        return 0.0
    return max(0.0, (allowed - ctx.clock.now()).total_seconds())


def authenticate(
    ctx: Context, username: str, passphrase: str, *, max_failures: int | None = None
) -> User:
    """The active user with this user name and passphrase, signed in (audited SIGN_IN).

    Any failure raises :class:`SignInFailed` (or its :class:`SignInThrottled` /
    :class:`SignInLocked`) after auditing SIGN_IN_FAILED. ``max_failures`` defaults to the
    site's :func:`domain.signin.lock_after`. Nobody needs to be signed in to call this."""
    limit = max_failures if max_failures is not None else lock_after()
    typed = (username or "").strip().lower()
    with ctx.uow() as uow:
        user = uow.users.by_username(typed) if typed else None
        record = check_not_held_back(ctx, uow, typed, user)
        token = record.name_key
        if user is None or user.passphrase_hash is None:
            dummy_verify(passphrase or "")
            ok = False
        else:
            ok = verify_passphrase(passphrase or "", user.passphrase_hash) and user.active
        if not ok:
            fail_sign_in(ctx, uow, typed, user, record, max_failures=limit)
        assert user is not None and user.passphrase_hash is not None
        if user.must_change_passphrase:
            raise PassphraseChangeRequired(user.username)
        uow.users.clear_sign_in_record(token)
        detail = user.username
        if needs_upgrade(user.passphrase_hash):
            try:
                uow.users.update(replace(user, passphrase_hash=hash_passphrase(passphrase)))
                detail += "; passphrase hash upgraded"
            except ValidationError:
                pass  # an old passphrase below today's minimum length keeps its hash until changed
        audit(ctx.as_user(user), uow, AuditAction.SIGN_IN, "user", user.id, detail=detail)
        uow.commit()
        return replace(user, passphrase_hash=None)


def unlock_sign_in(ctx: Context, username: str) -> bool:
    """An administrator clears a user's failed sign-ins and lock (audited UPDATE 'sign-in').

    True if there was anything to clear. An unknown user name is NotFound."""
    from domain.services.admin import require_admin  # admin re-exports this module

    with ctx.uow() as uow:
        require_admin(ctx, uow, "unlock a sign-in")
        typed = (username or "").strip().lower()
        user = uow.users.by_username(typed) if typed else None
        if user is None:
            raise NotFound(f"There is no user called {typed!r}.")
        cleared = uow.users.clear_sign_in_record(user.username)
        audit(
            ctx,
            uow,
            AuditAction.UPDATE,
            "sign-in",
            user.id,
            detail=f"unlocked {user.username}" + ("" if cleared else " (was not locked)"),
        )
        uow.commit()
        return cleared
