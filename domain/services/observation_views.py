"""Read models for the observation screens: a family's recordings with names and feedback state,
one recording's feedback with the names of everyone in its thread, and the practice lead's lists.

Access is the same as in ``domain.services.observations`` (which these build on); every view is
audited. Screens and exports show a recording's link only through ``Observation.visible_link``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from domain.access import Access, load_family, require_role
from domain.audit import AuditAction, family_list_detail
from domain.observations import Feedback, Observation
from domain.people import Role
from domain.ports import UnitOfWork
from domain.services.context import Context, audit
from domain.services.observations import _load_feedback_party


def _name(uow: UnitOfWork, user_id: int | None, cache: dict[int, str]) -> str:
    if user_id is None:
        return "—"
    if user_id not in cache:
        cache[user_id] = uow.users.get(user_id).full_name
    return cache[user_id]


@dataclass(frozen=True)
class ObservationRow:
    """One recording of a family as its Observations tab lists it."""

    observation: Observation
    practitioner_name: str
    feedback: Feedback | None
    #: user id -> full name, for who obtained each consent.
    names: dict[int, str] = field(default_factory=dict)

    @property
    def feedback_state(self) -> str:
        if self.feedback is None:
            return "waiting for feedback" if not self.observation.withdrawn else "none"
        replies = len(self.feedback.replies)
        if not replies:
            return "feedback given"
        return f"feedback given · {replies} {'reply' if replies == 1 else 'replies'}"


def family_observation_rows(ctx: Context, family_id: int) -> list[ObservationRow]:
    """The family's recordings, oldest session first, with who was observed and feedback state."""
    with ctx.read() as uow:
        family = load_family(ctx, uow, family_id, Access.READ)
        names: dict[int, str] = {}
        rows = []
        for o in uow.observations.list(family_id=family.id):
            for c in o.consents:
                _name(uow, c.obtained_by, names)
            rows.append(
                ObservationRow(
                    o,
                    _name(uow, o.practitioner_id, names),
                    uow.observations.feedback(o.saved_id),
                    names,
                )
            )
        audit(ctx, uow, AuditAction.VIEW, "observation", None, family_id=family.id, detail="list")
        uow.commit()
    return sorted(rows, key=lambda r: (r.observation.session_date, r.observation.id or 0))


@dataclass(frozen=True)
class FeedbackDetail:
    """A recording with the minimum family context (its reference), and its feedback if any."""

    observation: Observation
    family_reference: str
    practitioner_name: str
    feedback: Feedback | None
    #: user id -> full name for the lead and everyone who replied.
    names: dict[int, str]


def feedback_detail(ctx: Context, observation_id: int) -> FeedbackDetail:
    """For the observed practitioner, a supporting practice lead or the team's manager."""
    with ctx.read() as uow:
        observation, _ = _load_feedback_party(ctx, uow, observation_id, managers=True)
        family = uow.families.get(observation.family_id)
        feedback = uow.observations.feedback(observation.saved_id)
        names: dict[int, str] = {}
        practitioner = _name(uow, observation.practitioner_id, names)
        if feedback is not None:
            _name(uow, feedback.lead_id, names)
            for r in feedback.replies:
                _name(uow, r.author_id, names)
        audit(
            ctx,
            uow,
            AuditAction.VIEW,
            "feedback",
            feedback.id if feedback else None,
            family_id=observation.family_id,
        )
        uow.commit()
    return FeedbackDetail(observation, family.reference, practitioner, feedback, names)


@dataclass(frozen=True)
class GivenFeedbackItem:
    observation: Observation
    practitioner_name: str
    family_reference: str
    feedback: Feedback

    @property
    def given_at(self) -> datetime | None:
        """When the feedback was given, or last changed: the date the lead's list shows."""
        return self.feedback.updated_at or self.feedback.created_at

    @property
    def order_key(self) -> tuple[datetime, date, int]:
        return (
            self.given_at or datetime.min.replace(tzinfo=UTC),
            self.observation.session_date,
            self.observation.id or 0,
        )


def feedback_given(ctx: Context) -> list[GivenFeedbackItem]:
    """For a practice lead: the feedback already given to the practitioners they support (with
    the thread), in the order of the date the list shows: the day the feedback was given (last
    changed), newest first; the same day: the later session first. Withdrawn recordings stay
    listed: feedback text stays."""
    with ctx.read() as uow:
        lead = require_role(ctx, uow, Role.PRACTICE_LEAD, what="feedback given")
        observations = (
            uow.observations.list(practitioner_ids=sorted(lead.supports)) if lead.supports else []
        )
        names: dict[int, str] = {}
        items = []
        for o in observations:
            fb = uow.observations.feedback(o.saved_id)
            if fb is None:
                continue
            family = uow.families.get(o.family_id)
            items.append(
                GivenFeedbackItem(o, _name(uow, o.practitioner_id, names), family.reference, fb)
            )
        audit(
            ctx,
            uow,
            AuditAction.VIEW,
            "feedback",
            None,
            detail=family_list_detail(
                f"{len(items)} given", (i.observation.family_id for i in items)
            ),
        )
        uow.commit()
    return sorted(items, key=lambda i: i.order_key, reverse=True)


def supported_practitioners(ctx: Context) -> list[tuple[int, str]]:
    """For a practice lead: (user id, full name) of the practitioners they support, by name."""
    with ctx.read() as uow:
        lead = require_role(ctx, uow, Role.PRACTICE_LEAD, what="the practitioners you support")
        names: dict[int, str] = {}
        out = [(pid, _name(uow, pid, names)) for pid in lead.supports]
    return sorted(out, key=lambda p: p[1].lower())
