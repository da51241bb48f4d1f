"""Unsaved text kept on this computer when the database cannot take a draft (issue 11, item 1):
files only the user can read, one per user, database and editor; and a real SQLite "database or
disk is full" (the file capped with max_page_count) sends every typed word there."""

from __future__ import annotations

import os
import stat
from datetime import datetime
from pathlib import Path

from sqlalchemy import event

from domain.audit import Draft
from domain.clock import FixedClock
from domain.services.drafts import keep_text, newest_unsaved
from storage.local_copies import FileLocalCopies

NOW = datetime(2026, 11, 20, 10, 0, 0)


def test_a_copy_is_readable_only_by_the_user_and_comes_back_whole(tmp_path: Path) -> None:
    directory = tmp_path / "unsaved"
    copies = FileLocalCopies(directory, "sqlite:///team.db")
    text = "Kayden (7) said: “I like Nan’s” \u202e\x00 — every word.\n" * 1000
    where = copies.write(Draft(user_id=4, key="summary:12", content=text, saved_at=NOW))
    assert stat.S_IMODE(os.stat(where).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(directory).st_mode) == 0o700
    assert "summary" not in Path(where).name  # no record named in a file name
    back = copies.read(4, "summary:12")
    assert back is not None and back.content == text and back.saved_at == NOW
    # Another user, another editor or another database never sees it.
    assert copies.read(5, "summary:12") is None
    assert copies.read(4, "summary:13") is None
    assert FileLocalCopies(directory, "sqlite:///other.db").read(4, "summary:12") is None
    assert [d.key for d in copies.for_user(4)] == ["summary:12"]
    copies.delete(4, "summary:12")
    assert copies.read(4, "summary:12") is None and copies.for_user(4) == []
    assert list(directory.iterdir()) == []  # no temporary file left behind


def test_a_full_sqlite_file_keeps_every_typed_word_in_the_local_copy(tmp_path: Path) -> None:
    from tui.bootstrap import open_runtime

    runtime = open_runtime(str(tmp_path / "full.db"), clock=FixedClock(NOW))
    try:
        with runtime.uow_factory() as uow:
            from domain.people import Role, Team, User

            team = uow.teams.add(Team("North"))
            ann = uow.users.add(User("ann", "Ann", Role.PRACTITIONER, team.id))
            uow.commit()
        ctx = runtime.context(ann)
        engine = runtime.engine
        with engine.connect() as conn:
            pages = conn.exec_driver_sql("PRAGMA page_count").scalar()
        engine.dispose()

        @event.listens_for(engine, "connect")
        def cap(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
            # The file may not grow by one page: SQLite answers "database or disk is full".
            dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

        copies = FileLocalCopies(tmp_path / "unsaved", runtime.url)
        words = " ".join(f"word{i}" for i in range(20_000))
        kept = keep_text(ctx, copies, "summary:1", words, 2)
        assert not kept.in_database
        assert "full" in kept.failure
        assert kept.local_copy is not None and Path(kept.local_copy).exists()
        draft, local = newest_unsaved(ctx, copies, "summary:1")
        assert local and draft is not None
        assert draft.content.split() == words.split()  # every typed word survives
    finally:
        runtime.engine.dispose()
