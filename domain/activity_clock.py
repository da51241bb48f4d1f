"""The recording clock every editor runs: how long the user was *actively* recording.

Pure and deterministic: every method takes the moment it happens as a reading of the
*monotonic* clock (``Clock.monotonic()``, seconds), never the wall clock, so a clock change, an
NTP step or a hand-set clock changes neither the active time nor raises a long gap. Tests (and the
TUI, which passes ``clock.monotonic()``) get exact numbers.

Rules (SPEC §3 "Recording time"):

* Opening the editor (``started``) counts as the first input.
* Between two inputs, the gap counts in full when it is at most ``idle_gap`` (default 60 s).
  When it is longer, only the first ``idle_gap`` seconds count (people read and think after
  typing); the rest is idle and not counted.
* A gap longer than ``long_gap`` (default 300 s) is a *long gap*: as for any idle gap its first
  ``idle_gap`` seconds count at once, and the whole gap is held as ``pending_gap`` so the UI can
  ask "You were away for 6:40 — count that time?". ``keep_gap()`` counts the whole gap (adds the
  rest of it); ``discard_gap()`` adds nothing more. Several unanswered long gaps add up. A gap
  still pending at ``finish()`` is discarded (only confirmed time is counted).
* ``pause(at)`` stops the clock (the running idle allowance up to ``at`` is kept); input while
  paused is not counted and does not resume the clock; ``resume(at)`` restarts counting from
  ``at`` as if it were an input.
* Times that go backwards are treated as no time passing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from domain.errors import ValidationError

ZERO = 0.0
#: Float sums of many small gaps land a hair below a whole second; never lose it to int().
_EPS = 1e-6


def _seconds(value: float | timedelta) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


@dataclass(frozen=True)
class ClockResult:
    #: Counted (active) seconds.
    active_seconds: int
    #: Monotonic seconds from opening to the end (the session's span, whatever the wall did).
    elapsed_seconds: float


class ActivityClock:
    def __init__(
        self,
        started: float,
        idle_gap: float | timedelta = 60,
        long_gap: float | timedelta = 300,
    ) -> None:
        self.started = started
        self.idle_gap = _seconds(idle_gap)
        self.long_gap = _seconds(long_gap)
        if self.idle_gap <= ZERO:
            raise ValidationError("idle_gap", "The idle gap must be more than 0 seconds.")
        if self.long_gap < self.idle_gap:
            raise ValidationError("long_gap", "The long gap cannot be shorter than the idle gap.")
        self._accrued = ZERO
        self._last = started
        self._paused = False
        self._pending_whole = ZERO
        self._pending_extra = ZERO
        self._ended: float | None = None

    # -- state ------------------------------------------------------------------------------
    @property
    def paused(self) -> bool:
        return self._paused

    @property
    def finished(self) -> bool:
        return self._ended is not None

    @property
    def last_input(self) -> float:
        return self._last

    @property
    def pending_gap(self) -> int | None:
        """Seconds of unanswered long gap(s), or None when nothing awaits keep/discard."""
        if self._pending_whole <= ZERO:
            return None
        return int(self._pending_whole)

    # -- input ------------------------------------------------------------------------------
    def _trailing(self, at: float) -> float:
        """The counted part of the time since the last input, up to ``at``."""
        if self._paused:
            return ZERO
        gap = max(at - self._last, ZERO)
        return min(gap, self.idle_gap)

    def activity(self, at: float) -> None:
        """Register an input (a key press, a paste) at ``at``."""
        if self._ended is not None or self._paused:
            return
        gap = at - self._last
        if gap <= ZERO:
            return
        self._accrued += min(gap, self.idle_gap)
        if gap > self.long_gap:
            self._pending_whole += gap
            self._pending_extra += gap - self.idle_gap
        self._last = at

    def pause(self, at: float) -> None:
        if self._ended is not None or self._paused:
            return
        self._accrued += self._trailing(at)
        self._paused = True

    def resume(self, at: float) -> None:
        if self._ended is not None or not self._paused:
            return
        self._paused = False
        self._last = max(at, self._last)

    def keep_gap(self) -> None:
        """Count the pending long gap(s) in full."""
        self._accrued += self._pending_extra
        self._pending_whole = self._pending_extra = ZERO

    def discard_gap(self) -> None:
        """Leave the pending long gap(s) uncounted (beyond the usual idle allowance)."""
        self._pending_whole = self._pending_extra = ZERO

    # -- reading ----------------------------------------------------------------------------
    def active_seconds(self, now: float) -> int:
        if self._ended is not None:
            return int(self._accrued + _EPS)
        return int(self._accrued + self._trailing(now) + _EPS)

    def elapsed(self, now: float) -> float:
        """Monotonic seconds since the opening (never negative)."""
        end = self._ended if self._ended is not None else now
        return max(end - self.started, ZERO)

    def finish(self, at: float) -> ClockResult:
        """Stop for good. Returns the active and elapsed seconds; a pending gap is discarded."""
        if self._ended is None:
            self._accrued += self._trailing(at)
            self.discard_gap()
            self._ended = max(at, self._last)
        return ClockResult(int(self._accrued + _EPS), self._ended - self.started)
