"""Contacts tab: the contact log of the family, and the quick form to log one."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time
from typing import TYPE_CHECKING, TypedDict

from rich.text import Text
from textual import getters, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.timer import Timer
from textual.widgets import Checkbox, DataTable, Input, Label, Select, Static

from domain.clock import local_date, to_local
from domain.timeuse import CONTACT_NOTE_MAX, ChildSeen, Contact, ContactKind, RecordingActivity
from domain.validate import one_of
from tui.app import TandemApp
from tui.family.tab_read import tab_read
from tui.forms import fmt_date, parse_date, parse_int, parse_time
from tui.text import cell, join, safe
from tui.widgets.detail import DetailScreen
from tui.widgets.recording_editor import RecordingEditor
from tui.workers import run_db

if TYPE_CHECKING:
    from domain.services.contacts import ContactDefaults


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


#: How long typing in the date, start or minutes must pause before the overlap check runs.
WARN_AFTER_SECONDS = 0.4


class Typed(TypedDict):
    """The contact form as typed (its draft is this, as JSON)."""

    on: str
    start: str
    minutes: str
    travel_minutes: str
    kind: object  # the Select's value
    seen: list[int]
    alone: list[int]
    present: str
    note: str


class ContactFields(TypedDict):
    """The form's fields as the contact services take them."""

    on: date
    start: time
    minutes: int
    travel_minutes: int
    kind: ContactKind
    note: str
    present: str


@dataclass(frozen=True)
class SavedContact:
    """What the contact form closes with: the contact, and the warnings it was saved with."""

    contact: Contact
    warnings: tuple[str, ...] = ()


