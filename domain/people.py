"""Users, teams and roles."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from domain.errors import ValidationError
from domain.stored import Stored
from domain.validate import one_of, required_text


class Role(StrEnum):
    PRACTITIONER = "practitioner"
    TEAM_MANAGER = "team_manager"
    PRACTICE_LEAD = "practice_lead"
    PROJECT_STAFF = "project_staff"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return {
            Role.PRACTITIONER: "Practitioner",
            Role.TEAM_MANAGER: "Team manager",
            Role.PRACTICE_LEAD: "Practice lead",
            Role.PROJECT_STAFF: "Project staff",
            Role.ADMIN: "Administrator",
        }[self]


USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")


@dataclass
class TeamSettings:
    """Per-team practice standards. Defaults follow SPEC §3–4."""

    summary_rhythm_weeks: int = 6
    visiting_standard_working_days: int = 10
    practitioners_see_team_families: bool = False
    #: Plan review rules (months): child protection first review after the initial conference,
    #: then every ``cp_later_review_months``; child in need, early help, looked after.
    cp_first_review_months: int = 3
    cp_later_review_months: int = 6
    cin_review_months: int = 3
    early_help_review_months: int = 3
    cla_review_months: int = 6
    #: The team's phone number for families (printed on the family copy of a plan); "" unset.
    phone: str = ""


@dataclass
class Team(Stored):
    name: str
    id: int | None = None
    settings: TeamSettings = field(default_factory=TeamSettings)

    def __post_init__(self) -> None:
        self.name = required_text("name", "Team name", self.name, max_length=80)


@dataclass
class User(Stored):
    username: str
    full_name: str
    role: Role
    team_id: int | None = None
    id: int | None = None
    passphrase_hash: str | None = field(default=None, repr=False)
    active: bool = True
    #: For a practice lead: the user ids of the practitioners they support.
    supports: frozenset[int] = frozenset()
    #: Set when an administrator gave a one-time passphrase: the user chooses a new one at the
    #: next sign-in before doing anything else.
    must_change_passphrase: bool = False

    def __post_init__(self) -> None:
        self.username = (self.username or "").strip().lower()
        if not USERNAME_RE.match(self.username):
            raise ValidationError(
                "username",
                "User name must be 2–40 characters: lower-case letters, digits, '.', '_' or '-', "
                "starting with a letter or digit.",
            )
        self.full_name = required_text("full_name", "Full name", self.full_name, max_length=120)
        self.role = one_of("role", "Role", self.role, Role)
        if self.role in (Role.PRACTITIONER, Role.TEAM_MANAGER) and self.team_id is None:
            raise ValidationError("team", f"A {self.role.label.lower()} must belong to a team.")
