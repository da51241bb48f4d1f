"""Small builders for integration tests: a team, its people and one family, stored for real."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from domain.clock import LOCAL_ZONE
from domain.families import CpCategory, Family, LegalStatus, Member, MemberRole, StatusChange
from domain.mapping import (
    Category,
    DangerPair,
    DangerStatement,
    MappingContent,
    MappingItem,
    SafetyGoal,
)
from domain.people import Role, Team, TeamSettings, User
from domain.plans import ActionStatus, PlanAction, PlanContent, PlanGoal

NOW = datetime(2025, 3, 10, 9, 30, tzinfo=LOCAL_ZONE)
TODAY = NOW.date()


@dataclass
class World:
    team: Team
    practitioner: User
    manager: User
    lead: User
    family: Family

    @property
    def child(self) -> Member:
        return self.family.children[0]


def build_world(uow_factory) -> World:  # type: ignore[no-untyped-def]
    with uow_factory() as uow:
        team = uow.teams.add(Team(name="North", settings=TeamSettings(summary_rhythm_weeks=8)))
        practitioner = uow.users.add(
            User(
                username="alex",
                full_name="Alex Smith",
                role=Role.PRACTITIONER,
                team_id=team.id,
                passphrase_hash="scrypt$abc",
            )
        )
        manager = uow.users.add(
            User(username="mo", full_name="Mo Khan", role=Role.TEAM_MANAGER, team_id=team.id)
        )
        lead = uow.users.add(
            User(
                username="lee",
                full_name="Lee Practice",
                role=Role.PRACTICE_LEAD,
                supports=frozenset({practitioner.id}),
            )
        )
        family = uow.families.add(
            Family(
                reference="fam-0001",
                name="Reid family",
                team_id=team.id,
                practitioner_id=practitioner.id,
                opened_on=date(2024, 10, 1),
                address="1 High Street, Northtown",
                members=[
                    Member(name="Dana Reid", role=MemberRole.PARENT),
                    Member(
                        name="Amy Reid",
                        role=MemberRole.CHILD,
                        date_of_birth=date(2016, 5, 1),
                        status_history=[
                            StatusChange(LegalStatus.CHILD_IN_NEED, date(2024, 10, 1)),
                            StatusChange(
                                LegalStatus.CHILD_PROTECTION,
                                date(2025, 1, 15),
                                CpCategory.NEGLECT,
                            ),
                        ],
                    ),
                ],
            )
        )
        uow.commit()
    return World(team, practitioner, manager, lead, family)


def plan_content(words: str = "We want the children safe at home.") -> PlanContent:
    return PlanContent(
        start_date=date(2025, 2, 1),
        review_date=date(2025, 5, 1),
        family_words=words,
        goals=(
            PlanGoal(
                text="Amy gets to school every day",
                child_ids=(7,),
                danger_key="k1",
                actions=(
                    PlanAction(
                        what="Walk Amy to school",
                        who="Dana",
                        by_when=date(2025, 3, 1),
                        status=ActionStatus.ON_TRACK,
                    ),
                    PlanAction(what="Check attendance weekly", who="Alex"),
                ),
            ),
        ),
        contingency="Gran will step in.",
        agreed_on=date(2025, 2, 3),
        agreed_with="Dana Reid",
    )


def mapping_content(held_on: date = date(2025, 2, 20)) -> MappingContent:
    return MappingContent(
        held_on=held_on,
        participants=("Dana Reid", "Alex Smith", "Mrs Jones (school) — “quoted”"),
        items=(
            MappingItem(Category.HARM, "Amy missed 20 days of school [sic]"),
            MappingItem(Category.EXISTING_STRENGTHS, "Gran visits daily"),
        ),
        pairs=(
            DangerPair(
                key="k1",
                danger=DangerStatement(
                    "Social workers and school",
                    "Amy will miss school and fall behind",
                    "she will not be able to read by year 6",
                ),
                goal=SafetyGoal(
                    "walk Amy to school",
                    "being at school every day",
                    "attendance over 95%",
                    "one term",
                ),
            ),
        ),
    )