class ContactForm(RecordingEditor):
    """Log (or correct) a contact: one compact form, sensible defaults, ctrl+s to save."""

    family_id: int  # always a family's editor

    activity = RecordingActivity.CONTACT_LOG
    title_text = "Log a contact"

    DEFAULT_CSS = """
    ContactForm .seen-rows { height: auto; padding: 0 1; }
    ContactForm .seen-row { height: 1; }
    ContactForm .seen-row Checkbox { width: auto; margin-right: 2; }
    ContactForm #contact-warnings { height: auto; }
    """

    def __init__(
        self,
        family_id: int,
        contact: Contact | None = None,
        children: Sequence[tuple[int, str]] = (),
    ) -> None:
        """``children``: (member id, name) of the family's children, one "seen" / "alone" pair
        of tick boxes each (a child seen at the contact but since removed is kept as it was)."""
        super().__init__(family_id)
        self.contact = contact
        self.family_children = list(children)
        if contact is not None:
            self.title_text = "Correct a contact (today only)"
            known = {i for i, _ in self.family_children}
            self.family_children += [
                (c.member_id, c.name)
                for c in contact.seen
                if c.member_id is not None and c.member_id not in known
            ]
        self._warn_timer: Timer | None = None
        self._starting: dict[str, str] = {}

    def compose_form(self) -> ComposeResult:
        # Scrolls when a family has many children and the terminal is small (80×24).
        with VerticalScroll(classes="form"):
            with Horizontal(classes="form-row"):
                yield Label("Kind")
                yield Select(KIND_OPTIONS, allow_blank=False, id="field-kind")
                yield Label("Minutes")
                yield Input(id="field-minutes", placeholder="e.g. 45")
            # One row per child (the visiting standard is per child): seen, and seen alone.
            # The tick boxes have rows of their own: beside the kind and the minutes they
            # squeezed the kind to a sliver at 80 columns.
            with Vertical(id="field-seen", classes="seen-rows"):
                if not self.family_children:
                    yield Label(
                        Text("No children are recorded in this family: nobody to mark as seen."),
                        classes="muted",
                    )
                for member_id, name in self.family_children:
                    with Horizontal(classes="seen-row"):
                        yield Checkbox(
                            join(safe(name, single_line=True), " seen"),
                            id=f"seen-{member_id}",
                            compact=True,
                        )
                        yield Checkbox("alone", id=f"alone-{member_id}", compact=True)
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
            # Overlapping or unusually long: said here before saving, never refused.
            yield Static(id="contact-warnings", classes="warning")

    def on_mount(self) -> None:
        super().on_mount()
        # The values the form was built with: the Changed message a field posts for its own
        # starting value is not a change of the user's.
        self._starting = {w.id: w.value for w in self.query(Input).results() if w.id and w.value}
        self._starting["field-kind"] = str(self.query_one("#field-kind", Select).value)
        if self.contact is not None:
            self._fill(self.contact)
        else:
            from domain.services.contacts import contact_defaults

            ctx = self.app.ctx
            run_db(self, lambda: contact_defaults(ctx), self._defaults)
        self.query_one("#field-kind", Select).focus()

    def _defaults(self, d: ContactDefaults) -> None:
        """The form's starting values: not a change of the user's (no Changed message, so the
        untouched form is not dirty, never autosaved, never offered back as unsaved text)."""
        if not self.query_one("#field-on", Input).value:
            with self.prevent(Input.Changed, Select.Changed):
                self.query_one("#field-on", Input).value = fmt_date(d.on)
                self.query_one("#field-start", Input).value = d.start.strftime("%H:%M")
                self.query_one("#field-kind", Select).value = d.kind.value

    def _fill(self, c: Contact) -> None:
        """The contact being corrected, as recorded: not a change of the user's either."""
        with self.prevent(Input.Changed, Select.Changed, Checkbox.Changed):
            self._put(c)
        self.query_one("#note-count", Static).update(note_count(c.note))

    def _put(self, c: Contact) -> None:
        self.query_one("#field-on", Input).value = fmt_date(c.on)
        self.query_one("#field-start", Input).value = c.start.strftime("%H:%M")
        self.query_one("#field-minutes", Input).value = str(c.minutes)
        self.query_one("#field-travel-minutes", Input).value = str(c.travel_minutes)
        self.query_one("#field-kind", Select).value = c.kind.value
        for child in c.seen:
            if child.member_id is not None:
                self.query_one(f"#seen-{child.member_id}", Checkbox).value = True
                self.query_one(f"#alone-{child.member_id}", Checkbox).value = child.alone
        self.query_one("#field-present", Input).value = c.present
        self.query_one("#field-note", Input).value = c.note

    @on(Input.Changed)
    @on(Select.Changed)
    @on(Checkbox.Changed)
    def _changed(self, event: Input.Changed | Select.Changed | Checkbox.Changed) -> None:
        widget_id = event.control.id or ""
        if self._starting.pop(widget_id, None) != str(event.value) or self.dirty:
            self.mark_dirty()
        self.query_one("#note-count", Static).update(
            note_count(self.query_one("#field-note", Input).value)
        )
        if isinstance(event, Checkbox.Changed):
            self._tie_seen(widget_id, event.value)
        if widget_id in ("field-on", "field-start", "field-minutes"):
            if self._warn_timer is not None:
                self._warn_timer.stop()
            self._warn_timer = self.set_timer(WARN_AFTER_SECONDS, self.check_warnings)

    def _tie_seen(self, widget_id: str, value: bool) -> None:
        """Ticking "alone" ticks "seen"; unticking "seen" unticks "alone"."""
        kind, _, member = widget_id.partition("-")
        if kind == "alone" and value:
            self.query_one(f"#seen-{member}", Checkbox).value = True
        elif kind == "seen" and not value:
            self.query_one(f"#alone-{member}", Checkbox).value = False

    def _when(self) -> tuple[date, time, int] | None:
        """Date, start and minutes as typed, or None while one of them is not readable yet."""
        from domain.errors import DomainError

        v = self._values()
        today = self.app.runtime.clock.today()
        try:
            return (
                parse_date("on", "Date", str(v["on"]), today),
                parse_time("start", "Start time", str(v["start"])),
                parse_int("minutes", "Minutes", str(v["minutes"])),
            )
        except DomainError:
            return None

    def check_warnings(self) -> None:
        """Ask the domain whether the contact as typed overlaps another or is unusually long."""
        from domain.services.contacts import contact_warnings

        when = self._when()
        if when is None:
            self.show_warnings([])
            return
        ctx = self.app.ctx
        family_id = self.family_id
        contact_id = self.contact.id if self.contact else None
        run_db(
            self,
            lambda: contact_warnings(ctx, family_id, *when, contact_id=contact_id),
            self.show_warnings,
            exclusive=True,
            group="contact-warnings",
        )

    def show_warnings(self, warnings: list[str]) -> None:
        text = Text()
        for w in warnings:
            text.append("⚠ " + w + "\n", style="bold yellow")
        text.rstrip()
        self.query_one("#contact-warnings", Static).update(text)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()

    # --- drafts ---------------------------------------------------------------------------

    def draft_key(self) -> str:
        return f"contact:{self.contact.id}" if self.contact else f"contact:new:{self.family_id}"

    def _values(self) -> Typed:
        return {
            "on": self.query_one("#field-on", Input).value,
            "start": self.query_one("#field-start", Input).value,
            "minutes": self.query_one("#field-minutes", Input).value,
            "travel_minutes": self.query_one("#field-travel-minutes", Input).value,
            "kind": self.query_one("#field-kind", Select).value,
            "seen": [i for i, _ in self.family_children if self._ticked(f"seen-{i}")],
            "alone": [i for i, _ in self.family_children if self._ticked(f"alone-{i}")],
            "present": self.query_one("#field-present", Input).value,
            "note": self.query_one("#field-note", Input).value,
        }

    def _ticked(self, widget_id: str) -> bool:
        return self.query_one(f"#{widget_id}", Checkbox).value

    def draft_state(self) -> str:
        return json.dumps(self._values())

    def apply_draft(self, content: str) -> None:
        data = json.loads(content)
        for key in ("on", "start", "minutes", "travel_minutes", "present", "note"):
            self.query_one(f"#field-{key.replace('_', '-')}", Input).value = str(data.get(key, ""))
        if data.get("kind") in {k.value for k in ContactKind}:
            self.query_one("#field-kind", Select).value = data["kind"]
        seen, alone = set(data.get("seen") or ()), set(data.get("alone") or ())
        for member_id, _name in self.family_children:
            self.query_one(f"#seen-{member_id}", Checkbox).value = member_id in seen
            self.query_one(f"#alone-{member_id}", Checkbox).value = member_id in alone

    # --- save -------------------------------------------------------------------------------

    def save(self) -> None:
        from domain.errors import DomainError
        from domain.services.contacts import contact_warnings, edit_contact, log_contact

        v = self._values()
        today = self.app.runtime.clock.today()
        try:
            fields = ContactFields(
                on=parse_date("on", "Date", str(v["on"]), today),
                start=parse_time("start", "Start time", str(v["start"])),
                minutes=parse_int("minutes", "Minutes", str(v["minutes"])),
                travel_minutes=parse_int(
                    "travel_minutes", "Travel minutes", str(v["travel_minutes"]), default=0
                ),
                kind=one_of("kind", "Kind of contact", v["kind"], ContactKind),
                note=str(v["note"]),
                present=str(v["present"]),
            )
        except DomainError as exc:
            self.save_failed(exc)
            return
        names = dict(self.family_children)
        alone = set(v["alone"])
        seen = tuple(ChildSeen(i, names[i], i in alone) for i in v["seen"])
        if self.contact is not None:  # children since removed from the family stay as recorded
            seen += tuple(c for c in self.contact.seen if c.member_id is None)
        ctx = self.app.ctx
        family_id = self.family_id
        contact_id = self.contact.id if self.contact else None

        def save() -> SavedContact:
            # The warnings are worked out before the save (so a new contact is not compared
            # with itself), and shown again when it is saved.
            warnings = contact_warnings(
                ctx, family_id, fields["on"], fields["start"], fields["minutes"], contact_id
            )
            if contact_id is None:
                contact = log_contact(ctx, family_id, **fields, seen=seen)
            else:
                contact = edit_contact(ctx, contact_id, **fields, seen=seen)
            return SavedContact(contact, tuple(warnings))

        run_db(self, save, self.saved, failed=self.save_failed, exclusive=True, group="save")


