"""Add a recorded session: the link (local file or URL), session date, duration (read from a
local file; editable) and consent from each person present (adults consent, children assent)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.widgets import Checkbox, Input, Label, Select, Static

from domain.errors import DomainError, ValidationError
from domain.families import Family
from domain.observations import ConsentKind, ConsentMethod, format_timestamp, parse_timestamp
from domain.timeuse import RecordingActivity
from tui.forms import fmt_date, parse_date
from tui.styles import css
from tui.text import join, safe
from tui.widgets.recording_editor import (
    RecordingEditor,
    focus_for_correction,
    focus_without_selecting,
)
from tui.workers import run_db

DEFAULT_SCOPE = "practice lead feedback only"
KIND_OPTIONS = [
    ("consent (adult)", ConsentKind.CONSENT.value),
    ("assent (child)", ConsentKind.ASSENT.value),
]
METHOD_OPTIONS = [(m.value, m.value) for m in ConsentMethod]


def parse_duration(text: str) -> int | None:
    raw = (text or "").strip()
    if not raw:
        return None
    try:
        seconds = parse_timestamp(raw)
    except ValidationError:
        raise ValidationError(
            "duration", f"Duration must be written mm:ss, for example 33:20 (got {text!r})."
        ) from None
    if seconds <= 0:
        raise ValidationError("duration", "The recording's duration must be more than 0 seconds.")
    return seconds


class ConsentRow(Horizontal):
    """One person present: ticked when they gave consent (adult) or assent (child)."""

    def __init__(self, index: int, data: dict[str, Any]) -> None:
        super().__init__(classes="consent-row")
        self.index = index
        self.data = data

    def compose(self) -> ComposeResult:
        d, i = self.data, self.index
        member = d.get("member_id") is not None
        yield Checkbox(
            self.tick_label(bool(d.get("present"))),
            value=bool(d.get("present")),
            id=f"consent-{i}-present",
            compact=True,
        )
        if not member:
            yield Input(
                value=str(d.get("person", "")),
                placeholder="name of person present",
                id=f"consent-{i}-person",
                classes="consent-person",
                compact=True,
            )
        yield Select(
            KIND_OPTIONS,
            value=d.get("kind") or ConsentKind.CONSENT.value,
            allow_blank=False,
            id=f"consent-{i}-kind",
            classes="consent-kind",
            compact=True,
        )
        yield Select(
            METHOD_OPTIONS,
            value=d.get("method") or ConsentMethod.WRITTEN.value,
            allow_blank=False,
            id=f"consent-{i}-method",
            classes="consent-method",
            compact=True,
        )
        yield Input(
            value=str(d.get("scope") or DEFAULT_SCOPE),
            placeholder="scope",
            id=f"consent-{i}-scope",
            classes="consent-scope",
            compact=True,
        )
        yield Input(
            value=str(d.get("given_on", "")),
            placeholder="given on dd/mm/yyyy",
            id=f"consent-{i}-given-on",
            classes="consent-date",
            compact=True,
        )

    def tick_label(self, present: bool) -> Text:
        """The name (for a member) and, in words as well as the tick, whether they were there."""
        mark = Text("present ✓" if present else "not present", style="bold" if present else "dim")
        if self.data.get("member_id") is None:
            return mark
        return join(safe(self.data.get("person") or "", single_line=True), " · ", mark)

    @on(Checkbox.Changed)
    def _ticked(self, event: Checkbox.Changed) -> None:
        event.checkbox.label = self.tick_label(event.value)

    def choice(self, part: str, default: str) -> str:
        """A Select's value; while it is still being mounted, the value it was given."""
        value = self.query_one(f"#consent-{self.index}-{part}", Select).value
        return value if isinstance(value, str) else str(self.data.get(part) or default)

    def values(self) -> dict[str, Any]:
        i = self.index
        person = self.data.get("person", "")
        if self.data.get("member_id") is None:
            person = self.query_one(f"#consent-{i}-person", Input).value
        return {
            "person": person,
            "member_id": self.data.get("member_id"),
            "present": self.query_one(f"#consent-{i}-present", Checkbox).value,
            "kind": self.choice("kind", ConsentKind.CONSENT.value),
            "method": self.choice("method", ConsentMethod.WRITTEN.value),
            "scope": self.query_one(f"#consent-{i}-scope", Input).value,
            "given_on": self.query_one(f"#consent-{i}-given-on", Input).value,
        }


def link_check_text(link: str) -> Text:
    """The link check (domain.services.observations.check_recording_link) as one line."""
    from domain.services.observations import check_recording_link

    if not link.strip():
        return Text("")
    try:
        checked = check_recording_link(link)
    except ValidationError as exc:
        return safe("✗ " + str(exc) + " (it cannot be saved like this)", "bold red")
    if checked.warning:
        return Text("⚠ " + checked.warning, style="bold yellow")
    return Text("✓ The recording file is there.", style="green")


