"""Who may do what outside a family's day-to-day records, as one matrix over the services:
administration of users and teams, the caseload and baseline imports, the audit log, the family
copy export and the recording-burden report. (The family-record services have their own matrix
in test_access_matrix.py.)

Columns are the actors of tests/unit/conftest.py, plus the system context and nobody signed in:

==========  ======================================================================
prac        practitioner alex (North), allocated FAM-0001
mate        practitioner bea (North), allocated FAM-0002
other       practitioner cy (South), allocated FAM-0003
mgr         team manager mo (North)
omgr        team manager nia (South)
lead        practice lead lee (supports alex)
staff       project staff pat
admin       administrator ada
system      the system context (command line, seeding): an administrator nobody signs in as
nobody      no one signed in (the database already has users)
==========  ======================================================================

Cells: ``A`` allowed (and, where the row names one, the audit event it must write is there);
``D`` denied: AccessDenied with a readable sentence, exactly one new DENIED audit event naming
the actor, and nothing else stored.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from domain.audit import AuditAction
from domain.errors import AccessDenied
from domain.people import Role, User
from domain.plans import PlanContent, PlanGoal
from domain.services import admin, audit_log, families, plans, recording
from domain.services.context import Context
from tests.unit.conftest import World, passphrase_hash

COLUMNS = ("prac", "mate", "other", "mgr", "omgr", "lead", "staff", "admin", "system", "nobody")
ACTOR_ATTR = {
    "prac": "practitioner",
    "mate": "teammate",
    "other": "other_practitioner",
    "mgr": "manager",
    "omgr": "other_manager",
    "lead": "lead",
    "staff": "staff",
    "admin": "admin",
}

# fmt: off
MATRIX: dict[str, str] = {
    #                      prac mate other mgr omgr lead staff admin system nobody
    "team create":         "D    D    D     D   D    D    D     A     A      D",
    "team settings":       "D    D    D     D   D    D    D     A     A      D",
    "team list":           "A    A    A     A   A    A    A     A     A      D",
    "user create":         "D    D    D     D   D    D    D     A     A      D",
    "user list":           "D    D    D     D   D    D    D     A     A      D",
    "user update":         "D    D    D     D   D    D    D     A     A      D",
    "passphrase reset":    "D    D    D     D   D    D    D     A     A      D",
    "supports set":        "D    D    D     D   D    D    D     A     A      D",
    "first admin":         "D    D    D     D   D    D    D     D     D      D",
    "caseload import":     "D    D    D     D   D    D    D     A     A      D",
    "baseline import":     "D    D    D     D   D    D    A     A     A      D",
    "audit list":          "D    D    D     D   D    D    D     A     A      D",
    "backup audited":      "D    D    D     D   D    D    D     A     A      D",
    "family copy export":  "A    D    D     A   D    D    D     D     D      D",
    "burden report":       "D    D    D     A   D    D    A     A     A      D",
}
# fmt: on


def _cells(row: str) -> list[str]:
    cells = row.split()
    assert len(cells) == len(COLUMNS), row
    return cells


@dataclass
class Op:
    call: Callable[[World, Context], Any]
    #: The audit event an allowed call must write: (action, entity), or None (not a record).
    audited: tuple[AuditAction, str] | None = None


def _plan(world: World) -> None:
    """FAM-0001 gets a plan (saved by alex), so there is something to export."""
    content = PlanContent(
        start_date=date(2025, 2, 1),
        review_date=date(2025, 5, 1),
        family_words="We want to stay together.",
        goals=(PlanGoal(text="Amy gets to school every day", child_ids=(world.amy.id,)),),
    )
    plans.save_plan(world.ctx(world.practitioner), world.family.id, content, None)


CASELOAD = [
    {
        "reference": "FAM-0900",
        "name": "Imported family",
        "team": "North",
        "practitioner": "alex",
        "members": [{"name": "Ivy Imported", "role": "child", "legal_status": "child_in_need"}],
    }
]
BASELINE = "practitioner,date,category,minutes\nalex,2024-09-02,recording,120\n"


def _burden_report(world: World, ctx: Context) -> Any:
    """The report on team North (the practice manager's own; not the other manager's)."""
    from domain.services import reports

    # The site's smallest group (3) withholds a one-practitioner team from a pseudonymised
    # report: that is suppression after an allowed, audited run, not an access decision.
    try:
        return reports.burden_report(ctx, team="North")
    except reports.GroupTooSmall as withheld:
        return withheld


def _time_with_families(world: World) -> None:
    """Alex logs a visit, so the report has a practitioner's figures to show."""
    from datetime import time

    from domain.services.contacts import log_contact

    ctx = world.ctx(world.practitioner)
    log_contact(ctx, world.family.id, world.today, time(9, 0), 45, "home_visit", "Visit.")


