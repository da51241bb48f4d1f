"""Three-way merge of a record's parts when two people edited it at once (issue 11, item 2).

``base`` is what the editor opened, ``theirs`` what is stored now, ``yours`` what the editor
holds. Each part (a summary section, a plan field or goal, a mapping field or pair) is taken
whole: a part only one side changed takes that side's text; a part both changed the same way is
that text; a part both changed differently is a clash for the user to decide (keep mine, keep
theirs, keep both). Nothing here reads or writes storage: pure functions over mappings.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Generic, TypeVar

K = TypeVar("K", bound=Hashable)

#: Between the two texts when both are kept.
BOTH_SEPARATOR = "\n\n"


class Choice(StrEnum):
    MINE = "mine"
    THEIRS = "theirs"
    BOTH = "both"

    @property
    def label(self) -> str:
        return {"mine": "keep mine", "theirs": "keep theirs", "both": "keep both"}[self.value]


@dataclass(frozen=True)
class Clash(Generic[K]):
    """A part both people changed, differently."""

    key: K
    base: str
    theirs: str
    yours: str


@dataclass(frozen=True)
class Merge(Generic[K]):
    """The parts merged without asking, the clashes to decide, and which parts came from them."""

    merged: dict[K, str]
    clashes: tuple[Clash[K], ...] = ()
    #: Parts only the other person changed (their text was taken).
    taken_from_theirs: tuple[K, ...] = ()
    #: Parts only the editor changed (the editor's text was kept).
    kept_from_yours: tuple[K, ...] = field(default=())
    #: Parts that hold one value (a date): "keep both" is not offered for them.
    single: frozenset[K] = frozenset()

    @property
    def clean(self) -> bool:
        return not self.clashes


def three_way(
    base: Mapping[K, str],
    theirs: Mapping[K, str],
    yours: Mapping[K, str],
    single: frozenset[K] = frozenset(),
) -> Merge[K]:
    """Merge part by part; a part missing on a side is empty text there. Keys keep the order
    of ``theirs`` then any new ones of ``yours``."""
    keys: list[K] = list(dict.fromkeys([*theirs, *yours, *base]))
    merged: dict[K, str] = {}
    clashes: list[Clash[K]] = []
    from_theirs: list[K] = []
    from_yours: list[K] = []
    for key in keys:
        b, t, y = base.get(key, ""), theirs.get(key, ""), yours.get(key, "")
        if t == y:
            merged[key] = t
        elif y == b:
            merged[key] = t
            from_theirs.append(key)
        elif t == b:
            merged[key] = y
            from_yours.append(key)
        else:
            merged[key] = t  # until the user decides
            clashes.append(Clash(key, b, t, y))
    return Merge(merged, tuple(clashes), tuple(from_theirs), tuple(from_yours), single)


def both(theirs: str, yours: str) -> str:
    """Both texts, theirs first; one text when either is empty or they are the same."""
    if not theirs.strip() or theirs == yours:
        return yours
    if not yours.strip():
        return theirs
    return f"{theirs.rstrip()}{BOTH_SEPARATOR}{yours.lstrip()}"


Combine = Callable[[Any, str, str], str]


def decide(clash: Clash[K], choice: Choice, combine: Combine | None = None) -> str:
    if choice is Choice.MINE:
        return clash.yours
    if choice is Choice.THEIRS:
        return clash.theirs
    if combine is not None:
        return combine(clash.key, clash.theirs, clash.yours)
    return both(clash.theirs, clash.yours)


def resolve(
    merge: Merge[K], choices: Mapping[K, Choice], combine: Combine | None = None
) -> dict[K, str]:
    """The merged parts with each clash decided. Every clash needs a choice (KeyError names the
    first that has none): a clash is never decided silently. ``combine(key, theirs, yours)``
    keeps both for parts that are not plain text (default: :func:`both`). "Keep both" on a
    single-valued part keeps yours."""
    out = dict(merge.merged)
    for clash in merge.clashes:
        choice = choices[clash.key]
        if choice is Choice.BOTH and clash.key in merge.single:
            choice = Choice.MINE
        out[clash.key] = decide(clash, choice, combine)
    return out
