"""The form for one manual entry of recording time: add one, or correct one on the day it was
entered. Each problem is shown under the field it is about; what was typed stays in the form, and
is kept as a draft if the form is closed unsaved (offered back the next time it opens)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, TypedDict

from rich.text import Text
from textual import getters, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, Static

from domain.errors import DomainError
from domain.services.manual_time import FamilyChoice
from domain.timeuse import MANUAL_NOTE_MAX, ManualEntry, ManualKind
from tui.app import TandemApp
from tui.forms import fmt_date, parse_date, parse_int
from tui.text import cell, join, safe
from tui.widgets.footer import TandemFooter
from tui.workers import run_db

if TYPE_CHECKING:
    from domain.audit import Draft

KIND_OPTIONS = [(k.label, k.value) for k in ManualKind]
#: The form's fields: the service's field name -> the widget id's suffix.
FIELDS = {"on": "on", "minutes": "minutes", "kind": "kind", "family_id": "family", "note": "note"}


class Typed(TypedDict):
    """The form as typed (its draft is this, as JSON)."""

    on: str
    minutes: str
    kind: object  # the Select's value
    family_id: int | None
    note: str


class ManualFields(TypedDict):
    """The form's fields as the manual time services take them."""

    on: date
    minutes: int
    kind: str
    note: str
    family_id: int | None