OPS: dict[str, Op] = {
    "team create": Op(lambda w, c: admin.create_team(c, "East"), (AuditAction.CREATE, "team")),
    "team settings": Op(
        lambda w, c: admin.update_team_settings(c, w.team.id, summary_rhythm_weeks=4),
        (AuditAction.UPDATE, "team"),
    ),
    "team list": Op(lambda w, c: admin.list_teams(c)),
    "user create": Op(
        lambda w, c: admin.create_user(c, "newbie", "New Person", "practitioner", "North"),
        (AuditAction.CREATE, "user"),
    ),
    "user list": Op(lambda w, c: admin.list_users(c)),
    "user update": Op(
        lambda w, c: admin.update_user(c, "zed", full_name="Zed Renamed"),
        (AuditAction.UPDATE, "user"),
    ),
    "passphrase reset": Op(
        lambda w, c: admin.set_passphrase(c, "zed", "a brand new passphrase"),
        (AuditAction.UPDATE, "user"),
    ),
    "supports set": Op(
        lambda w, c: admin.set_supports(c, "lee", ["alex", "bea"]),
        (AuditAction.UPDATE, "user"),
    ),
    "first admin": Op(
        lambda w, c: admin.bootstrap_admin(c, "second", "Second Admin", "another passphrase"),
    ),
    "caseload import": Op(
        lambda w, c: families.import_caseload(c, CASELOAD), (AuditAction.IMPORT, "family")
    ),
    "baseline import": Op(
        lambda w, c: recording.import_baseline(c, BASELINE), (AuditAction.IMPORT, "baseline")
    ),
    "audit list": Op(lambda w, c: audit_log.list_audit(c), (AuditAction.VIEW, "audit")),
    "backup audited": Op(
        lambda w, c: audit_log.record_maintenance(c, AuditAction.EXPORT, "backup to /b.db"),
        (AuditAction.EXPORT, "database"),
    ),
    "family copy export": Op(
        lambda w, c: plans.export_family_copy(c, w.family.id, "markdown"),
        (AuditAction.EXPORT, "plan"),
    ),
    "burden report": Op(_burden_report, (AuditAction.REPORT, "burden_report")),
}


def _actor(world: World, column: str) -> tuple[Context, User | None]:
    if column == "system":
        return world.system(), world.system().user
    if column == "nobody":
        return world.ctx(None), None
    user = getattr(world, ACTOR_ATTR[column])
    return world.ctx(user), user


def _add_zed(world: World) -> None:
    """A user none of the actors is, for the user-changing rows."""
    with world.uow() as uow:
        uow.users.add(
            User(
                username="zed",
                full_name="Zed Spare",
                role=Role.PRACTITIONER,
                team_id=world.team.id,
                passphrase_hash=passphrase_hash(),
            )
        )
        uow.commit()


def _stored(world: World) -> str:
    """Everything in the store except the audit log, to show a denial changed nothing."""
    s = world.store
    return repr(
        (
            s.teams,
            s.users,
            s.families,
            s.plans,
            s.plan_revisions,
            s.baseline,
            s.drafts,
            getattr(s, "pseudonym_secret", None),
        )
    )


def _is_sentence(message: str) -> bool:
    return len(message) > 15 and message[0].isupper() and message.rstrip().endswith(".")


def test_the_matrix_covers_every_operation_once() -> None:
    assert set(MATRIX) == set(OPS)
    for row in MATRIX.values():
        assert set(_cells(row)) <= {"A", "D"}


CASES = [
    pytest.param(op, column, cell, id=f"{op}-{column}")
    for op, row in MATRIX.items()
    for column, cell in zip(COLUMNS, _cells(row), strict=True)
]


@pytest.mark.parametrize(("op", "column", "outcome"), CASES)
def test_access(world: World, op: str, column: str, outcome: str) -> None:
    if op == "burden report":
        pytest.importorskip("domain.services.reports")
        with world.uow() as uow:
            if not hasattr(uow, "reports"):
                pytest.skip("the in-memory store has no report queries yet (tests/fakes.py)")
    _add_zed(world)
    if op == "family copy export":
        _plan(world)
    if op == "burden report":
        _time_with_families(world)
    ctx, user = _actor(world, column)
    user_id = user.id if user else None
    events_before = len(world.store.audit)
    stored_before = _stored(world)

    if outcome == "D":
        with pytest.raises(AccessDenied) as caught:
            OPS[op].call(world, ctx)
        message = str(caught.value)
        assert _is_sentence(message), message
        assert "Traceback" not in message
        new = world.store.audit[events_before:]
        assert [(e.action, e.user_id) for e in new] == [(AuditAction.DENIED, user_id)], new
        assert _stored(world) == stored_before, "a denied call changed stored records"
        return

    OPS[op].call(world, ctx)
    new = world.store.audit[events_before:]
    assert all(e.action is not AuditAction.DENIED for e in new), new
    if OPS[op].audited is not None:
        action, entity = OPS[op].audited
        assert any(
            e.action is action and e.entity == entity and e.user_id == user_id for e in new
        ), f"no {action} {entity} event by {column}: {new}"


