"""Signs of Safety mapping: three columns, seven categories, danger statement ↔ safety goal pairs,
and 0–10 scaling by each participant."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from domain.errors import ValidationError
from domain.stored import Stored
from domain.validate import one_of, optional_text, required_text

DEFAULT_ANCHOR_ZERO = "The children cannot safely stay at home."
DEFAULT_ANCHOR_TEN = "There is enough safety to close the case."


class Column(StrEnum):
    WORRIED_ABOUT = "worried_about"
    WORKING_WELL = "working_well"
    NEEDS_TO_HAPPEN = "needs_to_happen"

    @property
    def label(self) -> str:
        return {
            Column.WORRIED_ABOUT: "What are we worried about?",
            Column.WORKING_WELL: "What's working well?",
            Column.NEEDS_TO_HAPPEN: "What needs to happen?",
        }[self]


class Category(StrEnum):
    """The seven analysis categories. Danger statements and safety goals are held as pairs."""

    HARM = "harm"
    DANGER_STATEMENT = "danger_statement"
    COMPLICATING_FACTORS = "complicating_factors"
    EXISTING_STRENGTHS = "existing_strengths"
    EXISTING_SAFETY = "existing_safety"
    SAFETY_GOAL = "safety_goal"
    NEXT_STEPS = "next_steps"

    @property
    def column(self) -> Column:
        if self in (Category.HARM, Category.DANGER_STATEMENT, Category.COMPLICATING_FACTORS):
            return Column.WORRIED_ABOUT
        if self in (Category.EXISTING_STRENGTHS, Category.EXISTING_SAFETY):
            return Column.WORKING_WELL
        return Column.NEEDS_TO_HAPPEN

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


#: Categories whose items are free-standing lines (the other two come as pairs).
ITEM_CATEGORIES = (
    Category.HARM,
    Category.COMPLICATING_FACTORS,
    Category.EXISTING_STRENGTHS,
    Category.EXISTING_SAFETY,
    Category.NEXT_STEPS,
)


@dataclass(frozen=True)
class MappingItem:
    category: Category
    text: str

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "category", one_of("category", "Category", self.category, Category)
        )
        if self.category not in ITEM_CATEGORIES:
            raise ValidationError(
                "category", "Danger statements and safety goals are entered as a pair."
            )
        object.__setattr__(
            self,
            "text",
            required_text("item.text", self.category.label, self.text, max_length=2000),
        )


@dataclass(frozen=True)
class DangerStatement:
    who_is_worried: str
    worried_about: str
    if_nothing_changes: str

    def __post_init__(self) -> None:
        object.__setattr__(
            self,
            "who_is_worried",
            required_text(
                "danger.who_is_worried", "Who is worried", self.who_is_worried, max_length=500
            ),
        )
        object.__setattr__(
            self,
            "worried_about",
            required_text(
                "danger.worried_about",
                "What they are worried about",
                self.worried_about,
                max_length=2000,
            ),
        )
        object.__setattr__(
            self,
            "if_nothing_changes",
            required_text(
                "danger.if_nothing_changes",
                "What will happen if nothing changes",
                self.if_nothing_changes,
                max_length=2000,
            ),
        )

    @property
    def text(self) -> str:
        return f"{self.who_is_worried} are worried that {self.worried_about}. If nothing changes, {self.if_nothing_changes}"


@dataclass(frozen=True)
class SafetyGoal:
    parents_will: str
    child_will_experience: str
    professionals_will_see: str
    for_how_long: str

    def __post_init__(self) -> None:
        object.__setattr__(
            self,
            "parents_will",
            required_text(
                "goal.parents_will", "What the parents will do", self.parents_will, max_length=2000
            ),
        )
        object.__setattr__(
            self,
            "child_will_experience",
            required_text(
                "goal.child_will_experience",
                "What the child will experience",
                self.child_will_experience,
                max_length=2000,
            ),
        )
        object.__setattr__(
            self,
            "professionals_will_see",
            required_text(
                "goal.professionals_will_see",
                "What professionals will see",
                self.professionals_will_see,
                max_length=2000,
            ),
        )
        object.__setattr__(
            self,
            "for_how_long",
            required_text("goal.for_how_long", "For how long", self.for_how_long, max_length=200),
        )


@dataclass(frozen=True)
class DangerPair:
    danger: DangerStatement
    goal: SafetyGoal
    #: Stable across revisions, so plan goals can link to it.
    key: str = ""

    def __post_init__(self) -> None:
        if not self.key:
            object.__setattr__(self, "key", uuid.uuid4().hex[:12])


@dataclass(frozen=True)
class MappingContent:
    held_on: date
    participants: tuple[str, ...] = ()
    items: tuple[MappingItem, ...] = ()
    pairs: tuple[DangerPair, ...] = ()

    def __post_init__(self) -> None:
        names = tuple(p.strip() for p in self.participants if p and p.strip())
        object.__setattr__(self, "participants", names)
        object.__setattr__(self, "items", tuple(self.items))
        object.__setattr__(self, "pairs", tuple(self.pairs))

    def items_in(self, category: Category) -> list[MappingItem]:
        return [i for i in self.items if i.category is category]


@dataclass(frozen=True)
class MappingRevision:
    number: int
    content: MappingContent
    author_id: int
    saved_at: datetime
    #: The other author when this revision merges their concurrent revision (issue 11).
    co_author_id: int | None = None


@dataclass
class Mapping(Stored):
    family_id: int
    current: MappingContent
    revision: int
    id: int | None = None
    updated_at: datetime | None = None


@dataclass
class ScalingRating:
    """One person's 0–10 judgement, with the reason and the wording of both anchors used."""

    family_id: int
    rated_on: date
    person: str
    person_role: str
    score: int
    reason: str
    anchor_zero: str = DEFAULT_ANCHOR_ZERO
    anchor_ten: str = DEFAULT_ANCHOR_TEN
    mapping_id: int | None = None
    danger_key: str | None = None
    id: int | None = None
    recorded_by: int | None = None

    def __post_init__(self) -> None:
        if isinstance(self.score, bool) or not isinstance(self.score, int):
            raise ValidationError("score", "Scaling score must be a whole number from 0 to 10.")
        if not 0 <= self.score <= 10:
            raise ValidationError(
                "score", f"Scaling score must be between 0 and 10 (got {self.score})."
            )
        self.person = required_text("person", "Who is scaling", self.person, max_length=120)
        self.person_role = optional_text(
            "person_role", "Their role", self.person_role, max_length=80
        )
        self.reason = required_text(
            "reason", "The reason for the score", self.reason, max_length=2000
        )
        self.anchor_zero = required_text(
            "anchor_zero", "What 0 means", self.anchor_zero, max_length=500
        )
        self.anchor_ten = required_text(
            "anchor_ten", "What 10 means", self.anchor_ten, max_length=500
        )


