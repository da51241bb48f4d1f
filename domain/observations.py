"""Audio-recorded practice sessions, the family's consent, and a practice lead's feedback."""

from __future__ import annotations

import hashlib
import statistics
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from domain.errors import ValidationError
from domain.stored import Stored
from domain.validate import one_of, optional_text, required_text

SKILFUL = 3.5


class Skill(StrEnum):
    EMPATHY = "empathy"
    COLLABORATION = "collaboration"
    AUTONOMY = "autonomy"
    EVOCATION = "evocation"
    PURPOSEFULNESS = "purposefulness"
    CLARITY = "clarity"
    CHILD_FOCUS = "child_focus"

    @property
    def label(self) -> str:
        return {Skill.CLARITY: "Clarity about concerns", Skill.CHILD_FOCUS: "Child focus"}.get(
            self, self.value.capitalize()
        )


class SkillGroup(StrEnum):
    CARE = "care"
    GOOD_AUTHORITY = "good_authority"
    EVOCATION = "evocation"

    @property
    def label(self) -> str:
        return {
            SkillGroup.CARE: "Care",
            SkillGroup.GOOD_AUTHORITY: "Good authority",
            SkillGroup.EVOCATION: "Evocation",
        }[self]

    @property
    def skills(self) -> tuple[Skill, ...]:
        return {
            SkillGroup.CARE: (Skill.EMPATHY, Skill.COLLABORATION, Skill.AUTONOMY),
            SkillGroup.GOOD_AUTHORITY: (Skill.PURPOSEFULNESS, Skill.CLARITY, Skill.CHILD_FOCUS),
            SkillGroup.EVOCATION: (Skill.EVOCATION,),
        }[self]


class ConsentKind(StrEnum):
    CONSENT = "consent"  # an adult's consent
    ASSENT = "assent"  # a child's assent


class ConsentMethod(StrEnum):
    WRITTEN = "written"
    VERBAL = "verbal"


@dataclass
class Consent:
    person: str
    kind: ConsentKind
    given_on: date
    method: ConsentMethod
    scope: str
    obtained_by: int
    observation_id: int | None = None
    member_id: int | None = None
    withdrawn_on: date | None = None
    id: int | None = None

    def __post_init__(self) -> None:
        self.person = required_text("person", "Who gave consent", self.person, max_length=120)
        self.kind = one_of("kind", "Kind of consent", self.kind, ConsentKind)
        self.method = one_of("method", "How consent was given", self.method, ConsentMethod)
        self.scope = required_text("scope", "Scope of consent", self.scope, max_length=500)
        if self.withdrawn_on is not None and self.withdrawn_on < self.given_on:
            raise ValidationError(
                "withdrawn_on", "Consent cannot be withdrawn before it was given."
            )

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_on is not None


@dataclass
class Observation(Stored):
    family_id: int
    practitioner_id: int
    session_date: date
    #: The recording's address; None once consent was withdrawn (it is erased at once).
    link: str | None
    duration_seconds: int | None = None
    id: int | None = None
    consents: list[Consent] = field(default_factory=list)
    created_by: int | None = None
    created_at: datetime | None = None
    #: When consent was withdrawn and the address erased (the name is from when it was only
    #: marked for deletion).
    marked_for_deletion_at: datetime | None = None
    #: Who recorded the withdrawal.
    withdrawn_by: int | None = None

    def __post_init__(self) -> None:
        if self.withdrawn:
            self.link = None  # a withdrawn recording never carries its address
        else:
            self.link = required_text("link", "Recording link", self.link, max_length=2000)
        if self.duration_seconds is not None and self.duration_seconds <= 0:
            raise ValidationError(
                "duration", "The recording's duration must be more than 0 seconds."
            )

    @property
    def withdrawn(self) -> bool:
        return self.marked_for_deletion_at is not None or any(c.is_withdrawn for c in self.consents)

    @property
    def visible_link(self) -> str | None:
        """The link, or None once consent has been withdrawn. Screens show only this; they open a
        recording only through ``domain.services.observations.open_recording``."""
        return None if self.withdrawn else self.link


@dataclass(frozen=True)
class ErasedRecording:
    """What is kept of a recording address erased after consent was withdrawn: its fingerprint
    (:func:`address_fingerprint`), who withdrew and when, never the address."""

    address_sha256: str
    erased_at: datetime
    withdrawn_person: str
    withdrawn_on: date


def address_fingerprint(link: str) -> str:
    """SHA-256 of a recording address, normalised (trimmed, lower case), so an erased address can
    be recognised without being kept."""
    normal = " ".join((link or "").split()).lower()
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


