"""Family services: opening, viewing, caseloads, members, legal status, allocation, closure and
the caseload import (domain.services.families)."""

from __future__ import annotations

import copy
import json
from datetime import date

import pytest

from domain.audit import AuditAction
from domain.errors import AccessDenied, NotFound, ValidationError
from domain.families import CpCategory, LegalStatus, Member, MemberRole, StatusChange
from domain.services import families as svc
from domain.services.families import CaseloadImportError

# --- opening a family --------------------------------------------------------------------------


def test_a_manager_opens_a_family_in_their_team(world):
    family = svc.create_family(
        world.ctx(world.manager),
        "fam-0100",
        "Lane family",
        practitioner="bea",
        members=[Member(name="Cal Lane", role=MemberRole.CHILD, date_of_birth=date(2020, 1, 1))],
    )
    assert family.reference == "FAM-0100"
    assert family.team_id == world.team.id and family.practitioner_id == world.teammate.id
    assert family.opened_on == world.today
    assert family.members[0].id is not None
    stored = world.reload_family(family)
    assert stored.name == "Lane family" and [m.name for m in stored.members] == ["Cal Lane"]
    [event] = world.events(AuditAction.CREATE, family_id=family.id)
    assert event.user_id == world.manager.id


def test_a_family_can_await_allocation(world):
    family = svc.create_family(world.ctx(world.manager), "FAM-0101", "Unallocated family")
    assert family.practitioner_id is None


def test_a_reference_is_used_once(world):
    with pytest.raises(ValidationError) as err:
        svc.create_family(world.ctx(world.manager), "fam-0001", "Copy family")
    assert err.value.field == "reference" and "FAM-0001" in str(err.value)


@pytest.mark.parametrize(
    "practitioner,words",
    [
        ("cy", "Cy Southside is not in team North"),
        ("mo", "team manager, not a practitioner"),
        ("zed", "no user called 'zed'"),
    ],
)
def test_the_allocated_practitioner_must_be_a_practitioner_of_the_team(world, practitioner, words):
    with pytest.raises(ValidationError) as err:
        svc.create_family(
            world.ctx(world.manager), "FAM-0100", "Lane family", practitioner=practitioner
        )
    assert err.value.field == "practitioner" and words in str(err.value)
    assert len(world.store.families) == 3


def test_a_manager_cannot_open_a_family_in_another_team(world):
    with pytest.raises(AccessDenied):
        svc.create_family(
            world.ctx(world.manager), "FAM-0100", "Lane family", team_id=world.other_team.id
        )
    assert world.events(AuditAction.DENIED, user=world.manager)
    assert len(world.store.families) == 3


@pytest.mark.parametrize("role", ["practitioner", "lead", "staff"])
def test_other_roles_cannot_open_families(world, role):
    with pytest.raises(AccessDenied):
        svc.create_family(world.ctx(getattr(world, role)), "FAM-0100", "Lane family")
    assert world.events(AuditAction.DENIED, user=getattr(world, role))


def test_an_admin_or_the_system_context_chooses_the_team(world):
    with pytest.raises(ValidationError) as err:
        svc.create_family(world.ctx(world.admin), "FAM-0100", "Lane family")
    assert err.value.field == "team"
    family = svc.create_family(
        world.system(), "FAM-0100", "Lane family", team_id=world.other_team.id, practitioner="cy"
    )
    assert family.team_id == world.other_team.id


def test_dates_in_the_future_are_refused_when_opening(world):
    with pytest.raises(ValidationError) as err:
        svc.create_family(
            world.ctx(world.manager), "FAM-0100", "Lane family", opened_on=date(2025, 3, 11)
        )
    assert err.value.field == "opened_on"
    with pytest.raises(ValidationError) as err:
        svc.create_family(
            world.ctx(world.manager),
            "FAM-0100",
            "Lane family",
            members=[Member("Baby Lane", MemberRole.CHILD, date_of_birth=date(2025, 4, 1))],
        )
    assert err.value.field == "date_of_birth"