class AddObservation(RecordingEditor):
    """Add a recording link with consent. ctrl+n adds a row for someone who is not a member."""

    family_id: int  # always a family's editor

    CSS_PATH = css("observations")

    activity = RecordingActivity.OBSERVATION
    title_text = "Add a recorded session"

    BINDINGS = [Binding("ctrl+n", "add_person", "Add a person present", id="add-person")]

    def __init__(self, family_id: int) -> None:
        super().__init__(family_id)
        self.rows: list[dict[str, Any]] = []
        self._restored = False
        self._auto_duration: str | None = None
        #: The form as first filled in; changes are "dirty" only when they differ from it.
        self._baseline: str | None = None

    def compose_form(self) -> ComposeResult:
        with VerticalScroll(classes="form"):
            with Horizontal(classes="form-row"):
                yield Label("Recording")
                yield Input(
                    id="field-link",
                    placeholder="local file path (e.g. ~/recordings/visit.m4a) or URL",
                )
            # What the link check says as it is typed: a missing file, a folder or a malformed
            # address (refused on save), or a web address Tandem cannot check (allowed).
            yield Static(id="link-check")
            with Horizontal(classes="form-row"):
                yield Label("Session date")
                yield Input(
                    value=fmt_date(self.app.runtime.clock.today()),
                    id="field-session-date",
                    placeholder="dd/mm/yyyy",
                )
                yield Label("Duration")
                yield Input(id="field-duration", placeholder="mm:ss")
            yield Static(id="duration-note", classes="muted")
            yield Static(
                Text(
                    "Consent: tick each person present. Adults give consent, children assent; "
                    "at least one adult's consent is needed. ctrl+n adds someone else.",
                    style="bold",
                )
            )
            yield Static(
                Text("present · who · consent or assent · method · scope · given on"),
                classes="muted",
            )
            yield Vertical(id="field-consents")

    def on_mount(self) -> None:
        from domain.services.families import view_family

        super().on_mount()
        ctx = self.app.ctx
        run_db(self, lambda: view_family(ctx, self.family_id), self._members)
        focus_without_selecting(self.query_one("#field-link", Input))

    def mark_dirty(self) -> None:
        if self._baseline is not None and self.draft_state() != self._baseline:
            super().mark_dirty()

    async def _members(self, family: Family) -> None:
        if self._restored:
            return
        today = fmt_date(self.app.runtime.clock.today())
        rows = [
            {
                "person": m.name,
                "member_id": m.id,
                "present": False,
                "kind": (ConsentKind.ASSENT if m.is_child else ConsentKind.CONSENT).value,
                "method": ConsentMethod.WRITTEN.value,
                "scope": DEFAULT_SCOPE,
                "given_on": today,
            }
            for m in sorted(family.members, key=lambda m: (m.is_child, m.name.lower()))
        ]
        await self.set_rows(rows)
        if self._baseline is None:
            self._baseline = self.draft_state()

    async def set_rows(self, rows: list[dict[str, Any]]) -> None:
        box = self.query_one("#field-consents", Vertical)
        await box.remove_children()
        self.rows = rows
        await box.mount_all([ConsentRow(i, r) for i, r in enumerate(rows)])

    def row_values(self) -> list[dict[str, Any]]:
        out = []
        for row in self.query(ConsentRow):
            try:
                out.append(row.values())
            except NoMatches:  # a row still being mounted: what it was given
                out.append(dict(row.data))
        return out

    async def action_add_person(self) -> None:
        today = fmt_date(self.app.runtime.clock.today())
        rows = self.row_values()
        rows.append(
            {
                "person": "",
                "member_id": None,
                "present": True,
                "kind": ConsentKind.CONSENT.value,
                "method": ConsentMethod.WRITTEN.value,
                "scope": DEFAULT_SCOPE,
                "given_on": today,
            }
        )
        await self.set_rows(rows)
        index = len(rows) - 1
        self.call_after_refresh(lambda: self.query_one(f"#consent-{index}-person", Input).focus())
        self.mark_dirty()

    # --- duration from a local file ------------------------------------------------------------

    @on(Input.Changed, "#field-link")
    def _link_changed(self, event: Input.Changed) -> None:
        from domain.services.observations import local_path
        from tui.audio import TinyTagProbe

        link = event.value

        def probe() -> tuple[str, bool, int | None, Text]:
            checked = link_check_text(link)
            path = local_path(link)
            if path is None:
                return link, False, None, checked
            return link, True, TinyTagProbe().duration_seconds(path), checked

        run_db(self, probe, self._probed, group="probe")

    def _probed(self, result: tuple[str, bool, int | None, Text]) -> None:
        link, local, seconds, checked = result
        if link != self.query_one("#field-link", Input).value:
            return  # an older answer: the link has changed since
        self.query_one("#link-check", Static).update(checked)
        note = self.query_one("#duration-note", Static)
        duration = self.query_one("#field-duration", Input)
        if not link.strip():
            note.update("")
        elif not local:
            note.update(Text("Not a local file: type the duration as mm:ss if you know it."))
        elif seconds is None:
            note.update(Text("The file's duration could not be read: type it as mm:ss."))
        else:
            text = format_timestamp(seconds)
            if not duration.value.strip() or duration.value == self._auto_duration:
                duration.value = text
                self._auto_duration = text
            note.update(Text(f"Duration read from the file: {text}."))

    # --- form plumbing -------------------------------------------------------------------------

    @on(Input.Changed)
    @on(Select.Changed)
    @on(Checkbox.Changed)
    def _changed(self) -> None:
        self.mark_dirty()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.focus_next()

    def focus_field(self, field: str | None) -> None:
        index = {"person": "person", "given_on": "given-on", "method": "method", "scope": "scope"}
        if field in ("consents", "kind") or field in index:
            rows = self.row_values()
            ticked = [i for i, r in enumerate(rows) if r["present"]] or [0]
            if field == "person":
                ticked = [i for i in ticked if not str(rows[i]["person"]).strip()] or ticked
            part = index.get(field or "", "present")
            for widget in self.query(f"#consent-{ticked[0]}-{part}"):
                focus_for_correction(widget)
                return
            for widget in self.query(f"#consent-{ticked[0]}-present"):
                widget.focus()
            return
        super().focus_field(field)

    # --- drafts ---------------------------------------------------------------------------------

    def draft_key(self) -> str:
        return f"observation:new:{self.family_id}"

    def draft_state(self) -> str:
        return json.dumps(
            {
                "link": self.query_one("#field-link", Input).value,
                "session_date": self.query_one("#field-session-date", Input).value,
                "duration": self.query_one("#field-duration", Input).value,
                "consents": self.row_values(),
            }
        )

    def apply_draft(self, content: str) -> None:
        data = json.loads(content)
        self._restored = True
        if self._baseline is None:
            self._baseline = ""
        self.query_one("#field-link", Input).value = str(data.get("link", ""))
        self.query_one("#field-session-date", Input).value = str(data.get("session_date", ""))
        self.query_one("#field-duration", Input).value = str(data.get("duration", ""))
        rows = [r for r in data.get("consents", []) if isinstance(r, dict)]
        if rows:
            self.call_later(self.set_rows, rows)

    # --- save -------------------------------------------------------------------------------------

    def consents(self, today: date) -> list[dict[str, Any]]:
        out = []
        for row in self.row_values():
            if not row["present"]:
                continue
            name = str(row["person"]).strip()
            if not name:
                raise ValidationError("person", "Write the name of each person present.")
            out.append(
                {
                    "person": name,
                    "member_id": row["member_id"],
                    "kind": row["kind"],
                    "method": row["method"],
                    "scope": row["scope"],
                    "given_on": parse_date(
                        "given_on", f"Date {name} gave consent", str(row["given_on"]), today
                    ),
                }
            )
        if not out:
            raise ValidationError(
                "consents", "Tick at least one person present who gave consent to the recording."
            )
        return out

    def save(self) -> None:
        from domain.services.observations import add_observation, check_recording_link
        from tui.audio import TinyTagProbe

        today = self.app.runtime.clock.today()
        link = self.query_one("#field-link", Input).value.strip()
        try:
            if not link:
                raise ValidationError("link", "Recording link is required: a file path or URL.")
            # The link first (it is the first field): a missing file, a folder or a malformed
            # address is said next to it before anything else. The service checks it again.
            check_recording_link(link)
            session_date = parse_date(
                "session_date",
                "Session date",
                self.query_one("#field-session-date", Input).value,
                today,
            )
            duration = parse_duration(self.query_one("#field-duration", Input).value)
            consents = self.consents(today)
        except DomainError as exc:
            self.save_failed(exc)
            return
        ctx = self.app.ctx
        family_id = self.family_id
        run_db(
            self,
            lambda: add_observation(
                ctx,
                family_id,
                session_date,
                link,
                consents,
                duration_seconds=duration,
                audio_probe=TinyTagProbe(),
            ),
            self.saved,
            failed=self.save_failed,
            exclusive=True,
            group="save",
        )
