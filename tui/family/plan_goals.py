"""The parts of the plan editor's form: a goal card (text, which children, linked danger
statement, actions), an action row (what, who, by when, status), and the question asked before a
goal with text is removed."""

from __future__ import annotations

import itertools
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from domain.plans import ActionStatus, PlanContent
from tui.family.plan_data import short
from tui.forms import fmt_date
from tui.text import cell, safe

#: Widget ids must never repeat, even while a removed card is still leaving the screen.
_uids = itertools.count(1)

STATUS_OPTIONS = [(s.label, s.value) for s in ActionStatus]
STATUS_VALUES = {s.value for s in ActionStatus}


def content_form(content: PlanContent) -> dict[str, Any]:
    """A stored plan as the editor's form values (the same shape as a draft)."""
    return {
        "start_date": fmt_date(content.start_date),
        "review_date": fmt_date(content.review_date),
        "family_words": content.family_words,
        "contingency": content.contingency,
        "agreed_on": fmt_date(content.agreed_on),
        "agreed_with": content.agreed_with,
        "goals": [
            {
                "text": g.text,
                "children": list(g.child_ids),
                "danger": g.danger_key,
                "actions": [
                    {
                        "what": a.what,
                        "who": a.who,
                        "by_when": fmt_date(a.by_when),
                        "status": a.status.value,
                    }
                    for a in g.actions
                ],
            }
            for g in content.goals
        ],
    }


def action_data(d: dict[str, Any]) -> dict[str, Any]:
    """An action's form values with every key present (from a draft or a new row)."""
    return {
        "what": str(d.get("what", "")),
        "who": str(d.get("who", "")),
        "by_when": str(d.get("by_when", "")),
        "status": d.get("status") if d.get("status") in STATUS_VALUES else "not_started",
    }


class ActionRow(Horizontal):
    """One action: what, who, by when, status."""

    def __init__(self, data: dict[str, Any] | None = None) -> None:
        super().__init__(id=f"plan-action-{next(_uids)}", classes="plan-action")
        self.data = data or {}

    def compose(self) -> ComposeResult:
        d = self.data
        status = d.get("status") if d.get("status") in STATUS_VALUES else "not_started"
        yield Static(classes="action-number")
        yield Input(
            value=str(d.get("what", "")),
            placeholder="what will happen",
            classes="action-what",
            compact=True,
        )
        yield Input(
            value=str(d.get("who", "")),
            placeholder="who",
            classes="action-who",
            compact=True,
        )
        yield Input(
            value=str(d.get("by_when", "")),
            placeholder="dd/mm/yyyy",
            classes="action-by",
            compact=True,
        )
        yield Select(
            STATUS_OPTIONS, value=status, allow_blank=False, classes="action-status", compact=True
        )

    def state(self) -> dict[str, Any]:
        """What the row holds (what it was given, while it is still being built)."""
        d = self.data
        try:
            status = self.query_one(".action-status", Select).value
            return {
                "what": self.query_one(".action-what", Input).value,
                "who": self.query_one(".action-who", Input).value,
                "by_when": self.query_one(".action-by", Input).value,
                # A Select just mounted may not hold its value yet.
                "status": status if isinstance(status, str) else "not_started",
            }
        except NoMatches:
            return action_data(d)

    def widget_for(self, field: str | None) -> Widget:
        name = {"action.who": "who", "action.by_when": "by", "action.status": "status"}
        return self.query_one(f".action-{name.get(field or '', 'what')}")