# --- merging two people's edits of a mapping (issue 11, item 2) ----------------------------------

#: Parts that hold one value: "keep both" is not offered for them.
SINGLE_MAPPING_PARTS = frozenset({"held_on"})

_PAIR_FIELDS = (
    "who_is_worried",
    "worried_about",
    "if_nothing_changes",
    "parents_will",
    "child_will_experience",
    "professionals_will_see",
    "for_how_long",
)


def _pair_dict(p: DangerPair) -> dict[str, str]:
    d, g = p.danger, p.goal
    return {
        "who_is_worried": d.who_is_worried,
        "worried_about": d.worried_about,
        "if_nothing_changes": d.if_nothing_changes,
        "parents_will": g.parents_will,
        "child_will_experience": g.child_will_experience,
        "professionals_will_see": g.professionals_will_see,
        "for_how_long": g.for_how_long,
    }


def mapping_parts(content: MappingContent | None) -> dict[str, str]:
    """A mapping as named parts for a three-way merge: the date, the participants and each
    category's items (one a line), and each danger statement with its safety goal (by its
    stable key; a JSON list so that keeping both is a list of two)."""
    if content is None:
        return {}
    parts = {
        "held_on": content.held_on.isoformat(),
        "participants": "\n".join(content.participants),
    }
    for category in ITEM_CATEGORIES:
        parts[f"items:{category.value}"] = "\n".join(i.text for i in content.items_in(category))
    for pair in content.pairs:
        parts[f"pair:{pair.key}"] = json.dumps([_pair_dict(pair)], sort_keys=True)
    return parts


def _union_lines(theirs: str, yours: str) -> str:
    lines = [line for line in theirs.splitlines() if line.strip()]
    have = {line.strip() for line in lines}
    lines += [line for line in yours.splitlines() if line.strip() and line.strip() not in have]
    return "\n".join(lines)


def combine_mapping_parts(key: str, theirs: str, yours: str) -> str:
    """Keep both: both pairs, or every line of both lists (none twice)."""
    if key.startswith("pair:"):
        return json.dumps(
            (json.loads(theirs) if theirs else []) + (json.loads(yours) if yours else []),
            sort_keys=True,
        )
    return _union_lines(theirs, yours)


def mapping_part_label(key: str) -> str:
    if key == "held_on":
        return "Date of the mapping"
    if key == "participants":
        return "Participants"
    if key.startswith("items:"):
        return Category(key.split(":", 1)[1]).label
    return "A danger statement and its safety goal"


def show_mapping_part(key: str, value: str) -> str:
    if not key.startswith("pair:"):
        return value or "(empty)"
    pairs = json.loads(value) if value else []
    if not pairs:
        return "(removed)"
    return "\n\n".join(
        f"{p['who_is_worried']} are worried that {p['worried_about']}. If nothing changes, "
        f"{p['if_nothing_changes']}\nSafety goal: {p['parents_will']} / "
        f"{p['child_will_experience']} / {p['professionals_will_see']} ({p['for_how_long']})"
        for p in pairs
    )


def mapping_from_parts(parts: dict[str, str]) -> MappingContent:
    """The merged mapping (pairs in the order their parts come; a pair kept twice gets a new
    key for its second copy)."""
    items = [
        MappingItem(category, line.strip())
        for category in ITEM_CATEGORIES
        for line in parts.get(f"items:{category.value}", "").splitlines()
        if line.strip()
    ]
    pairs: list[DangerPair] = []
    seen: set[str] = set()
    for key, value in parts.items():
        if not key.startswith("pair:") or not value:
            continue
        for p in json.loads(value):
            stable = key.split(":", 1)[1]
            pair = DangerPair(
                DangerStatement(p["who_is_worried"], p["worried_about"], p["if_nothing_changes"]),
                SafetyGoal(
                    p["parents_will"],
                    p["child_will_experience"],
                    p["professionals_will_see"],
                    p["for_how_long"],
                ),
                key="" if stable in seen else stable,
            )
            seen.add(stable)
            pairs.append(pair)
    return MappingContent(
        held_on=date.fromisoformat(parts["held_on"]),
        participants=tuple(parts.get("participants", "").splitlines()),
        items=tuple(items),
        pairs=tuple(pairs),
    )
