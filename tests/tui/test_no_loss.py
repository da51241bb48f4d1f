"""Nothing typed is lost (SPEC §5; research/reliability.md R3):

1. drafts autosave every few seconds and when a field is left;
2. after the app is killed with SIGKILL mid-typing and started again, the draft is offered back
   with the typed text (all of it but at most the last autosave window);
3. when two people edit the same summary, the second save is told of the conflict (who, when)
   and both texts are kept: the first in the database, the second in the editor and as a draft.

The SIGKILL test runs the real app (TandemApp on a real SQLite file, headless) in a child process
started from this module (``python -m tests.tui.test_no_loss DB``), which types into the summary
editor and reports each key it has typed on its standard output until the test kills it.
"""

from __future__ import annotations

import asyncio
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from textual.widgets import DataTable, TextArea

import tui.widgets.recording_editor as recording_editor
from domain.clock import FixedClock
from domain.services.drafts import get_draft
from domain.services.families import list_caseload
from domain.services.summaries import get_summary, list_summaries, save_summary, summary_versions
from domain.services.summary_listing import version_history
from domain.summaries import SummaryEvent, SummarySection, SummaryStatus
from tests.tui.conftest import TEST_NOW, screen_text, settle, shown_within, sign_in

ROOT = Path(__file__).resolve().parents[2]
SIZE = (130, 40)
FAMILY = "FAM-0105"  # Amara's family with a draft summary in progress
WHY = SummarySection.WHY_INVOLVED


def seen(app) -> str:  # type: ignore[no-untyped-def]
    """What is visible, with wrapped lines joined again (borders dropped, spaces collapsed)."""
    return " ".join(re.sub(r"[▊▎▔▁│╭╮╰╯─▌█▀▄]", " ", screen_text(app)).split())


async def open_draft_summary(pilot, reference: str = FAMILY) -> int:  # type: ignore[no-untyped-def]
    """Caseload → family → Summaries tab (4) → the summary in progress → e. Returns its id."""
    app = pilot.app
    await pilot.press("slash", *reference, "enter", "enter")
    await settle(pilot)
    await pilot.press("4")
    await settle(pilot)
    family = next(f for f in list_caseload(app.ctx) if f.reference == reference)
    summary = next(s for s in list_summaries(app.ctx, family.id) if s.is_editable)
    table = app.screen.query_one("#summaries-table", DataTable)
    table.move_cursor(row=table.get_row_index(str(summary.id)))
    await pilot.press("e")
    await settle(pilot)
    return summary.id  # type: ignore[return-value]


def area(app, section: SummarySection = WHY) -> TextArea:  # type: ignore[no-untyped-def]
    """The section's text box in the topmost editor (under the draft offer if one is showing)."""
    editor = next(s for s in reversed(app.screen_stack) if s.__class__.__name__ == "SummaryEditor")
    return editor.query_one("#field-" + section.value.replace("_", "-"), TextArea)


def draft_text(app, summary_id: int, section: SummarySection = WHY) -> str | None:  # type: ignore[no-untyped-def]
    import json

    draft = get_draft(app.ctx, f"summary:{summary_id}")
    if draft is None:
        return None
    return json.loads(draft.content)["sections"][section.value]


# --- 1. autosave ---------------------------------------------------------------------------


async def test_typing_is_autosaved_every_few_seconds(tandem_app) -> None:
    app = tandem_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "amara.osei")
        summary_id = await open_draft_summary(pilot)
        assert app.screen.__class__.__name__ == "SummaryEditor"
        saved = area(app).text
        assert draft_text(app, summary_id) is None

        await pilot.press(*"Typed and never saved. ")
        # No save, no leaving the field: only the autosave timer can store it. The loop ends as
        # soon as it has; the deadline is only a backstop for a busy machine.
        deadline = time.monotonic() + recording_editor.AUTOSAVE_SECONDS + 60
        while time.monotonic() < deadline:
            await pilot.pause(0.25)
            await app.workers.wait_for_complete()
            if draft_text(app, summary_id) == "Typed and never saved. " + saved:
                break
        assert draft_text(app, summary_id) == "Typed and never saved. " + saved
        assert area(app).has_focus
        # The summary itself is untouched until the user saves.
        assert get_summary(app.ctx, summary_id).text_of(WHY) == saved


