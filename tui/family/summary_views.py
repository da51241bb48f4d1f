"""Read-only views of case summaries: one summary with its period's contacts, the version
history (each version's text), a yes/no question, and the question before a draft is discarded."""

from __future__ import annotations

from rich.text import Text
from textual import getters, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Static

from domain.clock import to_local
from domain.diff import summary_changes
from domain.services.summary_listing import VersionInfo
from domain.summaries import Summary, SummarySection, SummaryStatus, SummaryVersion
from domain.timeuse import Contact
from tui.app import TandemApp
from tui.family.summary_editor import contact_lines, day, returned_banner
from tui.styles import css
from tui.text import cell, join, safe
from tui.widgets.changes import changes_text
from tui.workers import run_db


def sections_text(sections: dict[SummarySection, str]) -> Text:
    """Every section under its heading; an empty one says so."""
    out = Text()
    for i, section in enumerate(SummarySection):
        if i:
            out.append("\n\n")
        out.append(Text(section.label, style="bold underline"))
        out.append("\n")
        text = sections.get(section, "")
        out.append(safe(text) if text.strip() else Text("(not written)", style="italic"))
    return out


class DiscardSummaryScreen(ModalScreen[bool]):
    """Are you sure? before a draft summary is discarded. Keep is focused first, so enter alone
    never discards; d discards, k or escape keeps."""

    CSS_PATH = css("summaries")

    BINDINGS = [
        Binding("d", "answer(True)", "Discard"),
        Binding("k,escape", "answer(False)", "Keep"),
    ]

    def __init__(self, question: str, detail: Text) -> None:
        super().__init__()
        self.question, self.detail = question, detail

    def compose(self) -> ComposeResult:
        with Vertical(id="discard-box"):
            yield Static(Text(self.question, style="bold"), id="discard-question")
            yield Static(self.detail, id="discard-detail")
            with Horizontal(id="discard-buttons"):
                yield Button("Discard (d)", id="discard-yes", variant="error")
                yield Button("Keep (k or esc)", id="discard-no", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#discard-no", Button).focus()

    @on(Button.Pressed, "#discard-yes")
    def _discard(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#discard-no")
    def _keep(self) -> None:
        self.dismiss(False)

    def action_answer(self, discard: bool) -> None:
        self.dismiss(discard)


class SummaryView(ModalScreen[None]):
    """One summary, read-only: the manager's comment if returned, every section, the contacts."""

    app = getters.app(TandemApp)

    CSS_PATH = css("summaries")

    BINDINGS = [
        Binding("escape,q", "dismiss_view", "Close", id="close-view"),
        Binding("v", "versions", "Versions", id="view-versions"),
    ]

    def __init__(self, summary_id: int, *, reviewer_name: str = "") -> None:
        super().__init__()
        self.summary_id = summary_id
        self.reviewer_name = reviewer_name

    def compose(self) -> ComposeResult:
        with Vertical(classes="summary-view-box"):
            yield Static(Text("Loading the summary…"), id="view-title")
            yield Static(id="view-returned")
            with Horizontal(id="view-body"):
                with VerticalScroll(id="view-sections"):
                    yield Static(id="view-text")
                with VerticalScroll(id="view-side"):
                    yield Static(id="view-contacts")

    def on_mount(self) -> None:
        from domain.services.summaries import get_summary, period_contacts

        ctx = self.app.ctx
        sid = self.summary_id
        run_db(
            self,
            lambda: (get_summary(ctx, sid), period_contacts(ctx, sid)),
            self._show,
            failed=self._failed,
        )
        self.query_one("#view-sections").focus()

    def _failed(self, error: BaseException) -> None:
        self.app.show_error(error)
        self.dismiss(None)

    def _show(self, loaded: tuple[Summary, list[Contact]]) -> None:
        summary, contacts = loaded
        self.query_one("#view-title", Static).update(
            Text(
                f"Case summary · {day(summary.period_start)} to {day(summary.period_end)} · "
                f"{summary.status.label} · version {summary.version} · "
                f"{summary.word_count:,} words",
                style="bold",
            )
        )
        if summary.status is SummaryStatus.RETURNED and summary.return_comment:
            self.query_one("#view-returned", Static).update(
                returned_banner(summary, self.reviewer_name)
            )
        self.query_one("#view-text", Static).update(sections_text(summary.sections))
        self.query_one("#view-contacts", Static).update(
            join(
                Text(f"Contacts in this period: {len(contacts)}\n\n", style="bold"),
                contact_lines(contacts),
            )
        )

    def action_dismiss_view(self) -> None:
        self.dismiss(None)

    def action_versions(self) -> None:
        self.app.push_screen(SummaryVersionsScreen(self.summary_id))


class SummaryVersionsScreen(ModalScreen[None]):
    """Every version of a summary; the one under the cursor is shown read-only beside the list."""

    app = getters.app(TandemApp)

    CSS_PATH = css("summaries")

    BINDINGS = [Binding("escape,q", "dismiss_versions", "Close", id="close-versions")]

    def __init__(self, summary_id: int) -> None:
        super().__init__()
        self.summary_id = summary_id
        self.versions: dict[str, VersionInfo] = {}

    def compose(self) -> ComposeResult:
        with Vertical(classes="summary-view-box"):
            yield Static(
                Text("Versions of this summary (every save and every review step is kept)"),
                classes="editor-title",
            )
            yield DataTable(id="versions-table", cursor_type="row", zebra_stripes=True)
            yield Static(id="version-head")
            with VerticalScroll(id="version-text-scroll"):
                yield Static(id="version-changes")
                yield Static(id="version-text")

    def on_mount(self) -> None:
        from domain.services.summary_listing import version_history

        table = self.query_one("#versions-table", DataTable)
        table.add_columns("No.", "Event", "Status", "By", "At", "Comment")
        table.focus()
        ctx = self.app.ctx
        sid = self.summary_id
        run_db(self, lambda: version_history(ctx, sid), self._show, failed=self._failed)

    def _failed(self, error: BaseException) -> None:
        self.app.show_error(error)
        self.dismiss(None)

    def _show(self, versions: list[VersionInfo]) -> None:
        table = self.query_one("#versions-table", DataTable)
        table.clear()
        self.versions = {}
        for info in reversed(versions):  # newest first
            v = info.version
            key = str(v.number)
            self.versions[key] = info
            table.add_row(
                Text(str(v.number)),
                Text(v.event.value.capitalize()),
                Text(v.status.label),
                cell(info.by_name),
                Text(f"{to_local(v.at):%d %b %Y %H:%M}"),
                cell(v.comment),
                key=key,
            )
        if versions:
            table.move_cursor(row=0)
            self._show_version(str(versions[-1].version.number))

    @on(DataTable.RowHighlighted, "#versions-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key.value is not None:
            self._show_version(event.row_key.value)

    def _show_version(self, key: str) -> None:
        info = self.versions.get(key)
        if info is None:
            return
        v = info.version
        head = join(
            Text(
                f"Version {v.number} · {v.event.value} · {v.status.label} · "
                f"{day(v.period_start)} to {day(v.period_end)} · by ",
                style="bold",
            ),
            cell(info.by_name, "bold"),
            Text(f" at {to_local(v.at):%d %b %Y %H:%M}", style="bold"),
        )
        if v.comment:
            head = join(head, "\n", Text("Comment: ", style="bold"), safe(v.comment))
        self.query_one("#version-head", Static).update(head)
        self.query_one("#version-changes", Static).update(self._changes(v))
        text = Text(f"Version {v.number} in full", style="bold reverse")
        text.append("\n\n")
        text.append_text(sections_text(v.sections))
        self.query_one("#version-text", Static).update(text)

    def _changes(self, v: SummaryVersion) -> Text:
        """What this version changed from the one before it (plain language, words marked)."""
        earlier = self.versions.get(str(v.number - 1))
        out = Text("What changed from the version before", style="bold reverse")
        if earlier is None:
            out.append("\nThis is the first version.\n")
            return out
        e = earlier.version
        changes = summary_changes(
            e.sections,
            v.sections,
            before_period=(e.period_start, e.period_end),
            after_period=(v.period_start, v.period_end),
        )
        out.append(f" (version {e.number} to {v.number})\n", style="bold")
        out.append_text(changes_text(changes, none="The text did not change (a review step)."))
        out.append("\n")
        return out

    def action_dismiss_versions(self) -> None:
        self.dismiss(None)
