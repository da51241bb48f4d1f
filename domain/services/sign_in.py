"""Signing in: one message for every failure, every attempt audited, failures counted so the
caller can slow down repeated attempts. Re-exported by :mod:`domain.services.admin`."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import timedelta
from typing import NoReturn

from domain.audit import AuditAction, AuditEvent
from domain.errors import AccessDenied
from domain.passwords import dummy_verify, verify_passphrase
from domain.people import User
from domain.ports import UnitOfWork
from domain.services.context import Context, audit

SIGN_IN_FAILED_MESSAGE = "User name or passphrase is not right."
#: Failed sign-ins older than this no longer count towards the caller's delay.
FAILURE_WINDOW = timedelta(minutes=15)


class SignInFailed(AccessDenied):
    """Sign-in failed. The message never says whether the name or the passphrase was wrong.

    ``failures`` is how many sign-ins with this user name have failed in a row within the last
    :data:`FAILURE_WINDOW` (this one included), so the caller can slow down repeated attempts.
    """

    def __init__(self, failures: int) -> None:
        super().__init__(SIGN_IN_FAILED_MESSAGE)
        self.failures = failures


class PassphraseChangeRequired(AccessDenied):
    """The user name and passphrase are right, but the passphrase was a one-time one given by an
    administrator: the user must choose a new one (``admin.choose_new_passphrase``) first."""

    def __init__(self, username: str) -> None:
        super().__init__("This passphrase was for one sign-in only: choose a new passphrase.")
        self.username = username


def backoff_seconds(failures: int) -> float:
    """A suggested wait before the next attempt: none for the first two failures, then doubling
    from 1 second up to 30."""
    if failures < 3:
        return 0.0
    return float(min(2 ** (failures - 3), 30))


def _name_token(typed: str) -> str:
    """How a failed sign-in names what was typed: a real user name as is; anything else only as
    a short hash (people sometimes type their passphrase into the name field)."""
    return "unknown:" + hashlib.sha256(typed.encode("utf-8")).hexdigest()[:16]


def _recent_failures(uow: UnitOfWork, ctx: Context, token: str, user_id: int | None) -> int:
    count = 0
    for event in uow.audit.list(since=ctx.clock.now() - FAILURE_WINDOW):
        if event.action is AuditAction.SIGN_IN_FAILED and event.detail == token:
            count += 1
        elif (
            event.action is AuditAction.SIGN_IN and user_id is not None and event.user_id == user_id
        ):
            count = 0
    return count


def fail_sign_in(ctx: Context, uow: UnitOfWork, typed: str, user: User | None) -> NoReturn:
    """Audit a failed sign-in (SIGN_IN_FAILED), commit, and raise :class:`SignInFailed`."""
    token = user.username if user is not None else _name_token(typed)
    uow.audit.record(
        AuditEvent(
            at=ctx.clock.now(),
            user_id=None,
            action=AuditAction.SIGN_IN_FAILED,
            entity="user",
            entity_id=user.id if user else None,
            detail=token,
        )
    )
    failures = _recent_failures(uow, ctx, token, user.id if user else None)
    uow.commit()
    raise SignInFailed(failures)


def authenticate(ctx: Context, username: str, passphrase: str) -> User:
    """The active user with this user name and passphrase, signed in (audited SIGN_IN).

    Any failure raises :class:`SignInFailed` with the same message, after auditing
    SIGN_IN_FAILED. Nobody needs to be signed in to call this."""
    typed = (username or "").strip().lower()
    with ctx.uow() as uow:
        user = uow.users.by_username(typed) if typed else None
        if user is None:
            dummy_verify(passphrase or "")
            ok = False
        elif user.passphrase_hash is None:
            dummy_verify(passphrase or "")
            ok = False
        else:
            ok = verify_passphrase(passphrase or "", user.passphrase_hash) and user.active
        if not ok:
            fail_sign_in(ctx, uow, typed, user)
        assert user is not None
        if user.must_change_passphrase:
            raise PassphraseChangeRequired(user.username)
        audit(ctx.as_user(user), uow, AuditAction.SIGN_IN, "user", user.id, detail=user.username)
        uow.commit()
        return replace(user, passphrase_hash=None)
