"""What the Plan tab and its editor need, loaded in one worker call (one read, one audited view):
the family, its current plan, the danger statements of its mappings (for linking goals) and who
saved the current revision."""

from __future__ import annotations

from domain.services.context import Context
from domain.services.screens import PlanBundle, plan_screen

__all__ = ["DANGER_LABEL_MAX", "PlanBundle", "load_plan_bundle", "short"]

#: Longest danger statement shown in a Select option (the full text is in the read view).
DANGER_LABEL_MAX = 90


def load_plan_bundle(ctx: Context, family_id: int) -> PlanBundle:
    """Run in a worker: everything the Plan tab shows, in one read (domain/services/screens.py)."""
    return plan_screen(ctx, family_id)


def short(text: str, limit: int = DANGER_LABEL_MAX) -> str:
    """One line of at most ``limit`` characters (an ellipsis marks a cut)."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"