async def test_leaving_a_field_autosaves_and_the_draft_is_offered_back(
    tandem_app, monkeypatch
) -> None:
    monkeypatch.setattr(recording_editor, "AUTOSAVE_SECONDS", 3600.0)  # the timer stays out of it
    app = tandem_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "amara.osei")
        summary_id = await open_draft_summary(pilot)
        saved = area(app).text
        await pilot.press(*"Left behind. ")
        await settle(pilot)
        assert draft_text(app, summary_id) is None  # not yet: still in the field

        await pilot.press("tab")  # leave the field
        await settle(pilot)
        assert draft_text(app, summary_id) == "Left behind. " + saved

        # Close without saving, open again: the draft is offered back and restored.
        await pilot.press("escape")
        await settle(pilot)
        assert not app.screen.query("SummaryEditor")
        await pilot.press("e")
        await settle(pilot)
        assert "You have unsaved text here" in seen(app)
        await pilot.press("r")
        await settle(pilot)
        assert area(app).text == "Left behind. " + saved


def slow_look_for_older_text(monkeypatch) -> threading.Event:  # type: ignore[no-untyped-def]
    """From now on an editor's look for text kept from before waits until the returned event is
    set (a slow database)."""
    import domain.services.drafts as drafts

    answer = threading.Event()
    look = drafts.newest_unsaved

    def slow_look(*args, **kwargs):  # type: ignore[no-untyped-def]
        answer.wait(30)
        return look(*args, **kwargs)

    monkeypatch.setattr(drafts, "newest_unsaved", slow_look)
    return answer


async def test_no_autosave_before_older_text_has_been_offered(tandem_app, monkeypatch) -> None:
    """On a slow machine the autosave timer can fire before the look for text kept from an
    earlier session has answered: it must neither overwrite that text nor have its own copy
    offered back as "unsaved text"."""
    monkeypatch.setattr(recording_editor, "AUTOSAVE_SECONDS", 3600.0)  # autosave called below
    app = tandem_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "amara.osei")
        summary_id = await open_draft_summary(pilot)
        saved = area(app).text
        await pilot.press(*"Kept from before. ", "tab")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert draft_text(app, summary_id) == "Kept from before. " + saved

        answer = slow_look_for_older_text(monkeypatch)
        await pilot.press("e")
        for _ in range(200):  # the editor is open, its look for older text still waiting
            await pilot.pause()
            if app.screen.__class__.__name__ == "SummaryEditor":
                break
        editor = app.screen
        await pilot.press("end", *"Typed meanwhile.")
        # The keys wait behind the look (the key gate holds them up to 1.5 s, the editor after
        # that) and the editor says so: typed into the form before the look answers, restoring
        # the older text would replace them, and autosave is held until then, so they would be
        # nowhere.
        await shown_within(
            pilot, lambda: "Looking for text kept from before" in seen(app), "the waiting keys"
        )
        assert "Typed meanwhile." not in area(app).text
        editor.autosave()  # the timer fires while the look is still waiting
        await pilot.pause()
        assert draft_text(app, summary_id) == "Kept from before. " + saved

        answer.set()
        await settle(pilot)
        assert "You have unsaved text here" in seen(app)
        assert "You typed 17 keys before this question appeared" in seen(app)
        await pilot.press("r")
        await settle(pilot)
        # The older text is back and what was typed meanwhile went in after the answer, where
        # the cursor was sent ("end": the end of the first wrapped line).
        text = area(app).text
        assert "Typed meanwhile." in text
        assert text.replace("Typed meanwhile.", "", 1) == "Kept from before. " + saved