class ManualEntryForm(ModalScreen[ManualEntry | None]):
    """Add (``entry`` None) or correct a manual entry. Dismissed with the saved entry, or None."""

    app = getters.app(TandemApp)

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="save", priority=True),
        Binding("escape", "close", "Close", id="close"),
    ]

    def __init__(self, families: list[FamilyChoice], entry: ManualEntry | None = None) -> None:
        super().__init__()
        self.families = families
        self.entry = entry
        self.saving = False
        #: The form as it opened: anything else was typed (or restored) and is kept on close.
        self.initial: Mapping[str, object] = {}

    def compose(self) -> ComposeResult:
        title = (
            "Correct manual recording time (on the day it was entered)"
            if self.entry
            else "Add recording time spent outside Tandem (legacy system, court, letters…)"
        )
        with Vertical(classes="editor-box", id="manual-form"):
            yield Static(Text(title, style="bold"), classes="editor-title")
            yield Static(id="form-error", classes="error")
            with Horizontal(classes="form-row"):
                with Vertical(classes="field-col"):
                    with Horizontal(classes="form-row"):
                        yield Label("Date")
                        yield Input(id="field-on", placeholder="dd/mm/yyyy")
                    yield Static(id="error-on", classes="error field-error")
                with Vertical(classes="field-col"):
                    with Horizontal(classes="form-row"):
                        yield Label("Minutes")
                        yield Input(id="field-minutes", placeholder="e.g. 30")
                    yield Static(id="error-minutes", classes="error field-error")
            with Horizontal(classes="form-row"):
                yield Label("Kind")
                yield Select(KIND_OPTIONS, allow_blank=False, id="field-kind")
            yield Static(id="error-kind", classes="error field-error")
            with Horizontal(classes="form-row"):
                yield Label("Family")
                yield Select(
                    [(join(f.reference, " ", cell(f.name)), f.id) for f in self.families],
                    prompt="No family (optional)",
                    allow_blank=True,
                    id="field-family",
                )
            yield Static(id="error-family", classes="error field-error")
            with Horizontal(classes="form-row"):
                yield Label("Note")
                yield Input(
                    id="field-note",
                    placeholder=f"optional, ≤ {MANUAL_NOTE_MAX} characters",
                )
            yield Static(id="error-note", classes="error field-error")
        yield TandemFooter()

    def on_mount(self) -> None:
        for error in self.query(".field-error"):
            error.display = False
        if self.entry is not None:
            self._fill(self.entry)
        else:
            today = self.app.runtime.clock.today()
            self.query_one("#field-on", Input).value = fmt_date(today)
        self.initial = self._values()
        self._offer_draft()
        self.query_one("#field-minutes", Input).focus()

    def _fill(self, e: ManualEntry) -> None:
        self.query_one("#field-on", Input).value = fmt_date(e.on)
        self.query_one("#field-minutes", Input).value = str(e.minutes)
        self.query_one("#field-kind", Select).value = e.kind.value
        if e.family_id is not None and any(f.id == e.family_id for f in self.families):
            self.query_one("#field-family", Select).value = e.family_id
        self.query_one("#field-note", Input).value = e.note

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()

    # --- drafts (what was typed survives closing the form unsaved) ------------------------------

    @property
    def dirty(self) -> bool:
        return self._values() != self.initial

    def draft_key(self) -> str:
        return f"manual:{self.entry.id}" if self.entry else "manual:new"

    def _values(self) -> Typed:
        family = self.query_one("#field-family", Select).value
        return {
            "on": self.query_one("#field-on", Input).value,
            "minutes": self.query_one("#field-minutes", Input).value,
            "kind": self.query_one("#field-kind", Select).value,
            "family_id": family if isinstance(family, int) else None,
            "note": self.query_one("#field-note", Input).value,
        }

    def _offer_draft(self) -> None:
        from domain.services.drafts import get_draft

        ctx = self.app.ctx
        key = self.draft_key()

        def restore(draft: Draft | None) -> None:
            if draft is None or self.dirty:
                return  # nothing kept, or the user has started typing already
            try:
                data = json.loads(draft.content)
            except ValueError:
                return
            self.query_one("#field-on", Input).value = str(data.get("on", ""))
            self.query_one("#field-minutes", Input).value = str(data.get("minutes", ""))
            self.query_one("#field-note", Input).value = str(data.get("note", ""))
            if data.get("kind") in {k.value for k in ManualKind}:
                self.query_one("#field-kind", Select).value = data["kind"]
            if any(f.id == data.get("family_id") for f in self.families):
                self.query_one("#field-family", Select).value = data["family_id"]
            self.query_one("#form-error", Static).update(
                Text("Restored what you typed last time (not saved yet).", style="")
            )

        run_db(self, lambda: get_draft(ctx, key), restore)

    def _keep_draft(self) -> None:
        from domain.services.drafts import autosave

        ctx = self.app.ctx
        key, state = self.draft_key(), json.dumps(self._values())
        run_db(self.app, lambda: autosave(ctx, key, state), group="drafts")

    def _drop_draft(self) -> None:
        from domain.services.drafts import discard_draft

        ctx = self.app.ctx
        key = self.draft_key()
        run_db(self.app, lambda: discard_draft(ctx, key), group="drafts")

    # --- errors next to their fields ----------------------------------------------------------

    def clear_errors(self) -> None:
        self.query_one("#form-error", Static).update("")
        for error in self.query(".field-error").results(Static):
            error.display = False
            error.update("")

    def show_error(self, error: DomainError) -> None:
        target = FIELDS.get(error.field or "")
        if target is None:
            self.query_one("#form-error", Static).update(safe(str(error)))
            return
        box = self.query_one(f"#error-{target}", Static)
        box.update(safe(str(error)))
        box.display = True
        self.query_one(f"#field-{target}").focus()

    # --- save / close -------------------------------------------------------------------------

    def action_save(self) -> None:
        if self.saving:
            return
        from domain.services.manual_time import correct_manual_entry
        from domain.services.recording import add_manual_entry

        self.clear_errors()
        values = self._values()
        today: date = self.app.runtime.clock.today()
        problems: list[DomainError] = []
        on = minutes = None
        try:
            on = parse_date("on", "Date", str(values["on"]), today)
        except DomainError as exc:
            problems.append(exc)
        try:
            minutes = parse_int("minutes", "Minutes", str(values["minutes"]))
        except DomainError as exc:
            problems.append(exc)
        if problems:
            for problem in reversed(problems):  # the focus ends on the first field
                self.show_error(problem)
            return
        assert on is not None and minutes is not None  # else a problem was shown above
        fields = ManualFields(
            on=on,
            minutes=minutes,
            kind=str(values["kind"]),
            note=str(values["note"]),
            family_id=values["family_id"],
        )
        ctx = self.app.ctx
        entry = self.entry
        self.saving = True
        if entry is None:
            job = lambda: add_manual_entry(ctx, **fields)  # noqa: E731
        else:
            job = lambda: correct_manual_entry(ctx, entry.saved_id, **fields)  # noqa: E731
        run_db(self, job, self._saved, failed=self._failed, exclusive=True, group="save")

    def _saved(self, entry: ManualEntry) -> None:
        self.saving = False
        self._drop_draft()
        self.dismiss(entry)

    def _failed(self, error: BaseException) -> None:
        self.saving = False
        if isinstance(error, DomainError):
            self.show_error(error)
        else:
            self.app.show_error(error)

    def action_close(self) -> None:
        if self.dirty:
            self._keep_draft()
            self.app.notify(
                "What you typed is kept as a draft and offered back next time.", markup=False
            )
        self.dismiss(None)