def test_denials_name_what_was_refused_and_who_asked(world: World) -> None:
    with pytest.raises(AccessDenied) as caught:
        audit_log.list_audit(world.ctx(world.manager))
    assert str(caught.value) == (
        "You do not have access to the audit log (signed in as team manager)."
    )
    denied = world.events(AuditAction.DENIED, user=world.manager)
    assert len(denied) == 1 and denied[0].detail == "the audit log"


def test_a_denial_with_nobody_signed_in_is_audited_too(world: World) -> None:
    with pytest.raises(AccessDenied, match="Please sign in"):
        recording.import_baseline(world.ctx(None), BASELINE)
    with pytest.raises(AccessDenied, match="Please sign in"):
        plans.export_family_copy(world.ctx(None), world.family.id, "markdown")
    denied = world.events(AuditAction.DENIED)
    assert [(e.user_id, e.entity) for e in denied] == [(None, "session"), (None, "session")]


def test_the_audit_listing_resolves_names_and_is_itself_audited(world: World) -> None:
    from domain.services.families import view_family

    view_family(world.ctx(world.practitioner), world.family.id)
    view_family(world.ctx(world.manager), world.teammate_family.id)
    entries = audit_log.list_audit(world.system(), family="FAM-0001")
    assert [(e.user, e.action, e.entity, e.family) for e in entries] == [
        ("alex", AuditAction.VIEW, "family", "FAM-0001")
    ]
    listing = world.events(AuditAction.VIEW, entity="audit")
    assert len(listing) == 1
    assert listing[0].user_id == admin.SYSTEM_USER_ID
    assert listing[0].family_id == world.family.id
    assert listing[0].detail == "audit log listed (family FAM-0001): 1 event"

    by_user = audit_log.list_audit(world.ctx(world.admin), user="mo")
    assert [(e.user, e.family) for e in by_user] == [("mo", "FAM-0002")]
    mine = audit_log.list_audit(world.ctx(world.admin), user="system")
    assert [(e.user, e.entity) for e in mine] == [("system", "audit")]


def test_the_audit_listing_filters_by_day(world: World) -> None:
    from domain.services.families import view_family

    view_family(world.ctx(world.practitioner), world.family.id)
    world.clock.advance(days=2)
    view_family(world.ctx(world.manager), world.family.id)
    later = audit_log.list_audit(world.system(), since=world.today)
    assert [e.user for e in later] == ["mo"]
    assert [e.user for e in audit_log.list_audit(world.system(), since=date(2025, 3, 1))][:2] == [
        "alex",
        "mo",
    ]


def test_the_audit_listing_refuses_unknown_names_clearly(world: World) -> None:
    from domain.errors import NotFound

    with pytest.raises(NotFound, match="no family with the reference 'FAM-9999'"):
        audit_log.list_audit(world.system(), family="FAM-9999")
    with pytest.raises(NotFound, match="no user called 'nobody'"):
        audit_log.list_audit(world.system(), user="nobody")


def test_the_audit_port_offers_no_way_to_change_or_delete() -> None:
    from domain.ports import AuditLog
    from storage.audit import SqlAuditLog
    from tests.fakes import FakeUnitOfWork

    for cls in (AuditLog, SqlAuditLog, type(FakeUnitOfWork().audit)):
        public = {n for n in dir(cls) if not n.startswith("_")}
        assert public & {"record", "list"} == {"record", "list"}, cls
        # Read-only extras: whether the log is hash-chained, and the chain to verify it.
        allowed = {"record", "record_many", "list", "chained", "chain", "session", "uow", "s"}
        assert not public - allowed, (
            cls,
            public,
        )


def test_family_copy_export_holds_no_secrets_of_its_own(world: World) -> None:
    """The export is for the family: no user names, passphrase hashes or audit text in it."""
    _plan(world)
    text = plans.export_family_copy(world.ctx(world.practitioner), world.family.id, "html")
    assert "scrypt$" not in text and passphrase_hash() not in text
    exported = world.events(AuditAction.EXPORT, family_id=world.family.id)
    assert len(exported) == 1 and exported[0].user_id == world.practitioner.id
    assert json.dumps(exported[0].detail).count("family copy") == 1
