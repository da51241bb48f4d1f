"""How hard a sign-in name is being guessed at: failed attempts counted in the database per
typed user name (known or not), a growing delay between attempts, and a lock after too many.

The record lives in the database, so neither the delay nor the lock resets when the app (or a
browser session) restarts; :func:`domain.services.sign_in.authenticate` applies it to every way in.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timedelta

#: Environment variable (site setting) for how many failures in a row lock a user name.
LOCK_AFTER_ENV = "TANDEM_SIGNIN_LOCK_AFTER"
DEFAULT_LOCK_AFTER = 10


@dataclass
class SignInRecord:
    """Failed sign-ins in a row for one typed user name (``name_key``: a user's user name, or a
    short hash of an unknown name so a passphrase typed into the name field is never stored)."""

    name_key: str
    failures: int = 0
    last_failed_at: datetime | None = None
    #: Set once ``failures`` reaches the site's limit; only an administrator clears it.
    locked_at: datetime | None = None

    @property
    def locked(self) -> bool:
        return self.locked_at is not None

    def next_allowed_at(self) -> datetime | None:
        """When the next attempt may be checked, or None if it may be checked now."""
        wait = backoff_seconds(self.failures)
        if not wait or self.last_failed_at is None:
            return None
        return self.last_failed_at + timedelta(seconds=wait)


def backoff_seconds(failures: int) -> float:
    """The wait before the next attempt: none for the first two failures, then doubling from
    1 second up to 30."""
    if failures < 3:
        return 0.0
    return float(min(2 ** (failures - 3), 30))


def lock_after(environ: dict[str, str] | None = None) -> int:
    """The site's limit of failures in a row before a user name locks (at least 3)."""
    raw = (environ if environ is not None else os.environ).get(LOCK_AFTER_ENV, "").strip()
    try:
        value = int(raw) if raw else DEFAULT_LOCK_AFTER
    except ValueError:
        value = DEFAULT_LOCK_AFTER
    return max(3, value)
