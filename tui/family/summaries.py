"""Summaries tab: the family's case summaries, writing one, submitting it, its versions, and
discarding a draft started by mistake."""

from __future__ import annotations

from rich.text import Text
from textual import getters, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from domain.audit import Draft
from domain.clock import local_date, to_local
from domain.services.summary_listing import SummaryListing
from domain.summaries import Summary, SummarySection, SummaryStatus, discard_refusal
from tui.app import TandemApp
from tui.family.summary_editor import SummaryEditor, day, returned_banner
from tui.family.summary_views import (
    DiscardSummaryScreen,
    SummaryVersionsScreen,
    SummaryView,
)
from tui.family.tab_read import tab_read
from tui.text import cell, join
from tui.widgets.confirm import ConfirmScreen
from tui.workers import run_db

HELP = (
    "n: new summary · e: write / carry on the selected one · enter: read it · "
    "u: submit for review · v: versions"
)


def status_cell(summary: Summary) -> Text:
    """Returned summaries carry a ! as well as a colour (not colour alone)."""
    if summary.status is SummaryStatus.RETURNED:
        return Text("! Returned", style="bold red")
    if summary.status is SummaryStatus.DRAFT:
        return Text("Draft", style="bold")
    return Text(summary.status.label)


class SummariesTab(Vertical):
    app = getters.app(TandemApp)

    BINDINGS = [
        Binding("n", "new_summary", "New summary", id="new-summary"),
        Binding("e", "edit_summary", "Write summary", id="edit-summary"),
        Binding("enter", "view_summary", "Read summary", id="view-summary", priority=True),
        Binding("u", "submit_summary", "Submit for review", id="submit-summary"),
        Binding("v", "versions", "Versions", id="summary-versions"),
        # Shown only while a draft never submitted is selected; otherwise d says why not.
        Binding("d", "discard_summary", "Discard draft", id="discard-summary"),
        Binding("d", "discard_refused", show=False),
    ]

    def __init__(self, family_id: int) -> None:
        super().__init__(id="summaries-tab")
        self.family_id = family_id
        self.listings: dict[str, SummaryListing] = {}
        #: The summary to put the cursor on at the next reload (the one just written).
        self.select_next: str | None = None

    def compose(self) -> ComposeResult:
        yield Static(Text(HELP), classes="muted")
        yield Static(id="summaries-returned")
        yield DataTable(id="summaries-table", cursor_type="row", zebra_stripes=True)
        yield Static(id="summaries-detail")

    def on_mount(self) -> None:
        table = self.query_one("#summaries-table", DataTable)
        table.add_columns("Period", "Status", "Author", "Words", "Last change")

    def reload(self) -> None:
        from domain.services.summary_listing import summary_listing

        family_id = self.family_id
        tab_read(
            self,
            lambda c: summary_listing(c, family_id),
            self._show,
            exclusive=True,
            group="summaries",
        )

    def _show(self, listings: list[SummaryListing]) -> None:
        table = self.query_one("#summaries-table", DataTable)
        keep = self.select_next or self._selected_key()
        self.select_next = None
        table.clear()
        self.listings = {}
        for item in listings:
            s = item.summary
            key = str(s.id)
            self.listings[key] = item
            changed = (
                join(
                    Text(f"{to_local(item.updated_at):%d %b %Y %H:%M} "), cell(item.updated_by_name)
                )
                if item.updated_at
                else Text("—")
            )
            table.add_row(
                Text(f"{day(s.period_start)} – {day(s.period_end)}"),
                status_cell(s),
                cell(item.author_name),
                Text(f"{s.word_count:,}"),
                changed,
                key=key,
            )
        if keep in self.listings:
            table.move_cursor(row=table.get_row_index(keep))
        returned = [i for i in listings if i.summary.status is SummaryStatus.RETURNED]
        banner = self.query_one("#summaries-returned", Static)
        if returned:
            parts: list[Text | str] = []
            for i, item in enumerate(returned):
                if i:
                    parts.append("\n")
                parts.append(
                    join(
                        Text(
                            f"Summary {day(item.summary.period_start)} – "
                            f"{day(item.summary.period_end)}: ",
                            style="bold",
                        ),
                        returned_banner(item.summary, item.reviewer_name),
                    )
                )
            parts.append("\n")
            parts.append(Text("Press e on it to make the changes, then u to resubmit."))
            banner.update(join(*parts))
            banner.display = True
        else:
            banner.update(Text(""))
            banner.display = False
        if not listings:
            self.query_one("#summaries-detail", Static).update(
                Text("No summaries yet. Press n to start the first one.")
            )
        else:
            self._detail()
        self.refresh_bindings()

    def _selected_key(self) -> str | None:
        table = self.query_one("#summaries-table", DataTable)
        if not table.row_count:
            return None
        try:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        except Exception:  # noqa: BLE001 - no row under the cursor
            return None
        return str(key) if key is not None else None

    def selected(self) -> SummaryListing | None:
        key = self._selected_key()
        return self.listings.get(key) if key is not None else None

    def _can_discard(self) -> bool:
        item = self.selected()
        return item is not None and discard_refusal(item.summary) is None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "discard_summary":
            return self._can_discard()
        if action == "discard_refused":
            return not self._can_discard()
        return True

    @on(DataTable.RowHighlighted, "#summaries-table")
    def _detail(self) -> None:
        self.refresh_bindings()
        item = self.selected()
        detail = self.query_one("#summaries-detail", Static)
        if item is None:
            detail.update(Text(""))
            return
        s = item.summary
        what = {
            SummaryStatus.DRAFT: (
                "Draft: e to carry on writing, u to submit it for review, d to discard it."
            ),
            SummaryStatus.RETURNED: "Returned: e to make the changes asked for, u to resubmit.",
            SummaryStatus.SUBMITTED: "Submitted: waiting for the manager's review.",
            SummaryStatus.APPROVED: "Approved",
        }[s.status]
        if s.status is SummaryStatus.APPROVED and item.reviewer_name:
            detail.update(
                join(
                    Text(what + " by "),
                    cell(item.reviewer_name),
                    Text(f" on {day(local_date(s.decided_at)) if s.decided_at else '—'}."),
                )
            )
        else:
            detail.update(Text(what))

    # --- actions ---------------------------------------------------------------------------

    def _refuse(self, message: str) -> None:
        self.app.notify(message, severity="warning", markup=False)

    def action_new_summary(self) -> None:
        from domain.services.summaries import start_summary

        ctx = self.app.ctx
        family_id = self.family_id
        run_db(
            self,
            lambda: start_summary(ctx, family_id),
            lambda s: self._open_editor(s, ""),
            exclusive=True,
            group="summary-open",
        )

    def action_edit_summary(self) -> None:
        from domain.services.summaries import get_summary

        item = self.selected()
        if item is None:
            self._refuse("There is no summary to write yet: press n to start one.")
            return
        if not item.summary.is_editable:
            self._refuse(
                f"This summary is {item.summary.status.label.lower()} and can no longer be "
                "changed; press enter to read it."
            )
            return
        ctx = self.app.ctx
        sid = item.summary.saved_id
        reviewer = item.reviewer_name
        run_db(
            self,
            lambda: get_summary(ctx, sid),
            lambda s: self._open_editor(s, reviewer),
            exclusive=True,
            group="summary-open",
        )

    def _open_editor(self, summary: Summary, reviewer_name: str) -> None:
        self.select_next = str(summary.id)
        self.app.push_screen(SummaryEditor(summary, reviewer_name=reviewer_name), self._after)

    def _after(self, result: object) -> None:
        if isinstance(result, Summary):
            if result.status is SummaryStatus.SUBMITTED:
                self.app.notify("Summary saved and submitted for review.", markup=False)
            else:
                self.app.notify("Summary saved.", markup=False)
        self.reload()

    def action_view_summary(self) -> None:
        item = self.selected()
        if item is None or item.summary.id is None:
            return
        self.app.push_screen(
            SummaryView(item.summary.id, reviewer_name=item.reviewer_name),
            lambda _: self.reload(),
        )

    def action_versions(self) -> None:
        item = self.selected()
        if item is None or item.summary.id is None:
            return
        self.app.push_screen(SummaryVersionsScreen(item.summary.id))

    def action_submit_summary(self) -> None:
        from domain.services.drafts import get_draft
        from domain.services.summaries import draft_key

        item = self.selected()
        if item is None:
            return
        s = item.summary
        if not s.is_editable:
            self._refuse(
                f"This summary is already {s.status.label.lower()}; only a draft or a returned "
                "summary can be submitted."
            )
            return
        ctx = self.app.ctx
        key = draft_key(s.saved_id)
        run_db(self, lambda: get_draft(ctx, key), lambda d: self._confirm_submit(s, d))

    def _confirm_submit(self, summary: Summary, draft: Draft | None) -> None:
        from domain.services.summaries import submit_summary

        resubmit = summary.status is SummaryStatus.RETURNED
        detail = (
            f"Period {day(summary.period_start)} to {day(summary.period_end)}, "
            f"{summary.word_count:,} words. Once submitted it cannot be changed unless your "
            "manager returns it."
        )
        if draft is not None:
            detail += (
                f"\n\n! You have unsaved text for this summary (a draft from "
                f"{to_local(draft.saved_at):%d %b %Y %H:%M}) that will NOT be included. Answer n, then "
                "press e to open it and save it first."
            )
        ctx = self.app.ctx
        sid, version = summary.saved_id, summary.version

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            run_db(
                self,
                lambda: submit_summary(ctx, sid, base_version=version),
                self._submitted,
                exclusive=True,
                group="summary-submit",
            )

        self.app.push_screen(
            ConfirmScreen(
                ("Resubmit" if resubmit else "Submit")
                + " this summary to your manager for review?",
                Text(detail),
                yes="Resubmit" if resubmit else "Submit",
            ),
            answered,
        )

    def _submitted(self, summary: Summary) -> None:
        self.app.notify("Summary submitted for review.", markup=False)
        self.reload()

    def action_discard_refused(self) -> None:
        item = self.selected()
        if item is None:
            self._refuse("There is no summary to discard.")
        else:
            self._refuse(discard_refusal(item.summary) or "This summary cannot be discarded.")

    def action_discard_summary(self) -> None:
        from domain.services.drafts import get_draft
        from domain.services.summaries import draft_key

        item = self.selected()
        if item is None or item.summary.id is None:
            self._refuse("There is no summary to discard.")
            return
        refusal = discard_refusal(item.summary)
        if refusal is not None:
            self._refuse(refusal)
            return
        ctx = self.app.ctx
        key = draft_key(item.summary.id)
        run_db(self, lambda: get_draft(ctx, key), lambda d: self._confirm_discard(item, d))

    def _confirm_discard(self, item: SummaryListing, draft: Draft | None) -> None:
        from domain.services.summaries import discard_summary

        s = item.summary
        user = self.app.user
        parts: list[Text | str] = []
        scaling = len(s.sections.get(SummarySection.LATEST_SCALING, "").split())
        if s.word_count == scaling and scaling:  # a new summary starts with its scaling filled in
            parts.append(
                Text(
                    "Nothing has been saved in it yet beyond its Latest scaling section "
                    f"({scaling:,} words, which will be lost)."
                )
            )
        elif s.word_count:
            parts.append(Text(f"It has {s.word_count:,} saved words, which will be lost."))
        else:
            parts.append(Text("Nothing has been saved in it yet."))
        if user is None or s.author_id != user.id:
            parts += [" ", Text("It was started by "), cell(item.author_name), Text(".")]
        if draft is not None:
            parts.append(
                Text(
                    f" The unsaved text you typed in it (kept at {to_local(draft.saved_at):%H:%M} on "
                    f"{to_local(draft.saved_at):%d %b %Y}) will be lost too."
                )
            )
        parts.append(Text("\n\nTime already spent on it still counts as recording time."))
        ctx = self.app.ctx
        sid, version = s.saved_id, s.version

        def answered(discard: bool | None) -> None:
            if not discard:
                return
            run_db(
                self,
                lambda: discard_summary(ctx, sid, base_version=version),
                self._discarded,
                failed=self._discard_failed,
                exclusive=True,
                group="summary-discard",
            )

        self.app.push_screen(
            DiscardSummaryScreen(
                f"Discard the draft summary for {day(s.period_start)} – {day(s.period_end)}? "
                "This cannot be undone.",
                join(*parts),
            ),
            answered,
        )

    def _discarded(self, summary: Summary) -> None:
        self.app.notify(
            f"Draft summary for {day(summary.period_start)} – {day(summary.period_end)} discarded.",
            markup=False,
        )
        self.reload()

    def _discard_failed(self, error: BaseException) -> None:
        self.app.show_error(error)
        self.reload()
