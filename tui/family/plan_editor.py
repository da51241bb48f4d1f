"""The plan editor: every section of the single family plan on one calm, scrolling form.

Goals are cards (text, which children, linked danger statement, actions); each action is one row
(what, who, by when, status). Keys: ctrl+g add a goal, ctrl+a add an action to the goal the cursor
is in, ctrl+d remove the action (or goal) the cursor is in, ctrl+↑/↓ move it, ctrl+s save.
Recording time, drafts and conflicts are handled by RecordingEditor.
"""

from __future__ import annotations

import json
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, Select, Static, TextArea

from domain.errors import DomainError, ValidationError
from domain.plans import ActionStatus, PlanAction, PlanContent, PlanGoal
from domain.timeuse import RecordingActivity
from tui.family.plan_data import PlanBundle
from tui.family.plan_goals import ActionRow, ConfirmRemove, GoalCard, content_form
from tui.forms import fmt_date, parse_date
from tui.styles import css
from tui.widgets.confirm import ConfirmDelete
from tui.widgets.recording_editor import (
    RecordingEditor,
    focus_for_correction,
    focus_without_selecting,
)
from tui.workers import run_db

KEYS_HINT = (
    "ctrl+g add a goal · ctrl+a add an action to the goal you are in · ctrl+d remove the action "
    "or goal you are in · ctrl+↑/↓ move it · ctrl+s save · esc close (unsaved text is kept)"
)


class FormError(Exception):
    """A message for the form, and the widget to put the cursor in."""

    def __init__(self, message: str, widget: Widget) -> None:
        super().__init__(message)
        self.message = message
        self.widget = widget


