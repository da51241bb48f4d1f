"""On SQLite and PostgreSQL: an administrator's change (its own unit of work, as another process
would make it) applies to a signed-in user's very next service call, whatever copy of the user
the caller's context holds. Active state, role, team and supported practitioners."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest

from domain.audit import AuditAction
from domain.clock import FixedClock
from domain.errors import AccessDenied, SignedOut
from domain.services import admin, families, observations
from domain.services.context import Context

NOW = datetime(2025, 5, 6, 16, 0)


@pytest.fixture
def site(uow_factory):  # type: ignore[no-untyped-def]
    clock = FixedClock(NOW)
    system = admin.system_context(uow_factory, clock)
    admin.create_team(system, "North")
    admin.create_team(system, "South")
    users = {
        "alex": admin.create_user(system, "alex", "Alex", "practitioner", team_name="North"),
        "mo": admin.create_user(system, "mo", "Mo", "team_manager", team_name="North"),
        "lee": admin.create_user(system, "lee", "Lee", "practice_lead"),
        "ada": admin.create_user(system, "ada", "Ada", "admin"),
        "abe": admin.create_user(system, "abe", "Abe", "admin"),
    }
    admin.set_supports(system, "lee", ["alex"])
    family = families.create_family(
        system, "FAM-0001", "Reid", team_id=1, practitioner="alex", opened_on=date(2025, 1, 6)
    )
    consent = {"person": "Dana", "given_on": date(2025, 5, 1), "method": "written", "scope": "All"}
    obs = observations.add_observation(
        Context(uow_factory, clock, users["alex"]),
        family.id,
        date(2025, 5, 1),
        "https://example.invalid/a.mp3",
        [consent],
    )

    def ctx(name: str) -> Context:  # the copy a screen holds since its user signed in
        return Context(uow_factory, clock, users[name])

    return ctx, system, family, obs, users


def denials(system: Context, username: str) -> list[str]:
    from domain.services.audit_log import list_audit

    return [e.detail for e in list_audit(system, user=username) if e.action is AuditAction.DENIED]


def test_a_manager_moved_demoted_and_deactivated_between_calls(site) -> None:  # type: ignore[no-untyped-def]
    ctx, system, family, _, users = site
    mo = ctx("mo")
    assert families.view_family(mo, family.id).reference == "FAM-0001"

    admin.update_user(system, "mo", team_name="South")
    with pytest.raises(AccessDenied):
        families.view_family(mo, family.id)
    assert families.list_caseload(mo) == []

    admin.update_user(system, "mo", team_name="North", role="practitioner")
    with pytest.raises(AccessDenied, match=r"signed in as practitioner"):
        families.reallocate(mo, family.id, "alex")

    admin.update_user(system, "mo", role="team_manager", active=False)
    with pytest.raises(SignedOut):
        families.list_caseload(mo)
    assert denials(system, "mo")[-1] == "account no longer active: signed out"

    admin.reactivate_user(system, "mo")
    assert [f.reference for f in families.list_caseload(mo)] == ["FAM-0001"]


def test_a_lead_loses_and_regains_a_practitioner_between_calls(site) -> None:  # type: ignore[no-untyped-def]
    ctx, system, _, obs, _ = site
    lee = ctx("lee")
    assert observations.get_observation(lee, obs.id).id == obs.id
    assert [i.observation.id for i in observations.feedback_queue(lee)] == [obs.id]

    admin.change_supports(system, "lee", remove=["alex"])
    with pytest.raises(AccessDenied):
        observations.get_observation(lee, obs.id)
    assert observations.feedback_queue(lee) == []

    admin.change_supports(system, "lee", add=["alex"])
    assert observations.get_observation(lee, obs.id).id == obs.id


def test_an_administrator_demoted_or_deactivated_between_calls(site) -> None:  # type: ignore[no-untyped-def]
    ctx, system, _, _, users = site
    ada = ctx("ada")
    assert "alex" in {u.username for u in admin.list_users(ada)}

    admin.update_user(ctx("abe"), "ada", role="project_staff")
    with pytest.raises(AccessDenied, match=r"signed in as project staff"):
        admin.list_users(ada)
    with pytest.raises(AccessDenied):
        admin.update_user(ada, "abe", active=False)

    admin.update_user(ctx("abe"), "ada", role="admin", active=False)
    with pytest.raises(SignedOut):
        admin.create_team(ada, "East")
    assert [t.name for t in admin.list_teams(system)] == ["North", "South"]


def test_refusals_and_lists_are_found_by_the_family(site) -> None:  # type: ignore[no-untyped-def]
    """`tandem audit --family REF` finds a refusal raised as a message (a withdrawn recording's
    address added again without new consent) and the recording-time family list."""
    from domain.errors import ValidationError
    from domain.services.audit_log import list_audit
    from domain.services.manual_time import manual_entry_families

    ctx, system, family, obs, users = site
    alex = ctx("alex")
    withdrawn = observations.withdraw_consent(alex, obs.id, obs.consents[0].id, date(2025, 5, 2))
    assert withdrawn.link is None
    old = {"person": "Dana", "given_on": date(2025, 5, 1), "method": "written", "scope": "All"}
    with pytest.raises(ValidationError, match="address erased"):
        observations.add_observation(
            alex, family.id, date(2025, 5, 1), "https://example.invalid/a.mp3", [old]
        )
    assert [f.reference for f in manual_entry_families(alex)] == ["FAM-0001"]

    found = [
        (e.action, e.entity, e.user)
        for e in list_audit(system, family="FAM-0001")
        if e.user == "alex"
    ]
    assert (AuditAction.DENIED, "observation", "alex") in found
    assert found[-1] == (AuditAction.VIEW, "caseload", "alex")


def _kinds(family_id: int, observation_id: int) -> dict[str, Any]:
    """One call of each kind of service a practitioner or manager makes on a family."""
    from datetime import time

    from domain.services import contacts, dashboard, mappings, plans, recording, summaries

    return {
        "family": lambda c: families.view_family(c, family_id),
        "caseload": lambda c: families.list_caseload(c),
        "plan": lambda c: plans.get_plan(c, family_id),
        "mappings": lambda c: mappings.list_mappings(c, family_id),
        "summaries": lambda c: summaries.list_summaries(c, family_id),
        "contacts": lambda c: contacts.list_contacts(c, family_id),
        "log contact": lambda c: contacts.log_contact(
            c, family_id, date(2025, 5, 6), time(9, 0), 30, "phone", "Spoke to Dana."
        ),
        "observations": lambda c: observations.list_observations(c, family_id),
        "observation": lambda c: observations.get_observation(c, observation_id),
        "recording time": lambda c: recording.my_recording_time(
            c, date(2025, 5, 1), date(2025, 5, 6)
        ),
        "review queue": lambda c: summaries.review_queue(c),
        "dashboard": lambda c: dashboard.team_dashboard(c),
    }


MANAGER_ONLY = {"review queue", "dashboard"}


@pytest.mark.parametrize("who", ["alex", "mo"])
def test_every_kind_of_service_signs_out_a_user_deactivated_between_calls(site, who) -> None:  # type: ignore[no-untyped-def]
    """Straight in the database (an administrator cannot deactivate alex while he holds the
    family; another process could still change the row)."""
    from dataclasses import replace

    ctx, system, family, obs, users = site
    signed_in = ctx(who)
    kinds = {
        k: call
        for k, call in _kinds(family.id, obs.id).items()
        if who == "mo" or k not in MANAGER_ONLY
    }
    for call in kinds.values():
        call(signed_in)  # allowed while active
    with signed_in.uow() as uow:
        uow.users.update(replace(uow.users.get(users[who].id), active=False))
        uow.commit()
    for kind, call in kinds.items():
        with pytest.raises(SignedOut):
            call(signed_in)
        assert denials(system, who)[-1] == "account no longer active: signed out", kind
