"""The base of every recording editor (summary, plan, mapping, contact, feedback, review).

It runs the recording clock (active time from key and mouse input, pausing after an idle gap;
after a long gap it asks whether to keep that time), shows the clock and lets the user pause it,
autosaves a draft every few seconds and when a field loses focus, and stores one recording
session when it closes. Subclasses supply the form, the draft (de)serialisation and the save.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from domain.activity_clock import ActivityClock
from domain.audit import Draft
from domain.timeuse import RecordingActivity
from tui.text import safe
from tui.widgets.footer import TandemFooter
from tui.workers import run_db

AUTOSAVE_SECONDS = 3.0


def fmt_seconds(seconds: int) -> str:
    h, rest = divmod(int(seconds), 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"


class ClockBar(Static):
    """Shows the recording clock: ⏺ running, ⏸ paused or idle."""

    shown: tuple[int, str] | None = None

    def show(self, active: int, state: str) -> None:
        # Called on every key press: repaint only when what it says changes (an update of an
        # auto-sized widget re-lays out the whole screen, costly under a long text).
        if self.shown == (active, state):
            return
        self.shown = (active, state)
        icon = {"running": "⏺", "idle": "◌", "paused": "⏸"}[state]
        words = {
            "running": "recording time",
            "idle": "idle — not counting",
            "paused": "clock paused (ctrl+t resumes)",
        }[state]
        self.update(
            Text(
                f"{icon} {fmt_seconds(active)} {words}",
                style="bold" if state == "running" else "dim",
            )
        )


class GapQuestion(ModalScreen[bool]):
    """Asked after a long gap: was that time spent recording?"""

    BINDINGS = [
        Binding("k", "answer(True)", "Keep the time"),
        Binding("d,escape", "answer(False)", "Discard it"),
    ]

    def __init__(self, seconds: int) -> None:
        super().__init__()
        self.seconds = seconds

    def compose(self) -> ComposeResult:
        with Vertical(id="gap-box"):
            yield Label(Text(f"You were away from the keyboard for {fmt_seconds(self.seconds)}."))
            yield Label(
                Text("Were you still recording (reading, thinking, on the phone about this)?")
            )
            with Horizontal():
                yield Button("Keep the time (k)", id="gap-keep", variant="primary")
                yield Button("Discard it (d)", id="gap-discard")

    @on(Button.Pressed, "#gap-keep")
    def _keep(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#gap-discard")
    def _discard(self) -> None:
        self.dismiss(False)

    def action_answer(self, keep: bool) -> None:
        self.dismiss(keep)


class DraftOffer(ModalScreen[bool]):
    """Offers back text that was typed but never saved (after a crash or a conflict)."""

    BINDINGS = [
        Binding("r", "answer(True)", "Restore draft"),
        Binding("d,escape", "answer(False)", "Discard draft"),
    ]

    def __init__(self, draft: Draft) -> None:
        super().__init__()
        self.draft = draft

    def compose(self) -> ComposeResult:
        with Vertical(id="draft-box"):
            yield Label(
                Text(f"You have unsaved text here from {self.draft.saved_at:%d %b %Y %H:%M}.")
            )
            yield Label(Text("Restore it into the editor, or discard it?"))
            with Horizontal():
                yield Button("Restore (r)", id="draft-restore", variant="primary")
                yield Button("Discard (d)", id="draft-discard")

    @on(Button.Pressed, "#draft-restore")
    def _restore(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#draft-discard")
    def _discard(self) -> None:
        self.dismiss(False)

    def action_answer(self, restore: bool) -> None:
        self.dismiss(restore)


class RecordingEditor(ModalScreen[object]):
    """Subclass and implement ``compose_form``, ``draft_key``, ``draft_state``, ``apply_draft``
    and ``save`` (which calls a service in a worker and ends with ``saved(result)``)."""

    activity: RecordingActivity = RecordingActivity.SUMMARY
    title_text = "Editor"

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="save", priority=True),
        Binding("ctrl+t", "toggle_clock", "Pause/resume clock", id="toggle-clock", priority=True),
        Binding("escape", "close", "Close", id="close"),
    ]

    def __init__(self, family_id: int | None) -> None:
        super().__init__()
        self.family_id = family_id
        self.dirty = False
        self.closing = False
        self._asking_gap = False
        self._last_saved_state: str | None = None
        self.clock: ActivityClock | None = None
        self._draft_lock = threading.Lock()
        self._draft_seq = 0
        self._draft_applied = 0

    # --- to implement --------------------------------------------------------------------------

    def compose_form(self) -> ComposeResult:
        raise NotImplementedError

    def draft_key(self) -> str:
        raise NotImplementedError

    def draft_state(self) -> str:
        """The form as text (JSON) for the draft."""
        raise NotImplementedError

    def apply_draft(self, content: str) -> None:
        raise NotImplementedError

    def save(self) -> None:
        raise NotImplementedError

    def base_revision(self) -> int | None:
        return None

    # --- composition ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(classes="editor-box"):
            with Horizontal(classes="editor-head"):
                yield Static(Text(self.title_text, style="bold"), classes="editor-title")
                yield ClockBar(id="clock-bar")
            yield Static(id="editor-error", classes="error")
            yield from self.compose_form()
        yield TandemFooter()

    def now(self) -> datetime:
        return self.app.runtime.clock.now()  # type: ignore[attr-defined]

    def on_mount(self) -> None:
        # Textual calls every class's on_mount along the MRO, so a subclass that also calls
        # super().on_mount() would start the clock, the autosave timer and the draft offer twice.
        if self.clock is not None:
            return
        runtime = self.app.runtime  # type: ignore[attr-defined]
        self.clock = ActivityClock(self.now(), runtime.idle_gap_seconds, runtime.long_gap_seconds)
        self.set_interval(1.0, self._tick)
        self.set_interval(AUTOSAVE_SECONDS, self.autosave)
        self._tick()
        self._offer_draft()

    def _offer_draft(self) -> None:
        from domain.services.drafts import get_draft

        ctx = self.app.ctx  # type: ignore[attr-defined]
        key = self.draft_key()

        def offer(draft: Draft | None) -> None:
            if draft is None:
                return
            try:
                same = draft.content == self.draft_state()
            except Exception:  # noqa: BLE001 - a form not ready yet: offer the draft anyway
                same = False
            if same:
                self.discard_draft()  # nothing in it that the editor does not show already
                return

            def answered(restore: bool | None) -> None:
                if restore:
                    self.apply_draft(draft.content)
                    self.dirty = True
                else:
                    self.discard_draft()

            self.app.push_screen(DraftOffer(draft), answered)

        run_db(self, lambda: get_draft(ctx, key), offer)

    # --- the clock ----------------------------------------------------------------------------

    def _tick(self) -> None:
        if self.clock is None:
            return
        now = self.now()
        if self.clock.paused:
            state = "paused"
        elif (now - self.clock.last_input).total_seconds() > self.clock.idle_gap.total_seconds():
            state = "idle"
        else:
            state = "running"
        self.query_one("#clock-bar", ClockBar).show(self.clock.active_seconds(now), state)

    def note_activity(self) -> None:
        """Called by the app for every key, click, scroll or paste while this editor is on top."""
        if self.clock is None or self._asking_gap:
            return
        self.clock.activity(self.now())
        pending = self.clock.pending_gap
        if pending:
            self._asking_gap = True

            def answered(keep: bool | None) -> None:
                self._asking_gap = False
                if self.clock is not None:
                    self.clock.keep_gap() if keep else self.clock.discard_gap()
                self._tick()

            self.app.push_screen(GapQuestion(pending), answered)
        self._tick()

    def action_toggle_clock(self) -> None:
        if self.clock is None:
            return
        if self.clock.paused:
            self.clock.resume(self.now())
        else:
            self.clock.pause(self.now())
        self._tick()

    # --- drafts -----------------------------------------------------------------------------------

    def mark_dirty(self) -> None:
        self.dirty = True

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        self.autosave()

    def autosave(self) -> None:
        if not self.dirty:
            return
        from domain.services.drafts import autosave

        state = self.draft_state()
        if state == self._last_saved_state:
            return
        ctx = self.app.ctx  # type: ignore[attr-defined]
        key, base = self.draft_key(), self.base_revision()

        def done(stored: bool) -> None:
            if stored:
                self._last_saved_state = state

        self._draft_job(lambda: autosave(ctx, key, state, base), done)

    def discard_draft(self) -> None:
        from domain.services.drafts import discard_draft

        ctx = self.app.ctx  # type: ignore[attr-defined]
        key = self.draft_key()
        self._draft_job(lambda: discard_draft(ctx, key))

    def _draft_job(
        self, fn: Callable[[], object], done: Callable[[bool], object] | None = None
    ) -> None:
        """Run a draft write in a worker owned by the app (so closing the editor never cancels
        it), one at a time and in the order asked: a write that would land after a later one
        (an autosave overtaken by the discard after a save, say) is skipped."""
        self._draft_seq += 1
        seq = self._draft_seq

        def job() -> bool:
            with self._draft_lock:
                if seq <= self._draft_applied:
                    return False
                fn()
                self._draft_applied = seq
                return True

        run_db(self.app, job, done, group="drafts")

    # --- saving and closing -------------------------------------------------------------------------

    def show_error(self, message: str) -> None:
        self.query_one("#editor-error", Static).update(safe(message))

    def action_save(self) -> None:
        self.show_error("")
        self.save()

    def save_failed(self, error: BaseException) -> None:
        """Errors of the user's to correct go next to the form; the text stays (and is a draft)."""
        from domain.errors import Conflict, DomainError

        if isinstance(error, Conflict):
            self.dirty = True
            self.autosave()
            self.show_error(
                f"{error} Your text is kept here and as a draft; copy what you need, then close and "
                "reopen to see the other version."
            )
        elif isinstance(error, DomainError):
            self.show_error(str(error))
            self.focus_field(error.field)
        else:
            self.app.show_error(error)  # type: ignore[attr-defined]

    def focus_field(self, field: str | None) -> None:
        """Move the focus to the widget for ``field`` if the form names one (id ``field-<name>``)."""
        if not field:
            return
        wanted = "field-" + field.replace(".", "-").replace("_", "-")
        for widget in self.query(f"#{wanted}"):
            widget.focus()
            return

    def saved(self, result: object) -> None:
        self.dirty = False
        self._last_saved_state = None
        self.discard_draft()
        self.close(result)

    def action_close(self) -> None:
        if self.dirty:
            self.autosave()
            self.app.notify(
                "Your unsaved text is kept as a draft and offered back next time.", markup=False
            )
        self.close(None)

    def close(self, result: object) -> None:
        if self.closing:
            return
        self.closing = True
        self._record_session()
        self.dismiss(result)

    def finish_before_exit(self) -> None:
        """The app is ending with this editor open (ctrl+q, a closed browser tab, SIGTERM/SIGHUP):
        keep unsaved text as a draft and record the session, now, on this thread, because
        the workers that would do it later die with the process."""
        from domain.services.drafts import autosave
        from domain.services.recording import record_session

        if self.closing or self.clock is None:
            return
        self.closing = True
        ctx = self.app.ctx  # type: ignore[attr-defined]
        if self.dirty:
            state = self.draft_state()
            if state != self._last_saved_state:
                self._draft_seq += 1
                seq = self._draft_seq
                with self._draft_lock:
                    if seq > self._draft_applied:
                        autosave(ctx, self.draft_key(), state, self.base_revision())
                        self._draft_applied = seq
        started, ended, active = self.clock.finish(self.now())
        record_session(ctx, self.family_id, self.activity, started, ended, active)

    def _record_session(self) -> None:
        from domain.services.recording import record_session

        if self.clock is None:
            return
        started, ended, active = self.clock.finish(self.now())
        ctx = self.app.ctx  # type: ignore[attr-defined]
        family_id, activity = self.family_id, self.activity
        # Run on the app so it outlives this screen.
        run_db(
            self.app,
            lambda: record_session(ctx, family_id, activity, started, ended, active),
            group="sessions",
        )
