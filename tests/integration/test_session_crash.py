"""Crash-safe recording sessions: a real process recording a session is killed with SIGKILL
mid-edit; the stored session holds all but at most 30 s of the time typed, and a restart adds a
new session for the new opening without counting the killed one twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from domain.services.session_recorder import CHECKPOINT_SECONDS
from tests.integration.builders import build_world

ROOT = Path(__file__).resolve().parents[2]


def _start(url: str, family_id: int, seconds: int, mode: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.integration.session_driver", url, "alex", str(family_id)]
        + [str(seconds), mode],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def _read_until(proc: subprocess.Popen[str], prefix: str) -> str:
    assert proc.stdout is not None
    for line in proc.stdout:  # blocks until the driver says so (or exits)
        if line.startswith(prefix):
            return line.strip()
    raise AssertionError(f"driver ended (code {proc.wait()}) before printing {prefix!r}")


def _sessions(uow_factory, user_id: int):  # type: ignore[no-untyped-def]
    with uow_factory() as uow:
        return uow.recording.sessions(user_id=user_id)


def test_sigkill_mid_edit_loses_at_most_30_seconds_and_nothing_counts_twice(
    database_url, uow_factory, figures
) -> None:  # type: ignore[no-untyped-def]
    world = build_world(uow_factory)
    typed = 100  # checkpoints at 30, 60 and 90 s; the last 10 s not yet stored

    proc = _start(database_url, world.family.id, typed, "hang")
    try:
        opened = int(_read_until(proc, "opened").split()[1])
        _read_until(proc, "typed")
        proc.send_signal(signal.SIGKILL)
        assert proc.wait(timeout=60) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()

    [killed] = _sessions(uow_factory, world.practitioner.id)
    assert killed.id == opened
    assert typed - CHECKPOINT_SECONDS <= killed.active_seconds <= typed
    assert killed.active_seconds == 90
    assert (killed.ended - killed.started).total_seconds() == 90

    # Restart: the editor is opened again and closed normally.
    again = _start(database_url, world.family.id, 40, "close")
    try:
        _read_until(again, "closed")
        assert again.wait(timeout=60) == 0
    finally:
        if again.poll() is None:
            again.kill()
            again.wait()

    sessions = _sessions(uow_factory, world.practitioner.id)
    assert len(sessions) == 2
    by_id = {s.id: s for s in sessions}
    assert by_id[opened].active_seconds == 90  # the killed opening, unchanged
    [new] = [s for s in sessions if s.id != opened]
    assert new.active_seconds == 40
    assert sum(s.active_seconds for s in sessions) == 130
    figures(
        typed_before_kill=typed,
        stored_after_kill=killed.active_seconds,
        lost_seconds=typed - killed.active_seconds,
        sessions_after_restart=len(sessions),
    )
