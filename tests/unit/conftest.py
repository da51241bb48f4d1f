"""Shared fixtures for the domain unit tests: an in-memory store (tests/fakes.py), no database.

``world`` (function scope, so every test starts clean) seeds, straight through the fake
repositories (no services, and an empty audit log):

Clock: ``world.clock`` is a FixedClock at Monday 10 March 2025, 09:30 (``world.today``). Move it
with ``world.clock.advance(days=1)``.

Teams: ``world.team`` "North" and ``world.other_team`` "South", both with default settings
(practitioners do *not* see team-mates' families; ``world.let_team_read(True)`` turns it on).

Users (user name, role, team) -- every one has the passphrase ``PASSPHRASE``:

====================  ========  ==============  =====  ====================================
attribute             username  role            team   notes
====================  ========  ==============  =====  ====================================
practitioner          alex      practitioner    North  allocated ``family``
teammate              bea       practitioner    North  allocated ``teammate_family``
other_practitioner    cy        practitioner    South  allocated ``other_family``
manager               mo        team_manager    North
other_manager         nia       team_manager    South
lead                  lee       practice_lead   --     supports alex only
staff                 pat       project_staff   --
admin                 ada       admin           --
====================  ========  ==============  =====  ====================================

Families (all opened 2024-10-01):

- ``family`` FAM-0001 "Reid family" (North, alex): ``dana`` Dana Reid (parent), ``amy`` Amy Reid
  (child, born 2016-05-01, child protection / neglect since 2025-01-15), ``ben`` Ben Reid (child,
  born 2019-09-12, child in need since 2024-11-01).
- ``teammate_family`` FAM-0002 "Khan family" (North, bea): Sara Khan (parent), Zara Khan (child,
  early help since 2025-02-01).
- ``other_family`` FAM-0003 "Moss family" (South, cy): Jo Moss (carer), Kit Moss (child, no status).

Helpers: ``world.ctx(user)`` a Context signed in as ``user`` (None: nobody); ``world.system()`` the
bootstrap context; ``world.events(action=..., family_id=..., user=...)`` the committed audit
events; ``world.uow`` the unit-of-work factory; ``world.store`` the committed in-memory state.

``ctx_of`` is a fixture shortcut: ``ctx_of("manager")`` == ``world.ctx(world.manager)``.

``team_world`` (function scope) is a smaller, leaner world for the contact, summary, observation
and recording tests. Its clock is a FixedClock at ``TEAM_NOW`` (Tuesday 6 May 2025, 16:00); a test
module that wants another time sets ``team_world.clock.at``. Users have no passphrase; each one's
full name is the user name title-cased. Teams: ``north`` "North", ``south`` "South" and
``open_team`` "Open" (practitioners there *do* see team-mates' families).

====================  =============  ==============  =====  =================================
attribute             username       role            team   notes
====================  =============  ==============  =====  =================================
prac                  prac           practitioner    North  allocated ``fam``
prac2                 prac2          practitioner    North
south_prac            southprac      practitioner    South  allocated ``south_fam``
manager               manager        team_manager    North
manager2              manager2       team_manager    North
south_manager         southmgr       team_manager    South
lead                  lead           practice_lead   --     supports prac only
other_lead            otherlead      practice_lead   --     supports south_prac only
staff                 staff          project_staff   --
admin                 admin          admin           --
open_prac             openprac       practitioner    Open   allocated ``open_fam``
open_colleague        opencolleague  practitioner    Open
====================  =============  ==============  =====  =================================

Families (no members): ``fam`` FAM-0001 "Smith" (North, opened 2025-01-06), ``south_fam``
FAM-0002 "Jones" (South, opened 2025-02-01), ``open_fam`` FAM-0003 "Brown" (Open, opened
2025-03-01).

Helpers: ``team_world.ctx(user)`` a Context signed in as ``user``; ``team_world.events(action)``
the committed audit events (all of them when ``action`` is None); ``team_world.factory`` the
unit-of-work factory (its committed state is ``team_world.factory.store``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import date, datetime

import pytest

from domain.audit import AuditAction, AuditEvent
from domain.clock import LOCAL_ZONE, FixedClock
from domain.families import CpCategory, Family, LegalStatus, Member, MemberRole, StatusChange
from domain.passwords import hash_passphrase
from domain.people import Role, Team, TeamSettings, User
from domain.services.admin import system_context
from domain.services.context import Context
from tests.fakes import Store, fake_uow_factory

PASSPHRASE = "correct horse battery"
NOW = datetime(2025, 3, 10, 9, 30, tzinfo=LOCAL_ZONE)
OPENED = date(2024, 10, 1)


@functools.cache
def passphrase_hash() -> str:
    """One scrypt hash of PASSPHRASE, computed once per test session (hashing is slow on purpose)."""
    return hash_passphrase(PASSPHRASE)


@dataclass
class World:
    uow: Callable
    store: Store
    clock: FixedClock
    team: Team
    other_team: Team
    practitioner: User
    teammate: User
    other_practitioner: User
    manager: User
    other_manager: User
    lead: User
    staff: User
    admin: User
    family: Family
    teammate_family: Family
    other_family: Family

    @property
    def today(self) -> date:
        return self.clock.today()

    @property
    def dana(self) -> Member:
        return self.family.members[0]

    @property
    def amy(self) -> Member:
        return self.family.members[1]

    @property
    def ben(self) -> Member:
        return self.family.members[2]

    @property
    def users(self) -> list[User]:
        return [
            self.practitioner,
            self.teammate,
            self.other_practitioner,
            self.manager,
            self.other_manager,
            self.lead,
            self.staff,
            self.admin,
        ]

    def ctx(self, user: User | None) -> Context:
        return Context(self.uow, self.clock, user)

    def system(self) -> Context:
        return system_context(self.uow, self.clock)

    def events(
        self,
        action: AuditAction | None = None,
        *,
        family_id: int | None = None,
        user: User | None = None,
        entity: str | None = None,
    ) -> list[AuditEvent]:
        return [
            e
            for e in self.store.audit
            if (action is None or e.action is action)
            and (family_id is None or e.family_id == family_id)
            and (user is None or e.user_id == user.id)
            and (entity is None or e.entity == entity)
        ]

    def let_team_read(self, allowed: bool = True, team: Team | None = None) -> None:
        """Set the team policy "practitioners see their team's families (read only)"."""
        team = team or self.team
        self.store.teams[team.id].settings.practitioners_see_team_families = allowed

    def reload_family(self, family: Family | None = None) -> Family:
        """The committed state of a family (default: ``family``)."""
        with self.uow() as uow:
            return uow.families.get((family or self.family).id)


def _child(name: str, born: date, status: LegalStatus | None, since: date | None, cp=None):
    history = [StatusChange(status, since, cp)] if status else []
    return Member(name=name, role=MemberRole.CHILD, date_of_birth=born, status_history=history)


def build_world() -> World:
    """A fresh world (see the module docstring). Usable outside fixtures, e.g. in hypothesis tests."""
    uow_factory = fake_uow_factory()
    clock = FixedClock(NOW)
    hashed = passphrase_hash()
    with uow_factory() as uow:
        north = uow.teams.add(Team(name="North"))
        south = uow.teams.add(Team(name="South"))

        def user(username: str, name: str, role: Role, team: Team | None = None) -> User:
            return uow.users.add(
                User(
                    username=username,
                    full_name=name,
                    role=role,
                    team_id=team.id if team else None,
                    passphrase_hash=hashed,
                )
            )

        alex = user("alex", "Alex Practitioner", Role.PRACTITIONER, north)
        bea = user("bea", "Bea Teammate", Role.PRACTITIONER, north)
        cy = user("cy", "Cy Southside", Role.PRACTITIONER, south)
        mo = user("mo", "Mo Manager", Role.TEAM_MANAGER, north)
        nia = user("nia", "Nia Othermanager", Role.TEAM_MANAGER, south)
        lee = uow.users.add(
            User(
                username="lee",
                full_name="Lee Lead",
                role=Role.PRACTICE_LEAD,
                passphrase_hash=hashed,
                supports=frozenset({alex.id}),
            )
        )
        pat = user("pat", "Pat Projectstaff", Role.PROJECT_STAFF)
        ada = user("ada", "Ada Admin", Role.ADMIN)

        reid = uow.families.add(
            Family(
                reference="FAM-0001",
                name="Reid family",
                team_id=north.id,
                practitioner_id=alex.id,
                opened_on=OPENED,
                address="1 Long Lane",
                members=[
                    Member(name="Dana Reid", role=MemberRole.PARENT),
                    _child(
                        "Amy Reid",
                        date(2016, 5, 1),
                        LegalStatus.CHILD_PROTECTION,
                        date(2025, 1, 15),
                        CpCategory.NEGLECT,
                    ),
                    _child(
                        "Ben Reid", date(2019, 9, 12), LegalStatus.CHILD_IN_NEED, date(2024, 11, 1)
                    ),
                ],
            )
        )
        khan = uow.families.add(
            Family(
                reference="FAM-0002",
                name="Khan family",
                team_id=north.id,
                practitioner_id=bea.id,
                opened_on=OPENED,
                members=[
                    Member(name="Sara Khan", role=MemberRole.PARENT),
                    _child("Zara Khan", date(2021, 1, 3), LegalStatus.EARLY_HELP, date(2025, 2, 1)),
                ],
            )
        )
        moss = uow.families.add(
            Family(
                reference="FAM-0003",
                name="Moss family",
                team_id=south.id,
                practitioner_id=cy.id,
                opened_on=OPENED,
                members=[
                    Member(name="Jo Moss", role=MemberRole.CARER),
                    _child("Kit Moss", date(2018, 7, 7), None, None),
                ],
            )
        )
        uow.commit()
    return World(
        uow=uow_factory,
        store=uow_factory.store,  # type: ignore[attr-defined]
        clock=clock,
        team=north,
        other_team=south,
        practitioner=alex,
        teammate=bea,
        other_practitioner=cy,
        manager=mo,
        other_manager=nia,
        lead=lee,
        staff=pat,
        admin=ada,
        family=reid,
        teammate_family=khan,
        other_family=moss,
    )


@pytest.fixture
def world() -> World:
    return build_world()


@pytest.fixture
def ctx_of(world: World) -> Callable[[str], Context]:
    """``ctx_of("practitioner")``: a Context signed in as that World attribute."""

    def make(attribute: str) -> Context:
        return world.ctx(getattr(world, attribute))

    return make


@pytest.fixture
def empty_uow() -> Callable:
    """A unit-of-work factory over an empty store (no teams, no users): first-run set-up."""
    return fake_uow_factory()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


#: World attribute names of every role, for parametrised access tests.
ROLE_ATTRS = (
    "practitioner",
    "teammate",
    "other_practitioner",
    "manager",
    "other_manager",
    "lead",
    "staff",
    "admin",
)


TEAM_NOW = datetime(2025, 5, 6, 16, 0, 0, tzinfo=LOCAL_ZONE)


@dataclass
class TeamWorld:
    """The ``team_world`` fixture's data (see the module docstring)."""

    factory: Callable
    clock: FixedClock
    north: Team
    south: Team
    open_team: Team
    prac: User
    prac2: User
    south_prac: User
    manager: User
    manager2: User
    south_manager: User
    lead: User
    other_lead: User
    staff: User
    admin: User
    open_prac: User
    open_colleague: User
    fam: Family
    south_fam: Family
    open_fam: Family

    def ctx(self, user: User | None) -> Context:
        return Context(self.factory, self.clock, user)

    def events(self, action: AuditAction | None = None) -> list[AuditEvent]:
        audit = self.factory.store.audit  # type: ignore[attr-defined]
        return [e for e in audit if action is None or e.action is action]