class PlanEditor(RecordingEditor):
    """Edit the family's plan (or write its first one). Saving makes a new revision."""

    family_id: int  # always a family's editor

    CSS_PATH = css("plan")

    activity = RecordingActivity.PLAN

    BINDINGS = [
        Binding("ctrl+g", "add_goal", "Add goal", id="plan-add-goal", priority=True),
        Binding("ctrl+a", "add_action", "Add action", id="plan-add-action", priority=True),
        Binding("ctrl+d", "remove", "Remove goal/action", id="plan-remove", priority=True),
        Binding("ctrl+up", "move(-1)", "Move up", id="plan-move-up", priority=True),
        Binding("ctrl+down", "move(1)", "Move down", id="plan-move-down", priority=True),
    ]

    def __init__(self, bundle: PlanBundle, suggested_review: Any = None) -> None:
        super().__init__(bundle.family.id)
        self.bundle = bundle
        self.suggested_review = suggested_review
        plan = bundle.plan
        self.base = plan.revision if plan else None
        #: The other person's revision merged into the editor's plan (recorded with the save).
        self.merged_with: int | None = None
        reference = bundle.family.reference
        if plan is None:
            self.title_text = f"Write the first family plan · {reference}"
            self.initial: dict[str, Any] = {
                "start_date": fmt_date(bundle.today),
                "review_date": fmt_date(suggested_review),
                "goals": [{}],
            }
        else:
            self.title_text = f"Family plan · {reference} · editing revision {plan.revision}"
            self.initial = content_form(plan.current)
        self.children_list = [(c.id, c.name) for c in bundle.family.children if c.id is not None]
        self.pristine = ""

    # --- the form ---------------------------------------------------------------------------

    def compose_form(self) -> ComposeResult:
        d = self.initial
        with VerticalScroll(id="plan-form"):
            yield Static(Text(KEYS_HINT), classes="muted")
            with Horizontal(classes="form-row"):
                yield Label("Plan starts")
                yield Input(
                    value=d.get("start_date", ""),
                    placeholder="dd/mm/yyyy",
                    id="field-start-date",
                    classes="plan-date",
                    compact=True,
                )
                yield Label("Review date")
                yield Input(
                    value=d.get("review_date", ""),
                    placeholder="dd/mm/yyyy",
                    id="field-review-date",
                    classes="plan-date",
                    compact=True,
                )
                yield Static(self.review_hint(), id="review-hint", classes="muted")
            yield Label("What the family wants, in their own words", classes="plan-label")
            yield TextArea(
                d.get("family_words", ""),
                id="field-family-words",
                classes="plan-text",
                compact=True,
            )
            yield Static(Text("Goals", style="bold"), classes="plan-label")
            with Vertical(id="plan-goals"):
                for goal in d.get("goals", []):
                    yield self.new_card(goal)
            yield Static(
                Text("No goals yet: ctrl+g adds one."), id="plan-no-goals", classes="muted"
            )
            yield Label("If the plan isn't working (contingency)", classes="plan-label")
            yield TextArea(
                d.get("contingency", ""), id="field-contingency", classes="plan-text", compact=True
            )
            with Horizontal(classes="form-row"):
                yield Label("Agreed with the family on")
                yield Input(
                    value=d.get("agreed_on", ""),
                    placeholder="dd/mm/yyyy (blank: not yet)",
                    id="field-agreed-on",
                    classes="plan-date",
                    compact=True,
                )
                yield Label("with")
                yield Input(
                    value=d.get("agreed_with", ""),
                    placeholder="who agreed it, e.g. Mum and Nan",
                    id="field-agreed-with",
                    compact=True,
                )

    def new_card(self, data: dict[str, Any]) -> GoalCard:
        return GoalCard(data, self.children_list, self.bundle.dangers)

    def review_hint(self) -> Text:
        suggested = self.suggested_review
        if suggested is None:
            return Text("No child has a status with a review timescale: choose a review date.")
        if self.base is None:
            return Text(f"suggested by the review rules ({fmt_date(suggested)})")
        return Text(f"the review rules give {fmt_date(suggested)} counted from today")

    def on_mount(self) -> None:
        super().on_mount()
        self.pristine = self.draft_state()
        self.structure_changed(mark=False)
        # Not selected: one stray key would otherwise wipe the start date.
        focus_without_selecting(self.query_one("#field-start-date", Input))

    @property
    def cards(self) -> list[GoalCard]:
        return list(self.query(GoalCard))

    def renumber(self) -> None:
        cards = self.cards
        for n, card in enumerate(cards, start=1):
            card.show_number(n)
        self.query_one("#plan-no-goals").display = not cards

    def structure_changed(self, *, mark: bool = True) -> None:
        """Goals or actions were added, removed or moved: number them again (now, and once
        any row still being built is on the screen) and note the change."""
        self.renumber()
        self.call_after_refresh(self.renumber)
        if mark:
            self.note_change()

    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(Checkbox.Changed)
    @on(Select.Changed)
    def note_change(self) -> None:
        if not self.dirty and self.draft_state() != self.pristine:
            self.mark_dirty()

    @on(Input.Submitted)
    def next_field(self) -> None:
        self.focus_next()

    # --- adding, removing and moving goals and actions -------------------------------------------

    def focused_in(self, kind: type[Widget]) -> Any:
        node = self.focused
        while node is not None and node is not self:
            if isinstance(node, kind):
                return node
            node = node.parent
        return None

    async def action_add_goal(self) -> None:
        goals = self.query_one("#plan-goals", Vertical)
        card = self.new_card({})
        current = self.focused_in(GoalCard)
        if current is not None:
            await goals.mount(card, after=current)
        else:
            await goals.mount(card)
        self.structure_changed()
        card.text_input.focus()

    async def action_add_action(self) -> None:
        card: GoalCard | None = self.focused_in(GoalCard)
        if card is None:
            cards = self.cards
            if len(cards) != 1:
                self.show_error(
                    "Move the cursor into a goal first (tab to it); ctrl+a then adds an action "
                    "to that goal."
                )
                return
            card = cards[0]
        box = card.query_one(".goal-actions", Vertical)
        row = ActionRow()
        current = self.focused_in(ActionRow)
        if current is not None and current.parent is box:
            await box.mount(row, after=current)
        else:
            await box.mount(row)
        self.structure_changed()
        row.query_one(".action-what", Input).focus()

    async def action_remove(self) -> None:
        row: ActionRow | None = self.focused_in(ActionRow)
        card: GoalCard | None = self.focused_in(GoalCard)
        if row is not None and card is not None:
            state = row.state()
            if not any(str(state[k]).strip() for k in ("what", "who", "by_when")):
                await self.remove_action(card, row)
                return
            goal = self.cards.index(card) + 1
            action = card.rows.index(row) + 1

            def remove_it(remove: bool | None) -> None:
                if remove:
                    self.call_later(self.remove_action, card, row)

            self.app.push_screen(
                ConfirmDelete(f"Remove action {goal}.{action} from the plan?", state["what"]),
                remove_it,
            )
            return
        if card is None:
            self.show_error(
                "ctrl+d removes the action or goal the cursor is in; move into one first."
            )
            return
        if not card.has_content():
            await self.remove_goal(card)
            return
        number = self.cards.index(card) + 1

        def answered(remove: bool | None) -> None:
            if remove:
                self.call_later(self.remove_goal, card)

        self.app.push_screen(ConfirmRemove(number), answered)

    async def remove_action(self, card: GoalCard, row: ActionRow) -> None:
        rows = card.rows
        if row not in rows:
            return
        index = rows.index(row)
        await row.remove()
        rows = card.rows
        if rows:
            rows[min(index, len(rows) - 1)].query_one(".action-what", Input).focus()
        else:
            card.text_input.focus()
        self.structure_changed()

    async def remove_goal(self, card: GoalCard) -> None:
        cards = self.cards
        index = cards.index(card) if card in cards else 0
        await card.remove()
        cards = self.cards
        if cards:
            cards[min(index, len(cards) - 1)].text_input.focus()
        else:
            self.query_one("#field-family-words").focus()
        self.structure_changed()

    def action_move(self, step: int) -> None:
        target: Widget | None = self.focused_in(ActionRow) or self.focused_in(GoalCard)
        if target is None or not isinstance(target.parent, Widget):
            return
        siblings = [w for w in target.parent.children if isinstance(w, type(target))]
        index = siblings.index(target) + step
        if not 0 <= index < len(siblings):
            return
        parent = target.parent
        if step < 0:
            parent.move_child(target, before=siblings[index])
        else:
            parent.move_child(target, after=siblings[index])
        self.structure_changed()
        self.call_after_refresh(target.scroll_visible)

    # --- drafts -----------------------------------------------------------------------------

    def draft_key(self) -> str:
        return f"plan:family:{self.family_id}"

    def form_state(self) -> dict[str, Any]:
        return {
            "start_date": self.query_one("#field-start-date", Input).value,
            "review_date": self.query_one("#field-review-date", Input).value,
            "family_words": self.query_one("#field-family-words", TextArea).text,
            "contingency": self.query_one("#field-contingency", TextArea).text,
            "agreed_on": self.query_one("#field-agreed-on", Input).value,
            "agreed_with": self.query_one("#field-agreed-with", Input).value,
            "goals": [card.state() for card in self.cards],
        }

    def draft_state(self) -> str:
        return json.dumps({"base_revision": self.base, **self.form_state()}, sort_keys=True)

    def apply_draft(self, content: str) -> None:
        try:
            data = json.loads(content)
            goals = [g for g in data.get("goals", []) if isinstance(g, dict)]
        except (ValueError, AttributeError):
            self.show_error("The stored draft could not be read, so the plan is shown as saved.")
            return
        for key in ("start_date", "review_date", "agreed_on", "agreed_with"):
            field_id = "#field-" + key.replace("_", "-")
            self.query_one(field_id, Input).value = str(data.get(key) or "")
        self.query_one("#field-family-words", TextArea).text = str(data.get("family_words") or "")
        self.query_one("#field-contingency", TextArea).text = str(data.get("contingency") or "")
        self.call_later(self.rebuild_goals, goals)
        started_from = data.get("base_revision")
        if started_from != self.base:
            now = f"revision {self.base}" if self.base else "not saved yet"
            was = f"revision {started_from}" if started_from else "a new plan"
            # The draft's own base is what it changed: saving it against the newer revision
            # is then a conflict, and the two are merged (never the newer one replaced).
            self.base = started_from if isinstance(started_from, int) else None
            self.show_error(
                f"This draft was started from {was}; the plan is now {now}. Saving merges the "
                "two field by field and goal by goal; you decide anything you both changed, "
                "and nothing of either is overwritten."
            )

    async def rebuild_goals(self, goals: list[dict[str, Any]]) -> None:
        """Replace every goal card (the old ones are gone before the new ones are numbered)."""
        box = self.query_one("#plan-goals", Vertical)
        await box.remove_children()
        await box.mount_all([self.new_card(g) for g in goals])
        self.structure_changed()

    # --- saving -----------------------------------------------------------------------------

    def build_content(self) -> PlanContent:
        """The form as PlanContent; FormError or ValidationError name what to correct."""
        today = self.app.runtime.clock.today()
        v = self.form_state()
        start = parse_date("start_date", "The date the plan starts", v["start_date"], today)
        review = parse_date("review_date", "The review date", v["review_date"], today)
        agreed_on = parse_date(
            "agreed_on", "The date it was agreed", v["agreed_on"], today, required=False
        )
        goals: list[PlanGoal] = []
        for n, card in enumerate(self.cards, start=1):
            g = card.state()
            if not g["text"].strip():
                raise FormError(
                    f"Goal {n} has no text yet. Write it in plain words, or remove it with ctrl+d.",
                    card.text_input,
                )
            actions: list[PlanAction] = []
            for m, row in enumerate(card.rows, start=1):
                a = row.state()
                try:
                    actions.append(
                        PlanAction(
                            what=a["what"],
                            who=a["who"],
                            by_when=parse_date(
                                "action.by_when", "By when", a["by_when"], today, required=False
                            ),
                            status=ActionStatus(a["status"]),
                        )
                    )
                except ValidationError as exc:
                    raise FormError(
                        f"Goal {n}, action {m}: {exc}", row.widget_for(exc.field)
                    ) from None
            try:
                goals.append(
                    PlanGoal(
                        text=g["text"],
                        child_ids=tuple(g["children"]),
                        danger_key=g["danger"],
                        actions=tuple(actions),
                    )
                )
            except ValidationError as exc:
                raise FormError(f"Goal {n}: {exc}", card.text_input) from None
        return PlanContent(
            start_date=start,
            review_date=review,
            family_words=v["family_words"],
            goals=tuple(goals),
            contingency=v["contingency"],
            agreed_on=agreed_on,
            agreed_with=v["agreed_with"],
        )

    def save(self) -> None:
        from domain.errors import DomainError
        from domain.services.plans import save_plan

        try:
            content = self.build_content()
        except FormError as exc:
            self.show_error(exc.message)
            self.show_error_under(exc.widget, exc.message)
            focus_for_correction(exc.widget)
            return
        except DomainError as exc:
            self.save_failed(exc)
            return
        ctx = self.app.ctx
        family_id, base, merged_with = self.family_id, self.base, self.merged_with
        assert family_id is not None
        run_db(
            self,
            lambda: save_plan(ctx, family_id, content, base, merged_with=merged_with),
            self.saved,
            failed=self.save_failed,
            exclusive=True,
            group="save",
        )

    def base_revision(self) -> int | None:
        return self.base

    # --- merging with a revision saved meanwhile --------------------------------------------------

    def save_failed(self, error: BaseException) -> None:
        from domain.errors import Conflict

        if not isinstance(error, Conflict):
            super().save_failed(error)
            return
        from domain.services.plans import merge_plan

        try:
            mine = self.build_content()
        except (FormError, DomainError):
            super().save_failed(error)
            return
        self.dirty = True
        self._last_saved_state = None
        self.autosave()
        self.show_error(f"{error} Merging the two revisions…")
        ctx = self.app.ctx
        family_id, base = self.family_id, self.base
        run_db(
            self,
            lambda: merge_plan(ctx, family_id, base, mine),
            lambda result: self.offer_merge(str(error), result),
            failed=super().save_failed,
            group="merge",
        )

    def offer_merge(self, told: str, result: Any) -> None:
        from domain.merge import resolve
        from domain.plans import combine_parts, part_label, plan_from_parts, show_part
        from tui.widgets.merge import MergeScreen

        def answered(choices: dict[Any, Any] | None) -> None:
            if choices is None:
                self.show_error(
                    f"{told} Not merged yet: your plan is still here. ctrl+s merges again "
                    "(nothing is ever saved over the other revision)."
                )
                return
            try:
                merged = plan_from_parts(resolve(result.merge, choices, combine_parts))
            except DomainError as exc:
                self.show_error(f"The merged plan cannot be saved as it is: {exc}")
                return
            self.base = result.current_revision
            self.merged_with = result.current_revision
            self.apply_draft(json.dumps({"base_revision": self.base, **content_form(merged)}))
            self.show_error("")
            self.call_later(self.save)

        self.app.push_screen(
            MergeScreen(result.merge, part_label, result.their_names, show_part), answered
        )
