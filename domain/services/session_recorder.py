"""One editor opening's recording session, kept safe as it goes (SPEC §3 "Recording time").

The editor (tui/widgets/recording_editor.py) owns one ``SessionRecorder``. It feeds the activity
clock with input on the UI thread (``input``, ``pause``, ``resume``) and asks for the figures to
store (``figures``) there too; the storing itself (``store``) runs in a worker:

* the session row is stored as the editor opens (``start_session``), before any time counts;
* its active seconds and its end (started + monotonic time open) are updated through
  ``save_session_progress`` -- every ``CHECKPOINT_SECONDS``, at every autosave of the draft and
  when the editor closes -- always the same row.

So a process killed mid-edit (SIGKILL, a power cut) loses at most the time since the last
update, and reopening the editor starts a new session rather than storing this one twice.
Every reading is from ``ctx.clock.monotonic()``: the wall clock is read once, by
``start_session``, for the instant the session started.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import timedelta

from domain.activity_clock import ActivityClock
from domain.errors import DomainError
from domain.services.context import Context
from domain.services.recording import save_session_progress, start_session
from domain.timeuse import RecordingActivity, RecordingSession

#: A SIGKILL loses at most this much recording time.
CHECKPOINT_SECONDS = 30.0


@dataclass(frozen=True)
class Figures:
    active_seconds: int
    elapsed_seconds: float
    final: bool = False


class SessionRecorder:
    def __init__(
        self,
        ctx: Context,
        family_id: int | None,
        activity: RecordingActivity | str,
        idle_gap: float | timedelta = 60,
        long_gap: float | timedelta = 300,
    ) -> None:
        self.ctx = ctx
        self.family_id = family_id
        self.activity = activity
        self.clock = ActivityClock(ctx.clock.monotonic(), idle_gap, long_gap)
        self.session_id: int | None = None
        self.stored: RecordingSession | None = None
        self._lock = threading.Lock()
        self._closed = False
        #: The opening may not record time (the role, the family): said once, not every 30 s.
        self._refused = False

    # -- UI thread ----------------------------------------------------------------------------
    def now(self) -> float:
        return self.ctx.clock.monotonic()

    def input(self) -> None:
        self.clock.activity(self.now())

    def figures(self, *, final: bool = False) -> Figures:
        """What to store now; ``final`` stops the clock for good (the editor is closing)."""
        now = self.now()
        if final:
            result = self.clock.finish(now)
            return Figures(result.active_seconds, result.elapsed_seconds, True)
        return Figures(self.clock.active_seconds(now), self.clock.elapsed(now))

    # -- worker threads (one at a time) ------------------------------------------------------------
    def start(self) -> RecordingSession:
        """Store the session row (once; later calls return it)."""
        with self._lock:
            return self._start()

    def _start(self) -> RecordingSession:
        if self.stored is None:
            try:
                self.stored = start_session(self.ctx, self.family_id, self.activity)
            except DomainError:
                self._refused = True
                raise
            self.session_id = self.stored.id
        return self.stored

    def store(self, figures: Figures) -> RecordingSession | None:
        """Update the stored row with ``figures`` (starting it first if that has not happened).
        Nothing is stored after the final update."""
        with self._lock:
            if self._closed or self._refused:
                return self.stored
            stored = self._start()
            unchanged = (
                stored.active_seconds == figures.active_seconds
                and (stored.ended - stored.started).total_seconds() >= figures.elapsed_seconds
            )
            if unchanged and not figures.final:
                return stored
            assert stored.id is not None
            self.stored = save_session_progress(
                self.ctx,
                stored.id,
                figures.active_seconds,
                figures.elapsed_seconds,
                final=figures.final,
            )
            self._closed = figures.final
            return self.stored
