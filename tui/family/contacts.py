"""Contacts tab: the contact log of the family, and the quick form to log one."""

from __future__ import annotations

import json

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Checkbox, DataTable, Input, Label, Select, Static

from domain.clock import local_date
from domain.timeuse import CONTACT_NOTE_MAX, Contact, ContactKind, RecordingActivity
from tui.forms import fmt_date, parse_date, parse_int, parse_time
from tui.text import cell
from tui.widgets.recording_editor import RecordingEditor
from tui.workers import run_db

KIND_OPTIONS = [(k.label, k.value) for k in ContactKind]


def note_count(note: str) -> Text:
    """How long the factual line is against its limit, and how far over it when it is."""
    over = len(note.strip()) - CONTACT_NOTE_MAX
    if over > 0:
        return Text(
            f"{len(note.strip())}/{CONTACT_NOTE_MAX} characters: {over} over the limit; "
            "shorten it before saving (nothing has been cut)",
            style="bold red",
        )
    return Text(f"{len(note.strip())}/{CONTACT_NOTE_MAX}")


class ContactForm(RecordingEditor):
    """Log (or correct) a contact: one compact form, sensible defaults, ctrl+s to save."""

    activity = RecordingActivity.CONTACT_LOG
    title_text = "Log a contact"

    def __init__(self, family_id: int, contact: Contact | None = None) -> None:
        super().__init__(family_id)
        self.contact = contact
        if contact is not None:
            self.title_text = "Correct a contact (today only)"

    def compose_form(self) -> ComposeResult:
        with Vertical(classes="form"):
            with Horizontal(classes="form-row"):
                yield Label("Kind")
                yield Select(KIND_OPTIONS, allow_blank=False, id="field-kind")
                yield Label("Minutes")
                yield Input(id="field-minutes", placeholder="e.g. 45")
            # The tick boxes have a row of their own: beside the kind and the minutes they
            # squeezed the kind to a sliver at 80 columns.
            with Horizontal(classes="form-row"):
                yield Checkbox("Child seen", id="field-child-seen")
                yield Checkbox("Seen alone", id="field-seen-alone")
            with Horizontal(classes="form-row"):
                yield Label("Present")
                yield Input(id="field-present", placeholder="who was there, e.g. Mum, Leo (7), Nan")
            with Horizontal(classes="form-row"):
                yield Label("What happened")
                yield Input(
                    id="field-note",
                    placeholder=f"one short factual line (≤ {CONTACT_NOTE_MAX} characters)",
                )
            # No max_length on the field: a longer line is kept whole and shown with how far it
            # is over, and the save refuses it with the reason (it is never cut silently).
            yield Static(id="note-count", classes="muted")
            with Horizontal(classes="form-row"):
                yield Label("Date")
                yield Input(id="field-on", placeholder="dd/mm/yyyy")
                yield Label("Start")
                yield Input(id="field-start", placeholder="hh:mm")
                yield Label("Travel minutes")
                yield Input(id="field-travel-minutes", value="0")

    def on_mount(self) -> None:
        super().on_mount()
        if self.contact is not None:
            self._fill(self.contact)
        else:
            from domain.services.contacts import contact_defaults

            ctx = self.app.ctx  # type: ignore[attr-defined]
            run_db(self, lambda: contact_defaults(ctx), self._defaults)
        self.query_one("#field-kind", Select).focus()

    def _defaults(self, d) -> None:  # type: ignore[no-untyped-def]
        if not self.query_one("#field-on", Input).value:
            self.query_one("#field-on", Input).value = fmt_date(d.on)
            self.query_one("#field-start", Input).value = d.start.strftime("%H:%M")
            self.query_one("#field-kind", Select).value = d.kind.value
        self.dirty = False

    def _fill(self, c: Contact) -> None:
        self.query_one("#field-on", Input).value = fmt_date(c.on)
        self.query_one("#field-start", Input).value = c.start.strftime("%H:%M")
        self.query_one("#field-minutes", Input).value = str(c.minutes)
        self.query_one("#field-travel-minutes", Input).value = str(c.travel_minutes)
        self.query_one("#field-kind", Select).value = c.kind.value
        self.query_one("#field-child-seen", Checkbox).value = c.child_seen
        self.query_one("#field-seen-alone", Checkbox).value = c.seen_alone
        self.query_one("#field-present", Input).value = c.present
        self.query_one("#field-note", Input).value = c.note

    @on(Input.Changed)
    @on(Select.Changed)
    @on(Checkbox.Changed)
    def _changed(self) -> None:
        self.mark_dirty()
        self.query_one("#note-count", Static).update(
            note_count(self.query_one("#field-note", Input).value)
        )

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()

    # --- drafts ---------------------------------------------------------------------------

    def draft_key(self) -> str:
        return f"contact:{self.contact.id}" if self.contact else f"contact:new:{self.family_id}"

    def _values(self) -> dict[str, object]:
        return {
            "on": self.query_one("#field-on", Input).value,
            "start": self.query_one("#field-start", Input).value,
            "minutes": self.query_one("#field-minutes", Input).value,
            "travel_minutes": self.query_one("#field-travel-minutes", Input).value,
            "kind": self.query_one("#field-kind", Select).value,
            "child_seen": self.query_one("#field-child-seen", Checkbox).value,
            "seen_alone": self.query_one("#field-seen-alone", Checkbox).value,
            "present": self.query_one("#field-present", Input).value,
            "note": self.query_one("#field-note", Input).value,
        }

    def draft_state(self) -> str:
        return json.dumps(self._values())

    def apply_draft(self, content: str) -> None:
        data = json.loads(content)
        for key in ("on", "start", "minutes", "travel_minutes", "present", "note"):
            self.query_one(f"#field-{key.replace('_', '-')}", Input).value = str(data.get(key, ""))
        if data.get("kind") in {k.value for k in ContactKind}:
            self.query_one("#field-kind", Select).value = data["kind"]
        self.query_one("#field-child-seen", Checkbox).value = bool(data.get("child_seen"))
        self.query_one("#field-seen-alone", Checkbox).value = bool(data.get("seen_alone"))

    # --- save -------------------------------------------------------------------------------

    def save(self) -> None:
        from domain.errors import DomainError
        from domain.services.contacts import edit_contact, log_contact

        v = self._values()
        today = self.app.runtime.clock.today()  # type: ignore[attr-defined]
        try:
            fields = dict(
                on=parse_date("on", "Date", str(v["on"]), today),
                start=parse_time("start", "Start time", str(v["start"])),
                minutes=parse_int("minutes", "Minutes", str(v["minutes"])),
                travel_minutes=parse_int(
                    "travel_minutes", "Travel minutes", str(v["travel_minutes"]), default=0
                ),
                kind=ContactKind(v["kind"]),
                note=str(v["note"]),
                present=str(v["present"]),
                child_seen=bool(v["child_seen"]),
                seen_alone=bool(v["seen_alone"]),
            )
        except DomainError as exc:
            self.save_failed(exc)
            return
        ctx = self.app.ctx  # type: ignore[attr-defined]
        if self.contact is None:
            family_id = self.family_id
            run_db(
                self,
                lambda: log_contact(ctx, family_id, **fields),
                self.saved,
                failed=self.save_failed,
                exclusive=True,
                group="save",
            )
        else:
            contact_id = self.contact.id
            run_db(
                self,
                lambda: edit_contact(ctx, contact_id, **fields),
                self.saved,
                failed=self.save_failed,
                exclusive=True,
                group="save",
            )