def build_team_world(now: datetime = TEAM_NOW) -> TeamWorld:
    """A fresh ``team_world`` (see the module docstring)."""
    factory = fake_uow_factory()
    with factory() as uow:
        north = uow.teams.add(Team("North"))
        south = uow.teams.add(Team("South"))
        open_team = uow.teams.add(
            Team("Open", settings=TeamSettings(practitioners_see_team_families=True))
        )

        def user(name: str, role: Role, team: Team | None = None, supports=()) -> User:
            team_id = team.id if team else None
            return uow.users.add(
                User(name, name.title(), role, team_id, supports=frozenset(supports))
            )

        prac = user("prac", Role.PRACTITIONER, north)
        prac2 = user("prac2", Role.PRACTITIONER, north)
        south_prac = user("southprac", Role.PRACTITIONER, south)
        manager = user("manager", Role.TEAM_MANAGER, north)
        manager2 = user("manager2", Role.TEAM_MANAGER, north)
        south_manager = user("southmgr", Role.TEAM_MANAGER, south)
        lead = user("lead", Role.PRACTICE_LEAD, supports=[prac.id])
        other_lead = user("otherlead", Role.PRACTICE_LEAD, supports=[south_prac.id])
        staff = user("staff", Role.PROJECT_STAFF)
        admin = user("admin", Role.ADMIN)
        open_prac = user("openprac", Role.PRACTITIONER, open_team)
        open_colleague = user("opencolleague", Role.PRACTITIONER, open_team)
        fam = uow.families.add(Family("FAM-0001", "Smith", north.id, prac.id, date(2025, 1, 6)))
        south_fam = uow.families.add(
            Family("FAM-0002", "Jones", south.id, south_prac.id, date(2025, 2, 1))
        )
        open_fam = uow.families.add(
            Family("FAM-0003", "Brown", open_team.id, open_prac.id, date(2025, 3, 1))
        )
        uow.commit()
    clock = FixedClock(now)
    # Every TeamWorld field is a local of the same name (a missing one is a TypeError here).
    names = {f.name for f in fields(TeamWorld)}
    return TeamWorld(**{name: value for name, value in locals().items() if name in names})


@pytest.fixture
def team_world() -> TeamWorld:
    return build_team_world()
