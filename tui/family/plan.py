"""Plan tab: the family's current single plan, read at a glance; e edits it (or writes the first
one), h shows the revision history with differences, x exports the family's copy."""

from __future__ import annotations

from datetime import date, timedelta

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import getters
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from domain.access import Access, family_access
from domain.plans import ActionStatus, PlanAction, PlanContent
from tui.app import TandemApp
from tui.family.plan_data import PlanBundle, load_plan_bundle
from tui.family.tab_read import tab_read
from tui.text import join, safe
from tui.workers import run_db

#: A review this close is "due soon".
DUE_SOON_DAYS = 14

STATUS_STYLE = {
    ActionStatus.NOT_STARTED: "dim",
    ActionStatus.ON_TRACK: "",
    ActionStatus.DONE: "green",
    ActionStatus.SLIPPED: "bold dark_orange",
}


def day_text(day: date | None) -> str:
    return day.strftime("%d %b %Y") if day else "no date"


def action_is_overdue(action: PlanAction, today: date) -> bool:
    return (
        action.by_when is not None
        and action.by_when < today
        and action.status is not ActionStatus.DONE
    )


def review_text(review: date, today: date) -> Text:
    if review < today:
        days = (today - review).days
        return Text(
            f"! {day_text(review)} (overdue by {days} day{'s' if days != 1 else ''})",
            style="bold red",
        )
    if review <= today + timedelta(days=DUE_SOON_DAYS):
        return Text(f"{day_text(review)} (due soon)", style="bold dark_orange")
    return Text(day_text(review))


def section(title: str) -> Text:
    return Text("\n" + title, style="bold underline")


def actions_table(actions: tuple[PlanAction, ...], today: date) -> Table:
    table = Table(expand=True, show_edge=False, pad_edge=False, header_style="bold")
    table.add_column("What", ratio=5)
    table.add_column("Who", ratio=2)
    table.add_column("By when", ratio=2, no_wrap=True, min_width=24)
    table.add_column("Status", ratio=2, no_wrap=True, min_width=13)
    for action in actions:
        overdue = action_is_overdue(action, today)
        slipped = action.status is ActionStatus.SLIPPED
        flag = "! " if (overdue or slipped) else ""
        by_when = Text(day_text(action.by_when))
        if overdue:
            by_when = Text(f"! {day_text(action.by_when)} overdue", style="bold red")
        status = Text(flag + action.status.label, style=STATUS_STYLE[action.status])
        if overdue and not slipped:
            status.stylize("bold red")
        what = join(Text(flag, style="bold red"), safe(action.what))
        table.add_row(what, safe(action.who), by_when, status)
    return table


def plan_view(bundle: PlanBundle, today: date) -> RenderableType:
    """The whole read view of the current plan as one Rich renderable."""
    plan = bundle.plan
    if plan is None:
        return Text(
            "This family has no plan yet. Press e to write the first one "
            "(the review date is suggested from the children's statuses).",
            style="italic",
        )
    content: PlanContent = plan.current
    parts: list[RenderableType] = []
    saved = f"Revision {plan.revision}"
    if bundle.saved_by:
        from domain.services.plans import when_text

        parts.append(
            join(
                Text(saved, style="bold"),
                " · saved by ",
                safe(bundle.saved_by),
                f" at {when_text(bundle.saved_at)}",
            )
        )
    else:
        parts.append(Text(saved, style="bold"))
    dates = Table.grid(padding=(0, 2))
    dates.add_column(style="bold", no_wrap=True)
    dates.add_column()
    dates.add_row("Plan started", Text(day_text(content.start_date)))
    dates.add_row("Review date", review_text(content.review_date, today))
    parts.append(dates)

    parts.append(section("What the family wants, in their own words"))
    if content.family_words:
        parts.append(safe(content.family_words, "italic"))
    else:
        parts.append(Text("(not written yet)", style="dim"))

    names = bundle.child_names
    dangers = bundle.danger_texts
    parts.append(section("Goals"))
    if not content.goals:
        parts.append(Text("(no goals yet)", style="dim"))
    for n, goal in enumerate(content.goals, start=1):
        parts.append(join("\n", Text(f"Goal {n}: ", style="bold"), safe(goal.text, "bold")))
        who = [names.get(i, "a child no longer in the family") for i in goal.child_ids]
        parts.append(join(Text("For: ", style="dim"), safe(", ".join(who) or "all the children")))
        if goal.danger_key:
            worry = dangers.get(goal.danger_key)
            parts.append(
                join(
                    Text("Linked danger statement: ", style="dim"),
                    safe(worry, "italic")
                    if worry
                    else Text("(no longer in any of the family's mappings)", style="dim"),
                )
            )
        if goal.actions:
            parts.append(actions_table(goal.actions, today))
        else:
            parts.append(Text("No actions yet.", style="dim"))

    parts.append(section("If the plan isn't working (contingency)"))
    parts.append(
        safe(content.contingency) if content.contingency else Text("(not written yet)", "dim")
    )
    parts.append(section("Agreed with the family"))
    if content.agreed_on or content.agreed_with:
        parts.append(
            join(
                f"On {day_text(content.agreed_on)}" if content.agreed_on else "Date not recorded",
                " with " if content.agreed_with else "",
                safe(content.agreed_with),
            )
        )
    else:
        parts.append(Text("! Not yet agreed with the family.", style="bold dark_orange"))
    return Group(*parts)


