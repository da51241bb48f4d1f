"""Every service decides on the acting user as stored *now*: an administrator's change between
two calls of the same service, made with the same signed-in context, applies to the second call.

The context a screen holds carries the user as they signed in; it is never trusted for a decision.
Each operation of the two access matrices (test_access_matrix.py: a family's records;
test_access_everything.py: administration, imports, audit log, reports) is called once as an
actor who may, then the stored user is changed in another unit of work -- deactivated, given
another role, moved to another team, or given other practitioners to support -- and called again
with the same context. The second call gets the matrix's outcome for the user as they now are.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest

from domain.audit import AuditAction
from domain.errors import AccessDenied, SignedOut
from domain.people import Role, User
from domain.services import admin, families
from tests.unit import test_access_everything as other_matrix
from tests.unit import test_access_matrix as family_matrix
from tests.unit.conftest import World

FAMILY_OPS = family_matrix.OPS
OTHER_OPS = {k: v for k, v in other_matrix.OPS.items() if k != "first admin"}  # nobody may


def _row(matrix: dict[str, str], columns: list[str] | tuple[str, ...], op: str) -> dict[str, str]:
    return dict(zip(columns, matrix[op].split(), strict=True))


def family_cells(op: str) -> dict[str, str]:
    return _row(family_matrix.MATRIX, family_matrix.COLUMNS, op)


def other_cells(op: str) -> dict[str, str]:
    return _row(other_matrix.MATRIX, other_matrix.COLUMNS, op)


def change(world: World, user: User, **fields: Any) -> None:
    """What an administrator's change leaves in the database (its own unit of work)."""
    with world.uow() as uow:
        uow.users.update(replace(uow.users.get(user.id), **fields))
        uow.commit()


def family_outcome(world: World, op: str, ctx: Any, family: Any, state: Any) -> str:
    """A, L or H as in the family matrix; D an access denial; S signed out."""
    operation = FAMILY_OPS[op]
    try:
        result = operation.call(world, ctx, family, state)
    except SignedOut:
        return "S"
    except AccessDenied:
        return "D"
    if operation.listed is None:
        return "A"
    return "L" if family.id in operation.listed(result) else "H"


def other_outcome(world: World, op: str, ctx: Any) -> str:
    try:
        OTHER_OPS[op].call(world, ctx)
    except SignedOut:
        return "S"
    except AccessDenied:
        return "D"
    return "A"


def last_event(world: World, user: User) -> tuple[AuditAction, str, str]:
    event = world.events(user=user)[-1]
    return event.action, event.entity, event.detail


def prepare_family_op(world: World, column: str, op: str) -> tuple[User, Any, Any]:
    user_attr, family_attr, team_reads = family_matrix.ACTORS[column]
    world.let_team_read(team_reads)
    user, family = getattr(world, user_attr), getattr(world, family_attr)
    return user, family, FAMILY_OPS[op].setup(world, family)


def prepare_other_op(world: World, op: str) -> None:
    other_matrix._add_zed(world)
    if op == "family copy export":
        other_matrix._plan(world)
    if op == "burden report":
        other_matrix._time_with_families(world)


# --- deactivated: the next call of any service signs the user out -------------------------------

FAMILY_ALLOWED = [
    pytest.param(op, next(c for c, cell in family_cells(op).items() if cell in "AL"), id=op)
    for op in FAMILY_OPS
]


@pytest.mark.parametrize(("op", "column"), FAMILY_ALLOWED)
def test_a_user_deactivated_between_two_calls_is_signed_out_of_family_services(
    world: World, op: str, column: str
) -> None:
    user, family, state = prepare_family_op(world, column, op)
    ctx = world.ctx(user)  # the signed-in copy, kept by the app
    assert family_outcome(world, op, ctx, family, state) == family_cells(op)[column]

    change(world, user, active=False)
    before = len(world.events(user=user))
    assert family_outcome(world, op, ctx, family, state) == "S"
    assert len(world.events(user=user)) == before + 1  # the refusal, and nothing else
    assert last_event(world, user) == (
        AuditAction.DENIED,
        "session",
        "account no longer active: signed out",
    )


