"""Revision snapshots as JSON: plan content, mapping content and summary sections.

Dates are ISO strings and every document carries a format version ``"v"``. Reading builds the
domain objects through their constructors, so stored data is validated on the way back in just as
typed data is.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from domain.mapping import (
    Category,
    DangerPair,
    DangerStatement,
    MappingContent,
    MappingItem,
    SafetyGoal,
)
from domain.plans import ActionStatus, PlanAction, PlanContent, PlanGoal
from domain.summaries import SummarySection

SNAPSHOT_FORMAT = 1


# --- helpers ----------------------------------------------------------------------------------


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


# --- plan content -----------------------------------------------------------------------------


def plan_content_to_json(content: PlanContent) -> str:
    return _dumps(
        {
            "v": SNAPSHOT_FORMAT,
            "start_date": _iso(content.start_date),
            "review_date": _iso(content.review_date),
            "family_words": content.family_words,
            "goals": [
                {
                    "text": goal.text,
                    "child_ids": list(goal.child_ids),
                    "danger_key": goal.danger_key,
                    "actions": [
                        {
                            "what": action.what,
                            "who": action.who,
                            "by_when": _iso(action.by_when),
                            "status": action.status.value,
                        }
                        for action in goal.actions
                    ],
                }
                for goal in content.goals
            ],
            "contingency": content.contingency,
            "agreed_on": _iso(content.agreed_on),
            "agreed_with": content.agreed_with,
        }
    )


def plan_content_from_json(text: str) -> PlanContent:
    data = json.loads(text)
    return PlanContent(
        start_date=date.fromisoformat(data["start_date"]),
        review_date=date.fromisoformat(data["review_date"]),
        family_words=data.get("family_words", ""),
        goals=tuple(
            PlanGoal(
                text=goal["text"],
                child_ids=tuple(goal.get("child_ids", ())),
                danger_key=goal.get("danger_key"),
                actions=tuple(
                    PlanAction(
                        what=action["what"],
                        who=action["who"],
                        by_when=_day(action.get("by_when")),
                        status=ActionStatus(action.get("status", ActionStatus.NOT_STARTED)),
                    )
                    for action in goal.get("actions", ())
                ),
            )
            for goal in data.get("goals", ())
        ),
        contingency=data.get("contingency", ""),
        agreed_on=_day(data.get("agreed_on")),
        agreed_with=data.get("agreed_with", ""),
    )


# --- mapping content --------------------------------------------------------------------------


def mapping_content_to_json(content: MappingContent) -> str:
    return _dumps(
        {
            "v": SNAPSHOT_FORMAT,
            "held_on": _iso(content.held_on),
            "participants": list(content.participants),
            "items": [{"category": i.category.value, "text": i.text} for i in content.items],
            "pairs": [
                {
                    "key": pair.key,
                    "danger": {
                        "who_is_worried": pair.danger.who_is_worried,
                        "worried_about": pair.danger.worried_about,
                        "if_nothing_changes": pair.danger.if_nothing_changes,
                    },
                    "goal": {
                        "parents_will": pair.goal.parents_will,
                        "child_will_experience": pair.goal.child_will_experience,
                        "professionals_will_see": pair.goal.professionals_will_see,
                        "for_how_long": pair.goal.for_how_long,
                    },
                }
                for pair in content.pairs
            ],
        }
    )


def mapping_content_from_json(text: str) -> MappingContent:
    data = json.loads(text)
    return MappingContent(
        held_on=date.fromisoformat(data["held_on"]),
        participants=tuple(data.get("participants", ())),
        items=tuple(
            MappingItem(category=Category(i["category"]), text=i["text"])
            for i in data.get("items", ())
        ),
        pairs=tuple(
            DangerPair(
                key=pair["key"],
                danger=DangerStatement(**pair["danger"]),
                goal=SafetyGoal(**pair["goal"]),
            )
            for pair in data.get("pairs", ())
        ),
    )


# --- summary sections -------------------------------------------------------------------------


def sections_to_json(sections: dict[SummarySection, str]) -> str:
    ordered = {s.value: sections[s] for s in SummarySection if s in sections}
    return _dumps({"v": SNAPSHOT_FORMAT, "sections": ordered})


def sections_from_json(text: str) -> dict[SummarySection, str]:
    data = json.loads(text)
    return {SummarySection(k): v for k, v in data.get("sections", {}).items()}
