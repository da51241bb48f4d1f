"""Time with families (the contact log) and time spent recording: automatic sessions, manual
entries, and the pre-trial baseline."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from domain.errors import ValidationError
from domain.stored import Stored
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


#: A contact longer than this many minutes is accepted with a warning. Four hours is longer than
#: any home visit, office or school contact, and longer than the conferences and family meetings
#: the demo teams log (up to about three hours); beyond it the likeliest cause is a slip of the
#: keyboard (900 typed for 90), which the practitioner should see before the figure reaches the
#: burden report, yet a long court day or a crisis can be real, so it is never refused.
LONG_CONTACT_MINUTES = 240


@dataclass(frozen=True)
class ChildSeen:
    """One child seen at a contact: the family member (None once that member has been removed
    from the family), their name as it was at the contact, and whether they were seen alone."""

    member_id: int | None
    name: str
    alone: bool = False


@dataclass
class Contact(Stored):
    family_id: int
    practitioner_id: int
    on: date
    start: time
    minutes: int
    kind: ContactKind
    note: str
    present: str = ""
    #: The children seen, each marked whether seen alone (the visiting standard is per child).
    seen: tuple[ChildSeen, ...] = ()
    travel_minutes: int = 0
    id: int | None = None
    logged_at: datetime | None = None
    edited_at: datetime | None = None

    @property
    def child_seen(self) -> bool:
        """At least one child was seen."""
        return bool(self.seen)

    @property
    def seen_alone(self) -> bool:
        """At least one child was seen alone."""
        return any(c.alone for c in self.seen)

    def seen_text(self) -> str:
        """Who was seen, for lists and the detail view: "Leo (alone), Mia", or "no child seen"."""
        if not self.seen:
            return "no child seen"
        return ", ".join(f"{c.name} (alone)" if c.alone else c.name for c in self.seen)

    @property
    def ends(self) -> datetime:
        """Local wall-clock end (naive): start plus minutes (may fall on the next day)."""
        return datetime.combine(self.on, self.start) + timedelta(minutes=self.minutes)

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
        self.seen = tuple(self.seen)
        ids = [c.member_id for c in self.seen if c.member_id is not None]
        if len(ids) != len(set(ids)):
            raise ValidationError("seen", "A child is marked as seen twice.")


def children_seen_from_flags(
    present: str, children: list[tuple[int, str]], child_seen: bool, seen_alone: bool
) -> tuple[ChildSeen, ...]:
    """Per-child "seen" for a contact recorded with one family-wide flag (contacts logged before
    migration 0014, and the demo data): the children named in "who was present" (a child's first
    name as a whole word, ignoring case) were seen; if the line names none of them, every child of
    the family was, which is what the single flag claimed for the visiting standard. "Seen alone"
    goes to the same children: the flag did not say which, and no child seen loses the mark.
    ``children``: (member id, name) of the family's children."""
    if not child_seen or not children:
        return ()
    words = {w.casefold() for w in re.findall(r"\w+", present)}
    named = [(i, n) for i, n in children if n.split() and n.split()[0].casefold() in words]
    return tuple(ChildSeen(i, n, seen_alone) for i, n in (named or children))


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
    #: Writing up a family network meeting (tui/family/meetings.py): its own line in the burden
    #: report, never counted as contact logging.
    NETWORK_MEETING = "network_meeting"

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
            RecordingActivity.NETWORK_MEETING: "Network meeting",
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
class ManualEntry(Stored):
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
