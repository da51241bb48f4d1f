"""The single family plan: one per family, every save an immutable revision."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from dateutil.relativedelta import relativedelta

from domain.errors import ValidationError
from domain.families import Family, LegalStatus
from domain.merge import both
from domain.stored import Stored
from domain.validate import one_of, optional_text, required_text


class ActionStatus(StrEnum):
    NOT_STARTED = "not_started"
    ON_TRACK = "on_track"
    DONE = "done"
    SLIPPED = "slipped"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


@dataclass(frozen=True)
class PlanAction:
    what: str
    who: str
    by_when: date | None = None
    status: ActionStatus = ActionStatus.NOT_STARTED

    def __post_init__(self) -> None:
        object.__setattr__(
            self,
            "what",
            required_text("action.what", "What will be done", self.what, max_length=500),
        )
        object.__setattr__(
            self, "who", required_text("action.who", "Who will do it", self.who, max_length=120)
        )
        object.__setattr__(
            self, "status", one_of("action.status", "Action status", self.status, ActionStatus)
        )


@dataclass(frozen=True)
class PlanGoal:
    text: str
    #: Member ids of the children this goal is for (empty = all children).
    child_ids: tuple[int, ...] = ()
    #: Key of the linked danger statement in the family's mapping, if any.
    danger_key: str | None = None
    actions: tuple[PlanAction, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "text", required_text("goal.text", "Goal", self.text, max_length=1000)
        )
        object.__setattr__(self, "child_ids", tuple(self.child_ids))
        object.__setattr__(self, "actions", tuple(self.actions))


@dataclass(frozen=True)
class PlanContent:
    """Everything the family plan says. A revision is a snapshot of this."""

    start_date: date
    review_date: date
    family_words: str = ""
    goals: tuple[PlanGoal, ...] = ()
    contingency: str = ""
    agreed_on: date | None = None
    agreed_with: str = ""

    def __post_init__(self) -> None:
        if self.review_date < self.start_date:
            raise ValidationError(
                "review_date",
                f"The review date ({self.review_date.isoformat()}) cannot be before the plan starts "
                f"({self.start_date.isoformat()}).",
            )
        if self.agreed_on is not None and self.agreed_on < self.start_date - relativedelta(
            months=3
        ):
            raise ValidationError(
                "agreed_on", "The date agreed with the family is long before the plan starts."
            )
        object.__setattr__(
            self,
            "family_words",
            optional_text(
                "family_words", "The family's own words", self.family_words, max_length=5000
            ),
        )
        object.__setattr__(
            self,
            "contingency",
            optional_text("contingency", "Contingency", self.contingency, max_length=5000),
        )
        object.__setattr__(
            self,
            "agreed_with",
            optional_text("agreed_with", "Agreed with", self.agreed_with, max_length=300),
        )
        object.__setattr__(self, "goals", tuple(self.goals))


@dataclass(frozen=True)
class PlanRevision:
    number: int
    content: PlanContent
    author_id: int
    saved_at: datetime
    #: The other author when this revision merges their concurrent revision (issue 11).
    co_author_id: int | None = None


@dataclass
class Plan(Stored):
    family_id: int
    current: PlanContent
    revision: int
    id: int | None = None
    updated_at: datetime | None = None
    updated_by: int | None = None


@dataclass(frozen=True)
class ReviewRules:
    """Configurable review timescales (SPEC §3 defaults)."""

    cp_first_review_months: int = 3
    cp_later_review_months: int = 6
    cin_review_months: int = 3
    early_help_review_months: int = 3
    cla_review_months: int = 6

    def interval_months(self, status: LegalStatus, *, first_cp_review: bool) -> int | None:
        if status is LegalStatus.CHILD_PROTECTION:
            return self.cp_first_review_months if first_cp_review else self.cp_later_review_months
        return {
            LegalStatus.CHILD_IN_NEED: self.cin_review_months,
            LegalStatus.EARLY_HELP: self.early_help_review_months,
            LegalStatus.CHILD_LOOKED_AFTER: self.cla_review_months,
        }.get(status)


def review_due(family: Family, from_date: date, rules: ReviewRules = ReviewRules()) -> date | None:
    """The plan review date the rules give, counted from ``from_date`` (the plan start or last review).

    Each child keeps their own clock: a child protection status counts from its initial conference
    (the day the status began), three months for the first review and six months after that. The
    plan's review is the earliest of the children's due dates.
    """
    dues: list[date] = []
    for child in family.children:
        change = child.status_on(from_date) or (
            child.status_history[-1] if child.status_history else None
        )
        if change is None or change.status is LegalStatus.NONE:
            continue
        if change.status is LegalStatus.CHILD_PROTECTION:
            first_due = change.since + relativedelta(months=rules.cp_first_review_months)
            if from_date < first_due:
                dues.append(first_due)
                continue
            due = first_due
            while due <= from_date:
                due += relativedelta(months=rules.cp_later_review_months)
            dues.append(due)
        else:
            months = rules.interval_months(change.status, first_cp_review=False)
            if months:
                dues.append(from_date + relativedelta(months=months))
    return min(dues) if dues else None


def new_revision(
    plan: Plan | None,
    content: PlanContent,
    author_id: int,
    now: datetime,
    co_author_id: int | None = None,
) -> PlanRevision:
    number = 1 if plan is None else plan.revision + 1
    return PlanRevision(number, content, author_id, now, co_author_id)


# --- merging two people's edits of the plan (issue 11, item 2) -----------------------------------

#: The plan's parts that hold one date each: "keep both" is not offered for them.
SINGLE_PARTS = frozenset({"start_date", "review_date", "agreed_on"})

PART_LABELS = {
    "start_date": "Plan starts",
    "review_date": "Review date",
    "family_words": "What the family wants",
    "contingency": "Contingency",
    "agreed_on": "Agreed with the family on",
    "agreed_with": "Agreed with",
}


def _goal_dict(g: PlanGoal) -> dict[str, object]:
    return {
        "text": g.text,
        "child_ids": list(g.child_ids),
        "danger_key": g.danger_key,
        "actions": [
            {
                "what": a.what,
                "who": a.who,
                "by_when": a.by_when.isoformat() if a.by_when else None,
                "status": a.status.value,
            }
            for a in g.actions
        ],
    }


def _goal_from(d: dict[str, Any]) -> PlanGoal:  # decoded JSON
    actions = d.get("actions") or []
    return PlanGoal(
        text=str(d["text"]),
        child_ids=tuple(int(i) for i in d.get("child_ids") or []),
        danger_key=d.get("danger_key") or None,
        actions=tuple(
            PlanAction(
                what=str(a["what"]),
                who=str(a["who"]),
                by_when=date.fromisoformat(a["by_when"]) if a.get("by_when") else None,
                status=ActionStatus(a["status"]),
            )
            for a in actions
        ),
    )


def plan_parts(content: PlanContent | None) -> dict[str, str]:
    """The plan as named parts for a three-way merge: each field, and each goal (a JSON list
    holding the goal, so that keeping both goals is a list of two)."""
    if content is None:
        return {}
    parts = {
        "start_date": content.start_date.isoformat(),
        "review_date": content.review_date.isoformat(),
        "family_words": content.family_words,
        "contingency": content.contingency,
        "agreed_on": content.agreed_on.isoformat() if content.agreed_on else "",
        "agreed_with": content.agreed_with,
    }
    for n, goal in enumerate(content.goals, start=1):
        parts[f"goal {n}"] = json.dumps([_goal_dict(goal)], sort_keys=True, ensure_ascii=False)
    return parts


def combine_parts(key: str, theirs: str, yours: str) -> str:
    """Keep both: two goals for a goal, both texts for a text field."""
    if key.startswith("goal "):
        return json.dumps(
            (json.loads(theirs) if theirs else []) + (json.loads(yours) if yours else []),
            sort_keys=True,
            ensure_ascii=False,
        )
    return both(theirs, yours)


def part_label(key: str) -> str:
    return PART_LABELS.get(key, key.capitalize())


def show_part(key: str, value: str) -> str:
    """A part as a person reads it (a goal with its actions, a date as written)."""
    if not key.startswith("goal "):
        return value or "(empty)"
    goals = json.loads(value) if value else []
    if not goals:
        return "(removed)"
    lines = []
    for g in goals:
        lines.append(str(g["text"]))
        for a in g.get("actions") or []:
            by = f", by {a['by_when']}" if a.get("by_when") else ""
            lines.append(f"  • {a['what']} ({a['who']}{by}; {a['status']})")
    return "\n".join(lines)


def plan_from_parts(parts: dict[str, str]) -> PlanContent:
    """The merged plan (ValidationError when the merged dates do not agree)."""
    goal_keys = sorted((k for k in parts if k.startswith("goal ")), key=lambda k: int(k[5:]))
    goals = [_goal_from(g) for k in goal_keys for g in (json.loads(parts[k]) if parts[k] else [])]
    return PlanContent(
        start_date=date.fromisoformat(parts["start_date"]),
        review_date=date.fromisoformat(parts["review_date"]),
        family_words=parts.get("family_words", ""),
        goals=tuple(goals),
        contingency=parts.get("contingency", ""),
        agreed_on=date.fromisoformat(parts["agreed_on"]) if parts.get("agreed_on") else None,
        agreed_with=parts.get("agreed_with", ""),
    )