async def test_what_is_typed_and_pasted_while_the_look_is_slow_goes_in_when_it_answers(
    tandem_app, monkeypatch
) -> None:
    """With no older text to offer, the keys and the paste held while the look ran go into the
    editor when it answers, in the order they came."""
    from textual import events

    monkeypatch.setattr(recording_editor, "AUTOSAVE_SECONDS", 3600.0)
    app = tandem_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "amara.osei")
        await open_draft_summary(pilot)
        saved = area(app).text
        await pilot.press("escape")  # nothing typed: nothing kept to offer
        await settle(pilot)

        answer = slow_look_for_older_text(monkeypatch)
        await pilot.press("e")
        await pilot.press("end", *"Typed ")
        await shown_within(
            pilot,
            lambda: "Looking for text kept from before… what you typed (7 keys)" in seen(app),
            "the editor holding the first keys",
        )
        app.post_message(events.Paste("and pasted "))
        await pilot.press(*"then typed.")
        await shown_within(
            pilot,
            lambda: (
                "what you typed (18 keys and a paste) goes in when it has answered" in seen(app)
            ),
            "the editor holding the paste and the keys after it",
        )
        assert area(app).text == saved

        answer.set()
        await shown_within(
            pilot, lambda: "Typed and pasted then typed." in area(app).text, "the held input"
        )
        await settle(pilot)
        assert area(app).text.replace("Typed and pasted then typed.", "", 1) == saved
        assert "Looking for text kept from before" not in seen(app)


# --- 2. SIGKILL mid-edit ---------------------------------------------------------------------

#: What the child types first (and waits until it is autosaved), then keeps typing until killed.
FIRST = "Killed mid-sentence: "
STREAM = "the quick brown fox jumps over the lazy dog "


def _child(db: str) -> None:
    """Run in the child process: the app on ``db``, typing into the summary editor forever."""
    from tui.app import TandemApp
    from tui.bootstrap import open_runtime

    def say(line: str) -> None:
        os.write(1, (line + "\n").encode())  # straight to the pipe: never buffered or captured

    async def main() -> None:
        runtime = open_runtime(db, clock=FixedClock(TEST_NOW))
        runtime.demo = True
        app = TandemApp(runtime, demo=True)
        async with app.run_test(size=SIZE) as pilot:
            await sign_in(pilot, "amara.osei")
            summary_id = await open_draft_summary(pilot)
            say(f"SUMMARY {summary_id}")
            assert area(app).has_focus
            typed = ""
            for ch in FIRST:
                await pilot.press(ch)
                typed += ch
                say(f"TYPED {len(typed)}")
            while not (draft_text(app, summary_id) or "").startswith(FIRST):
                await pilot.pause(0.1)
            say("READY")
            i = 0
            while True:  # until killed
                # Announced before the key is pressed: a kill can land after the key reached the
                # draft but before "TYPED" is said, so the upper bound counts keys begun.
                say(f"PRESSING {len(FIRST) + i + 1}")
                await pilot.press(STREAM[i % len(STREAM)])
                i += 1
                say(f"TYPED {len(FIRST) + i}")
                await asyncio.sleep(0.03)

    asyncio.run(main())


def _typed_stream(n: int) -> str:
    s = FIRST
    while len(s) < n:
        s += STREAM
    return s[:n]


#: R3 asks for 20 trials; one runs by default, TANDEM_KILL_TRIALS=20 for the full figure.
KILL_TRIALS = int(os.environ.get("TANDEM_KILL_TRIALS", "1"))


