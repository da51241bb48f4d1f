"""What the Plan tab and its editor need, loaded in one worker call: the family, its current plan,
the danger statements of its mappings (for linking goals) and who saved the current revision."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from domain.families import Family
from domain.plans import Plan
from domain.services.context import Context

#: Longest danger statement shown in a Select option (the full text is in the read view).
DANGER_LABEL_MAX = 90


@dataclass(frozen=True)
class PlanBundle:
    family: Family
    plan: Plan | None
    #: (key, statement) of every danger statement in the family's mappings, oldest mapping first;
    #: a key appears once, with the latest mapping's wording.
    dangers: list[tuple[str, str]] = field(default_factory=list)
    saved_by: str = ""
    saved_at: datetime | None = None
    today: date | None = None

    @property
    def child_names(self) -> dict[int, str]:
        return {c.id: c.name for c in self.family.children if c.id is not None}

    @property
    def danger_texts(self) -> dict[str, str]:
        return dict(self.dangers)


def load_plan_bundle(ctx: Context, family_id: int) -> PlanBundle:
    """Run in a worker: every read the Plan tab shows (each one audited by its service)."""
    from domain.services.families import view_family
    from domain.services.mappings import list_mappings
    from domain.services.plans import get_plan, plan_history

    family = view_family(ctx, family_id)
    plan = get_plan(ctx, family_id)
    texts: dict[str, str] = {}
    for mapping in list_mappings(ctx, family_id):
        for pair in mapping.current.pairs:
            texts[pair.key] = pair.danger.text
    saved_by, saved_at = "", None
    if plan is not None:
        history = plan_history(ctx, family_id)
        if history:
            saved_by, saved_at = history[-1].author_name, history[-1].saved_at
    return PlanBundle(
        family=family,
        plan=plan,
        dangers=list(texts.items()),
        saved_by=saved_by,
        saved_at=saved_at,
        today=ctx.clock.today(),
    )


def short(text: str, limit: int = DANGER_LABEL_MAX) -> str:
    """One line of at most ``limit`` characters (an ellipsis marks a cut)."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"
