"""Readable plain-text renderings of plan and mapping revisions, and the differences between two.

Each record is turned into lines a person can read (labels, one field per line, long text split at
its own line breaks), then :func:`unified` compares two renderings with difflib.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping as MappingType

from domain.mapping import ITEM_CATEGORIES, MappingContent
from domain.plans import PlanContent

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
