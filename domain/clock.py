"""Clocks and local time. Time always comes from one of these clocks, so tests and the demo data
are deterministic.

Two readings, for two different questions:

* ``now()`` -- *when* something happened: an aware instant in UTC. Every stored instant is one of
  these, so none is ambiguous (the repeated autumn hour) or impossible (the skipped spring hour).
  Screens show it in the user's local time (``to_local``); "today" is the local calendar date.
* ``monotonic()`` -- *how long* something took: seconds on a clock that never jumps, whatever
  happens to the wall clock (clock changes, an NTP step, someone setting the time by hand).
  Active recording time, idle gaps and long gaps are measured on it and nothing else.

Local time is Europe/London unless ``TANDEM_TIMEZONE`` names another IANA zone.
"""

from __future__ import annotations

import os
import time as _time
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from domain.errors import ValidationError

DEFAULT_ZONE = "Europe/London"


def _zone() -> ZoneInfo:
    name = os.environ.get("TANDEM_TIMEZONE", "").strip() or DEFAULT_ZONE
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_ZONE)


#: The users' local time zone (shown on every screen, used for "today" and for dates).
LOCAL_ZONE: ZoneInfo = _zone()


class Clock(Protocol):
    """The domain's clock port."""

    def now(self) -> datetime:
        """The current instant, timezone-aware, in UTC."""
        ...

    def today(self) -> date:
        """Today's date on the local calendar."""
        ...

    def monotonic(self) -> float:
        """Seconds on a clock that never jumps (only differences mean anything)."""
        ...


# -- instants and the local calendar -----------------------------------------------------------


def as_utc(value: datetime) -> datetime:
    """``value`` as an aware UTC instant. A naive value is read as *local* wall time (the
    repeated autumn hour as its first occurrence)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=LOCAL_ZONE)
    return value.astimezone(UTC)


def to_local(value: datetime) -> datetime:
    """An instant as the user's local wall time (aware, in the local zone)."""
    return as_utc(value).astimezone(LOCAL_ZONE)


def local_date(value: datetime) -> date:
    """The local calendar date of an instant."""
    return to_local(value).date()


def local_midnight(day: date) -> datetime:
    """The instant (UTC) at which local ``day`` begins."""
    return as_utc(datetime.combine(day, clock_time()))


def local_time_exists(day: date, at: clock_time) -> bool:
    """False for a wall time the local clock skips (01:30 on the spring-forward night)."""
    naive = datetime.combine(day, at)
    aware = naive.replace(tzinfo=LOCAL_ZONE)
    return aware.astimezone(UTC).astimezone(LOCAL_ZONE).replace(tzinfo=None) == naive


def local_instant(day: date, at: clock_time, field: str = "start_time") -> datetime:
    """The UTC instant of local ``day`` at wall time ``at``.

    A time the clocks skip is refused with a message for ``field``; a time in the repeated
    autumn hour is its first occurrence (fold=0), the same rule the stored rows were converted
    with."""
    if not local_time_exists(day, at):
        raise ValidationError(
            field,
            f"{at:%H:%M} does not exist on {day:%d/%m/%Y}: the clocks went forward that night. "
            "Enter the time as the clock showed it (an hour later).",
        )
    return as_utc(datetime.combine(day, at))


# -- clocks -------------------------------------------------------------------------------------


class SystemClock:
    """The computer's clocks: UTC now, the local calendar, and ``time.monotonic()``."""

    def now(self) -> datetime:
        return datetime.now(UTC).replace(microsecond=0)

    def today(self) -> date:
        return datetime.now(LOCAL_ZONE).date()

    def monotonic(self) -> float:
        return _time.monotonic()


class FixedClock:
    """A clock that only moves when told to.

    ``at`` is the wall clock; a naive value is read as local wall time (so tests can write
    ``FixedClock(datetime(2026, 3, 29, 9, 0))`` for a London morning). ``advance()`` moves the
    wall and the monotonic clock together (time passing); ``jump_wall()`` moves only the wall
    clock (a clock change seen by a naive clock, an NTP step, a hand-set clock); ``advance_monotonic``
    moves only the monotonic one.
    """

    def __init__(self, at: datetime, monotonic: float = 1000.0) -> None:
        self.at = at
        self.mono = float(monotonic)

    @property
    def at(self) -> datetime:
        return self._at

    @at.setter
    def at(self, value: datetime) -> None:
        self._at = as_utc(value)

    def now(self) -> datetime:
        return self._at

    def today(self) -> date:
        return local_date(self._at)

    def monotonic(self) -> float:
        return self.mono

    def advance(self, **kwargs: float) -> None:
        step = timedelta(**kwargs)
        self._at += step
        self.mono += step.total_seconds()

    def jump_wall(self, **kwargs: float) -> None:
        self._at += timedelta(**kwargs)

    def advance_monotonic(self, seconds: float) -> None:
        self.mono += seconds
