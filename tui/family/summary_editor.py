"""Writing a case summary: the period, one text box per SPEC section, and beside them the contact
log entries and the family network meetings of the period (listed automatically, never
retyped)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.timer import Timer
from textual.widgets import Input, Label, Static, TextArea

from domain.clock import to_local
from domain.errors import Conflict, DomainError
from domain.merge import Choice
from domain.network_meetings import NetworkMeeting
from domain.services.meeting_views import PeriodRecords
from domain.services.summaries import SummaryMerge
from domain.summaries import Summary, SummarySection, SummaryStatus
from domain.timeuse import Contact, RecordingActivity
from tui.forms import fmt_date, parse_date
from tui.styles import css
from tui.text import join, safe
from tui.widgets.recording_editor import RecordingEditor
from tui.workers import run_db

SECTIONS = list(SummarySection)
#: Word counts are refreshed this long after the last keystroke, not on every one.
WORD_COUNT_DELAY = 0.4


def section_id(section: SummarySection) -> str:
    return "field-" + section.value.replace("_", "-")


def day(d: date | None) -> str:
    return d.strftime("%d %b %Y") if d else "—"


def contact_lines(contacts: list[Contact]) -> Text:
    """The contacts of a period, oldest first, each on its own lines (read-only)."""
    if not contacts:
        return Text("No contacts were logged in this period.", style="italic")
    out = Text()
    for i, c in enumerate(contacts):
        out.append(
            Text(
                f"{c.on:%a %d %b %Y} {c.start:%H:%M} · {c.kind.label} · {c.minutes} min · ",
                style="bold",
            )
        )
        out.append(safe(("seen: " if c.seen else "") + c.seen_text(), "bold", single_line=True))
        if c.present:
            out.append("\n")
            out.append(join("  Present: ", safe(c.present, single_line=True)))
        out.append("\n")
        out.append(join("  ", safe(c.note)))
        if i < len(contacts) - 1:
            out.append("\n\n")
    return out


def meeting_lines(meetings: list[NetworkMeeting]) -> Text:
    """The network meetings held in a period, oldest first: date, who came, what was decided
    (read-only; the Meetings tab has them too)."""
    out = Text()
    for i, m in enumerate(meetings):
        next_on = f" · next: {m.next_meeting_on:%d %b %Y}" if m.next_meeting_on else ""
        out.append(Text(f"{m.held_on:%a %d %b %Y} · network meeting{next_on}", style="bold"))
        out.append("\n")
        out.append(join("  Who came: ", safe(m.who_came(), single_line=True)))
        out.append("\n")
        out.append(join("  Decided: ", safe(m.decisions.replace("\n", "\n  "))))
        if i < len(meetings) - 1:
            out.append("\n\n")
    return out


def returned_banner(summary: Summary, reviewer_name: str) -> Text:
    when = f" on {to_local(summary.decided_at):%d %b %Y}" if summary.decided_at else ""
    who = reviewer_name or "your manager"
    return join(
        Text(f"! Returned by {who}{when}. Manager's comment: ", style="bold"),
        safe(summary.return_comment),
    )


class SummaryEditor(RecordingEditor):
    """Write or carry on a summary. ctrl+s saves, ctrl+u saves and submits it for review."""

    CSS_PATH = css("summaries")

    activity = RecordingActivity.SUMMARY
    title_text = "Case summary"

    BINDINGS = [
        Binding("ctrl+u", "save_submit", "Save and submit", id="save-submit", priority=True),
        Binding("ctrl+down", "next_section", "Next section", id="next-section"),
        Binding("ctrl+up", "previous_section", "Previous section", id="previous-section"),
        Binding("ctrl+l", "fill_scaling", "Fill in latest scaling", id="fill-scaling"),
    ]

    def __init__(self, summary: Summary, *, reviewer_name: str = "") -> None:
        super().__init__(summary.family_id)
        assert summary.id is not None
        self.summary = summary
        self.summary_id: int = summary.id
        self.reviewer_name = reviewer_name
        #: The version the text in the editor was started from (sent with the save).
        self.base_version = summary.version
        #: Set once the editor's text has been merged with a newer version: that version
        #: (the save records both authors). A save is always made against ``base_version``.
        self.merged_with: int | None = None
        self._words = {s: len(summary.text_of(s).split()) for s in SECTIONS}
        self._stale_counts: set[SummarySection] = set()
        self._count_timer: Timer | None = None
        self.title_text = f"Case summary · {day(summary.period_start)} to {day(summary.period_end)}"

    # --- form ------------------------------------------------------------------------------

    def compose_form(self) -> ComposeResult:
        s = self.summary
        if s.status is SummaryStatus.RETURNED and s.return_comment:
            yield Static(returned_banner(s, self.reviewer_name), id="summary-returned")
        with Horizontal(id="summary-body"):
            with VerticalScroll(id="summary-sections"):
                with Horizontal(classes="form-row"):
                    yield Label("Period from")
                    yield Input(
                        fmt_date(s.period_start), id="field-period-start", placeholder="dd/mm/yyyy"
                    )
                    yield Label("to")
                    yield Input(
                        fmt_date(s.period_end), id="field-period-end", placeholder="dd/mm/yyyy"
                    )
                for section in SECTIONS:
                    yield Label(section.label, classes="summary-section-label")
                    yield TextArea(
                        s.text_of(section),
                        id=section_id(section),
                        soft_wrap=True,
                        tab_behavior="focus",
                        classes="summary-section",
                    )
            with Vertical(id="summary-side"):
                yield Static(Text("Contacts in this period", style="bold"), id="contacts-heading")
                with VerticalScroll(id="period-contacts"):
                    # The period's network meetings first (few, and easily missed below a
                    # long contact list), then its contacts.
                    yield Static(id="period-meetings-list", classes="period-meetings")
                    yield Static(Text("Loading…"), id="period-contacts-list")
        yield Static(id="summary-words", classes="muted")

    def on_mount(self) -> None:
        # (RecordingEditor.on_mount runs as well: Textual calls each class's handler.)
        self._show_words()
        self.query_one(f"#{section_id(SECTIONS[0])}", TextArea).focus()
        from domain.services.meeting_views import period_records

        ctx = self.app.ctx
        sid = self.summary_id
        run_db(self, lambda: period_records(ctx, sid), self._show_period, group="contacts")

    def _show_period(self, records: PeriodRecords) -> None:
        """The period's contacts and network meetings (one read: meeting_views)."""
        contacts, meetings = records.contacts, records.meetings
        minutes = sum(c.minutes for c in contacts)
        self.query_one("#contacts-heading", Static).update(
            join(
                Text(f"Contacts in this period: {len(contacts)} ({minutes:,} min)", style="bold"),
                Text(" from the contact log", style="dim"),
                Text("\n"),
                Text(f"Network meetings in this period: {len(meetings)}", style="bold"),
                Text(" (listed first)" if meetings else "", style="dim"),
            )
        )
        listed = self.query_one("#period-meetings-list", Static)
        listed.display = bool(meetings)
        listed.update(meeting_lines(meetings))
        self.query_one("#period-contacts-list", Static).update(contact_lines(contacts))

    def _text_area(self, section: SummarySection) -> TextArea:
        return self.query_one(f"#{section_id(section)}", TextArea)

    @on(TextArea.Changed)
    def _text_changed(self, event: TextArea.Changed) -> None:
        section = SummarySection(event.text_area.id.removeprefix("field-").replace("-", "_"))  # type: ignore[union-attr]  # its text areas have ids
        if not self.dirty and event.text_area.text != self.summary.text_of(section):
            self.mark_dirty()
        self._stale_counts.add(section)
        if self._count_timer is None:
            self._count_timer = self.set_timer(WORD_COUNT_DELAY, self._recount)

    def _recount(self) -> None:
        self._count_timer = None
        for section in self._stale_counts:
            self._words[section] = len(self._text_area(section).text.split())
        self._stale_counts.clear()
        self._show_words()

    def _show_words(self) -> None:
        total = sum(self._words.values())
        written = sum(1 for n in self._words.values() if n)
        self.query_one("#summary-words", Static).update(
            Text(
                f"{total:,} words · {written} of {len(SECTIONS)} sections written · tab / "
                "shift+tab or ctrl+↓ / ctrl+↑ move between sections"
            )
        )

    @property
    def word_count(self) -> int:
        return sum(self._words.values())

    @on(Input.Changed, "#field-period-start, #field-period-end")
    def _period_changed(self, event: Input.Changed) -> None:
        loaded = {
            "field-period-start": fmt_date(self.summary.period_start),
            "field-period-end": fmt_date(self.summary.period_end),
        }
        if event.value != loaded.get(event.input.id or ""):
            self.mark_dirty()

    @on(Input.Submitted, "#field-period-start, #field-period-end")
    def _period_submitted(self) -> None:
        self.focus_next()
        self._reload_contacts()

    @on(Input.Blurred, "#field-period-start, #field-period-end")
    def _period_left(self) -> None:
        self._reload_contacts()

    def _period(self) -> tuple[date, date]:
        """The period typed (ValidationError naming the field when it is not a date)."""
        today = self.app.runtime.clock.today()
        start = parse_date(
            "period_start",
            "The start of the period",
            self.query_one("#field-period-start", Input).value,
            today,
        )
        end = parse_date(
            "period_end",
            "The end of the period",
            self.query_one("#field-period-end", Input).value,
            today,
        )
        assert start is not None and end is not None
        return start, end

    def _reload_contacts(self) -> None:
        """The contacts and meetings listed follow the period as it is typed (once both ends
        are dates)."""
        from domain.services.meeting_views import period_records_between

        try:
            start, end = self._period()
        except DomainError:
            return
        if end < start:
            return
        ctx = self.app.ctx
        family_id = self.summary.family_id
        run_db(
            self,
            lambda: period_records_between(ctx, family_id, start, end),
            self._show_period,
            group="contacts",
            exclusive=True,
        )

    def _focused_section(self) -> int | None:
        for i, section in enumerate(SECTIONS):
            if self._text_area(section).has_focus:
                return i
        return None

    def action_next_section(self) -> None:
        i = self._focused_section()
        self._text_area(SECTIONS[0 if i is None else min(i + 1, len(SECTIONS) - 1)]).focus()

    def action_previous_section(self) -> None:
        i = self._focused_section()
        self._text_area(SECTIONS[0 if i is None else max(i - 1, 0)]).focus()

    def action_fill_scaling(self) -> None:
        """Put the family's latest scaling (each person's score, date and reason) into the
        "Latest scaling" section, in place of its text (ctrl+z undoes it)."""
        from domain.services.mappings import scaling_summary_text

        ctx = self.app.ctx
        family_id = self.summary.family_id
        run_db(self, lambda: scaling_summary_text(ctx, family_id), self._fill_scaling)

    def _fill_scaling(self, text: str) -> None:
        area = self._text_area(SummarySection.LATEST_SCALING)
        if not text:
            self.app.notify("No scaling has been recorded for this family yet.", markup=False)
            return
        area.replace(text, (0, 0), area.document.end)
        area.focus()
        self.app.notify(
            "Latest scaling filled in from the mapping; edit it as you like (ctrl+z undoes).",
            markup=False,
        )

    # --- drafts ------------------------------------------------------------------------------

    def draft_key(self) -> str:
        from domain.services.summaries import draft_key

        return draft_key(self.summary_id)

    def sections(self) -> dict[SummarySection | str, str]:
        return {s.value: self._text_area(s).text for s in SECTIONS}

    def draft_state(self) -> str:
        return json.dumps(
            {
                "base_version": self.base_version,
                "period_start": self.query_one("#field-period-start", Input).value,
                "period_end": self.query_one("#field-period-end", Input).value,
                "sections": self.sections(),
            },
            ensure_ascii=False,
        )

    def apply_draft(self, content: str) -> None:
        try:
            data = json.loads(content)
            sections = data["sections"]
        except (ValueError, KeyError, TypeError):
            self.show_error("The stored draft could not be read; the saved text is shown.")
            return
        self.query_one("#field-period-start", Input).value = str(data.get("period_start", ""))
        self.query_one("#field-period-end", Input).value = str(data.get("period_end", ""))
        for section in SECTIONS:
            if section.value in sections:
                self._text_area(section).load_text(str(sections[section.value]))
        base = data.get("base_version")
        if isinstance(base, int):
            self.base_version = base
        if self.base_version != self.summary.version:
            self.show_error(
                "This draft was written before the summary was last saved (your draft started "
                f"from version {self.base_version}; it is now at version {self.summary.version}). "
                "Saving merges the two section by section; you decide any section you both "
                "changed, and nothing of either is overwritten."
            )
        self._reload_contacts()

    def base_revision(self) -> int | None:
        return self.base_version

    def _offer_merge(self, told: str, result: SummaryMerge) -> None:
        from domain.merge import resolve
        from tui.widgets.merge import MergeScreen

        def answered(choices: dict[Any, Choice] | None) -> None:
            if choices is None:
                self.show_error(
                    f"{told} Not merged yet: your text is still here. ctrl+s merges again "
                    "(nothing is ever saved over the other version)."
                )
                return
            merged = resolve(result.merge, choices)
            for section in SECTIONS:
                area = self._text_area(section)
                if area.text != merged[section]:
                    area.load_text(merged[section])
            self.base_version = result.current_version
            self.merged_with = result.current_version
            self.show_error("")
            self.save()

        self.app.push_screen(
            MergeScreen(result.merge, lambda s: SummarySection(s).label, result.their_names),
            answered,
        )

    # --- save and submit -------------------------------------------------------------------

    def _save_base(self) -> int:
        return self.base_version

    def _save_call(self) -> Callable[[], Summary] | None:
        """The save as a function for a worker, or None after showing what is wrong."""
        from domain.services.summaries import save_summary

        try:
            start, end = self._period()
        except DomainError as exc:
            self.save_failed(exc)
            return None
        ctx = self.app.ctx
        sid, sections, base = self.summary_id, self.sections(), self._save_base()
        merged_with = self.merged_with
        return lambda: save_summary(
            ctx, sid, sections, base, period_start=start, period_end=end, merged_with=merged_with
        )

    def save(self) -> None:
        call = self._save_call()
        if call is not None:
            run_db(self, call, self.saved, failed=self.save_failed, exclusive=True, group="save")

    def action_save_submit(self) -> None:
        from tui.widgets.confirm import ConfirmScreen

        self.show_error("")

        def answered(yes: bool | None) -> None:
            if yes:
                self._save_then_submit()

        self.app.push_screen(
            ConfirmScreen(
                "Save this summary and submit it to your manager for review?",
                "Once submitted it cannot be changed unless your manager returns it.",
                yes="Save and submit",
            ),
            answered,
        )

    def _save_then_submit(self) -> None:
        from domain.services.summaries import submit_summary

        call = self._save_call()
        if call is None:
            return
        ctx = self.app.ctx
        sid = self.summary_id

        def stored(summary: Summary) -> None:
            # The text is safe in the database now, whatever the submit says.
            self.summary = summary
            self.base_version = summary.version
            self.merged_with = None
            self.dirty = False
            self.discard_draft()
            run_db(
                self,
                lambda: submit_summary(ctx, sid, base_version=summary.version),
                self.saved,
                failed=self.save_failed,
                exclusive=True,
                group="save",
            )

        run_db(self, call, stored, failed=self.save_failed, exclusive=True, group="save")

    def save_failed(self, error: BaseException) -> None:
        if isinstance(error, Conflict):
            # Nothing is saved over the other version: the text stays here (and as a draft)
            # and is merged with theirs section by section; the user decides any clash.
            from domain.services.summaries import merge_summary

            self.dirty = True
            self._last_saved_state = None
            self.autosave()
            self.show_error(f"{error} Merging the two versions…")
            ctx = self.app.ctx
            sid, base, mine = self.summary_id, self.base_version, self.sections()
            run_db(
                self,
                lambda: merge_summary(ctx, sid, base, mine),
                lambda result: self._offer_merge(str(error), result),
                failed=super().save_failed,
                group="merge",
            )
            return
        super().save_failed(error)
