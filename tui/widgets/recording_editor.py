"""The base of every recording editor (summary, plan, mapping, contact, feedback, review).

It runs the recording clock (active time from key and mouse input, pausing after an idle gap;
after a long gap it asks whether to keep that time), shows the clock and lets the user pause it,
autosaves a draft every few seconds and when a field loses focus, and keeps one recording
session stored as it goes: the row is written as the editor opens and updated every 30 s, at
every autosave and when it closes (domain/services/session_recorder.py), so a crash loses at most
30 s of it. All its timing is on the monotonic clock, so clock changes and NTP steps change
nothing. Subclasses supply the form, the draft (de)serialisation and the save.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from rich.text import Text
from textual import events, getters, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Static
from textual.worker import Worker, WorkerState

from domain.activity_clock import ActivityClock
from domain.audit import Draft
from domain.clock import to_local
from domain.services.drafts import KeptText, LocalCopies
from domain.services.session_recorder import CHECKPOINT_SECONDS, Figures, SessionRecorder
from domain.timeuse import RecordingActivity
from tui.app import TandemApp
from tui.keys import Typed
from tui.text import safe
from tui.widgets.footer import TandemFooter
from tui.workers import run_db

AUTOSAVE_SECONDS = 3.0
#: A save still waiting after this long shows "saving…" (and escape cancels it).
SAVING_AFTER_SECONDS = 0.5

T = TypeVar("T")
_SKIPPED = object()


def fmt_seconds(seconds: int) -> str:
    h, rest = divmod(int(seconds), 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"


def focus_for_correction(widget: Widget) -> None:
    """Focus a field an error points at. A one-line field gets its text selected, even when it
    already had the focus, so typing replaces the wrong value instead of adding to it (a long
    text area is not selected: one key would wipe a paragraph)."""
    widget.focus()
    if isinstance(widget, Input):
        widget.select_all()


def focus_without_selecting(widget: Widget) -> None:
    """Focus the field an editor opens in without selecting its value (an Input selects its
    text when focused), so no single stray key wipes a value the user has not looked at yet."""
    if isinstance(widget, Input):
        widget.select_on_focus = False
        widget.cursor_position = len(widget.value)
    widget.focus()


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


def held_count(held: list[Typed]) -> str:
    """What was held, as the user would say it: "3 keys", "1 key and a paste"."""
    keys = sum(isinstance(e, events.Key) for e in held)
    pastes = len(held) - keys
    parts = []
    if keys or not pastes:
        parts.append("1 key" if keys == 1 else f"{keys} keys")
    if pastes:
        parts.append("a paste" if pastes == 1 else f"{pastes} pastes")
    return " and ".join(parts)


def pass_on(app: TandemApp, held: list[Typed]) -> None:
    """Post held keys and pastes to the app again, in the order they were typed."""
    for event in held:
        app.post_message(
            event.copy() if isinstance(event, events.Key) else events.Paste(event.text)
        )


class Question(ModalScreen[bool]):
    """A question an editor puts in front of the user while they may be typing (the long-gap
    question, the offer of unsaved text). Keys typed before it appeared are not answers: the
    user could not have read it, and a "d" in a word would otherwise discard their time or their
    text unseen. Such keys (and pastes) are kept, counted on the question, and passed on to the
    editor once the question is answered (``pass_on_early_keys``), as the user meant them."""

    app = getters.app(TandemApp)

    def __init__(self, early: list[Typed] | None = None) -> None:
        super().__init__()
        #: When the question was mounted (the Mount event's time, the clock ``events.Key.time``
        #: is on); until then every key is early.
        self.shown_at: float | None = None
        #: Typed before the question appeared; ``early`` is what its editor was already holding.
        self.early_keys: list[Typed] = list(early or ())

    def on_mount(self, event: events.Mount) -> None:
        self.shown_at = event.time
        if self.early_keys:
            self._show_early_count()

    def early_note(self) -> Label:
        note = Label("", id="early-keys", classes="muted")
        note.display = False
        return note

    def on_key(self, event: events.Key) -> None:
        self._hold_if_early(event)

    def on_paste(self, event: events.Paste) -> None:
        self._hold_if_early(event)

    def _hold_if_early(self, event: Typed) -> None:
        if self.shown_at is not None and event.time >= self.shown_at:
            return
        # Typed before this question appeared: not an answer, and not lost.
        event.stop()
        event.prevent_default()
        self.early_keys.append(event)
        self._show_early_count()

    def _show_early_count(self) -> None:
        note = self.query_one("#early-keys", Label)
        note.update(
            Text(
                f"You typed {held_count(self.early_keys)} before this question appeared: not "
                "taken as an answer; they go into the editor once you answer."
            )
        )
        note.display = True

    def pass_on_early_keys(self) -> None:
        """Send the keys typed before the question appeared on to the app, in order, after the
        answer (the editor is on top again by then)."""
        held, self.early_keys = self.early_keys, []
        pass_on(self.app, held)


class GapQuestion(Question):
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
            yield self.early_note()
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


class DraftOffer(Question):
    """Offers back text that was typed but never saved (after a crash or a conflict)."""

    BINDINGS = [
        Binding("r", "answer(True)", "Restore draft"),
        Binding("d,escape", "answer(False)", "Discard draft"),
    ]

    def __init__(self, draft: Draft, local: bool = False, early: list[Typed] | None = None) -> None:
        super().__init__(early)
        self.draft = draft
        self.local = local

    def compose(self) -> ComposeResult:
        with Vertical(id="draft-box"):
            yield Label(
                Text(
                    "You have unsaved text here from "
                    f"{to_local(self.draft.saved_at):%d %b %Y %H:%M}."
                )
            )
            if self.local:
                yield Label(
                    Text(
                        "It was kept in a copy on this computer because the database could "
                        "not take it as a draft."
                    )
                )
            yield Label(Text("Restore it into the editor, or discard it?"))
            yield self.early_note()
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

    app = getters.app(TandemApp)

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
        self.recorder: SessionRecorder | None = None
        self._draft_lock = threading.Lock()
        self._draft_seq = 0
        self._draft_applied = 0
        self._saving_timer: Timer | None = None
        #: The last text kept (as a draft or a local copy) and where it went.
        self.kept: tuple[str, KeptText] | None = None
        self._draft_trouble = False
        self._leaving = False
        #: True until the check for text kept from an earlier session has answered: no
        #: autosave before then, so an older draft is never overwritten before it is offered,
        #: and this editor's own autosave is never offered back to the user as "unsaved text".
        self._checking_for_draft = True
        #: The base revision stored with a draft just restored (for editors that merge).
        self.restored_base: int | None = None
        #: Keys and pastes that arrived before that check answered (``hold_input``).
        self.held_input: list[Typed] = []

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
            error = Static(id="editor-error", classes="error")
            error.display = False  # takes a line only when there is something to say
            yield error
            saving = Static(id="editor-saving", classes="muted")
            saving.display = False  # shown only while a save waits (takes no line otherwise)
            yield saving
            holding = Static(id="editor-holding", classes="muted")
            holding.display = False  # shown only while typed keys wait for the check below
            yield holding
            yield from self.compose_form()
        yield TandemFooter()

    def now(self) -> datetime:
        """The current instant (aware UTC): for stamps, never for measuring time."""
        return self.app.runtime.clock.now()

    def mono(self) -> float:
        """The monotonic clock: every duration the editor measures is read from it."""
        return self.app.runtime.clock.monotonic()

    @property
    def clock(self) -> ActivityClock | None:
        return self.recorder.clock if self.recorder is not None else None

    def on_mount(self) -> None:
        # Textual calls every class's on_mount along the MRO, so a subclass that also calls
        # super().on_mount() would start the clock, the autosave timer and the draft offer twice.
        if self.recorder is not None:
            return
        runtime = self.app.runtime
        self.recorder = SessionRecorder(
            self.app.ctx,
            self.family_id,
            self.activity,
            runtime.idle_gap_seconds,
            runtime.long_gap_seconds,
        )
        recorder = self.recorder
        # The session row exists from the moment the editor opens.
        run_db(self.app, recorder.start, group="sessions")
        self.set_interval(1.0, self._tick)
        self.set_interval(AUTOSAVE_SECONDS, self.autosave)
        self.set_interval(CHECKPOINT_SECONDS, self.store_session)
        self._tick()
        self._offer_draft()

    def _offer_draft(self) -> None:
        from domain.services.drafts import newest_unsaved

        ctx = self.app.ctx
        key = self.draft_key()
        copies = self.local_copies()

        def checked() -> list[Typed]:
            """The check has answered: what was typed meanwhile, for the caller to pass on."""
            self._checking_for_draft = False
            held, self.held_input = self.held_input, []
            for note in self.query("#editor-holding").results(Static):
                note.display = False
            return held

        def offer(found: tuple[Draft | None, bool]) -> None:
            held = checked()
            draft, local = found
            if draft is not None:
                try:
                    same = draft.content == self.draft_state()
                except Exception:  # noqa: BLE001 - a form not ready yet: offer the draft anyway
                    same = False
                if same:
                    self.discard_draft()  # nothing in it that the editor does not show already
                    draft = None
            if draft is None:
                pass_on(self.app, held)
                return
            found_draft = draft

            def answered(restore: bool | None) -> None:
                if restore:
                    self.restored_base = found_draft.base_revision
                    self.apply_draft(found_draft.content)
                    self.dirty = True
                else:
                    self.discard_draft()
                question.pass_on_early_keys()

            # What was typed while the check ran was typed before the offer appeared: the offer
            # holds it and passes it on after the answer, so restoring cannot replace it.
            question = DraftOffer(draft, local, early=held)
            self.app.push_screen(question, answered)

        def failed(error: BaseException) -> None:
            pass_on(self.app, checked())
            self.notify(
                "Could not look for text kept from before; what you type now is kept as usual.",
                severity="warning",
                markup=False,
            )

        run_db(self, lambda: newest_unsaved(ctx, copies, key), offer, failed=failed)

    def hold_input(self, event: Typed) -> bool:
        """Called by the app for each key and paste before it is handled: while the check for
        text kept from an earlier session has not answered, hold it (True). Restoring that text
        replaces the form, so what was typed before the offer must go in after the answer, not
        before it; the gate in tui/keys.py waits for the check only up to its time limit, and a
        slow database takes longer. Held input is passed on, in order, when the check answers
        (or by the offer, after its answer)."""
        if not self._checking_for_draft or self.closing:
            return False
        self.held_input.append(event)
        for note in self.query("#editor-holding").results(Static):
            note.update(
                Text(
                    "Looking for text kept from before… what you typed "
                    f"({held_count(self.held_input)}) goes in when it has answered."
                )
            )
            note.display = True
        return True

    # --- the clock ----------------------------------------------------------------------------

    def _tick(self) -> None:
        if self.clock is None:
            return
        now = self.mono()
        if self.clock.paused:
            state = "paused"
        elif now - self.clock.last_input > self.clock.idle_gap:
            state = "idle"
        else:
            state = "running"
        self.query_one("#clock-bar", ClockBar).show(self.clock.active_seconds(now), state)

    def note_activity(self) -> None:
        """Called by the app for every key, click, scroll or paste while this editor is on top."""
        if self.clock is None or self._asking_gap:
            return
        self.clock.activity(self.mono())
        pending = self.clock.pending_gap
        if pending:
            self._asking_gap = True

            def answered(keep: bool | None) -> None:
                self._asking_gap = False
                if self.clock is not None:
                    self.clock.keep_gap() if keep else self.clock.discard_gap()
                self._tick()
                question.pass_on_early_keys()

            question = GapQuestion(pending)
            self.app.push_screen(question, answered)
        self._tick()

    def action_toggle_clock(self) -> None:
        if self.clock is None:
            return
        if self.clock.paused:
            self.clock.resume(self.mono())
        else:
            self.clock.pause(self.mono())
        self._tick()

    # --- drafts -----------------------------------------------------------------------------------

    def mark_dirty(self) -> None:
        self.dirty = True

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        self.autosave()

    def local_copies(self) -> LocalCopies | None:
        """Where text goes when the database cannot take a draft (see storage/local_copies)."""
        copies: LocalCopies | None = getattr(self.app.runtime, "local_copies", None)
        return copies

    def autosave(self) -> None:
        if not self.dirty or self._leaving or self.closing or self._checking_for_draft:
            # Leaving writes the text itself, last; a closed editor has nothing left to keep (a
            # change event or a blur handled after its save would otherwise write the saved text
            # back as a draft after the save had discarded it).
            return
        state = self.draft_state()
        if state == self._last_saved_state:
            return
        self.keep_text(state)
        self.store_session()  # the recording session is stored as it goes, at every autosave

    def keep_text(self, state: str, then: Callable[[KeptText], object] | None = None) -> None:
        """Keep ``state`` as a draft, or, if the database cannot take it, as a local copy; the
        user is told plainly when the database failed. ``then`` gets what was kept."""
        from domain.services.drafts import keep_text

        ctx = self.app.ctx
        key, base, copies = self.draft_key(), self.base_revision(), self.local_copies()

        def done(kept: KeptText) -> None:
            self.kept = (state, kept)
            if kept.kept:
                self._last_saved_state = state
            if not kept.in_database:
                self.show_error(kept.message())
            elif self._draft_trouble:
                self.show_error("")
            self._draft_trouble = not kept.in_database
            if then is not None:
                then(kept)

        self._draft_job(lambda: keep_text(ctx, copies, key, state, base), done)

    def discard_draft(self) -> None:
        from domain.services.drafts import discard_draft, forget_local_copy

        ctx = self.app.ctx
        key, copies = self.draft_key(), self.local_copies()

        def discard() -> None:
            forget_local_copy(ctx, copies, key)
            discard_draft(ctx, key)

        self._draft_job(discard)

    def _draft_job(self, fn: Callable[[], T], done: Callable[[T], object] | None = None) -> None:
        """Run a draft write in a worker owned by the app (so closing the editor never cancels
        it), one at a time and in the order asked: a write that would land after a later one
        (an autosave overtaken by the discard after a save, say) is skipped, and its ``done``
        is not called."""
        self._draft_seq += 1
        seq = self._draft_seq

        def job() -> object:
            with self._draft_lock:
                if seq <= self._draft_applied:
                    return _SKIPPED
                result = fn()
                self._draft_applied = seq
                return result

        def finished(result: object) -> None:
            if result is not _SKIPPED and done is not None:
                done(result)  # type: ignore[arg-type]  # not _SKIPPED: it is fn's result

        run_db(self.app, job, finished, group="drafts")

    # --- saving and closing -------------------------------------------------------------------------

    def show_error(self, message: str) -> None:
        try:
            error = self.query_one("#editor-error", Static)
            error.update(safe(message))
            error.display = bool(message)
        except NoMatches:  # a cancelled save answering after its editor was closed
            pass

    def action_save(self) -> None:
        self.show_error("")
        self.clear_field_error_lines()
        self.save()

    def save_failed(self, error: BaseException) -> None:
        """Errors of the user's to correct go next to the form; the text stays (and is a draft)."""
        from domain.errors import Conflict, DomainError

        if isinstance(error, Conflict):
            self.dirty = True
            said = f"{error} Your text is kept here"
            self.show_error(said + ".")

            def kept(result: KeptText) -> None:
                if result.in_database:
                    self.show_error(
                        f"{said} and as a draft; copy what you need, then close and reopen to "
                        "see the other version."
                    )
                else:
                    self.show_error(f"{said}. {result.message()}")

            self.keep_text(self.draft_state(), kept)
        elif isinstance(error, DomainError):
            self.show_error(str(error))
            self.focus_field(error.field)
            self.show_field_error(error.field, str(error))
        else:
            self.app.show_error(error)

    def focus_field(self, field: str | None) -> None:
        """Move the focus to the widget for ``field`` if the form names one (id ``field-<name>``),
        with a one-line field's text selected so that what is typed next replaces it."""
        if not field:
            return
        wanted = "field-" + field.replace(".", "-").replace("_", "-")
        for widget in self.query(f"#{wanted}"):
            focus_for_correction(widget)
            return

    def show_field_error(self, field: str | None, message: str) -> None:
        """Put ``message`` on a line just under the field (id ``field-<name>``), so the reason a
        save was refused sits next to what must change. Removed by the next save."""
        if not field:
            return
        name = field.replace(".", "-").replace("_", "-")
        widget = next(iter(self.query(f"#field-{name}")), None)
        if widget is not None:
            self.show_error_under(widget, message)

    def show_error_under(self, widget: Widget, message: str) -> None:
        parent = widget.parent
        if not isinstance(parent, Widget):
            return
        anchor = parent if parent.has_class("form-row") else widget
        if not isinstance(anchor.parent, Widget):
            return
        self.clear_field_error_lines()
        line = Static(safe(message), classes="error field-error-line")
        anchor.parent.mount(line, after=anchor)

    def clear_field_error_lines(self) -> None:
        for line in self.query(".field-error-line"):
            line.remove()

    def saved(self, result: object) -> None:
        self.dirty = False
        self._last_saved_state = None
        self.discard_draft()
        self.close(result)

    # --- a save that waits: "saving…", and escape cancels it -----------------------------------

    def _save_worker(self) -> Worker[Any] | None:
        """The editor's save still in flight (run_db group ``save``), if any."""
        for worker in self.workers:  # the app's workers: keep this editor's own
            if (
                worker.node is self
                and worker.group == "save"
                and worker.state in (WorkerState.PENDING, WorkerState.RUNNING)
            ):
                return worker
        return None

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "save":
            return
        if event.state is WorkerState.RUNNING:
            self._saving_timer = self.set_timer(SAVING_AFTER_SECONDS, self._show_saving)
        elif self._save_worker() is None:
            if self._saving_timer is not None:
                self._saving_timer.stop()
                self._saving_timer = None
            for note in self.query("#editor-saving").results(Static):
                note.display = False

    def _show_saving(self) -> None:
        if self._save_worker() is not None:
            note = self.query_one("#editor-saving", Static)
            note.update(
                Text("saving… (the database is busy; escape cancels the save, your text stays)")
            )
            note.display = True

    def action_close(self) -> None:
        """Leave the editor. A save still waiting is cancelled first (the editor stays open).
        Unsaved text is kept as a draft; the user is told it is kept only once it is, and asked
        before leaving when the database could not take it."""
        saving = self._save_worker()
        if saving is not None:
            # Stop waiting: the save writes nothing once it gets its turn (domain/cancel.py), and
            # the editor stays open with every word in it.
            saving.cancel()
            self.query_one("#editor-saving", Static).display = False
            self.show_error(
                "Save cancelled: nothing was saved. Your text is still here; ctrl+s saves it, "
                "escape again closes the editor."
            )
            return
        if not self.dirty:
            self.close(None)
            return
        if self._leaving:
            return
        state = self.draft_state()
        if self.kept is not None and self.kept[0] == state and self.kept[1].in_database:
            self.app.notify(self.kept[1].message(), markup=False)
            self.close(None)
            return
        self._leaving = True
        self.show_error("Keeping your text as a draft before closing…")

        def kept(result: KeptText) -> None:
            if result.in_database:
                self.app.notify(result.message(), markup=False)
                self.close(None)
                return

            def answered(leave: bool | None) -> None:
                self._leaving = False
                if leave:
                    self.app.notify(result.message(), severity="warning", markup=False)
                    self.close(None)

            from tui.widgets.unsaved import LeaveUnsaved

            self.app.push_screen(LeaveUnsaved(result), answered)

        self.keep_text(state, kept)

    def close(self, result: object) -> None:
        if self.closing:
            return
        self.closing = True
        self.store_session(final=True)
        self.dismiss(result)

    def finish_before_exit(self) -> None:
        """The app is ending with this editor open (ctrl+q, a closed browser tab, SIGTERM/SIGHUP):
        keep unsaved text as a draft and store the session's final figures now, on this thread,
        because the workers that would do it later die with the process."""
        from domain.services.drafts import autosave

        if self.closing:
            return
        self.closing = True
        ctx = self.app.ctx
        if self.dirty:
            state = self.draft_state()
            if state != self._last_saved_state:
                self._draft_seq += 1
                seq = self._draft_seq
                with self._draft_lock:
                    if seq > self._draft_applied:
                        autosave(ctx, self.draft_key(), state, self.base_revision())
                        self._draft_applied = seq
        recorder = self.recorder
        if recorder is not None:
            recorder.store(recorder.figures(final=True))

    def store_session(self, final: bool = False) -> None:
        """Update this opening's stored session (every 30 s, at each autosave, and at the close).
        The figures are read here, on the UI thread; the write runs on the app so it outlives
        this screen."""
        recorder = self.recorder
        if recorder is None or (recorder.clock.finished and not final):
            return
        figures: Figures = recorder.figures(final=final)
        run_db(self.app, lambda: recorder.store(figures), group="sessions")