@pytest.mark.parametrize("trial", range(KILL_TRIALS))
def test_a_draft_survives_sigkill_and_is_offered_back(
    demo_db: Path, tmp_path: Path, trial: int
) -> None:
    db = tmp_path / f"killed-{trial}.db"
    shutil.copyfile(demo_db, db)
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.tui.test_no_loss", str(db)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    lines: list[tuple[float, str]] = []
    ready = threading.Event()

    def read() -> None:
        assert child.stdout is not None
        for raw in child.stdout:
            lines.append((time.monotonic(), raw.decode().strip()))
            if lines[-1][1] == "READY":
                ready.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        if not ready.wait(90):
            child.kill()
            err = child.stderr.read().decode() if child.stderr else ""
            pytest.fail(f"the app never got ready to be killed:\n{lines[-5:]}\n{err[-3000:]}")
        # Let it type for longer than an autosave window (plus a second) after its first key past
        # READY, then kill it mid-keystroke. Timed from the key the child reports, not from READY:
        # on a busy machine the child may start typing late (CI once killed it before any key).
        linger = recording_editor.AUTOSAVE_SECONDS + 1.0 + random.uniform(0.5, 2.5)
        give_up = time.monotonic() + 120
        while True:
            streamed = [
                at
                for at, t in list(lines)
                if t.startswith("TYPED") and int(t.split()[1]) > len(FIRST)
            ]
            if streamed and time.monotonic() >= streamed[0] + linger:
                break
            if time.monotonic() > give_up:
                child.kill()
                pytest.fail(f"the app stopped typing:\n{lines[-5:]}")
            time.sleep(0.02)
        killed_at = time.monotonic()
        os.kill(child.pid, signal.SIGKILL)
        assert child.wait(10) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
    reader.join(5)

    summary_id = int(next(t for _, t in lines if t.startswith("SUMMARY")).split()[1])
    typed = [(at, int(t.split()[1])) for at, t in lines if t.startswith("TYPED")]
    pressing = [int(t.split()[1]) for _, t in lines if t.startswith("PRESSING")]
    typed_total = max([typed[-1][1], *pressing])
    # Everything typed before the last autosave window (plus a second of slack) must survive.
    window = recording_editor.AUTOSAVE_SECONDS + 1.0
    must_keep = max((n for at, n in typed if at <= killed_at - window), default=0)
    assert must_keep > len(FIRST), "the kill came too early to prove anything"

    # The file is intact after the kill.
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []

    asyncio.run(_restart_and_recover(db, summary_id, must_keep, typed_total))


async def _restart_and_recover(db: Path, summary_id: int, must_keep: int, typed_total: int) -> None:
    from tui.app import TandemApp
    from tui.bootstrap import open_runtime

    runtime = open_runtime(str(db), clock=FixedClock(TEST_NOW))
    runtime.demo = True
    try:
        app = TandemApp(runtime, demo=True)
        async with app.run_test(size=SIZE) as pilot:
            await sign_in(pilot, "amara.osei")
            saved = get_summary(app.ctx, summary_id).text_of(WHY)
            assert await open_draft_summary(pilot) == summary_id
            assert "You have unsaved text here" in seen(app)
            assert area(app).text == saved  # nothing restored until the user says so
            await pilot.press("r")
            await settle(pilot)
            text = area(app).text
            assert text.endswith(saved)
            recovered = text[: len(text) - len(saved)]
            assert recovered == _typed_stream(len(recovered)), "the draft holds what was typed"
            assert must_keep <= len(recovered) <= typed_total
    finally:
        runtime.engine.dispose()


# --- 3. two people, one summary ---------------------------------------------------------------


def context_of(runtime, username: str):  # type: ignore[no-untyped-def]
    with runtime.uow_factory() as uow:
        user = uow.users.by_username(username)
    return runtime.context(user)