OTHER_ALLOWED = [
    pytest.param(op, next(c for c, cell in other_cells(op).items() if cell == "A"), id=op)
    for op in OTHER_OPS
]


@pytest.mark.parametrize(("op", "column"), OTHER_ALLOWED)
def test_a_user_deactivated_between_two_calls_is_signed_out_of_every_other_service(
    world: World, op: str, column: str
) -> None:
    prepare_other_op(world, op)
    user = getattr(world, other_matrix.ACTOR_ATTR[column])
    ctx = world.ctx(user)
    assert other_outcome(world, op, ctx) == "A"

    change(world, user, active=False)
    assert other_outcome(world, op, ctx) == "S"
    assert last_event(world, user)[0] is AuditAction.DENIED


def test_the_signed_out_message_is_plain_and_names_no_internals(world: World) -> None:
    ctx = world.ctx(world.manager)
    change(world, world.manager, active=False)
    with pytest.raises(SignedOut) as err:
        families.list_caseload(ctx)
    assert str(err.value) == (
        "Your account is no longer active, so you have been signed out. "
        "If you think this is a mistake, please contact your administrator."
    )
    assert isinstance(err.value, AccessDenied)  # every screen already treats it as a refusal


def test_a_removed_user_id_is_signed_out_and_a_made_up_user_gets_nothing(world: World) -> None:
    """A context naming an id the database does not hold, whatever role it claims."""
    made_up = User(
        username="mallory", full_name="Mallory", role=Role.TEAM_MANAGER, team_id=1, id=999
    )
    with pytest.raises(SignedOut):
        families.list_caseload(world.ctx(made_up))
    with pytest.raises(SignedOut):
        admin.list_users(world.ctx(replace(made_up, role=Role.ADMIN, team_id=None)))


# --- another role: the matrix of the new role applies at the next call --------------------------

#: The family matrix column of each role's actor, and the user who plays it.
ROLE_COLUMN = {
    "practitioner": ("prac_own", Role.PRACTITIONER),
    "manager": ("mgr_own", Role.TEAM_MANAGER),
    "lead": ("lead_sup", Role.PRACTICE_LEAD),
}


@pytest.mark.parametrize(("op", "column"), FAMILY_ALLOWED)
def test_a_new_role_between_two_calls_decides_the_second_family_call(
    world: World, op: str, column: str
) -> None:
    user, family, state = prepare_family_op(world, column, op)
    ctx = world.ctx(user)
    assert family_outcome(world, op, ctx, family, state) in "AL"

    change(world, user, role=Role.PROJECT_STAFF, team_id=None)  # staff: no family records
    assert family_outcome(world, op, ctx, family, state) == "D"
    action, _, _ = last_event(world, user)
    assert action is AuditAction.DENIED


def test_a_manager_made_practice_lead_is_refused_reallocation_with_the_role_he_has_now(
    world: World,
) -> None:
    ctx = world.ctx(world.manager)
    families.reallocate(ctx, world.family.id, "bea")
    admin.update_user(world.ctx(world.admin), "mo", role="practice_lead", team_name=None)
    with pytest.raises(AccessDenied) as err:
        families.reallocate(ctx, world.family.id, "alex")
    assert str(err.value).endswith("(signed in as practice lead).")
    assert world.reload_family().practitioner_id == world.teammate.id


@pytest.mark.parametrize(
    ("op", "column", "new_role"),
    [
        pytest.param(op, column, new, id=f"{op}|{column}->{new}")
        for op in OTHER_OPS
        for column, cell in other_cells(op).items()
        if cell == "A" and column in ("prac", "mgr", "lead", "staff", "admin")
        for new in ("staff", "admin", "mgr", "lead")
        if new != column and other_cells(op)[new] != cell
    ][::1],
)
def test_a_new_role_between_two_calls_decides_the_second_call_of_every_other_service(
    world: World, op: str, column: str, new_role: str
) -> None:
    prepare_other_op(world, op)
    user = getattr(world, other_matrix.ACTOR_ATTR[column])
    ctx = world.ctx(user)
    assert other_outcome(world, op, ctx) == "A"
    template = getattr(world, other_matrix.ACTOR_ATTR[new_role])
    change(world, user, role=template.role, team_id=template.team_id)
    assert other_outcome(world, op, ctx) == other_cells(op)[new_role] == "D"
    assert last_event(world, user)[0] is AuditAction.DENIED


