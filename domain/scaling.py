"""What a family's scaling *is*: the one definition every screen, alert and export uses.

* **Whose scores count**: the overall safety scale only (a danger statement's own scale is
  shown with that statement, never mixed into the family's figure).
* **A person** is a name, ignoring case and spacing ("dana  reid" and "Dana Reid" are one).
* **The family's figure** is the mean of the latest round: each person's most recent overall
  score, each person counted once, rounded to one decimal. A person who has not rescaled keeps
  their last score, so one person rescaling moves the figure by their change alone.
* **A fall** compares each person with their own previous score: the family's scaling "fell"
  when at least one person's latest score is lower than their own previous one (whoever else
  rose); it "rose" when nobody fell and at least one person rose; otherwise it is level.

The caseload (figure and arrow), the family overview, the team dashboard ("Scaling fell") and the
summary's "Latest scaling" text are all built from :func:`family_scaling`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from domain.mapping import ScalingRating

#: One sentence for the help screen and the screens' captions.
DEFINITION = (
    "Family scaling = the mean of each person's latest overall score (0–10); "
    "it fell when anyone's latest score is below their own previous one."
)


class Rated(Protocol):
    """What the definition needs of a rating (domain.mapping.ScalingRating has it)."""

    @property
    def person(self) -> str: ...
    @property
    def rated_on(self) -> date: ...
    @property
    def score(self) -> int: ...
    @property
    def id(self) -> int | None: ...


def person_key(name: str) -> str:
    """Names differing only in case or spacing are the same person."""
    return " ".join(name.split()).casefold()


@dataclass(frozen=True)
class ScaledScore:
    """One overall rating as the caseload's read model returns it (each person's latest two)."""

    person: str
    rated_on: date
    score: int
    id: int | None = None


@dataclass(frozen=True)
class PersonScaling:
    """One person's latest overall score and, if they scaled before, their previous one."""

    person: str
    latest_on: date
    latest: int
    previous_on: date | None = None
    previous: int | None = None

    @property
    def change(self) -> int | None:
        """Latest minus previous (None: scaled once only)."""
        return None if self.previous is None else self.latest - self.previous

    @property
    def fell(self) -> bool:
        return self.change is not None and self.change < 0

    @property
    def rose(self) -> bool:
        return self.change is not None and self.change > 0

    def describe(self) -> str:
        """ "Dana Reid 5→3" (with a previous score) or "Dana Reid 3"."""
        if self.previous is None:
            return f"{self.person} {self.latest}"
        return f"{self.person} {self.previous}→{self.latest}"


@dataclass(frozen=True)
class FamilyScaling:
    """The family's scaling by the one definition (see the module's docstring)."""

    #: Each person's latest score, newest first (then by name).
    people: tuple[PersonScaling, ...] = ()

    @property
    def figure(self) -> float | None:
        """The mean of each person's latest score, to one decimal (None: nobody scaled)."""
        if not self.people:
            return None
        return round(sum(p.latest for p in self.people) / len(self.people), 1)

    @property
    def latest_on(self) -> date | None:
        """The day of the most recent rating counted."""
        return max((p.latest_on for p in self.people), default=None)

    @property
    def fallen(self) -> tuple[PersonScaling, ...]:
        """The people whose latest score is below their own previous one, biggest fall first."""
        return tuple(sorted((p for p in self.people if p.fell), key=lambda p: p.change or 0))

    @property
    def trend(self) -> int:
        """-1 fell (anyone below their own previous score), +1 rose, 0 level or unknown."""
        if any(p.fell for p in self.people):
            return -1
        return 1 if any(p.rose for p in self.people) else 0

    @property
    def fall(self) -> int:
        """The biggest single fall (0 when nobody fell)."""
        return max((-(p.change or 0) for p in self.fallen), default=0)

    def figure_text(self) -> str:
        """ "4.5/10" or "—"."""
        return "—" if self.figure is None else f"{self.figure:g}/10"


def family_scaling(ratings: Iterable[Rated]) -> FamilyScaling:
    """The family's scaling from its overall ratings (any order; only each person's latest two
    matter). Ratings on the same day are ordered by id: the later one is the newer."""
    by_person: dict[str, list[Rated]] = {}
    shown: dict[str, str] = {}
    ordered = sorted(ratings, key=lambda r: (r.rated_on, r.id or 0))
    for r in ordered:
        key = person_key(r.person)
        shown.setdefault(key, " ".join(r.person.split()))
        by_person.setdefault(key, []).append(r)
    people = []
    for key, found in by_person.items():
        latest = found[-1]
        previous = found[-2] if len(found) > 1 else None
        people.append(
            PersonScaling(
                shown[key],
                latest.rated_on,
                latest.score,
                previous.rated_on if previous else None,
                previous.score if previous else None,
            )
        )
    people.sort(key=lambda p: (-p.latest_on.toordinal(), p.person.casefold()))
    return FamilyScaling(tuple(people))


def _day(d: date) -> str:
    return f"{d.day} {d:%b %Y}"


def summary_text(ratings: Iterable[ScalingRating]) -> str:
    """The "Latest scaling" section of a case summary, from the family's overall ratings: the
    family's figure by the one definition, then each person's latest score with its date, their
    previous score, and their reason; the anchors' wording when everyone used the same. Empty
    when nobody has scaled."""
    overall = [r for r in ratings if r.danger_key is None]
    scaling = family_scaling(overall)
    if scaling.figure is None or scaling.latest_on is None:
        return ""
    latest: dict[str, ScalingRating] = {}
    for r in sorted(overall, key=lambda r: (r.rated_on, r.id or 0)):
        latest[person_key(r.person)] = r
    trend = {1: "rising", 0: "level", -1: "falling"}[scaling.trend]
    lines = [
        f"Family scaling {scaling.figure_text()} on {_day(scaling.latest_on)} "
        f"(the mean of each person's latest score; {trend})."
    ]
    for p in scaling.people:
        r = latest[person_key(p.person)]
        role = f" ({r.person_role})" if r.person_role else ""
        was = (
            f", was {p.previous} on {_day(p.previous_on)}"
            if p.previous is not None and p.previous_on is not None
            else ""
        )
        reason = f" Why: {r.reason}" if r.reason else ""
        lines.append(f"- {p.person}{role}: {p.latest}/10 on {_day(p.latest_on)}{was}.{reason}")
    anchors = {(latest[k].anchor_zero, latest[k].anchor_ten) for k in latest}
    if len(anchors) == 1:
        zero, ten = anchors.pop()
        lines.append(f"0 = {zero.rstrip('.')}; 10 = {ten.rstrip('.')}.")
    return "\n".join(lines)


__all__ = [
    "DEFINITION",
    "FamilyScaling",
    "PersonScaling",
    "Rated",
    "ScaledScore",
    "family_scaling",
    "person_key",
    "summary_text",
]