async def test_two_editors_of_one_summary_both_texts_are_kept(tandem_app) -> None:
    """Amara and her manager Fiona open the same summary in two running apps; Fiona saves
    first, then Amara: Amara is told, nothing of either is lost."""
    amara_app, fiona_app = tandem_app(), tandem_app()
    async with amara_app.run_test(size=SIZE) as amara, fiona_app.run_test(size=SIZE) as fiona:
        await sign_in(amara, "amara.osei")
        await sign_in(fiona, "fiona.macleod")
        summary_id = await open_draft_summary(amara)
        family_id = get_summary(amara_app.ctx, summary_id).family_id
        from tui.family.screen import FamilyScreen

        fiona_app.push_screen(FamilyScreen(family_id, initial="summaries"))
        await settle(fiona)
        table = fiona_app.screen.query_one("#summaries-table", DataTable)
        table.focus()
        table.move_cursor(row=table.get_row_index(str(summary_id)))
        await fiona.press("e")
        await settle(fiona)
        assert fiona_app.screen.__class__.__name__ == "SummaryEditor"
        opened_at = get_summary(amara_app.ctx, summary_id).version

        await amara.press(*"AMARA WROTE THIS. ")
        await fiona.press(*"FIONA WROTE THIS. ")
        await fiona.press("ctrl+s")  # the first save wins
        await settle(fiona)
        assert not fiona_app.screen.query("SummaryEditor")
        stored = get_summary(amara_app.ctx, summary_id)
        assert stored.version == opened_at + 1
        assert stored.text_of(WHY).startswith("FIONA WROTE THIS. ")

        await amara.press("ctrl+s")  # the second save is told, and shown both side by side
        await settle(amara)
        assert amara_app.screen.__class__.__name__ == "MergeScreen"
        message = seen(amara_app)
        assert "Fiona MacLeod changed this summary at 10:00 on 20 Nov 2026" not in message
        assert "Fiona MacLeod saved this after you opened it" in message
        assert "FIONA WROTE THIS." in message and "AMARA WROTE THIS." in message
        # Nothing stored yet; Amara's text is kept as a draft meanwhile.
        assert draft_text(amara_app, summary_id).startswith("AMARA WROTE THIS. ")
        stored = get_summary(amara_app.ctx, summary_id)
        assert stored.version == opened_at + 1
        assert stored.text_of(WHY).startswith("FIONA WROTE THIS. ")

        # The clash must be decided: ctrl+s alone is refused; b keeps both, ctrl+s saves.
        await amara.press("ctrl+s")
        await settle(amara)
        assert "Decide" in seen(amara_app)
        await amara.press("b", "ctrl+s")
        await settle(amara)
        assert not amara_app.screen.query("SummaryEditor")
        versions = summary_versions(amara_app.ctx, summary_id)
        by_number = {v.number: v for v in versions}
        assert by_number[opened_at + 1].sections[WHY].startswith("FIONA WROTE THIS. ")
        newest = by_number[opened_at + 2]
        assert newest.sections[WHY].startswith("FIONA WROTE THIS. ")
        assert "AMARA WROTE THIS. " in newest.sections[WHY]
        assert newest.event is SummaryEvent.SAVED
        assert newest.comment == f"Merged with version {opened_at + 1} by Fiona MacLeod."
        assert draft_text(amara_app, summary_id) is None
        assert get_summary(amara_app.ctx, summary_id).status is SummaryStatus.DRAFT


async def test_restoring_a_draft_and_saving_twice_never_drops_the_other_edit(
    tandem_app, runtime
) -> None:
    """The reproduced bug: the other person edits a section this editor never touched; close,
    reopen, restore the draft and press ctrl+s twice. Their edit must survive."""
    ANALYSIS = SummarySection.ANALYSIS
    app = tandem_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "amara.osei")
        summary_id = await open_draft_summary(pilot)
        base = get_summary(app.ctx, summary_id).version
        await pilot.press(*"Mine. ")
        save_summary(
            context_of(runtime, "fiona.macleod"),
            summary_id,
            {ANALYSIS: "Fiona's analysis."},
            base_version=base,
        )
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "MergeScreen"
        assert "Their changes taken (you had not changed these): Analysis" in seen(app)
        await pilot.press("escape")  # back to the editor: nothing saved
        await settle(pilot)
        assert "Not merged yet" in seen(app)
        await pilot.press("escape")  # close; the draft is kept
        await settle(pilot)

        await pilot.press("e")
        await settle(pilot)
        assert area(app, ANALYSIS).text == "Fiona's analysis."  # the newer text opens
        assert "You have unsaved text here" in seen(app)
        await pilot.press("r")
        await settle(pilot)
        assert area(app).text.startswith("Mine. ")
        assert "Saving merges the two section by section" in seen(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "MergeScreen"
        await pilot.press("ctrl+s")  # nothing clashes: merged and saved
        await settle(pilot)
        stored = get_summary(app.ctx, summary_id)
        assert stored.text_of(ANALYSIS) == "Fiona's analysis."
        assert stored.text_of(WHY).startswith("Mine. ")
        assert stored.version == base + 2
        assert not app.screen.query("SummaryEditor")
        newest = version_history(app.ctx, summary_id)[-1]
        assert newest.version.co_author_id is not None  # the merged version names both
        assert " & " in newest.by_name


if __name__ == "__main__":
    _child(sys.argv[1])
