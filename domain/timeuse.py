"""Time with families (the contact log) and time spent recording: automatic sessions, manual
entries, and the pre-trial baseline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum

from domain.errors import ValidationError
from domain.validate import minutes, one_of, optional_text, required_text

CONTACT_NOTE_MAX = 280
MANUAL_NOTE_MAX = 280


class ContactKind(StrEnum):
    HOME_VISIT = "home_visit"
    OFFICE = "office"
    SCHOOL_NURSERY = "school_nursery"
    PHONE = "phone"
    VIDEO = "video"
    FAMILY_MEETING = "family_meeting"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            ContactKind.HOME_VISIT: "Home visit",
            ContactKind.OFFICE: "Office",
            ContactKind.SCHOOL_NURSERY: "School / nursery",
            ContactKind.PHONE: "Phone",
            ContactKind.VIDEO: "Video",
            ContactKind.FAMILY_MEETING: "Family meeting / conference",
            ContactKind.OTHER: "Other",
        }[self]

    @property
    def is_visit(self) -> bool:
        """Counts as seeing the child in person for the visiting standard."""
        return self in (ContactKind.HOME_VISIT, ContactKind.OFFICE, ContactKind.SCHOOL_NURSERY)


@dataclass
class Contact:
    family_id: int
    practitioner_id: int
    on: date
    start: time
    minutes: int
    kind: ContactKind
    note: str
    present: str = ""
    child_seen: bool = False
    seen_alone: bool = False
    travel_minutes: int = 0
    id: int | None = None
    logged_at: datetime | None = None
    edited_at: datetime | None = None

    def __post_init__(self) -> None:
        self.minutes = minutes("minutes", "Minutes", self.minutes)
        self.travel_minutes = minutes(
            "travel_minutes", "Travel minutes", self.travel_minutes, allow_zero=True
        )
        self.kind = one_of("kind", "Kind of contact", self.kind, ContactKind)
        self.note = required_text(
            "note", "The factual line", self.note, max_length=CONTACT_NOTE_MAX
        )
        self.present = optional_text("present", "Who was present", self.present, max_length=500)
        if self.seen_alone and not self.child_seen:
            raise ValidationError("seen_alone", "A child seen alone must also be marked as seen.")


class TimeCategory(StrEnum):
    """Categories from time-use studies (research/domain.md §5.3)."""

    DIRECT_WORK = "direct_work"
    RECORDING = "recording"
    ADMIN_IT = "admin_it"
    MEETING_MULTIAGENCY = "meeting_multiagency"
    MEETING_INTERNAL = "meeting_internal"
    SUPERVISION_REFLECTION = "supervision_reflection"
    LIAISON = "liaison"
    TRAVEL = "travel"
    TRAINING = "training"

    @property
    def label(self) -> str:
        return {
            TimeCategory.DIRECT_WORK: "Direct work",
            TimeCategory.RECORDING: "Recording",
            TimeCategory.ADMIN_IT: "Admin / IT",
            TimeCategory.MEETING_MULTIAGENCY: "Multi-agency meetings",
            TimeCategory.MEETING_INTERNAL: "Internal meetings",
            TimeCategory.SUPERVISION_REFLECTION: "Supervision / reflection",
            TimeCategory.LIAISON: "Liaison",
            TimeCategory.TRAVEL: "Travel",
            TimeCategory.TRAINING: "Training",
        }[self]


class RecordingActivity(StrEnum):
    """What an editor was recording when its clock ran."""

    SUMMARY = "summary"
    PLAN = "plan"
    MAPPING = "mapping"
    CONTACT_LOG = "contact_log"
    OBSERVATION = "observation"
    OBSERVATION_FEEDBACK = "observation_feedback"
    REVIEW = "review"

    @property
    def label(self) -> str:
        return {
            RecordingActivity.SUMMARY: "Case summary",
            RecordingActivity.PLAN: "Family plan",
            RecordingActivity.MAPPING: "Mapping",
            RecordingActivity.CONTACT_LOG: "Contact log",
            RecordingActivity.OBSERVATION: "Observation",
            RecordingActivity.OBSERVATION_FEEDBACK: "Observation feedback",
            RecordingActivity.REVIEW: "Summary review",
        }[self]


class ManualKind(StrEnum):
    """Recording done outside Tandem during the trial."""

    LEGACY_SYSTEM = "legacy_system"
    COURT_STATEMENT = "court_statement"
    LETTERS_EMAIL = "letters_email"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            ManualKind.LEGACY_SYSTEM: "Legacy system forms",
            ManualKind.COURT_STATEMENT: "Court statement",
            ManualKind.LETTERS_EMAIL: "Letters / email",
            ManualKind.OTHER: "Other",
        }[self]


@dataclass
class RecordingSession:
    user_id: int
    activity: RecordingActivity
    started: datetime
    ended: datetime
    active_seconds: int
    family_id: int | None = None
    id: int | None = None

    def __post_init__(self) -> None:
        self.activity = one_of("activity", "Activity", self.activity, RecordingActivity)
        if self.ended < self.started:
            raise ValidationError("ended", "A recording session cannot end before it starts.")
        if self.active_seconds < 0:
            raise ValidationError("active_seconds", "Active time cannot be negative.")
        span = (self.ended - self.started).total_seconds()
        if self.active_seconds > span + 1:
            raise ValidationError(
                "active_seconds", "Active time cannot be longer than the session."
            )


@dataclass
class ManualEntry:
    user_id: int
    on: date
    minutes: int
    kind: ManualKind
    note: str = ""
    family_id: int | None = None
    id: int | None = None
    #: When it was entered (on screen or by an import): it may be corrected on that day only.
    entered_at: datetime | None = None

    def __post_init__(self) -> None:
        self.minutes = minutes("minutes", "Minutes", self.minutes)
        self.kind = one_of("kind", "Kind of recording", self.kind, ManualKind)
        self.note = optional_text("note", "Note", self.note, max_length=MANUAL_NOTE_MAX)


@dataclass
class BaselineEntry:
    user_id: int
    on: date
    category: TimeCategory
    minutes: int
    id: int | None = None

    def __post_init__(self) -> None:
        self.minutes = minutes("minutes", "Minutes", self.minutes, allow_zero=True)
        self.category = one_of("category", "Category", self.category, TimeCategory)


__all__ = [
    "BaselineEntry",
    "Contact",
    "ContactKind",
    "MANUAL_NOTE_MAX",
    "ManualEntry",
    "ManualKind",
    "RecordingActivity",
    "RecordingSession",
    "TimeCategory",
]