class PlanTab(VerticalScroll):
    """Read view of the current plan. Keys: e edit (or write the first plan), h history,
    x export the family copy."""

    app = getters.app(TandemApp)

    BINDINGS = [
        Binding("e", "edit_plan", "Edit plan", id="edit-plan"),
        Binding("h", "history", "Plan history", id="plan-history"),
        Binding("x", "export", "Family copy", id="export-plan"),
    ]

    def __init__(self, family_id: int) -> None:
        super().__init__(id="plan-tab")
        self.family_id = family_id
        self.bundle: PlanBundle | None = None
        #: The revision the editor was opened on (None: a first plan).
        self.editing_from: int | None = None

    def compose(self) -> ComposeResult:
        yield Static(
            Text(
                "e: edit the plan · h: revision history and differences · "
                "x: export a plain-language copy for the family"
            ),
            id="plan-keys",
            classes="muted",
        )
        yield Static(Text("Loading the plan…"), id="plan-view")

    # --- loading ------------------------------------------------------------------------------

    def reload(self) -> None:
        family_id = self.family_id
        tab_read(
            self,
            lambda c: load_plan_bundle(c, family_id),
            self.show_bundle,
            exclusive=True,
            group="plan",
        )

    def show_bundle(self, bundle: PlanBundle) -> None:
        self.bundle = bundle
        today = bundle.today or self.app.runtime.clock.today()
        self.query_one("#plan-view", Static).update(plan_view(bundle, today))
        if not self.can_write:
            self.query_one("#plan-keys", Static).update(
                Text(
                    "You can read this plan but not change or export it. "
                    "h: revision history and differences"
                )
            )
        self.refresh_bindings()

    @property
    def can_write(self) -> bool:
        user = getattr(self.app, "user", None)
        if self.bundle is None or user is None:
            return False
        return family_access(user, self.bundle.family, team_can_read=True) is Access.WRITE

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("edit_plan", "export") and self.bundle is not None and not self.can_write:
            return None  # shown, but greyed out
        if action == "history" and self.bundle is not None and self.bundle.plan is None:
            return None
        return True

    def not_ready(self) -> bool:
        if self.bundle is None:
            self.app.notify("The plan is still loading.", markup=False)
            return True
        return False

    # --- actions ------------------------------------------------------------------------------

    def action_edit_plan(self) -> None:
        """Reload (so the editor starts from the newest revision), get the suggested review date,
        then open the editor."""
        if self.not_ready():
            return
        from domain.services.plans import suggest_review_date

        ctx = self.app.ctx
        family_id = self.family_id

        def load() -> tuple[PlanBundle, date | None]:
            bundle = load_plan_bundle(ctx, family_id)
            today = ctx.clock.today()
            return bundle, suggest_review_date(ctx, family_id, today)

        run_db(self, load, self.open_editor, exclusive=True, group="plan")

    def open_editor(self, loaded: tuple[PlanBundle, date | None]) -> None:
        from tui.family.plan_editor import PlanEditor

        bundle, suggested = loaded
        self.show_bundle(bundle)
        self.editing_from = bundle.plan.revision if bundle.plan else None
        self.app.push_screen(PlanEditor(bundle, suggested), self.after_edit)

    def after_edit(self, result: object) -> None:
        revision = getattr(result, "revision", None)
        if revision is not None and revision == self.editing_from:
            self.app.notify("Nothing had changed, so no new revision was saved.", markup=False)
        elif revision is not None:
            message = f"Plan saved as revision {revision}."
            self.app.notify(message, markup=False)
        self.reload()

    def action_history(self) -> None:
        if self.not_ready():
            return
        from tui.family.plan_history import PlanHistoryScreen

        assert self.bundle is not None
        if self.bundle.plan is None:
            self.app.notify("There is no plan yet, so no history.", markup=False)
            return
        self.app.push_screen(PlanHistoryScreen(self.family_id, self.bundle.family.reference))

    def action_export(self) -> None:
        if self.not_ready():
            return
        from tui.family.plan_export import ExportDialog

        assert self.bundle is not None
        if self.bundle.plan is None:
            self.app.notify(
                "There is no plan yet, so there is nothing to share. Press e to write one.",
                markup=False,
            )
            return
        self.app.push_screen(
            ExportDialog(self.family_id, self.bundle.family.reference), self.after_export
        )

    def after_export(self, paths: object) -> None:
        if isinstance(paths, list) and paths:
            from tui.deliver import in_browser

            saved = "downloaded by your browser" if in_browser(self.app) else "saved"
            message = f"The family copy is {saved}: " + " and ".join(str(p) for p in paths)
            self.app.notify(message, title="Family copy", markup=False, timeout=10)
