"""Periodic case summaries and their review life cycle."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from domain.errors import ValidationError
from domain.stored import Stored
from domain.validate import optional_text


class SummarySection(StrEnum):
    WHY_INVOLVED = "why_involved"
    WHAT_CHANGED = "what_changed"
    CHILDREN_VOICE = "children_voice"
    PLAN_PROGRESS = "plan_progress"
    LATEST_SCALING = "latest_scaling"
    ANALYSIS = "analysis"
    NEXT_STEPS = "next_steps"

    @property
    def label(self) -> str:
        return {
            SummarySection.WHY_INVOLVED: "Why we are involved",
            SummarySection.WHAT_CHANGED: "What has changed",
            SummarySection.CHILDREN_VOICE: "Each child's voice and lived experience",
            SummarySection.PLAN_PROGRESS: "Progress against the plan",
            SummarySection.LATEST_SCALING: "Latest scaling",
            SummarySection.ANALYSIS: "Analysis",
            SummarySection.NEXT_STEPS: "Next steps",
        }[self]


class SummaryStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    RETURNED = "returned"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class SummaryEvent(StrEnum):
    SAVED = "saved"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    RETURNED = "returned"
    RESUBMITTED = "resubmitted"


MAX_SECTION_CHARS = 200_000


def clean_sections(
    sections: Mapping[SummarySection, str] | Mapping[str, str],
) -> dict[SummarySection, str]:
    out: dict[SummarySection, str] = {}
    for key, text in sections.items():
        try:
            section = SummarySection(key)
        except ValueError:
            raise ValidationError("section", f"Unknown summary section {key!r}.") from None
        out[section] = optional_text(
            section.value, section.label, text, max_length=MAX_SECTION_CHARS
        )
    return out


@dataclass(frozen=True)
class SummaryVersion:
    """Every save and every step of the life cycle leaves one of these behind."""

    number: int
    event: SummaryEvent
    status: SummaryStatus
    sections: dict[SummarySection, str]
    period_start: date
    period_end: date
    by_user: int
    at: datetime
    comment: str = ""
    #: The other author when this version merges their concurrent version (issue 11).
    co_author_id: int | None = None

    @property
    def author_id(self) -> int:
        """Who saved this version (as a plan or mapping revision's ``author_id``)."""
        return self.by_user


@dataclass
class Summary(Stored):
    family_id: int
    author_id: int
    period_start: date
    period_end: date
    status: SummaryStatus = SummaryStatus.DRAFT
    sections: dict[SummarySection, str] = field(default_factory=dict)
    id: int | None = None
    version: int = 0
    created_at: datetime | None = None
    submitted_at: datetime | None = None
    decided_at: datetime | None = None
    reviewer_id: int | None = None
    #: The manager's comment when the summary was last returned.
    return_comment: str = ""

    def __post_init__(self) -> None:
        if self.period_end < self.period_start:
            raise ValidationError(
                "period_end",
                f"The period cannot end ({self.period_end.isoformat()}) before it starts "
                f"({self.period_start.isoformat()}).",
            )
        self.sections = clean_sections(self.sections)

    @property
    def is_editable(self) -> bool:
        return self.status in (SummaryStatus.DRAFT, SummaryStatus.RETURNED)

    def text_of(self, section: SummarySection) -> str:
        return self.sections.get(section, "")

    @property
    def word_count(self) -> int:
        return sum(len(t.split()) for t in self.sections.values())


def discard_refusal(summary: Summary, versions: Sequence[SummaryVersion] = ()) -> str | None:
    """Why ``summary`` may not be discarded, or None if it may.

    Only a draft that was never submitted may be: once a summary has been submitted (whatever
    happened next, returned included) it is part of the family's record and every version is
    kept. ``versions`` (its stored versions) are checked too, so a draft whose history shows any
    step of the review life cycle is refused even if its status says draft.
    """
    if summary.status is SummaryStatus.RETURNED:
        return (
            "This summary was submitted and returned by the manager, so it is part of the "
            "family's record and cannot be discarded. Make the changes asked for and resubmit it."
        )
    if summary.status is not SummaryStatus.DRAFT:
        return (
            f"This summary is {summary.status.label.lower()}, so it is part of the family's "
            "record and cannot be discarded. Only a draft that was never submitted can be."
        )
    if any(
        v.event is not SummaryEvent.SAVED or v.status is not SummaryStatus.DRAFT for v in versions
    ):
        return (
            "This summary was submitted for review before, so it is part of the family's record "
            "and cannot be discarded. Only a draft that was never submitted can be."
        )
    return None