# --- who may see a family ------------------------------------------------------------------------

VIEW_MATRIX = [
    ("practitioner", "family", True),
    ("practitioner", "teammate_family", False),
    ("practitioner", "other_family", False),
    ("teammate", "family", False),
    ("other_practitioner", "family", False),
    ("manager", "family", True),
    ("manager", "teammate_family", True),
    ("manager", "other_family", False),
    ("other_manager", "family", False),
    ("lead", "family", False),
    ("staff", "family", False),
    ("admin", "family", False),
]


@pytest.mark.parametrize("role,family_attr,allowed", VIEW_MATRIX)
def test_view_family_access_and_audit(world, role, family_attr, allowed):
    user, family = getattr(world, role), getattr(world, family_attr)
    if allowed:
        seen = svc.view_family(world.ctx(user), family.id)
        assert seen.reference == family.reference
        assert [m.name for m in seen.members] == [m.name for m in family.members]
        [event] = world.events(AuditAction.VIEW, family_id=family.id)
    else:
        with pytest.raises(AccessDenied) as err:
            svc.view_family(world.ctx(user), family.id)
        assert family.reference in str(err.value)
        [event] = world.events(AuditAction.DENIED, family_id=family.id)
        assert not world.events(AuditAction.VIEW)
    assert event.user_id == user.id


def test_team_mates_family_is_readable_only_when_the_team_allows(world):
    world.let_team_read(True)
    seen = svc.view_family(world.ctx(world.practitioner), world.teammate_family.id)
    assert seen.reference == "FAM-0002"
    with pytest.raises(AccessDenied, match="change"):
        svc.add_member(world.ctx(world.practitioner), world.teammate_family.id, "Nan", "relative")
    with pytest.raises(AccessDenied):
        svc.view_family(world.ctx(world.practitioner), world.other_family.id)


def test_view_of_a_missing_family_is_not_found(world):
    with pytest.raises(NotFound):
        svc.view_family(world.ctx(world.manager), 9999)


def test_nobody_signed_in_sees_nothing(world):
    with pytest.raises(AccessDenied, match="sign in"):
        svc.view_family(world.ctx(None), world.family.id)


# --- caseloads ----------------------------------------------------------------------------------


def refs(families):
    return [f.reference for f in families]


def test_a_practitioner_sees_their_own_caseload(world):
    assert refs(svc.list_caseload(world.ctx(world.practitioner))) == ["FAM-0001"]
    [event] = world.events(AuditAction.VIEW, entity="caseload")
    assert event.user_id == world.practitioner.id


def test_with_team_policy_a_practitioner_also_sees_the_team(world):
    world.let_team_read(True)
    assert refs(svc.list_caseload(world.ctx(world.practitioner))) == ["FAM-0001", "FAM-0002"]
    assert refs(svc.list_caseload(world.ctx(world.other_practitioner))) == ["FAM-0003"]


def test_a_manager_sees_the_whole_team(world):
    assert refs(svc.list_caseload(world.ctx(world.manager))) == ["FAM-0001", "FAM-0002"]
    assert refs(svc.list_caseload(world.ctx(world.other_manager))) == ["FAM-0003"]


@pytest.mark.parametrize("role", ["lead", "staff", "admin"])
def test_roles_without_a_caseload_are_refused(world, role):
    with pytest.raises(AccessDenied):
        svc.list_caseload(world.ctx(getattr(world, role)))
    assert world.events(AuditAction.DENIED, user=getattr(world, role))


def test_closed_families_leave_the_caseload_unless_asked_for(world):
    svc.close_family(world.ctx(world.manager), world.family.id, date(2025, 3, 1), "Goals met.")
    ctx = world.ctx(world.practitioner)
    assert refs(svc.list_caseload(ctx)) == []
    assert refs(svc.list_caseload(ctx, include_closed=True)) == ["FAM-0001"]


