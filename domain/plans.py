"""The single family plan: one per family, every save an immutable revision."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from dateutil.relativedelta import relativedelta

from domain.errors import ValidationError
from domain.families import Family, LegalStatus
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


@dataclass
class Plan:
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
    plan: Plan | None, content: PlanContent, author_id: int, now: datetime
) -> PlanRevision:
    number = 1 if plan is None else plan.revision + 1
    return PlanRevision(number=number, content=content, author_id=author_id, saved_at=now)