class GoalCard(Vertical):
    """One goal: its text, which children, the linked danger statement and its actions."""

    def __init__(
        self,
        data: dict[str, Any],
        children: list[tuple[int, str]],
        dangers: list[tuple[str, str]],
    ) -> None:
        super().__init__(id=f"plan-goal-{next(_uids)}", classes="plan-goal")
        self.data = data
        self.family_children = children
        self.dangers = dangers

    def compose(self) -> ComposeResult:
        d = self.data
        chosen = set(d.get("children") or [])
        with Horizontal(classes="form-row"):
            yield Label("Goal")
            yield Input(
                value=str(d.get("text", "")),
                placeholder="in plain words: what will be different for the children",
                classes="goal-text",
                compact=True,
            )
        with Horizontal(classes="form-row goal-children"):
            yield Label("For")
            for child_id, name in self.family_children:
                yield Checkbox(
                    safe(name, single_line=True),
                    value=child_id in chosen,
                    name=str(child_id),
                    classes="goal-child",
                    compact=True,
                )
            yield Static(Text("(none ticked: all the children)"), classes="muted goal-all")
        options: list[tuple[Text, str]] = [(cell(short(text)), key) for key, text in self.dangers]
        danger = d.get("danger")
        if danger and danger not in {key for _, key in options}:
            options.append((Text("(a danger statement no longer in any mapping)"), danger))
        with Horizontal(classes="form-row"):
            yield Label("Danger statement")
            yield Select(
                options,
                value=danger if danger else Select.NULL,
                allow_blank=True,
                prompt="No linked danger statement"
                if options
                else "No danger statements in this family's mappings",
                disabled=not options,
                classes="goal-danger",
                compact=True,
            )
        with Horizontal(classes="action-head"):
            yield Static("", classes="action-number")
            yield Static(Text("What will happen", style="bold"), classes="action-what")
            yield Static(Text("Who", style="bold"), classes="action-who")
            yield Static(Text("By when", style="bold"), classes="action-by")
            yield Static(Text("Status", style="bold"), classes="action-status")
        with Vertical(classes="goal-actions"):
            for action in d.get("actions") or []:
                yield ActionRow(action)
        yield Static(
            Text("No actions yet: ctrl+a adds one to this goal."), classes="muted goal-no-actions"
        )

    @property
    def text_input(self) -> Input:
        return self.query_one(".goal-text", Input)

    @property
    def rows(self) -> list[ActionRow]:
        return list(self.query(ActionRow))

    def state(self) -> dict[str, Any]:
        """What the card holds (what it was given, while it is still being built)."""
        try:
            danger = self.query_one(".goal-danger", Select).value
            text = self.text_input.value
        except NoMatches:
            d = self.data
            return {
                "text": str(d.get("text", "")),
                "children": [int(i) for i in d.get("children") or []],
                "danger": d.get("danger") if isinstance(d.get("danger"), str) else None,
                "actions": [action_data(a) for a in d.get("actions") or [] if isinstance(a, dict)],
            }
        return {
            "text": text,
            "children": [
                int(box.name or 0)
                for box in self.query(".goal-child").results(Checkbox)
                if box.value
            ],
            "danger": danger if isinstance(danger, str) else None,
            "actions": [row.state() for row in self.rows],
        }

    def has_content(self) -> bool:
        s = self.state()
        return bool(s["text"].strip() or s["actions"])

    def show_number(self, n: int) -> None:
        self.border_title = f"Goal {n}"
        rows = self.rows
        for m, row in enumerate(rows, start=1):
            for number in row.query(".action-number").results(Static):
                number.update(Text(f"{n}.{m}"))
        for head in self.query(".action-head"):
            head.display = bool(rows)
        for hint in self.query(".goal-no-actions"):
            hint.display = not rows


class ConfirmRemove(ModalScreen[bool]):
    """Removing a goal that has text or actions is asked once."""

    BINDINGS = [
        Binding("y", "answer(True)", "Remove it"),
        Binding("n,escape", "answer(False)", "Keep it"),
    ]

    def __init__(self, number: int) -> None:
        super().__init__()
        self.number = number

    def compose(self) -> ComposeResult:
        with Vertical(id="plan-confirm-box"):
            yield Label(Text(f"Remove goal {self.number} and its actions from the plan?"))
            yield Label(Text("(Earlier revisions keep it; only this edit changes.)", style="dim"))
            with Horizontal():
                yield Button("Remove (y)", id="confirm-remove", variant="error")
                yield Button("Keep (n)", id="confirm-keep")

    @on(Button.Pressed, "#confirm-remove")
    def remove_pressed(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#confirm-keep")
    def keep_pressed(self) -> None:
        self.dismiss(False)

    def action_answer(self, remove: bool) -> None:
        self.dismiss(remove)
