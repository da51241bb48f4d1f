"""How observations and feedback read on screen: the recording link (only ever its
``visible_link``), durations, consent, ratings and the three group means against the 3.5 line."""

from __future__ import annotations

from collections.abc import Mapping

from rich.text import Text

from domain.observations import (
    SKILFUL,
    Consent,
    Feedback,
    Observation,
    Skill,
    SkillGroup,
    format_timestamp,
    group_coverage,
)
from domain.services.observation_views import FeedbackDetail
from tui.forms import fmt_date
from tui.text import cell, join, safe

WITHDRAWN = "consent withdrawn — link erased"

#: The seven skills in the order of their groups (care, good authority, evocation).
SKILL_ORDER: tuple[Skill, ...] = tuple(s for g in SkillGroup for s in g.skills)

#: Rating choices: 1, 1.5 … 5.
HALF_POINTS: tuple[float, ...] = tuple(x / 2 for x in range(2, 11))

BAR_CELLS = 24  # one cell = 1/6 of a point on the 1–5 scale


def link_text(observation: Observation) -> Text:
    """The recording's link, or the withdrawn notice. Never reads ``observation.link``."""
    link = observation.visible_link
    if link is None:
        return Text(WITHDRAWN, style="italic")
    return cell(link)


def duration_text(observation: Observation) -> str:
    seconds = observation.duration_seconds
    return format_timestamp(seconds) if seconds else "—"


def consent_state(observation: Observation) -> Text:
    if observation.withdrawn:
        who = [c.person for c in observation.consents if c.is_withdrawn]
        if who:
            return join(Text("✗ withdrawn by ", style="bold"), cell(", ".join(who)))
        return Text("✗ withdrawn", style="bold")
    adults = sum(c.kind.value == "consent" for c in observation.consents)
    children = len(observation.consents) - adults
    parts = [f"{adults} consent" + ("s" if adults != 1 else "")]
    if children:
        parts.append(f"{children} assent" + ("s" if children != 1 else ""))
    return Text("✓ " + ", ".join(parts))


def consent_line(consent: Consent, names: Mapping[int, str]) -> Text:
    out = join(
        "• ",
        cell(consent.person),
        f" — {consent.kind.value}, {consent.method.value}, given {fmt_date(consent.given_on)}",
        ", obtained by ",
        cell(names.get(consent.obtained_by, "—")),
        "; scope: ",
        cell(consent.scope),
    )
    if consent.withdrawn_on is not None:
        out.append(f"  WITHDRAWN {fmt_date(consent.withdrawn_on)}", style="bold")
    return out


def rating_text(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


def mean_text(ratings: Mapping[Skill, float], group: SkillGroup, mean: float | None) -> str:
    """A group mean for a table cell; "3.75 (2/3)" when only some of its skills are rated."""
    rated, total = group_coverage(ratings, group)
    text = rating_text(mean)
    return f"{text} ({rated}/{total})" if mean is not None and rated < total else text


def mean_bar(mean: float | None) -> Text:
    """A bar on the 1–5 scale with the 3.5 'skilful' line drawn as ┃."""
    line_at = round((SKILFUL - 1) / 4 * BAR_CELLS)
    filled = 0 if mean is None else round((mean - 1) / 4 * BAR_CELLS)
    bar = Text()
    for i in range(BAR_CELLS + 1):
        if i == line_at:
            bar.append("┃", style="bold")
        elif i < filled or (i == BAR_CELLS and filled >= BAR_CELLS):
            bar.append("█", style="green" if mean is not None and mean >= SKILFUL else "yellow")
        else:
            bar.append("░", style="dim")
    return bar


def group_means_text(ratings: Mapping[Skill, float]) -> Text:
    """The three group means, each with a bar, the 3.5 line and whether it reads as skilful."""
    probe = Feedback(observation_id=0, lead_id=0, ratings=dict(ratings))
    out = Text()
    out.append("Group means (1–5; ┃ marks 3.5, the skilful line)\n", style="bold")
    for group in SkillGroup:
        mean = probe.group_mean(group)
        out.append(f"{group.label:<15}")
        out.append(f"{'—' if mean is None else f'{mean:.2f}':>5} ")
        out.append_text(mean_bar(mean))
        if mean is None:
            out.append("  not rated yet", style="dim")
        elif mean >= SKILFUL:
            out.append("  skilful (≥3.5)", style="bold green")
        else:
            out.append("  below 3.5")
        rated, total = group_coverage(ratings, group)
        if 0 < rated < total:
            out.append(f"  partial: {rated} of {total} skills rated", style="bold yellow")
        out.append("\n")
    out.rstrip()
    return out


def ratings_text(ratings: Mapping[Skill, float]) -> Text:
    out = Text()
    for group in SkillGroup:
        out.append(f"{group.label}\n", style="bold")
        for skill in group.skills:
            out.append(f"  {skill.label:<24}{rating_text(ratings.get(skill)):>4}\n")
    out.rstrip()
    return out


def multiline(label: str, text: str) -> Text:
    return join(Text(label + "\n", style="bold"), safe(text) if text.strip() else Text("—"))


def context_line(detail: FeedbackDetail) -> Text:
    """The minimum family context: reference and session date (never the family's records)."""
    o = detail.observation
    return join(
        Text(detail.family_reference, style="bold"),
        f"  ·  session {fmt_date(o.session_date)}  ·  ",
        cell(detail.practitioner_name),
        f"  ·  duration {duration_text(o)}",
    )
