"""Never claim text is kept unless it is (issue 11, item 1), pressing keys as the user did.

The database is made really full (SQLite's max_page_count caps the file at its current size, so
SQLite answers "database or disk is full") while a summary is being typed. The editor says
plainly that the draft failed, keeps the text, asks before leaving, writes a local copy that
only the user can read, and offers every word back when the editor is opened again.
"""

from __future__ import annotations

import os
import stat

from sqlalchemy import event
from textual import events

import tui.widgets.recording_editor as recording_editor
from tests.tui.conftest import settle, sign_in
from tests.tui.test_no_loss import area, draft_text, open_draft_summary, seen
from tui.widgets.unsaved import LeaveUnsaved


def fill_the_disk(engine):  # type: ignore[no-untyped-def]
    """Every new connection may not grow the file by a single page; returns the undo."""
    with engine.connect() as conn:
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar()
    engine.dispose()

    def cap(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

    event.listen(engine, "connect", cap)

    def undo() -> None:
        event.remove(engine, "connect", cap)
        engine.dispose()

    return undo


async def test_a_full_disk_is_said_plainly_and_every_typed_word_comes_back(
    tandem_app, runtime, monkeypatch
) -> None:
    monkeypatch.setattr(recording_editor, "AUTOSAVE_SECONDS", 3600.0)  # leaving a field saves
    app = tandem_app()
    told: list[str] = []
    shown_notify = app.notify

    def notify(message, **kwargs):  # type: ignore[no-untyped-def]
        told.append(str(message))  # notifications expire on a wall clock: record them
        return shown_notify(message, **kwargs)

    app.notify = notify  # type: ignore[method-assign]
    async with app.run_test(size=(130, 40)) as pilot:
        await sign_in(pilot, "amara.osei")
        summary_id = await open_draft_summary(pilot)
        editor = app.screen
        saved = area(app).text
        undo = fill_the_disk(runtime.engine)

        # A long passage pasted (it needs new pages), then words typed after it.
        passage = " ".join(f"observed{i}" for i in range(800)) + " "
        app.post_message(events.Paste(passage))  # as the terminal delivers a paste
        await pilot.pause()
        await pilot.press(*"and typed last")
        await pilot.press("tab")  # leaving the field writes the draft: it fails
        await settle(pilot)
        typed = passage + "and typed last" + saved
        assert area(app).text == typed
        shown = seen(app)
        assert "could not be saved as a draft (database or disk is full)" in shown
        assert "kept as a draft and offered back" not in shown
        assert draft_text(app, summary_id) is None

        # Escape asks first; s stays with the text where it was.
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LeaveUnsaved)
        assert "database or disk is full" in seen(app)
        await pilot.press("s")
        await settle(pilot)
        assert app.screen is editor and area(app).text == typed

        # The local copy: only the user may read it, and it holds every word.
        copy = editor.kept[1].local_copy
        assert copy is not None and stat.S_IMODE(os.stat(copy).st_mode) == 0o600
        assert all(word in open(copy, encoding="utf-8").read() for word in typed.split())

        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("l")  # leave: the copy stays
        await settle(pilot)
        assert not app.screen.query("SummaryEditor")
        assert not any("kept as a draft and offered back" in m for m in told), told
        assert any("could not be saved as a draft (database or disk is full)" in m for m in told)

        # The disk has room again: opening the editor offers the copy back, whole.
        undo()
        await pilot.press("e")
        await settle(pilot)
        assert "kept in a copy on this computer" in seen(app)
        await pilot.press("r")
        await settle(pilot)
        assert area(app).text == typed
        # Saved at last: the copy is gone.
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not os.path.exists(copy)


async def test_at_sign_in_a_copy_kept_on_this_computer_is_mentioned(tandem_app, runtime) -> None:
    from domain.audit import Draft

    with runtime.uow_factory() as uow:
        amara = uow.users.by_username("amara.osei")
    runtime.local_copies.write(
        Draft(user_id=amara.id, key="summary:1", content="{}", saved_at=runtime.clock.now())
    )
    app = tandem_app()
    told: list[str] = []
    shown = app.notify

    def notify(message, **kwargs):  # type: ignore[no-untyped-def]
        told.append(str(message))  # notifications expire on a wall clock: record them
        return shown(message, **kwargs)

    app.notify = notify  # type: ignore[method-assign]
    async with app.run_test(size=(130, 40)) as pilot:
        await sign_in(pilot, "amara.osei")
        await settle(pilot)
        assert any(
            m.startswith("1 unsaved text (a case summary) could not be saved as drafts")
            for m in told
        ), told