def contact_detail(contact: Contact, logged_by: str = "") -> DetailScreen:
    """Everything recorded about a contact, the "what happened" line in full."""
    c = contact
    when = f"{c.on:%A %d %B %Y}, {c.start:%H:%M} for {c.minutes} min (until {c.ends:%H:%M})"
    parts: list[tuple[str, Text]] = [
        ("When", Text(when)),
        ("Kind", Text(c.kind.label)),
        ("What happened", safe(c.note)),
        ("Who was present", safe(c.present or "(not recorded)")),
        ("Children seen", safe(c.seen_text())),
        ("Travel", Text(f"{c.travel_minutes} min")),
    ]
    stamp = ""
    if c.logged_at is not None:
        stamp = f"logged {to_local(c.logged_at):%d %b %Y %H:%M}"
    if c.edited_at is not None:
        stamp += f", corrected {to_local(c.edited_at):%d %b %Y %H:%M}"
    if stamp or logged_by:
        parts.append(("Recorded", join(safe(logged_by), " " if logged_by else "", stamp)))
    return DetailScreen(f"Contact on {c.on:%d %b %Y} at {c.start:%H:%M}", parts)


class ContactsTab(Vertical):
    app = getters.app(TandemApp)

    BINDINGS = [
        Binding("enter", "read_contact", "Read contact", id="read-contact"),
        Binding("n", "new_contact", "Log contact", id="log-contact"),
        Binding("e", "edit_contact", "Correct contact", id="edit-contact"),
    ]

    def __init__(self, family_id: int) -> None:
        super().__init__(id="contacts-tab")
        self.family_id = family_id
        self.contacts: dict[str, Contact] = {}

    def compose(self) -> ComposeResult:
        yield Static(
            Text(
                "enter: read the whole contact · n: log a contact · "
                "e: correct the selected one (on the day it was logged)"
            ),
            classes="muted",
        )
        yield DataTable(id="contacts-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one("#contacts-table", DataTable)
        table.add_columns("Date", "Start", "Min", "Kind", "Seen", "Present", "What happened")

    def reload(self) -> None:
        from domain.services.contacts import list_contacts

        family_id = self.family_id
        tab_read(
            self,
            lambda c: list_contacts(c, family_id),
            self._show,
            exclusive=True,
            group="contacts",
        )

    def _show(self, contacts: list[Contact]) -> None:
        table = self.query_one("#contacts-table", DataTable)
        table.clear()
        self.contacts = {}
        for c in contacts:
            key = str(c.id)
            self.contacts[key] = c
            table.add_row(
                Text(c.on.strftime("%d %b %Y")),
                Text(c.start.strftime("%H:%M")),
                Text(str(c.minutes)),
                Text(c.kind.label),
                cell(seen_cell(c)),
                cell(c.present),
                cell(c.note),
                key=key,
            )

    def selected(self) -> Contact | None:
        table = self.query_one("#contacts-table", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.contacts.get(str(key))

    @on(DataTable.RowSelected, "#contacts-table")
    def _row_selected(self) -> None:
        self.action_read_contact()

    def action_read_contact(self) -> None:
        contact = self.selected()
        if contact is None:
            self.app.notify("No contact to read yet: n logs one.", markup=False)
            return
        self.app.push_screen(contact_detail(contact))

    def _children(self) -> list[tuple[int, str]]:
        family = getattr(self.screen, "family", None)
        if family is None:
            return []
        return [(c.id, c.name) for c in family.children if c.id is not None]

    def action_new_contact(self) -> None:
        self.app.push_screen(ContactForm(self.family_id, children=self._children()), self._after)

    def action_edit_contact(self) -> None:
        contact = self.selected()
        if contact is None:
            return
        if (
            local_date(contact.logged_at) if contact.logged_at else None
        ) != self.app.runtime.clock.today():
            self.app.notify(
                "A contact can only be corrected on the day it was logged; enter shows all of it.",
                severity="warning",
                markup=False,
            )
            return
        self.app.push_screen(
            ContactForm(self.family_id, contact, children=self._children()), self._after
        )

    def _after(self, result: object) -> None:
        if isinstance(result, SavedContact) and result.warnings:
            self.app.notify(
                "Contact saved, but check it: " + " ".join(result.warnings),
                severity="warning",
                timeout=12,
                markup=False,
            )
        elif result is not None:
            self.app.notify("Contact saved.", markup=False)
        self.reload()


def seen_cell(c: Contact) -> str:
    """The Seen column: short, per child (first names): "Leo alone, Mia"."""
    if not c.seen:
        return "no"
    return ", ".join((s.name.split() or ["?"])[0] + (" alone" if s.alone else "") for s in c.seen)