def parse_timestamp(text: str) -> int:
    """'mm:ss' or 'h:mm:ss' to seconds, with a readable error (format_timestamp writes it back
    the same way: 1:02:03 reads and shows as 1:02:03)."""
    parts = (text or "").strip().split(":")
    try:
        if len(parts) == 2:
            m, s = int(parts[0]), int(parts[1])
            h = 0
        elif len(parts) == 3:
            h, m, s = (int(p) for p in parts)
        else:
            raise ValueError
    except ValueError:
        raise ValidationError(
            "at",
            f"Time must be written mm:ss or h:mm:ss, for example 12:05 or 1:02:03 (got {text!r}).",
        ) from None
    if min(h, m, s) < 0 or s >= 60 or (len(parts) == 3 and m >= 60):
        raise ValidationError(
            "at",
            f"Time must be written mm:ss or h:mm:ss with minutes and seconds under 60 "
            f"(got {text!r}).",
        )
    return h * 3600 + m * 60 + s


def format_timestamp(seconds: int) -> str:
    """mm:ss under an hour (05:07), h:mm:ss from an hour on (1:02:03)."""
    h, rest = divmod(int(seconds), 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"


@dataclass(frozen=True)
class TimedComment:
    at_seconds: int
    text: str

    def __post_init__(self) -> None:
        if self.at_seconds < 0:
            raise ValidationError("at", "A comment's time cannot be negative.")
        object.__setattr__(
            self, "text", required_text("comment", "Comment", self.text, max_length=2000)
        )

    @property
    def at(self) -> str:
        return format_timestamp(self.at_seconds)


@dataclass(frozen=True)
class Reply:
    author_id: int
    text: str
    at: datetime

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "text", required_text("reply", "Reply", self.text, max_length=5000)
        )


def check_rating(skill: Skill, value: float | str) -> float:  # a number, or as typed
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ValidationError(skill.value, f"{skill.label} must be a number from 1 to 5.") from None
    if not 1 <= v <= 5 or (v * 2) != int(v * 2):
        raise ValidationError(
            skill.value, f"{skill.label} must be from 1 to 5 in half points (got {value})."
        )
    return v


def group_coverage(ratings: Mapping[Skill, float], group: SkillGroup) -> tuple[int, int]:
    """(skills of ``group`` rated in ``ratings``, skills in ``group``)."""
    return sum(1 for s in group.skills if s in ratings), len(group.skills)


@dataclass
class Feedback(Stored):
    observation_id: int
    lead_id: int
    ratings: dict[Skill, float] = field(default_factory=dict)
    comments: list[TimedComment] = field(default_factory=list)
    strengths: str = ""
    one_thing_to_try: str = ""
    replies: list[Reply] = field(default_factory=list)
    id: int | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None

    def __post_init__(self) -> None:
        skills = {k: one_of("skill", "Skill", k, Skill) for k in self.ratings}
        self.ratings = {skills[k]: check_rating(skills[k], v) for k, v in self.ratings.items()}
        self.comments = sorted(self.comments, key=lambda c: c.at_seconds)
        self.strengths = optional_text("strengths", "Strengths", self.strengths, max_length=5000)
        self.one_thing_to_try = optional_text(
            "one_thing_to_try", "One thing to try", self.one_thing_to_try, max_length=2000
        )

    def check_against(self, duration_seconds: int | None) -> None:
        if duration_seconds is None:
            return
        for c in self.comments:
            if c.at_seconds > duration_seconds:
                raise ValidationError(
                    "at",
                    f"Comment at {c.at} is past the end of the recording ({format_timestamp(duration_seconds)}).",
                )

    def check_given(self) -> None:
        """Feedback counts as given only when it says something: at least one rating, comment,
        strength or thing to try. An untouched form is refused (the practitioner would
        otherwise be told of "feedback" that holds nothing)."""
        if not (
            self.ratings or self.comments or self.strengths.strip() or self.one_thing_to_try.strip()
        ):
            raise ValidationError(
                Skill.EMPATHY.value,
                "This feedback is empty: give at least one rating, a comment, a strength or one "
                "thing to try before saving it as given.",
            )

    def group_mean(self, group: SkillGroup) -> float | None:
        values = [self.ratings[s] for s in group.skills if s in self.ratings]
        return round(statistics.fmean(values), 2) if values else None

    def group_rated(self, group: SkillGroup) -> tuple[int, int]:
        """How many of the group's skills are rated, of how many: a mean over fewer than all of
        them is partial and is shown as such."""
        return group_coverage(self.ratings, group)

    @property
    def complete(self) -> bool:
        return all(s in self.ratings for s in Skill)