# --- members and legal status ---------------------------------------------------------------------


def test_the_practitioner_adds_a_member(world):
    member = svc.add_member(
        world.ctx(world.practitioner), world.family.id, "Gran Reid", "relative", date(1950, 2, 2)
    )
    assert member.id is not None and member.role is MemberRole.RELATIVE
    stored = world.reload_family()
    assert [m.name for m in stored.members][-1] == "Gran Reid"
    [event] = world.events(AuditAction.UPDATE, family_id=world.family.id)
    assert event.entity == "member" and event.entity_id == member.id


@pytest.mark.parametrize(
    "args,field",
    [
        (("Gran", "granny"), "role"),
        (("", "relative"), "name"),
        (("Baby", "child", date(2025, 3, 11)), "date_of_birth"),
    ],
)
def test_add_member_refuses_bad_input(world, args, field):
    with pytest.raises(ValidationError) as err:
        svc.add_member(world.ctx(world.practitioner), world.family.id, *args)
    assert err.value.field == field
    assert len(world.reload_family().members) == 3


@pytest.mark.parametrize("role", ["teammate", "other_manager", "lead", "staff", "admin"])
def test_add_member_needs_write_access(world, role):
    with pytest.raises(AccessDenied):
        svc.add_member(world.ctx(getattr(world, role)), world.family.id, "Gran", "relative")
    assert world.events(AuditAction.DENIED, family_id=world.family.id)


def test_a_child_moves_from_child_in_need_to_child_protection_and_history_is_kept(world):
    member = svc.set_legal_status(
        world.ctx(world.practitioner),
        world.family.id,
        world.ben.id,
        "child_protection",
        date(2025, 3, 3),
        "emotional_abuse",
    )
    assert member.current_status is LegalStatus.CHILD_PROTECTION
    stored = world.reload_family().member(world.ben.id)
    assert stored.status_history == [
        StatusChange(LegalStatus.CHILD_IN_NEED, date(2024, 11, 1)),
        StatusChange(LegalStatus.CHILD_PROTECTION, date(2025, 3, 3), CpCategory.EMOTIONAL_ABUSE),
    ]
    # Amy's own clock is untouched.
    assert stored is not None
    assert world.reload_family().member(world.amy.id).current_status_since == date(2025, 1, 15)
    [event] = world.events(AuditAction.UPDATE, family_id=world.family.id)
    assert "child_protection" in event.detail


def test_a_same_day_status_corrects_the_current_one(world):
    ctx = world.ctx(world.practitioner)
    svc.set_legal_status(ctx, world.family.id, world.ben.id, "early_help", date(2024, 11, 1))
    history = world.reload_family().member(world.ben.id).status_history
    assert history == [StatusChange(LegalStatus.EARLY_HELP, date(2024, 11, 1))]


def test_a_status_can_end(world):
    svc.set_legal_status(
        world.ctx(world.manager), world.family.id, world.ben.id, "none", date(2025, 3, 10)
    )
    assert world.reload_family().member(world.ben.id).current_status is LegalStatus.NONE


@pytest.mark.parametrize(
    "member_attr,status,since,category,field,words",
    [
        ("dana", "child_in_need", date(2025, 3, 1), None, "legal_status", "Only a child"),
        ("ben", "child_protection", date(2025, 3, 1), None, "cp_category", "needs a category"),
        (
            "ben",
            "child_in_need",
            date(2025, 3, 1),
            "neglect",
            "cp_category",
            "Only a child protection",
        ),
        ("ben", "early_help", date(2024, 10, 1), None, "since", "cannot begin before"),
        ("ben", "child_in_need", date(2025, 3, 1), None, "legal_status", "already has"),
        ("ben", "early_help", date(2025, 3, 11), None, "since", "future"),
        ("ben", "adopted", date(2025, 3, 1), None, "legal_status", "must be one of"),
        ("ben", "child_protection", date(2025, 3, 1), "bad", "cp_category", "must be one of"),
    ],
)
def test_set_legal_status_refuses_bad_changes(
    world, member_attr, status, since, category, field, words
):
    member_id = getattr(world, member_attr).id
    before = copy.deepcopy(world.store.families[world.family.id])
    with pytest.raises(ValidationError) as err:
        svc.set_legal_status(
            world.ctx(world.practitioner), world.family.id, member_id, status, since, category
        )
    assert err.value.field == field and words in str(err.value)
    assert world.store.families[world.family.id] == before


