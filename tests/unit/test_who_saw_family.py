"""The audit log answers "who saw this family": list views carry the ids of every family they
showed (one event per list, not per row) and ``list_audit(family=REF)`` finds them; a refusal
raised as a validation error (reallocating to another team's practitioner) writes a denial."""

from __future__ import annotations

import pytest

from domain.audit import AuditAction, family_list_detail
from domain.errors import ValidationError
from domain.services import families as svc
from domain.services.audit_log import list_audit
from domain.services.caseload import caseload


def found_for(world, reference):
    return [
        (e.action, e.entity, e.user_id)
        for e in list_audit(world.system(), family=reference)
        if e.action is not AuditAction.CREATE
    ]


def test_a_caseload_view_is_one_event_findable_by_each_family_it_showed(world):
    caseload(world.ctx(world.manager))
    svc.list_caseload(world.ctx(world.practitioner))
    views = [e for e in world.store.audit if e.entity == "caseload"]
    assert len(views) == 2  # one per list, not one per row
    assert found_for(world, "FAM-0001") == [
        (AuditAction.VIEW, "caseload", world.manager.id),
        (AuditAction.VIEW, "caseload", world.practitioner.id),
    ]
    assert found_for(world, "FAM-0002") == [(AuditAction.VIEW, "caseload", world.manager.id)]
    assert found_for(world, "FAM-0003") == []  # South's family was in neither list


def test_the_lead_queue_and_given_feedback_name_their_families(world):
    from datetime import date

    from domain.services.observation_views import feedback_given
    from domain.services.observations import add_observation, feedback_queue

    consent = {"person": "Dana Reid", "kind": "consent", "method": "written", "scope": "s",
               "given_on": date(2025, 3, 1)}  # fmt: skip
    add_observation(world.ctx(world.practitioner), world.family.id, date(2025, 3, 2), "https://recordings.example.org/x.m4a",
                    [consent])  # fmt: skip
    assert len(feedback_queue(world.ctx(world.lead))) == 1
    feedback_given(world.ctx(world.lead))
    found = found_for(world, "FAM-0001")
    assert (AuditAction.VIEW, "feedback_queue", world.lead.id) in found
    assert (AuditAction.VIEW, "feedback", world.lead.id) not in found  # none given yet
    assert found_for(world, "FAM-0002") == []


def test_family_tokens_do_not_match_a_longer_id():
    detail = family_list_detail("2 families", [12, 3, None, 3])
    assert detail == "2 families; families [f3][f12]"
    assert "[f1]" not in detail and "[f2]" not in detail


def test_reallocating_to_another_teams_practitioner_writes_a_denial(world):
    with pytest.raises(ValidationError):
        svc.reallocate(world.ctx(world.manager), world.family.id, "cy")
    [denied] = world.events(AuditAction.DENIED)
    assert (denied.user_id, denied.entity, denied.family_id) == (
        world.manager.id,
        "family",
        world.family.id,
    )
    assert "not in team North" in denied.detail
    assert (AuditAction.DENIED, "family", world.manager.id) in found_for(world, "FAM-0001")
