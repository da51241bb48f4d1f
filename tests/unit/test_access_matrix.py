"""Who may do what to a family's records (SPEC §2), as one matrix over the domain services.

Rows are the services that touch families; columns are actors, each acting on one target family:

=============  =====================================================================
prac_own       practitioner alex on FAM-0001, his own family
prac_mate      alex on FAM-0002, his team-mate bea's (team policy: no team reading)
prac_mate_rd   alex on FAM-0002 when the team lets practitioners read the team's families
prac_other     alex on FAM-0003, another team's family
mgr_own        manager mo on FAM-0001 (his team)
mgr_other      manager nia (South) on FAM-0001
lead_sup       practice lead lee, who supports alex, on FAM-0001 (alex's recording there)
lead_not       practice lead lou, who supports only cy, on FAM-0001
staff          project staff pat on FAM-0001
admin          administrator ada on FAM-0001
=============  =====================================================================

Cells: ``A`` allowed; ``D`` denied (AccessDenied with a readable message, a DENIED audit event,
and nothing else written by the actor); for services that list things, ``L`` allowed and the
target family is listed, ``H`` allowed and the target family is not there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest

from domain.audit import AuditAction
from domain.errors import AccessDenied
from domain.families import Family
from domain.mapping import Category, Mapping, MappingContent, MappingItem, MappingRevision
from domain.observations import Consent, ConsentKind, ConsentMethod, Feedback, Observation, Skill
from domain.people import Role, User
from domain.plans import PlanContent
from domain.services import (
    caseload as caseload_svc,
)
from domain.services import (
    contacts,
    dashboard,
    families,
    mappings,
    observations,
    plans,
    recording,
    summaries,
)
from domain.summaries import Summary, SummaryEvent, SummarySection, SummaryStatus, SummaryVersion
from domain.timeuse import Contact, ContactKind, RecordingActivity

ACTORS: dict[str, tuple[str, str, bool]] = {
    # column: (user, target family, team lets practitioners read the team's families)
    "prac_own": ("practitioner", "family", False),
    "prac_mate": ("practitioner", "teammate_family", False),
    "prac_mate_rd": ("practitioner", "teammate_family", True),
    "prac_other": ("practitioner", "other_family", False),
    "mgr_own": ("manager", "family", False),
    "mgr_other": ("other_manager", "family", False),
    "lead_sup": ("lead", "family", False),
    "lead_not": ("other_lead", "family", False),
    "staff": ("staff", "family", False),
    "admin": ("admin", "family", False),
}

# fmt: off
MATRIX: dict[str, str] = {
    #                      prac_own  prac_mate  prac_mate_rd  prac_other  mgr_own  mgr_other  lead_sup  lead_not  staff  admin  # noqa: E501
    "view family":         "A        D          A             D           A        D          D         D         D      D",
    "plan get":            "A        D          A             D           A        D          D         D         D      D",
    "plan save":           "A        D          D             D           A        D          D         D         D      D",
    "mapping list":        "A        D          A             D           A        D          D         D         D      D",
    "mapping get":         "A        D          A             D           A        D          D         D         D      D",
    "mapping save":        "A        D          D             D           A        D          D         D         D      D",
    "scaling record":      "A        D          D             D           A        D          D         D         D      D",
    "scaling read":        "A        D          A             D           A        D          D         D         D      D",
    "scaling figure":      "A        D          A             D           A        D          D         D         D      D",
    "scaling summary text":"A        D          A             D           A        D          D         D         D      D",
    "summary start":       "A        D          D             D           A        D          D         D         D      D",
    "summary get":         "A        D          A             D           A        D          D         D         D      D",
    "summary save":        "A        D          D             D           A        D          D         D         D      D",
    "summary submit":      "A        D          D             D           A        D          D         D         D      D",
    "summary approve":     "D        D          D             D           A        D          D         D         D      D",
    "summary return":      "D        D          D             D           A        D          D         D         D      D",
    "review queue":        "D        D          D             D           L        H          D         D         D      D",
    "contact log":         "A        D          D             D           A        D          D         D         D      D",
    "contact list":        "A        D          A             D           A        D          D         D         D      D",
    "contact edit":        "A        D          D             D           A        D          D         D         D      D",
    "observation list":    "A        D          A             D           A        D          D         D         D      D",
    "observation get":     "A        D          A             D           A        D          A         D         D      D",
    "observation add":     "A        D          D             D           A        D          D         D         D      D",
    "consent add":         "A        D          D             D           A        D          D         D         D      D",
    "consent withdraw":    "A        D          D             D           A        D          A         D         D      D",
    "feedback save":       "D        D          D             D           D        D          A         D         D      D",
    "feedback get":        "A        D          D             D           A        D          A         D         D      D",
    "feedback queue":      "D        D          D             D           D        D          L         H         D      D",
    "recording session":   "A        D          A             D           A        D          A         D         D      D",
    "caseload":            "L        H          L             H           L        H          D         D         D      D",
    "dashboard":           "D        D          D             D           L        H          D         D         D      D",
    "reallocate":          "D        D          D             D           A        D          D         D         D      D",
}
# fmt: on

COLUMNS = list(ACTORS)


# --- setting up what each service acts on (straight into the store, not audited) ---------------


def _summary(w, fam: Family, status: SummaryStatus) -> int:  # type: ignore[no-untyped-def]
    with w.uow() as uow:
        s = Summary(
            family_id=fam.id,
            author_id=fam.practitioner_id,
            period_start=date(2025, 1, 1),
            period_end=date(2025, 3, 7),
            status=status,
            sections={SummarySection.ANALYSIS: "Safer than a month ago."},
            submitted_at=w.clock.now() if status is SummaryStatus.SUBMITTED else None,
        )
        version = SummaryVersion(
            1,
            SummaryEvent.SAVED,
            status,
            dict(s.sections),
            s.period_start,
            s.period_end,
            fam.practitioner_id,
            w.clock.now() - timedelta(days=1),
        )
        saved = uow.summaries.save(s, version, expected_revision=None)
        uow.commit()
        return saved.id  # type: ignore[return-value]


def _observation(w, fam: Family, with_feedback: bool = False) -> int:  # type: ignore[no-untyped-def]
    with w.uow() as uow:
        consent = Consent(
            "Dana",
            ConsentKind.CONSENT,
            date(2025, 3, 1),
            ConsentMethod.WRITTEN,
            "Recording for feedback",
            fam.practitioner_id,
        )
        obs = uow.observations.add(
            Observation(
                family_id=fam.id,
                practitioner_id=fam.practitioner_id,
                session_date=date(2025, 3, 3),
                link="https://example.invalid/rec.mp3",
                duration_seconds=1200,
                consents=[consent],
            )
        )
        if with_feedback:
            uow.observations.save_feedback(
                Feedback(obs.id, w.lead.id, {Skill.EMPATHY: 4.0}, created_at=w.clock.now())
            )
        uow.commit()
        return obs.id  # type: ignore[return-value]


def _contact(w, fam: Family) -> int:  # type: ignore[no-untyped-def]
    with w.uow() as uow:
        c = uow.contacts.add(
            Contact(
                family_id=fam.id,
                practitioner_id=fam.practitioner_id,
                on=w.today,
                start=time(8, 0),
                minutes=30,
                kind=ContactKind.HOME_VISIT,
                note="Saw Amy at home.",
                logged_at=w.clock.now(),
            )
        )
        uow.commit()
        return c.id  # type: ignore[return-value]


def _mapping(w, fam: Family) -> int:  # type: ignore[no-untyped-def]
    with w.uow() as uow:
        content = MappingContent(
            held_on=date(2025, 3, 1),
            items=(MappingItem(Category.EXISTING_STRENGTHS, "Gran helps."),),
        )
        m = uow.mappings.save(
            Mapping(family_id=fam.id, current=content, revision=0),
            MappingRevision(1, content, fam.practitioner_id, w.clock.now()),
            expected_revision=None,
        )
        uow.commit()
        return m.id  # type: ignore[return-value]


def _other_practitioner_username(w, fam: Family) -> str:  # type: ignore[no-untyped-def]
    return "bea" if fam.practitioner_id != w.teammate.id else "alex"


@dataclass(frozen=True)
class Op:
    setup: Callable[[Any, Family], Any]
    call: Callable[[Any, Any, Family, Any], Any]
    #: For listing services: the family ids in the result.
    listed: Callable[[Any], set[int]] | None = None


def _nothing(w, fam):  # type: ignore[no-untyped-def]
    return None


def _dashboard_ids(d: dashboard.TeamDashboard) -> set[int]:
    rows = (
        d.plan_reviews + d.summaries + d.unseen_children + d.scaling_falls + d.without_mapping  # type: ignore[operator]
    )
    return {r.family.family_id for r in rows}


PLAN = PlanContent(start_date=date(2025, 3, 10), review_date=date(2025, 6, 10))
MAPPING = MappingContent(
    held_on=date(2025, 3, 10), items=(MappingItem(Category.HARM, "Amy was left alone."),)
)

OPS: dict[str, Op] = {
    "view family": Op(_nothing, lambda w, ctx, f, s: families.view_family(ctx, f.id)),
    "plan get": Op(_nothing, lambda w, ctx, f, s: plans.get_plan(ctx, f.id)),
    "plan save": Op(_nothing, lambda w, ctx, f, s: plans.save_plan(ctx, f.id, PLAN, None)),
    "mapping list": Op(_nothing, lambda w, ctx, f, s: mappings.list_mappings(ctx, f.id)),
    "mapping get": Op(_mapping, lambda w, ctx, f, s: mappings.get_mapping(ctx, f.id, s)),
    "mapping save": Op(
        _nothing, lambda w, ctx, f, s: mappings.save_mapping(ctx, f.id, None, MAPPING, None)
    ),
    "scaling record": Op(
        _nothing,
        lambda w, ctx, f, s: mappings.record_scaling(ctx, f.id, None, "Dana", "parent", 5, "So."),
    ),
    "scaling read": Op(_nothing, lambda w, ctx, f, s: mappings.scaling_series(ctx, f.id)),
    "scaling figure": Op(_nothing, lambda w, ctx, f, s: mappings.family_scaling_of(ctx, f.id)),
    "scaling summary text": Op(
        _nothing, lambda w, ctx, f, s: mappings.scaling_summary_text(ctx, f.id)
    ),
    "summary start": Op(_nothing, lambda w, ctx, f, s: summaries.start_summary(ctx, f.id)),
    "summary get": Op(
        lambda w, f: _summary(w, f, SummaryStatus.DRAFT),
        lambda w, ctx, f, s: summaries.get_summary(ctx, s),
    ),
    "summary save": Op(
        lambda w, f: _summary(w, f, SummaryStatus.DRAFT),
        lambda w, ctx, f, s: summaries.save_summary(ctx, s, {"next_steps": "Review."}, 1),
    ),
    "summary submit": Op(
        lambda w, f: _summary(w, f, SummaryStatus.DRAFT),
        lambda w, ctx, f, s: summaries.submit_summary(ctx, s, 1),
    ),
    "summary approve": Op(
        lambda w, f: _summary(w, f, SummaryStatus.SUBMITTED),
        lambda w, ctx, f, s: summaries.approve_summary(ctx, s),
    ),
    "summary return": Op(
        lambda w, f: _summary(w, f, SummaryStatus.SUBMITTED),
        lambda w, ctx, f, s: summaries.return_summary(ctx, s, "Say more about Ben."),
    ),
    "review queue": Op(
        lambda w, f: _summary(w, f, SummaryStatus.SUBMITTED),
        lambda w, ctx, f, s: summaries.review_queue(ctx),
        listed=lambda items: {i.summary.family_id for i in items},
    ),
    "contact log": Op(
        _nothing,
        lambda w, ctx, f, s: contacts.log_contact(
            ctx, f.id, w.today, time(8, 0), 30, "phone", "Spoke to Dana."
        ),
    ),
    "contact list": Op(_contact, lambda w, ctx, f, s: contacts.list_contacts(ctx, f.id)),
    "contact edit": Op(
        _contact, lambda w, ctx, f, s: contacts.edit_contact(ctx, s, note="Saw Amy and Ben.")
    ),
    "observation list": Op(
        _observation, lambda w, ctx, f, s: observations.list_observations(ctx, f.id)
    ),
    "observation get": Op(_observation, lambda w, ctx, f, s: observations.get_observation(ctx, s)),
    "observation add": Op(
        _nothing,
        lambda w, ctx, f, s: observations.add_observation(
            ctx,
            f.id,
            date(2025, 3, 3),
            "https://example.invalid/b.mp3",
            [{"person": "Dana", "given_on": date(2025, 3, 3), "method": "written", "scope": "All"}],
            practitioner_id=f.practitioner_id,
        ),
    ),
    "consent add": Op(
        _observation,
        lambda w, ctx, f, s: observations.add_consent(
            ctx,
            s,
            {"person": "Gran", "given_on": date(2025, 3, 3), "method": "verbal", "scope": "All"},
        ),
    ),
    "consent withdraw": Op(
        _observation,
        lambda w, ctx, f, s: observations.withdraw_consent(
            ctx, s, w.store.observations[s].consents[0].id, w.today
        ),
    ),
    "feedback save": Op(
        _observation,
        lambda w, ctx, f, s: observations.save_feedback(ctx, s, {"empathy": 4.5}),
    ),
    "feedback get": Op(
        lambda w, f: _observation(w, f, with_feedback=True),
        lambda w, ctx, f, s: observations.get_feedback(ctx, s),
    ),
    "feedback queue": Op(
        _observation,
        lambda w, ctx, f, s: observations.feedback_queue(ctx),
        listed=lambda items: {i.observation.family_id for i in items},
    ),
    "recording session": Op(
        _observation,
        lambda w, ctx, f, s: recording.record_session(
            ctx,
            f.id,
            RecordingActivity.REVIEW,
            datetime(2025, 3, 10, 9, 0),
            datetime(2025, 3, 10, 9, 20),
            600,
        ),
    ),
    "caseload": Op(
        _nothing,
        lambda w, ctx, f, s: families.list_caseload(ctx),
        listed=lambda fams: {x.id for x in fams},
    ),
    "dashboard": Op(
        _nothing, lambda w, ctx, f, s: dashboard.team_dashboard(ctx), listed=_dashboard_ids
    ),
    "reallocate": Op(
        _nothing,
        lambda w, ctx, f, s: families.reallocate(ctx, f.id, _other_practitioner_username(w, f)),
    ),
}


def _cells() -> list[Any]:
    cells = []
    for op, row in MATRIX.items():
        expected = row.split()
        assert len(expected) == len(COLUMNS), f"row {op!r} has {len(expected)} cells"
        for column, outcome in zip(COLUMNS, expected, strict=True):
            cells.append(pytest.param(op, column, outcome, id=f"{op}|{column}"))
    return cells


def test_the_matrix_covers_every_operation_once():
    assert set(MATRIX) == set(OPS)


@pytest.fixture
def other_lead(world):  # type: ignore[no-untyped-def]
    with world.uow() as uow:
        lou = uow.users.add(
            User(
                "lou",
                "Lou Otherlead",
                Role.PRACTICE_LEAD,
                supports=frozenset({world.other_practitioner.id}),
            )
        )
        uow.commit()
    return lou


@pytest.mark.parametrize("op,column,outcome", _cells())
def test_access(world, other_lead, op, column, outcome):  # type: ignore[no-untyped-def]
    user_attr, family_attr, team_reads = ACTORS[column]
    user = other_lead if user_attr == "other_lead" else getattr(world, user_attr)
    family = getattr(world, family_attr)
    world.let_team_read(team_reads)
    operation = OPS[op]
    state = operation.setup(world, family)
    ctx = world.ctx(user)

    if outcome == "D":
        with pytest.raises(AccessDenied) as err:
            operation.call(world, ctx, family, state)
        message = str(err.value)
        assert message.startswith("You do not have access to "), message
        assert message.endswith(f"(signed in as {user.role.label.lower()}).")
        mine = world.events(user=user)
        assert mine, "the denial was not audited"
        assert {e.action for e in mine} == {AuditAction.DENIED}, "something else was written"
        return

    result = operation.call(world, ctx, family, state)
    mine = world.events(user=user)
    assert not [e for e in mine if e.action is AuditAction.DENIED]
    if operation.listed is None:
        assert outcome == "A"
        assert [e for e in mine if e.family_id == family.id], "the access was not audited"
    else:
        assert mine, "the listing was not audited"
        listed = family.id in operation.listed(result)
        assert listed is (outcome == "L"), f"expected {outcome}, listed={listed}"


def test_a_practice_lead_sees_the_minimum_family_context_of_a_session(world):
    """The feedback queue gives a supporting lead the session's family reference and name, and
    nothing else of the family: no members, no records."""
    _observation(world, world.family)
    [item] = observations.feedback_queue(world.ctx(world.lead))
    assert (item.family_reference, item.family_name) == ("FAM-0001", "Reid family")
    assert not hasattr(item, "members")
    with pytest.raises(AccessDenied):
        families.view_family(world.ctx(world.lead), world.family.id)


def test_roles_without_a_caseload_are_refused_a_caseload_and_it_is_audited(world):
    """caseload() (the flagged rows) refuses roles without a caseload, with an audited denial."""
    from domain.audit import AuditAction
    from domain.errors import AccessDenied

    for who in (world.lead, world.staff, world.admin):
        with pytest.raises(AccessDenied, match="caseload"):
            caseload_svc.caseload(world.ctx(who))
        with world.uow() as uow:
            last = uow.audit.list(user_id=who.id)[-1]
        assert last.action is AuditAction.DENIED and last.entity == "caseload"
