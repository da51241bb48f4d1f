"""Observations tab: the family's recorded sessions, their consent and feedback.

The link to a recording is shown only as ``Observation.visible_link``: once anyone's consent is
withdrawn it reads "consent withdrawn — link erased" everywhere, at once.
"""

from __future__ import annotations

from rich.text import Text
from textual import getters, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from domain.errors import DomainError
from domain.observations import Observation
from domain.people import Role
from domain.services.observation_views import ObservationRow
from tui.app import TandemApp
from tui.family.tab_read import tab_read
from tui.feedback.observation_render import (
    consent_line,
    consent_state,
    duration_text,
    link_text,
)
from tui.forms import fmt_date, parse_date
from tui.styles import css
from tui.text import cell, join, safe
from tui.widgets.detail import DetailScreen
from tui.workers import run_db


class WithdrawConsent(ModalScreen[Observation | None]):
    """Record that a person withdrew their consent: pick the person, the date, confirm."""

    app = getters.app(TandemApp)

    CSS_PATH = css("observations")

    BINDINGS = [
        Binding("ctrl+s", "withdraw", "Withdraw consent", id="withdraw", priority=True),
        Binding("escape", "cancel", "Cancel", id="cancel"),
    ]

    def __init__(self, observation: Observation) -> None:
        super().__init__()
        self.observation = observation

    def compose(self) -> ComposeResult:
        today = self.app.runtime.clock.today()
        with Vertical(id="withdraw-box"):
            yield Static(Text("Withdraw consent", style="bold"))
            yield Static(
                Text(
                    "The recording's link is erased at once: no screen, export or report can show "
                    "or open it again. Feedback text stays."
                )
            )
            yield Label("Whose consent is withdrawn")
            yield OptionList(
                *(
                    Option(join(cell(c.person), f" ({c.kind.value})"), id=str(c.id))
                    for c in self.observation.consents
                    if not c.is_withdrawn
                ),
                id="field-consent",
            )
            yield Label("Withdrawn on")
            yield Input(value=fmt_date(today), id="field-withdrawn-on", placeholder="dd/mm/yyyy")
            yield Static(id="withdraw-error", classes="error")
            yield Static(Text("ctrl+s withdraws · escape cancels"), classes="muted")

    def on_mount(self) -> None:
        options = self.query_one("#field-consent", OptionList)
        if options.option_count:
            options.highlighted = 0
        options.focus()

    @on(OptionList.OptionSelected)
    def _picked(self) -> None:
        self.query_one("#field-withdrawn-on", Input).focus()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_withdraw()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_withdraw(self) -> None:
        from domain.errors import ValidationError
        from domain.services.observations import withdraw_consent

        error = self.query_one("#withdraw-error", Static)
        options = self.query_one("#field-consent", OptionList)
        try:
            if options.highlighted is None:
                raise ValidationError("consent", "Choose whose consent is withdrawn.")
            consent_id = int(options.get_option_at_index(options.highlighted).id or 0)
            on = parse_date(
                "withdrawn_on",
                "Date consent was withdrawn",
                self.query_one("#field-withdrawn-on", Input).value,
                self.app.runtime.clock.today(),
            )
        except DomainError as exc:
            error.update(Text(str(exc)))
            return
        ctx = self.app.ctx
        observation_id = self.observation.saved_id

        def failed(exc: BaseException) -> None:
            if isinstance(exc, DomainError):
                error.update(Text(str(exc)))
            else:
                self.app.show_error(exc)

        def done(observation: Observation) -> None:
            self.dismiss(observation)

        run_db(
            self,
            lambda: withdraw_consent(ctx, observation_id, consent_id, on),
            done,
            failed=failed,
            exclusive=True,
        )