class ContactsTab(Vertical):
    BINDINGS = [
        Binding("n", "new_contact", "Log contact", id="log-contact"),
        Binding("e", "edit_contact", "Correct contact", id="edit-contact"),
    ]

    def __init__(self, family_id: int) -> None:
        super().__init__(id="contacts-tab")
        self.family_id = family_id
        self.contacts: dict[str, Contact] = {}

    def compose(self) -> ComposeResult:
        yield Static(
            Text("n: log a contact · e: correct the selected one (on the day it was logged)"),
            classes="muted",
        )
        yield DataTable(id="contacts-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one("#contacts-table", DataTable)
        table.add_columns("Date", "Start", "Min", "Kind", "Seen", "Present", "What happened")

    def reload(self) -> None:
        from domain.services.contacts import list_contacts

        ctx = self.app.ctx  # type: ignore[attr-defined]
        run_db(
            self,
            lambda: list_contacts(ctx, self.family_id),
            self._show,
            exclusive=True,
            group="contacts",
        )

    def _show(self, contacts: list[Contact]) -> None:
        table = self.query_one("#contacts-table", DataTable)
        table.clear()
        self.contacts = {}
        for c in contacts:
            seen = "alone" if c.seen_alone else ("yes" if c.child_seen else "no")
            key = str(c.id)
            self.contacts[key] = c
            table.add_row(
                Text(c.on.strftime("%d %b %Y")),
                Text(c.start.strftime("%H:%M")),
                Text(str(c.minutes)),
                Text(c.kind.label),
                Text(seen),
                cell(c.present),
                cell(c.note),
                key=key,
            )

    def action_new_contact(self) -> None:
        self.app.push_screen(ContactForm(self.family_id), self._after)

    def action_edit_contact(self) -> None:
        table = self.query_one("#contacts-table", DataTable)
        if not table.row_count:
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        contact = self.contacts.get(str(key))
        if contact is None:
            return
        if (
            local_date(contact.logged_at) if contact.logged_at else None
        ) != self.app.runtime.clock.today():  # type: ignore[attr-defined]
            self.app.notify(
                "A contact can only be corrected on the day it was logged.",
                severity="warning",
                markup=False,
            )
            return
        self.app.push_screen(ContactForm(self.family_id, contact), self._after)

    def _after(self, result: object) -> None:
        if result is not None:
            self.app.notify("Contact saved.", markup=False)
        self.reload()