def test_a_practitioner_promoted_to_manager_gets_the_team_at_the_next_call(world: World) -> None:
    from domain.services import dashboard

    ctx = world.ctx(world.teammate)
    assert {f.id for f in families.list_caseload(ctx)} == {world.teammate_family.id}
    with pytest.raises(AccessDenied):
        dashboard.team_dashboard(ctx)
    change(world, world.teammate, role=Role.TEAM_MANAGER)
    assert {f.id for f in families.list_caseload(ctx)} == {
        world.family.id,
        world.teammate_family.id,
    }
    dashboard.team_dashboard(ctx)  # allowed now
    assert [e.action for e in world.events(user=world.teammate)].count(AuditAction.DENIED) == 1


def outcomes_around(
    world: World, op: str, column: str, change_it: Callable[[User], object]
) -> tuple[str, str]:
    """What ``op`` gives the user of ``column`` before and after ``change_it(user)``: one
    context (as a signed-in app holds it) for both calls."""
    user, family, state = prepare_family_op(world, column, op)
    ctx = world.ctx(user)
    before = family_outcome(world, op, ctx, family, state)
    change_it(user)
    return before, family_outcome(world, op, ctx, family, state)


# --- another team: what a manager (or a reading practitioner) reaches follows the team ----------

TEAM_OPS = [pytest.param(op, id=op) for op in FAMILY_OPS if family_cells(op)["mgr_own"] in "AL"]


@pytest.mark.parametrize("op", TEAM_OPS)
def test_a_manager_moved_to_another_team_between_two_calls(world: World, op: str) -> None:
    # now placed as nia is: South
    moved = outcomes_around(
        world, op, "mgr_own", lambda u: change(world, u, team_id=world.other_team.id)
    )
    assert moved == (family_cells(op)["mgr_own"], family_cells(op)["mgr_other"])


@pytest.mark.parametrize("op", TEAM_OPS)
def test_a_manager_moved_into_the_team_reaches_its_families_at_the_next_call(
    world: World, op: str
) -> None:
    # nia joins North
    moved = outcomes_around(
        world, op, "mgr_other", lambda u: change(world, u, team_id=world.team.id)
    )
    assert moved == (family_cells(op)["mgr_other"], family_cells(op)["mgr_own"])


READ_OPS = [
    pytest.param(op, id=op) for op in FAMILY_OPS if family_cells(op)["prac_mate_rd"] in "AL"
]


@pytest.mark.parametrize("op", READ_OPS)
def test_a_reading_practitioner_moved_to_another_team_between_two_calls(
    world: World, op: str
) -> None:
    moved = outcomes_around(
        world, op, "prac_mate_rd", lambda u: change(world, u, team_id=world.other_team.id)
    )
    assert moved == (family_cells(op)["prac_mate_rd"], family_cells(op)["prac_other"])


# --- other supported practitioners: a practice lead's reach follows the list --------------------

LEAD_OPS = [pytest.param(op, id=op) for op in FAMILY_OPS if family_cells(op)["lead_sup"] in "AL"]


def _supports(world: World, **change_: list[str]) -> Callable[[User], object]:
    return lambda _: admin.change_supports(world.ctx(world.admin), "lee", **change_)


@pytest.mark.parametrize("op", LEAD_OPS)
def test_a_practitioner_removed_from_a_lead_between_two_calls(world: World, op: str) -> None:
    moved = outcomes_around(world, op, "lead_sup", _supports(world, remove=["alex"]))
    assert moved == (family_cells(op)["lead_sup"], family_cells(op)["lead_not"])


@pytest.mark.parametrize("op", LEAD_OPS)
def test_a_practitioner_given_to_a_lead_between_two_calls(world: World, op: str) -> None:
    change(world, world.lead, supports=frozenset())
    # The context is made from a copy that says "supports alex": it is not believed.
    moved = outcomes_around(world, op, "lead_sup", _supports(world, add=["alex"]))
    assert moved == (family_cells(op)["lead_not"], family_cells(op)["lead_sup"])
