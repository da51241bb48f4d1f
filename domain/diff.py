"""Readable plain-text renderings of plan and mapping revisions, and the differences between two.

Each record is turned into lines a person can read (labels, one field per line, long text split at
its own line breaks), then :func:`unified` compares two renderings with difflib.

What the screens show is the plain-language form: :func:`plan_changes` and
:func:`summary_changes` list each part (field, goal, action, section) that was added, removed or
changed, and each changed text word by word (:func:`word_diff`).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping as MappingType
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from domain.mapping import ITEM_CATEGORIES, MappingContent
from domain.plans import PlanAction, PlanContent, PlanGoal
from domain.summaries import SummaryEvent, SummarySection, SummaryVersion

INDENT = "    "


def _block(label: str, text: str, indent: str = "") -> list[str]:
    """``label:`` then the text, one indented line per line of the text (or "(none)")."""
    lines = [line.rstrip() for line in text.splitlines()] if text.strip() else []
    if not lines:
        return [f"{indent}{label}: (none)"]
    if len(lines) == 1:
        return [f"{indent}{label}: {lines[0]}"]
    return [f"{indent}{label}:"] + [f"{indent}{INDENT}{line}" for line in lines]


def children_label(child_ids: tuple[int, ...], child_names: MappingType[int, str]) -> str:
    if not child_ids:
        return "all the children"
    return ", ".join(child_names.get(i, f"child #{i}") for i in child_ids)


def plan_lines(
    content: PlanContent,
    *,
    child_names: MappingType[int, str] | None = None,
    danger_texts: MappingType[str, str] | None = None,
) -> list[str]:
    """The plan as labelled plain-text lines. ``child_names`` maps member ids to names and
    ``danger_texts`` danger keys to statements, so the reader sees names rather than ids."""
    child_names = child_names or {}
    danger_texts = danger_texts or {}
    lines = [
        f"Plan starts: {content.start_date.isoformat()}",
        f"Review date: {content.review_date.isoformat()}",
    ]
    lines += _block("What the family wants", content.family_words)
    if not content.goals:
        lines.append("Goals: (none)")
    for g, goal in enumerate(content.goals, start=1):
        lines += _block(f"Goal {g}", goal.text)
        lines.append(f"{INDENT}For: {children_label(goal.child_ids, child_names)}")
        if goal.danger_key:
            worry = danger_texts.get(goal.danger_key, f"(danger statement {goal.danger_key})")
            lines += _block("Linked danger statement", worry, INDENT)
        for a, action in enumerate(goal.actions, start=1):
            lines += _block(f"Action {g}.{a}", action.what, INDENT)
            lines.append(f"{INDENT * 2}Who: {action.who}")
            by_when = action.by_when.isoformat() if action.by_when else "(no date)"
            lines.append(f"{INDENT * 2}By when: {by_when}")
            lines.append(f"{INDENT * 2}Status: {action.status.label}")
    lines += _block("If the plan isn't working", content.contingency)
    agreed_on = content.agreed_on.isoformat() if content.agreed_on else "(not yet)"
    lines.append(f"Agreed with the family on: {agreed_on}")
    lines += _block("Agreed with", content.agreed_with)
    return lines


def mapping_lines(content: MappingContent) -> list[str]:
    """The mapping as labelled plain-text lines, column by column."""
    lines = [f"Held on: {content.held_on.isoformat()}"]
    lines.append("Participants: " + (", ".join(content.participants) or "(none)"))
    for category in ITEM_CATEGORIES:
        items = content.items_in(category)
        if not items:
            lines.append(f"{category.label}: (none)")
            continue
        lines.append(f"{category.label} ({category.column.label})")
        for item in items:
            first, *rest = item.text.splitlines() or [""]
            lines.append(f"{INDENT}- {first.rstrip()}")
            lines += [f"{INDENT}  {line.rstrip()}" for line in rest]
    for n, pair in enumerate(content.pairs, start=1):
        lines.append(f"Danger statement {n} [{pair.key}]")
        lines += _block("Who is worried", pair.danger.who_is_worried, INDENT)
        lines += _block("Worried about", pair.danger.worried_about, INDENT)
        lines += _block("If nothing changes", pair.danger.if_nothing_changes, INDENT)
        lines.append(f"Safety goal {n}")
        lines += _block("Parents will", pair.goal.parents_will, INDENT)
        lines += _block("The child will experience", pair.goal.child_will_experience, INDENT)
        lines += _block("Professionals will see", pair.goal.professionals_will_see, INDENT)
        lines += _block("For how long", pair.goal.for_how_long, INDENT)
    return lines


def unified(
    before: list[str], after: list[str], before_label: str, after_label: str, context: int = 3
) -> list[str]:
    """A unified diff of two renderings, as lines without line endings (empty if identical)."""
    return list(
        difflib.unified_diff(
            before, after, fromfile=before_label, tofile=after_label, n=context, lineterm=""
        )
    )


# --- plain-language changes ---------------------------------------------------------------------
#
# What changed between two versions of a plan or a summary, part by part (each goal, action and
# field; each summary section), each part's text compared word by word, in words a reader uses.


class Change(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"


class Mark(StrEnum):
    SAME = "same"
    ADDED = "added"
    REMOVED = "removed"


@dataclass(frozen=True)
class Words:
    """A run of words, kept, added or taken out (whitespace as written)."""

    text: str
    mark: Mark = Mark.SAME


#: Texts sharing less than this share of their words are shown as rewritten (all out, all in).
REWRITTEN = 0.4

#: An unchanged run longer than this many words is shortened to its ends ("…" between).
KEEP_WORDS = 6


@dataclass(frozen=True)
class PartChange:
    """One part (a field, a goal, an action, a section) that is new, gone or different."""

    #: Where it is, as a reader names it: "Goal 2 · action 1 · who".
    where: str
    change: Change
    before: str = ""
    after: str = ""

    @property
    def words(self) -> tuple[Words, ...]:
        """The text word by word: for a changed part, what was kept, added and taken out."""
        if self.change is Change.ADDED:
            return (Words(self.after, Mark.ADDED),)
        if self.change is Change.REMOVED:
            return (Words(self.before, Mark.REMOVED),)
        return word_diff(self.before, self.after)

    def sentence(self) -> str:
        """The change in one plain sentence (for screen readers, exports and tests)."""
        if self.change is Change.ADDED:
            return f"{self.where} added: {_quote(self.after)}"
        if self.change is Change.REMOVED:
            return f"{self.where} removed (was {_quote(self.before)})"
        return f"{self.where} changed from {_quote(self.before)} to {_quote(self.after)}"


def _quote(text: str, limit: int = 80) -> str:
    one = " ".join(text.split())
    if not one:
        return "(empty)"
    return f'"{one}"' if len(one) <= limit else f'"{one[: limit - 1]}…"'


_TOKEN = re.compile(r"\s+|[^\s]+")


def _shorten(text: str, first: bool, last: bool) -> str:
    words = text.split()
    if len(words) <= 2 * KEEP_WORDS:
        return text
    head = "" if first else " ".join(words[:KEEP_WORDS]) + " "
    tail = "" if last else " " + " ".join(words[-KEEP_WORDS:])
    lead = " " if text[:1].isspace() and not first else ""
    end = " " if text[-1:].isspace() and not last else ""
    return f"{lead}{head}…{tail}{end}"


#: Texts longer than this many tokens (words and spaces) are compared line by line, then sentence
#: by sentence, and word by word only where those differ: comparing 20,000 words at once would
#: take minutes.
MAX_TOKENS = 2000

_SENTENCE_END = re.compile(r"(?<=[.!?])(?=\s)")


def _token_runs(before: str, after: str) -> list[Words]:
    a, b = _TOKEN.findall(before), _TOKEN.findall(after)
    shared = difflib.SequenceMatcher(None, before.split(), after.split(), autojunk=False).ratio()
    if before.strip() and after.strip() and shared < REWRITTEN:
        # Rewritten rather than edited: a few shared words ("I", "the") would only chop it up.
        return [Words(before, Mark.REMOVED), Words(after, Mark.ADDED)]
    runs: list[Words] = []
    pending = ["", ""]  # taken out, added: one change, even across the spaces between words

    def flush() -> None:
        if pending[0].strip():
            runs.append(Words(pending[0], Mark.REMOVED))
        if pending[1].strip():
            runs.append(Words(pending[1], Mark.ADDED))
        if not pending[0].strip() and not pending[1].strip() and pending[1]:
            runs.append(Words(pending[1], Mark.SAME))
        pending[:] = ["", ""]

    opcodes = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    for n, (op, i1, i2, j1, j2) in enumerate(opcodes):
        if op != "equal":
            pending[0] += "".join(a[i1:i2])
            pending[1] += "".join(b[j1:j2])
            continue
        kept = "".join(a[i1:i2])
        if not kept.strip() and any(pending) and n < len(opcodes) - 1:
            pending[0] += kept if pending[0] else ""
            pending[1] += kept if pending[1] else ""
            continue
        flush()
        runs.append(Words(kept, Mark.SAME))
    flush()
    return runs


def _split(text: str, level: int) -> list[str]:
    if level == 0:
        return text.splitlines(keepends=True)
    return _SENTENCE_END.split(text)


def _runs(before: str, after: str, level: int = 0) -> list[Words]:
    if len(before) + len(after) <= MAX_TOKENS * 4 or (
        len(_TOKEN.findall(before)) + len(_TOKEN.findall(after)) <= MAX_TOKENS
    ):
        return _token_runs(before, after)
    if level > 1:  # one enormous sentence changed: shown whole, out and in
        return [Words(before, Mark.REMOVED), Words(after, Mark.ADDED)]
    a, b = _split(before, level), _split(after, level)
    runs: list[Words] = []
    # autojunk: blank lines repeated between paragraphs are not anchors (they made it slow).
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b).get_opcodes():
        if op == "equal":
            runs.append(Words("".join(a[i1:i2]), Mark.SAME))
        else:
            runs += _runs("".join(a[i1:i2]), "".join(b[j1:j2]), level + 1)
    return runs


def word_diff(before: str, after: str, *, shorten: bool = True) -> tuple[Words, ...]:
    """``before`` to ``after`` word by word: runs kept, added and taken out. With ``shorten``, a
    long unchanged run is cut to its ends, so a one-sentence change in a long paragraph shows
    that sentence, not the paragraph."""
    runs: list[Words] = []
    for run in _runs(before, after):
        if not run.text:
            continue
        if runs and runs[-1].mark is run.mark:
            runs[-1] = Words(runs[-1].text + run.text, run.mark)
        else:
            runs.append(run)
    if shorten:
        runs = [
            Words(_shorten(r.text, i == 0, i == len(runs) - 1), r.mark)
            if r.mark is Mark.SAME
            else r
            for i, r in enumerate(runs)
        ]
    return tuple(runs)


def _field(out: list[PartChange], where: str, before: str, after: str) -> None:
    if before == after:
        return
    if not before.strip():
        out.append(PartChange(where, Change.ADDED, before, after))
    elif not after.strip():
        out.append(PartChange(where, Change.REMOVED, before, after))
    else:
        out.append(PartChange(where, Change.CHANGED, before, after))


def _day(d: date | None, none: str = "") -> str:
    return f"{d.day} {d:%b %Y}" if d else none


def _pairs(before: list[str], after: list[str]) -> list[tuple[int | None, int | None]]:
    """Which item of ``before`` became which of ``after`` (None: added or removed): items with
    the same text are the same; between them, items are paired in order."""
    pairs: list[tuple[int | None, int | None]] = []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            pairs += [(i1 + k, j1 + k) for k in range(i2 - i1)]
            continue
        olds, news = list(range(i1, i2)), list(range(j1, j2))
        n = min(len(olds), len(news))
        pairs += [(olds[k], news[k]) for k in range(n)]
        pairs += [(i, None) for i in olds[n:]]
        pairs += [(None, j) for j in news[n:]]
    return pairs


def _action_text(action: PlanAction) -> str:
    by = f", by {_day(action.by_when)}" if action.by_when else ""
    return f"{action.what} ({action.who}{by}; {action.status.label.lower()})"


def _goal_text(goal: PlanGoal, child_names: MappingType[int, str]) -> str:
    text = f"{goal.text} (for {children_label(goal.child_ids, child_names)})"
    for n, action in enumerate(goal.actions, start=1):
        text += f"\nAction {n}: {_action_text(action)}"
    return text


def plan_changes(
    before: PlanContent,
    after: PlanContent,
    *,
    child_names: MappingType[int, str] | None = None,
    danger_texts: MappingType[str, str] | None = None,
) -> list[PartChange]:
    """What changed from one plan revision to another, per field, goal and action (each goal and
    action numbered as in the newer revision; a removed one as in the older)."""
    names = child_names or {}
    dangers = danger_texts or {}
    out: list[PartChange] = []
    _field(out, "Plan starts", _day(before.start_date), _day(after.start_date))
    _field(out, "Review date", _day(before.review_date), _day(after.review_date))
    _field(out, "What the family wants", before.family_words, after.family_words)
    for i, j in _pairs([g.text for g in before.goals], [g.text for g in after.goals]):
        if i is None and j is not None:
            out.append(
                PartChange(f"Goal {j + 1}", Change.ADDED, "", _goal_text(after.goals[j], names))
            )
            continue
        if j is None and i is not None:
            out.append(
                PartChange(f"Goal {i + 1}", Change.REMOVED, _goal_text(before.goals[i], names), "")
            )
            continue
        assert i is not None and j is not None
        old, new = before.goals[i], after.goals[j]
        goal = f"Goal {j + 1}"
        _field(out, goal, old.text, new.text)
        _field(
            out,
            f"{goal} · for",
            children_label(old.child_ids, names),
            children_label(new.child_ids, names),
        )
        _field(
            out,
            f"{goal} · linked danger statement",
            dangers.get(old.danger_key, old.danger_key) if old.danger_key else "",
            dangers.get(new.danger_key, new.danger_key) if new.danger_key else "",
        )
        for k, m in _pairs([a.what for a in old.actions], [a.what for a in new.actions]):
            if k is None and m is not None:
                out.append(
                    PartChange(
                        f"{goal} · action {m + 1}", Change.ADDED, "", _action_text(new.actions[m])
                    )
                )
                continue
            if m is None and k is not None:
                out.append(
                    PartChange(
                        f"{goal} · action {k + 1}",
                        Change.REMOVED,
                        _action_text(old.actions[k]),
                        "",
                    )
                )
                continue
            assert k is not None and m is not None
            a, b = old.actions[k], new.actions[m]
            where = f"{goal} · action {m + 1}"
            _field(out, f"{where} · what", a.what, b.what)
            _field(out, f"{where} · who", a.who, b.who)
            _field(out, f"{where} · by when", _day(a.by_when), _day(b.by_when))
            if a.status is not b.status:
                out.append(
                    PartChange(f"{where} · status", Change.CHANGED, a.status.label, b.status.label)
                )
    _field(out, "If the plan isn't working", before.contingency, after.contingency)
    _field(out, "Agreed with the family on", _day(before.agreed_on), _day(after.agreed_on))
    _field(out, "Agreed with", before.agreed_with, after.agreed_with)
    return out


def summary_changes(
    before: MappingType[SummarySection, str],
    after: MappingType[SummarySection, str],
    *,
    before_period: tuple[date, date] | None = None,
    after_period: tuple[date, date] | None = None,
) -> list[PartChange]:
    """What changed from one version of a summary to another: the period, then each section."""
    out: list[PartChange] = []
    if before_period and after_period and before_period != after_period:
        _field(
            out,
            "Period",
            f"{_day(before_period[0])} to {_day(before_period[1])}",
            f"{_day(after_period[0])} to {_day(after_period[1])}",
        )
    for section in SummarySection:
        _field(out, section.label, before.get(section, ""), after.get(section, ""))
    return out


def changes_since_returned(
    versions: Sequence[SummaryVersion],
) -> tuple[SummaryVersion, list[PartChange]] | None:
    """For a summary returned and written again: the version at which it was last returned, and
    what changed from it to the newest version (None: never returned, or not changed since)."""
    returned = [v for v in versions if v.event is SummaryEvent.RETURNED]
    if not returned or not versions:
        return None
    was, now = returned[-1], versions[-1]
    if now.number == was.number:
        return None
    return was, summary_changes(
        was.sections,
        now.sections,
        before_period=(was.period_start, was.period_end),
        after_period=(now.period_start, now.period_end),
    )