def test_set_legal_status_for_an_unknown_member(world):
    with pytest.raises(ValidationError, match="No member"):
        svc.set_legal_status(
            world.ctx(world.practitioner),
            world.family.id,
            world.other_family.members[1].id,
            "early_help",
            date(2025, 3, 1),
        )


def test_set_legal_status_needs_write_access(world):
    with pytest.raises(AccessDenied):
        svc.set_legal_status(
            world.ctx(world.other_manager),
            world.family.id,
            world.ben.id,
            "early_help",
            date(2025, 3, 1),
        )
    assert world.events(AuditAction.DENIED, user=world.other_manager)


# --- reallocation ---------------------------------------------------------------------------------


def test_the_manager_reallocates_within_the_team(world):
    family = svc.reallocate(world.ctx(world.manager), world.family.id, "bea")
    assert family.practitioner_id == world.teammate.id
    assert world.reload_family().practitioner_id == world.teammate.id
    [event] = world.events(AuditAction.REALLOCATE)
    assert event.family_id == world.family.id and event.detail == "from alex to bea"
    # access follows the allocation
    assert svc.view_family(world.ctx(world.teammate), world.family.id)
    with pytest.raises(AccessDenied):
        svc.view_family(world.ctx(world.practitioner), world.family.id)


@pytest.mark.parametrize(
    "target,words",
    [
        ("cy", "not in team North"),
        ("mo", "not a practitioner"),
        ("alex", "already allocated"),
        ("x", "no user"),
    ],
)
def test_reallocation_target_must_be_another_practitioner_of_the_team(world, target, words):
    with pytest.raises(ValidationError) as err:
        svc.reallocate(world.ctx(world.manager), world.family.id, target)
    assert err.value.field == "practitioner" and words in str(err.value)
    assert world.reload_family().practitioner_id == world.practitioner.id


@pytest.mark.parametrize(
    "role", ["practitioner", "teammate", "other_manager", "lead", "staff", "admin"]
)
def test_only_the_teams_manager_reallocates(world, role):
    with pytest.raises(AccessDenied):
        svc.reallocate(world.ctx(getattr(world, role)), world.family.id, "bea")
    assert world.reload_family().practitioner_id == world.practitioner.id
    assert world.events(AuditAction.DENIED, user=getattr(world, role))


def test_an_inactive_practitioner_cannot_be_allocated(world):
    world.store.users[world.teammate.id].active = False
    with pytest.raises(ValidationError, match="not active"):
        svc.reallocate(world.ctx(world.manager), world.family.id, "bea")


# --- closure --------------------------------------------------------------------------------------


def test_the_manager_closes_a_family(world):
    family = svc.close_family(
        world.ctx(world.manager), world.family.id, date(2025, 3, 7), "  Safety goals met.  "
    )
    assert family.closed_on == date(2025, 3, 7) and family.closure_reason == "Safety goals met."
    assert not world.reload_family().is_open
    assert world.events(AuditAction.UPDATE, family_id=world.family.id)[0].detail == "closed"
    with pytest.raises(ValidationError, match="already closed"):
        svc.close_family(world.ctx(world.manager), world.family.id, date(2025, 3, 8), "Again.")
    with pytest.raises(ValidationError, match="closed"):
        svc.reallocate(world.ctx(world.manager), world.family.id, "bea")


