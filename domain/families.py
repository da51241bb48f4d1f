"""Families (cases), their members and each child's legal status history."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from domain.errors import ValidationError
from domain.stored import Stored
from domain.validate import one_of, optional_text, required_text

REFERENCE_RE = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,29}$")


class MemberRole(StrEnum):
    CHILD = "child"
    PARENT = "parent"
    CARER = "carer"
    RELATIVE = "relative"
    OTHER = "other"


class LegalStatus(StrEnum):
    NONE = "none"
    EARLY_HELP = "early_help"
    CHILD_IN_NEED = "child_in_need"
    CHILD_PROTECTION = "child_protection"
    CHILD_LOOKED_AFTER = "child_looked_after"

    @property
    def short(self) -> str:
        return {
            LegalStatus.NONE: "—",
            LegalStatus.EARLY_HELP: "EH",
            LegalStatus.CHILD_IN_NEED: "CIN",
            LegalStatus.CHILD_PROTECTION: "CP",
            LegalStatus.CHILD_LOOKED_AFTER: "CLA",
        }[self]

    @property
    def label(self) -> str:
        return {
            LegalStatus.NONE: "No status",
            LegalStatus.EARLY_HELP: "Early Help",
            LegalStatus.CHILD_IN_NEED: "Child in Need",
            LegalStatus.CHILD_PROTECTION: "Child Protection",
            LegalStatus.CHILD_LOOKED_AFTER: "Child Looked After",
        }[self]


class CpCategory(StrEnum):
    NEGLECT = "neglect"
    PHYSICAL_ABUSE = "physical_abuse"
    EMOTIONAL_ABUSE = "emotional_abuse"
    SEXUAL_ABUSE = "sexual_abuse"
    MULTIPLE = "multiple"


@dataclass(frozen=True)
class StatusChange:
    """One entry of a child's legal status history: from ``since`` the child has ``status``."""

    status: LegalStatus
    since: date
    cp_category: CpCategory | None = None
    #: The council's own legal status code when it was imported (SSDA903 ``LS``: C2, V2, E1 ...).
    code: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "status", one_of("legal_status", "Legal status", self.status, LegalStatus)
        )
        object.__setattr__(self, "code", (self.code or "").strip().upper()[:10])
        if self.cp_category is not None:
            object.__setattr__(
                self,
                "cp_category",
                one_of("cp_category", "Child protection category", self.cp_category, CpCategory),
            )
        if self.status is LegalStatus.CHILD_PROTECTION and self.cp_category is None:
            raise ValidationError("cp_category", "A child protection status needs a category.")
        if self.status is not LegalStatus.CHILD_PROTECTION and self.cp_category is not None:
            raise ValidationError("cp_category", "Only a child protection status has a category.")


@dataclass
class Member(Stored):
    name: str
    role: MemberRole
    date_of_birth: date | None = None
    id: int | None = None
    family_id: int | None = None
    #: Oldest first. Only children carry a legal status.
    status_history: list[StatusChange] = field(default_factory=list)
    #: The child's identifier in the council's system (Annex A child ID, SSDA903 CHILD,
    #: CIN census LAchildID), so that a later import updates this member instead of adding one.
    external_id: str | None = None

    def __post_init__(self) -> None:
        self.name = required_text("name", "Member name", self.name, max_length=120)
        self.external_id = (self.external_id or "").strip() or None
        self.role = one_of("role", "Role", self.role, MemberRole)
        if self.status_history and self.role is not MemberRole.CHILD:
            raise ValidationError("legal_status", "Only a child can have a legal status.")
        self.status_history = sorted(self.status_history, key=lambda s: s.since)

    @property
    def is_child(self) -> bool:
        return self.role is MemberRole.CHILD

    def status_on(self, day: date) -> StatusChange | None:
        current = None
        for change in self.status_history:
            if change.since <= day:
                current = change
        return current

    @property
    def current_status(self) -> LegalStatus:
        return self.status_history[-1].status if self.status_history else LegalStatus.NONE

    @property
    def current_status_since(self) -> date | None:
        return self.status_history[-1].since if self.status_history else None


@dataclass
class Family(Stored):
    reference: str
    name: str
    team_id: int
    practitioner_id: int | None
    opened_on: date
    id: int | None = None
    address: str = ""
    closed_on: date | None = None
    closure_reason: str = ""
    members: list[Member] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.reference = (self.reference or "").strip().upper()
        if not REFERENCE_RE.match(self.reference):
            raise ValidationError(
                "reference", "Reference must be letters, digits and '-' (for example FAM-0042)."
            )
        self.name = required_text("name", "Family name", self.name, max_length=120)
        self.address = optional_text("address", "Address", self.address, max_length=300)
        if self.closed_on is not None and self.closed_on < self.opened_on:
            raise ValidationError("closed_on", "A family cannot be closed before it was opened.")

    @property
    def children(self) -> list[Member]:
        return [m for m in self.members if m.is_child]

    @property
    def adults(self) -> list[Member]:
        return [m for m in self.members if not m.is_child]

    @property
    def is_open(self) -> bool:
        return self.closed_on is None

    def member(self, member_id: int) -> Member:
        for m in self.members:
            if m.id == member_id:
                return m
        raise ValidationError(
            "member", f"No member with id {member_id} in family {self.reference}."
        )
