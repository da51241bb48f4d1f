"""A small recording "editor" run as its own process by test_session_crash.py: it drives the
same path the TUI's recording editor does (domain/services/session_recorder.py: the session row
stored on open, updated every 30 s of monotonic time, final at the close) with an injected clock
that steps one second per key, so the run is fast and exact.

    python -m tests.integration.session_driver DB USERNAME FAMILY_ID SECONDS hang|close

Prints ``opened <session id>`` once the row is stored, ``typed <n>`` after the last key, and
then either waits on stdin (``hang``: mid-edit, for the test to SIGKILL it) or closes the editor
and prints ``closed``.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime

from domain.clock import FixedClock
from domain.services.session_recorder import CHECKPOINT_SECONDS, SessionRecorder
from tui.bootstrap import open_runtime

#: Typing starts five minutes before the autumn clock change, so it runs across it.
START = datetime(2026, 10, 25, 0, 55, tzinfo=UTC)


def main(argv: list[str]) -> int:
    db, username, family_id, seconds, mode = argv
    clock = FixedClock(START)
    runtime = open_runtime(db, clock=clock)
    with runtime.uow_factory() as uow:
        user = uow.users.by_username(username)
    recorder = SessionRecorder(runtime.context(user), int(family_id), "summary")
    recorder.start()
    print(f"opened {recorder.session_id}", flush=True)
    next_checkpoint = CHECKPOINT_SECONDS
    for _ in range(int(seconds)):
        clock.advance(seconds=1)
        recorder.input()
        if recorder.clock.elapsed(clock.monotonic()) >= next_checkpoint:  # the 30 s timer
            recorder.store(recorder.figures())
            next_checkpoint += CHECKPOINT_SECONDS
    print(f"typed {seconds}", flush=True)
    if mode == "hang":
        sys.stdin.read()  # mid-edit: killed here
        return 1
    recorder.store(recorder.figures(final=True))
    print("closed", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