@pytest.mark.parametrize(
    "closed_on,reason,field",
    [
        (date(2025, 3, 7), "   ", "closure_reason"),
        (date(2025, 3, 11), "Done.", "closed_on"),
        (date(2024, 9, 1), "Done.", "closed_on"),
    ],
)
def test_closure_needs_a_reason_and_a_sensible_date(world, closed_on, reason, field):
    with pytest.raises(ValidationError) as err:
        svc.close_family(world.ctx(world.manager), world.family.id, closed_on, reason)
    assert err.value.field == field
    assert world.reload_family().is_open


@pytest.mark.parametrize("role", ["practitioner", "other_manager", "admin"])
def test_only_the_teams_manager_closes(world, role):
    with pytest.raises(AccessDenied):
        svc.close_family(world.ctx(getattr(world, role)), world.family.id, date(2025, 3, 7), "x")
    assert world.reload_family().is_open


# --- caseload import ------------------------------------------------------------------------------


def good_file():
    return [
        {
            "reference": "FAM-0040",
            "name": "Park family",
            "team": "North",
            "practitioner": "alex",
            "members": [
                {"name": "Jin Park", "role": "parent", "date_of_birth": None, "legal_status": None},
                {
                    "name": "Min Park",
                    "role": "child",
                    "date_of_birth": "2015-06-01",
                    "legal_status": "child_protection",
                },
                {
                    "name": "Su Park",
                    "role": "child",
                    "date_of_birth": "2018-02-03",
                    "legal_status": "child_protection",
                    "cp_category": "physical_abuse",
                    "status_since": "2025-01-20",
                },
            ],
        },
        {
            "reference": "fam-0041",
            "name": "Ode family",
            "team": "south",
            "practitioner": "cy",
            "address": "4 Hill Road",
            "opened_on": "2025-01-02",
            "members": [
                {"name": "Ola Ode", "role": "carer"},
                {"name": "Tayo Ode", "role": "child", "legal_status": "child_in_need"},
            ],
        },
    ]


def test_a_good_file_is_imported_with_members_and_statuses(world):
    result = svc.import_caseload(world.ctx(world.admin), good_file())
    assert (result.families, result.members) == (2, 5)
    assert result.references == ("FAM-0040", "FAM-0041")
    added = [world.store.families[i] for i in result.family_ids]
    park = world.reload_family(added[0])
    assert park.team_id == world.team.id and park.practitioner_id == world.practitioner.id
    assert park.opened_on == world.today
    jin, min_, su = park.members
    assert jin.role is MemberRole.PARENT and jin.status_history == []
    assert min_.date_of_birth == date(2015, 6, 1)
    assert min_.status_history == [
        StatusChange(LegalStatus.CHILD_PROTECTION, world.today, CpCategory.MULTIPLE)
    ]
    assert su.status_history == [
        StatusChange(LegalStatus.CHILD_PROTECTION, date(2025, 1, 20), CpCategory.PHYSICAL_ABUSE)
    ]
    ode = world.reload_family(added[1])
    assert ode.team_id == world.other_team.id and ode.address == "4 Hill Road"
    assert ode.opened_on == date(2025, 1, 2)
    assert ode.members[1].current_status is LegalStatus.CHILD_IN_NEED
    imports = world.events(AuditAction.IMPORT)
    assert {e.family_id for e in imports} == {park.id, ode.id}
    assert all(e.user_id == world.admin.id for e in imports)


def test_the_json_text_can_be_imported_directly(world):
    result = svc.import_caseload_json(world.system(), json.dumps(good_file()))
    assert result.families == 2
    assert {e.user_id for e in world.events(AuditAction.IMPORT)} == {0}  # the system


def test_an_imported_family_is_then_in_the_practitioners_caseload(world):
    svc.import_caseload(world.ctx(world.admin), good_file())
    assert refs(svc.list_caseload(world.ctx(world.practitioner))) == ["FAM-0001", "FAM-0040"]


