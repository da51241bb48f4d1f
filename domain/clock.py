"""Clocks. Time always comes from one of these, so tests and the demo data are deterministic."""

from __future__ import annotations

from datetime import date, datetime, timedelta


class SystemClock:
    """Local wall-clock time, naive (Tandem stores local times as the user sees them)."""

    def now(self) -> datetime:
        return datetime.now().replace(microsecond=0)

    def today(self) -> date:
        return date.today()


class FixedClock:
    """A clock that only moves when told to."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at

    def today(self) -> date:
        return self.at.date()

    def advance(self, **kwargs: float) -> None:
        self.at += timedelta(**kwargs)