class ObservationsTab(Vertical):
    app = getters.app(TandemApp)

    BINDINGS = [
        Binding("enter", "read_observation", "Read all of it", id="read-observation"),
        Binding("n", "add_recording", "Add recording", id="add-recording"),
        Binding("o", "open_recording", "Open recording", id="open-recording"),
        Binding("w", "withdraw", "Withdraw a consent", id="withdraw-consent"),
        Binding("f", "feedback", "Read feedback", id="read-feedback"),
        Binding("t", "trend", "My skill trend", id="my-skill-trend"),
    ]

    def __init__(self, family_id: int) -> None:
        super().__init__(id="observations-tab")
        self.family_id = family_id
        self.rows: dict[str, ObservationRow] = {}

    def compose(self) -> ComposeResult:
        yield Static(
            Text(
                "n add a recording · o open it · w withdraw a consent · f read feedback and reply "
                "· t my skill trend"
            ),
            classes="muted",
        )
        yield DataTable(id="observations-table", cursor_type="row", zebra_stripes=True)
        yield Static(id="observation-detail")

    def on_mount(self) -> None:
        table = self.query_one("#observations-table", DataTable)
        table.add_columns("Session", "Practitioner", "Duration", "Recording", "Consent", "Feedback")

    def reload(self) -> None:
        from domain.services.observation_views import family_observation_rows

        family_id = self.family_id
        tab_read(
            self,
            lambda c: family_observation_rows(c, family_id),
            self.show,
            exclusive=True,
            group="observations",
        )

    def show(self, rows: list[ObservationRow]) -> None:
        table = self.query_one("#observations-table", DataTable)
        selected = self.selected()
        table.clear()
        self.rows = {}
        for row in rows:
            o = row.observation
            key = str(o.id)
            self.rows[key] = row
            table.add_row(
                Text(o.session_date.strftime("%d %b %Y")),
                cell(row.practitioner_name),
                Text(duration_text(o)),
                link_text(o),
                consent_state(o),
                Text(row.feedback_state),
                key=key,
            )
        if selected is not None and str(selected.observation.id) in self.rows:
            table.move_cursor(row=table.get_row_index(str(selected.observation.id)))
        self.show_detail()

    def selected(self) -> ObservationRow | None:
        table = self.query_one("#observations-table", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.rows.get(str(key))

    @on(DataTable.RowHighlighted, "#observations-table")
    def _highlighted(self) -> None:
        self.show_detail()

    def show_detail(self) -> None:
        detail = self.query_one("#observation-detail", Static)
        row = self.selected()
        if row is None:
            detail.update(Text("No recorded sessions yet. Press n to add one.", style="italic"))
            return
        o = row.observation
        text = join(Text("Recording: ", style="bold"), link_text(o), "\n")
        text.append("Consent\n", style="bold")
        for c in o.consents:
            text.append_text(consent_line(c, row.names))
            text.append("\n")
        text.rstrip()
        detail.update(text)

    # --- actions -----------------------------------------------------------------------------------

    def _need_row(self) -> ObservationRow | None:
        row = self.selected()
        if row is None:
            self.app.notify("Choose a recorded session first.", severity="warning", markup=False)
        return row

    @on(DataTable.RowSelected, "#observations-table")
    def _row_selected(self) -> None:
        self.action_read_observation()

    def action_read_observation(self) -> None:
        """The whole record of the selected session: link, consents and feedback state."""
        row = self._need_row()
        if row is None:
            return
        o = row.observation
        consents = Text()
        for c in o.consents:
            consents.append_text(consent_line(c, row.names))
            consents.append("\n")
        consents.rstrip()
        parts = [
            ("Session", Text(f"{o.session_date:%A %d %B %Y}")),
            ("Practitioner", safe(row.practitioner_name)),
            ("Duration", Text(duration_text(o))),
            ("Recording", safe(link_text(o).plain)),
            ("Consent", consents or Text("(none recorded)")),
            ("Feedback", Text(row.feedback_state + " (f reads it)")),
        ]
        self.app.push_screen(DetailScreen(f"Recorded session of {o.session_date:%d %b %Y}", parts))

    def action_add_recording(self) -> None:
        from tui.family.observation_editor import AddObservation

        self.app.push_screen(AddObservation(self.family_id), self._after)

    def _after(self, result: object) -> None:
        from domain.services.observations import check_recording_link

        link = result.visible_link if isinstance(result, Observation) else None
        # Only a web address carries a warning (checking it reads no file: no I/O here).
        if link and "://" in link and not link.lower().startswith("file://"):
            warning = check_recording_link(link).warning
            if warning:
                self.app.notify(
                    f"Recording added. {warning}", severity="warning", timeout=10, markup=False
                )
            else:
                self.app.notify("Recording added.", markup=False)
        elif result is not None:
            self.app.notify("Recording added.", markup=False)
        self.reload()

    def action_open_recording(self) -> None:
        from tui.widgets.recordings import open_recording

        row = self._need_row()
        if row is not None:
            open_recording(self, row.observation.id, self.reload)

    def action_withdraw(self) -> None:
        row = self._need_row()
        if row is None:
            return
        if not any(not c.is_withdrawn for c in row.observation.consents):
            self.app.notify("Every consent here is already withdrawn.", markup=False)
            return

        def done(result: Observation | None) -> None:
            if result is not None:
                self.app.notify(
                    "Consent withdrawn: the recording's link is hidden and it is marked for "
                    "deletion.",
                    markup=False,
                )
            self.reload()

        self.app.push_screen(WithdrawConsent(row.observation), done)

    def action_feedback(self) -> None:
        from tui.feedback.observation_feedback import FeedbackView

        row = self._need_row()
        if row is None:
            return
        if row.feedback is None:
            self.app.notify("There is no feedback on this recording yet.", markup=False)
            return
        self.app.push_screen(FeedbackView(row.observation.saved_id))

    def action_trend(self) -> None:
        from tui.feedback.observation_trend import SkillTrendScreen

        user = self.app.user
        if user is None:
            return
        if user.role is Role.PRACTITIONER:
            self.app.push_screen(SkillTrendScreen(user.saved_id, user.full_name))
            return
        row = self._need_row()
        if row is not None:
            self.app.push_screen(
                SkillTrendScreen(row.observation.practitioner_id, row.practitioner_name)
            )