def rejected(world, data) -> list[str]:
    before = copy.deepcopy(world.store.families)
    with pytest.raises(CaseloadImportError) as err:
        svc.import_caseload(world.ctx(world.admin), data)
    assert world.store.families == before, "nothing may be imported"
    assert not world.events(AuditAction.IMPORT)
    assert err.value.field == "file"
    assert "Nothing was imported" in str(err.value)
    return err.value.problems


def test_a_bad_member_role_is_reported_with_its_position(world):
    data = good_file() + [copy.deepcopy(good_file()[0])]
    data[2]["reference"] = "FAM-0042"
    data[2]["members"][1]["role"] = "nephew"
    assert rejected(world, data) == [
        "Family 3 (FAM-0042), member 2: role must be one of child, parent, carer, relative, "
        "other (got 'nephew')."
    ]


def test_unknown_team_and_user_are_rejected(world):
    data = good_file()
    data[0]["team"] = "West"
    data[1]["practitioner"] = "zed"
    assert rejected(world, data) == [
        "Family 1 (FAM-0040): there is no team called 'West'.",
        "Family 2 (fam-0041): There is no user called 'zed'.",
    ]


def test_practitioner_must_be_a_practitioner_of_the_named_team(world):
    data = good_file()
    data[0]["practitioner"] = "cy"
    data[1]["practitioner"] = "nia"
    problems = rejected(world, data)
    assert problems[0] == "Family 1 (FAM-0040): Cy Southside is not in team North."
    assert "not a practitioner" in problems[1]


def test_duplicate_references_in_the_file_are_rejected(world):
    data = good_file()
    data[1]["reference"] = "fam-0040"
    assert rejected(world, data) == [
        "Family 2 (fam-0040): reference FAM-0040 is also used by family 1 in this file.",
    ]


def test_a_family_already_in_the_database_is_updated_not_duplicated(world):
    first = svc.import_caseload(world.ctx(world.admin), good_file())
    count = len(world.store.families)
    data = good_file()
    data[0]["members"][1]["legal_status"] = "child_looked_after"
    data[0]["members"][1]["status_since"] = world.today.isoformat()
    data[0]["members"].append(
        {"name": "Kai Park", "role": "child", "legal_status": "child_in_need"}
    )
    again = svc.import_caseload(world.ctx(world.admin), data)
    assert len(world.store.families) == count, "no duplicate families"
    assert (again.families, again.updated_families, again.unchanged) == (0, 1, 1)
    park = world.reload_family(world.store.families[first.family_ids[0]])
    assert [m.name for m in park.members] == ["Jin Park", "Min Park", "Su Park", "Kai Park"]
    assert [c.status for c in park.members[1].status_history] == [
        LegalStatus.CHILD_PROTECTION,
        LegalStatus.CHILD_LOOKED_AFTER,
    ]
    assert any("caseload import (json): " in e.detail for e in world.events(AuditAction.IMPORT))


@pytest.mark.parametrize(
    "change,expected",
    [
        (
            lambda d: d[0]["members"][0].update(legal_status="child_in_need"),
            "Family 1 (FAM-0040), member 1: only a child can have a legal_status.",
        ),
        (
            lambda d: d[0]["members"][1].update(legal_status="none"),
            "Family 1 (FAM-0040), member 2: legal_status must be one of early_help, "
            "child_in_need, child_protection, child_looked_after or null (got 'none').",
        ),
        (
            lambda d: d[0]["members"][1].update(date_of_birth="01/06/2015"),
            "Family 1 (FAM-0040), member 2: date_of_birth must be a date written YYYY-MM-DD, "
            "or null (got '01/06/2015').",
        ),
        (
            lambda d: d[0]["members"][1].update(date_of_birth="2026-01-01"),
            "Family 1 (FAM-0040), member 2: date_of_birth cannot be in the future (2026-01-01).",
        ),
        (
            lambda d: d[0]["members"][1].update(name=""),
            "Family 1 (FAM-0040), member 2: name must be non-empty text (got text).",
        ),
        (
            lambda d: d[0]["members"][1].pop("role"),
            "Family 1 (FAM-0040), member 2: role is missing.",
        ),
        (
            lambda d: d[0]["members"][1].update(
                cp_category="neglect", legal_status="child_in_need"
            ),
            "Family 1 (FAM-0040), member 2: cp_category is only for legal_status child_protection.",
        ),
        (
            lambda d: d[0]["members"][0].update(status_since="2025-01-01"),
            "Family 1 (FAM-0040), member 1: status_since needs a legal_status.",
        ),
        (
            lambda d: d[0]["members"][1].update(nickname="Minnie"),
            "Family 1 (FAM-0040), member 2: unknown field 'nickname' (expected: name, role, "
            "date_of_birth, legal_status, cp_category, status_since).",
        ),
        (
            lambda d: d[0].update(members={"name": "x"}),
            "Family 1 (FAM-0040): members must be a list (got an object).",
        ),
        (
            lambda d: d[0]["members"].append("Min"),
            "Family 1 (FAM-0040), member 4: must be an object with name and role (got text).",
        ),
        (
            lambda d: d[0].pop("team"),
            "Family 1 (FAM-0040): team is missing.",
        ),
        (
            lambda d: d[0].update(reference="FAM 40!"),
            "Family 1 (FAM 40!): Reference must be letters, digits and '-' (for example FAM-0042).",
        ),
        (
            lambda d: d[1].update(name=42),
            "Family 2 (fam-0041): name must be non-empty text (got a number).",
        ),
        (
            lambda d: d[1].update(refrence="x"),
            "Family 2 (fam-0041): unknown field 'refrence' (expected: reference, name, team, "
            "practitioner, members, address, opened_on).",
        ),
    ],
)
def test_each_kind_of_problem_is_reported_with_its_position(world, change, expected):
    data = good_file()
    change(data)
    assert rejected(world, data) == [expected]


def test_every_problem_is_listed_in_one_message(world):
    data = good_file()
    data[0]["team"] = "West"
    data[1]["members"][0]["role"] = "aunt"
    data.append("not a family")
    problems = rejected(world, data)
    assert len(problems) == 3
    assert problems[2] == "Family 3: must be an object (got text)."
    with pytest.raises(CaseloadImportError) as err:
        svc.import_caseload(world.ctx(world.admin), data)
    message = str(err.value)
    assert message.startswith("Nothing was imported; 3 problems were found:")
    assert all(p in message for p in problems)


@pytest.mark.parametrize(
    "data,expected",
    [
        ({"families": []}, "The file must hold a JSON list of families (it holds an object)."),
        ([], "The file holds no families."),
    ],
)
def test_a_malformed_file_is_rejected(world, data, expected):
    assert rejected(world, data) == [expected]


def test_invalid_json_is_rejected_with_line_and_column(world):
    text = '[\n  {"reference": "FAM-0040",\n   "name": "Park family" "team": "North"}\n]'
    with pytest.raises(CaseloadImportError) as err:
        svc.import_caseload_json(world.ctx(world.admin), text)
    assert err.value.problems == [
        "The file is not valid JSON: Expecting ',' delimiter at line 3, column 26."
    ]
    assert len(world.store.families) == 3


@pytest.mark.parametrize("role", ["practitioner", "manager", "lead", "staff"])
def test_only_admins_import(world, role):
    with pytest.raises(AccessDenied):
        svc.import_caseload(world.ctx(getattr(world, role)), good_file())
    assert len(world.store.families) == 3
    assert world.events(AuditAction.DENIED, user=getattr(world, role))


def test_a_family_may_await_allocation_in_the_file(world):
    data = good_file()
    data[0]["practitioner"] = None
    result = svc.import_caseload(world.ctx(world.admin), data)
    assert world.store.families[result.family_ids[0]].practitioner_id is None
