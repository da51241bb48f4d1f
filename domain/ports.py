"""What the domain needs from the outside world. storage/ implements these; tests use fakes."""

from __future__ import annotations

import builtins
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime
from types import TracebackType
from typing import Generic, Protocol, Self, TypeVar

from domain.audit import AuditEvent, Draft
from domain.audit_chain import ChainLink
from domain.caseload_facts import CaseloadFacts
from domain.diary import DiaryPhase
from domain.families import Family
from domain.mapping import Mapping, MappingRevision, ScalingRating
from domain.observations import ErasedRecording, Feedback, Observation
from domain.people import Team, User
from domain.plans import Plan, PlanRevision
from domain.reports import (
    BaselineAggregates,
    BurdenQuery,
    CalibrationAggregates,
    TrialAggregates,
)
from domain.signin import SignInRecord
from domain.summaries import Summary, SummaryStatus, SummaryVersion
from domain.timeuse import BaselineEntry, Contact, ManualEntry, RecordingSession

RecordT = TypeVar("RecordT")
RevisionT = TypeVar("RevisionT", contravariant=True)
RepoT = TypeVar("RepoT")
FamilyRecordT = TypeVar("FamilyRecordT")


class RepoKey(Generic[RepoT]):
    """Names one repository of the unit of work's registry: ``uow.repo(KEY)`` is a ``RepoT``.

    A record type declares its key beside its model (the network meeting's ``MEETINGS``);
    storage registers the SQL repository against it (storage/records/<record>.py), the unit tests'
    fake unit of work serves a generic in-memory one (tests/fakes.py). So a new record type edits
    neither this module nor storage/uow.py nor tests/fakes.py. (A typed key, not the Protocol
    class itself: a Protocol cannot be passed where ``type[T]`` is expected.)
    """

    def __init__(self, name: str) -> None:
        #: Unique among keys: the name of the record's table is a good one.
        self.name = name

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r})"


class FamilyRecords(Protocol[FamilyRecordT]):
    """The repository of a simple dated record of a family (a network meeting): stored by id,
    listed per family by date. Its key (:class:`FamilyRecordsKey`) says which date."""

    def add(self, record: FamilyRecordT) -> FamilyRecordT: ...  # assigns the id
    def get(self, record_id: int) -> FamilyRecordT: ...  # raises NotFound
    def update(self, record: FamilyRecordT) -> None: ...  # raises NotFound
    def for_family(
        self, family_id: int, *, start: date | None = None, end: date | None = None
    ) -> list[FamilyRecordT]:
        """The family's records dated ``start``..``end`` (inclusive; None: unbounded), newest
        first (latest date, then highest id)."""
        ...


class FamilyRecordsKey(RepoKey[FamilyRecords[FamilyRecordT]]):
    """The key of a :class:`FamilyRecords` repository. ``dated`` reads a record's date (what
    ``for_family`` filters and orders by): an in-memory repository needs nothing else to serve
    the record (the unit tests' generic fake, tests/fakes.py)."""

    def __init__(self, name: str, *, dated: Callable[[FamilyRecordT], date]) -> None:
        super().__init__(name)
        self.dated = dated


class Clock(Protocol):
    """See domain/clock.py: ``now()`` an aware UTC instant, ``today()`` the local date,
    ``monotonic()`` seconds for measuring durations."""

    def now(self) -> datetime: ...

    def today(self) -> date: ...

    def monotonic(self) -> float: ...


class TeamRepository(Protocol):
    def add(self, team: Team) -> Team: ...
    def get(self, team_id: int) -> Team: ...  # raises NotFound
    def by_name(self, name: str) -> Team | None: ...
    def list(self) -> list[Team]: ...
    def update(self, team: Team) -> None: ...


class UserRepository(Protocol):
    def add(self, user: User) -> User: ...
    def get(self, user_id: int) -> User: ...  # raises NotFound
    def by_username(self, username: str) -> User | None: ...
    def list(self) -> list[User]: ...
    def update(self, user: User) -> None: ...  # includes passphrase_hash and supports
    # Failed sign-ins per typed user name (domain/signin.py).
    def sign_in_record(self, name_key: str) -> SignInRecord | None: ...
    def save_sign_in_record(self, record: SignInRecord) -> None: ...  # insert or replace
    def clear_sign_in_record(self, name_key: str) -> bool: ...  # True if there was one


class FamilyRepository(Protocol):
    def add(self, family: Family) -> Family: ...  # assigns ids to the family and its members
    def get(
        self, family_id: int
    ) -> Family: ...  # raises NotFound; members and status history loaded
    def by_reference(self, reference: str) -> Family | None: ...
    def by_member_external_ids(self, external_ids: Sequence[str]) -> dict[str, int]:
        """The family id holding a member with each of ``external_ids`` (ids not found are left
        out)."""
        ...

    def list(
        self,
        *,
        team_id: int | None = None,
        practitioner_id: int | None = None,
        include_closed: bool = False,
    ) -> list[Family]: ...
    def update(
        self, family: Family
    ) -> None: ...  # fields, members (added ones get ids) and status history
    #: Which of ``references`` (upper case) some family already has: one set-based read.
    def existing_references(self, references: Iterable[str]) -> set[str]: ...
    #: Add many families at once (an import): a few bulk statements, ids assigned as by ``add``.
    def add_many(
        self, families: Sequence[Family]
    ) -> builtins.list[Family]: ...  # list: a method here


class RevisionedRecords(Protocol[RecordT, RevisionT]):
    """What plans, mappings and summaries share: each save stores the next revision
    (domain/services/revisions.py saves through this; storage/revisioned.py implements it)."""

    def save(
        self, record: RecordT, revision: RevisionT, *, expected_revision: int | None
    ) -> RecordT:
        """Store ``revision`` and make it current, atomically, only if the stored record is still
        at ``expected_revision`` (None: a record never saved). Otherwise raise Conflict (NotFound
        if the record is gone) and store nothing."""
        ...


class PlanRepository(Protocol):
    def for_family(self, family_id: int) -> Plan | None: ...
    def save(self, plan: Plan, revision: PlanRevision, *, expected_revision: int | None) -> Plan:
        """Store ``revision`` and make it current, atomically, only if the stored plan is still at
        ``expected_revision`` (None: no plan yet). Otherwise raise Conflict and store nothing."""
        ...

    def revisions(self, family_id: int) -> list[PlanRevision]: ...  # oldest first


class MappingRepository(Protocol):
    def get(self, mapping_id: int) -> Mapping: ...  # raises NotFound
    def for_family(self, family_id: int) -> list[Mapping]: ...  # oldest held_on first
    def save(
        self, mapping: Mapping, revision: MappingRevision, *, expected_revision: int | None
    ) -> Mapping:
        """As PlanRepository.save; a mapping with id None is created."""
        ...

    def revisions(self, mapping_id: int) -> list[MappingRevision]: ...
    def add_rating(self, rating: ScalingRating) -> ScalingRating: ...
    def ratings(self, family_id: int) -> list[ScalingRating]: ...  # by rated_on, then id


class SummaryRepository(Protocol):
    def get(self, summary_id: int) -> Summary: ...  # raises NotFound
    def for_family(self, family_id: int) -> list[Summary]: ...  # newest period first
    def save(
        self, summary: Summary, version: SummaryVersion, *, expected_revision: int | None
    ) -> Summary:
        """Insert (id None) or update the summary and append ``version``, only if the stored summary
        is still at version ``expected_revision``; otherwise raise Conflict and store nothing."""
        ...

    def versions(self, summary_id: int) -> list[SummaryVersion]: ...  # oldest first
    def delete(self, summary_id: int, *, expected_version: int) -> None:
        """Remove the summary and all its versions, only if it is still at ``expected_version``;
        otherwise raise Conflict (NotFound if there is none) and remove nothing. The service
        decides what may be removed (a draft never submitted)."""
        ...

    def with_status(
        self, status: SummaryStatus, *, team_id: int | None = None
    ) -> list[Summary]: ...


class ContactRepository(Protocol):
    def add(self, contact: Contact) -> Contact: ...
    def get(self, contact_id: int) -> Contact: ...  # raises NotFound
    def update(self, contact: Contact) -> None: ...
    def for_family(
        self, family_id: int, *, start: date | None = None, end: date | None = None
    ) -> list[Contact]: ...
    def for_practitioner(
        self, practitioner_id: int, *, start: date, end: date
    ) -> list[Contact]: ...  # every family, dated start..end, oldest first
    def last_for_practitioner(self, practitioner_id: int) -> Contact | None: ...


class RecordingRepository(Protocol):
    def add_session(self, session: RecordingSession) -> RecordingSession: ...
    def get_session(self, session_id: int) -> RecordingSession: ...  # raises NotFound
    def update_session(self, session: RecordingSession) -> None: ...  # ended, active seconds
    def add_manual(self, entry: ManualEntry) -> ManualEntry: ...
    def add_baseline(self, entries: Iterable[BaselineEntry]) -> int: ...
    def sessions(
        self, *, user_id: int | None = None, family_id: int | None = None
    ) -> list[RecordingSession]: ...
    def manual_entries(
        self,
        *,
        user_id: int | None = None,
        start: date | None = None,
        end: date | None = None,
    ) -> list[ManualEntry]: ...  # by date, then id; ``start``..``end`` inclusive
    def get_manual(self, entry_id: int) -> ManualEntry: ...  # raises NotFound
    def update_manual(self, entry: ManualEntry) -> None: ...  # raises NotFound
    def delete_manual(self, entry_id: int) -> None: ...  # raises NotFound
    def delete_manual_between(self, user_id: int, kind: str, start: date, end: date) -> int:
        """Remove ``user_id``'s manual entries of ``kind`` dated ``start``..``end``; how many."""
        ...


class ObservationRepository(Protocol):
    def add(self, observation: Observation) -> Observation: ...  # with its consents
    def get(self, observation_id: int) -> Observation: ...  # raises NotFound; consents loaded
    def update(
        self, observation: Observation
    ) -> None: ...  # consents added/withdrawn, deletion mark
    def list(
        self, *, practitioner_ids: Sequence[int] | None = None, family_id: int | None = None
    ) -> list[Observation]: ...
    def feedback(self, observation_id: int) -> Feedback | None: ...
    def save_feedback(self, feedback: Feedback) -> Feedback: ...  # insert or replace, with replies
    # Addresses erased after consent was withdrawn, by fingerprint (never the address).
    def record_erased(self, erased: ErasedRecording) -> None: ...  # insert or replace
    def erased(self, address_sha256: str) -> ErasedRecording | None: ...


class AuditLog(Protocol):
    def record(self, event: AuditEvent) -> None: ...
    def record_many(self, events: Sequence[AuditEvent]) -> None: ...  # in order, one statement
    def list(
        self,
        *,
        family_id: int | None = None,
        user_id: int | None = None,
        since: datetime | None = None,
        limit: int | None = None,
    ) -> list[AuditEvent]: ...  # oldest first
    #: True where events carry a hash chain (SQLite); PostgreSQL relies on database roles.
    @property
    def chained(self) -> bool: ...
    def chain(self) -> Iterator[ChainLink]: ...  # every event with its stored hashes, oldest first


class DraftRepository(Protocol):
    def put(self, draft: Draft) -> None: ...  # insert or replace by (user_id, key)
    def get(self, user_id: int, key: str) -> Draft | None: ...
    def delete(self, user_id: int, key: str) -> None: ...
    def delete_for_everyone(self, key: str) -> None: ...  # every user's draft of ``key``
    def for_user(self, user_id: int) -> list[Draft]: ...


class DiaryRepository(Protocol):
    """Time-use diary rows of either phase (domain/diary.py)."""

    def add(self, phase: DiaryPhase, entries: Iterable[BaselineEntry]) -> int: ...
    def keys(
        self, phase: DiaryPhase, user_ids: Sequence[int], start: date, end: date
    ) -> set[tuple[int, date, str]]:
        """(user id, date, category value) of the stored rows of ``user_ids`` dated
        ``start``..``end``."""
        ...

    def delete(self, phase: DiaryPhase, user_id: int, start: date, end: date) -> int:
        """Remove ``user_id``'s rows dated ``start``..``end``; how many there were."""
        ...


class BurdenQueries(Protocol):
    """The recording-burden report's sums (domain/reports.py), added up in the database."""

    def trial(self, query: BurdenQuery) -> TrialAggregates: ...
    def baseline(self, query: BurdenQuery) -> BaselineAggregates: ...
    def calibration(self, query: BurdenQuery) -> CalibrationAggregates:
        """Trial-phase diary against measured recording, on the practitioner-days with both."""
        ...

    def pseudonym_secret(self) -> str:
        """This database's secret for pseudonyms, created on first use (a write: call it before
        commit)."""
        ...

    def min_group_size(self) -> int | None:
        """The site's smallest group shown in a pseudonymised report (None: never set)."""
        ...

    def set_min_group_size(self, size: int, by: int | None, at: datetime) -> None: ...


class CaseloadReads(Protocol):
    """The caseload's and the team dashboard's facts for many families at once, in a fixed
    number of queries however many families and however much history there is."""

    def for_families(
        self,
        family_ids: Sequence[int],
        *,
        contacts_from: date | None = None,
        contacts_to: date | None = None,
    ) -> dict[int, CaseloadFacts]:
        """Facts for each of ``family_ids`` (every id is a key, even without any records); the
        contact facts count only contacts dated within ``contacts_from``..``contacts_to``
        (inclusive; None: unbounded)."""
        ...


class UnitOfWork(Protocol):
    """One transaction. ``with uow:`` opens it; ``commit()`` makes it durable; leaving the block
    without a commit rolls back. The repositories of the first record types are read-only
    properties, so that an implementation may hold its own repository classes (each one a
    structural subtype); a record type added since is reached through its key,
    ``uow.repo(KEY)``, and adds nothing here."""

    @property
    def teams(self) -> TeamRepository: ...
    @property
    def users(self) -> UserRepository: ...
    @property
    def families(self) -> FamilyRepository: ...
    @property
    def plans(self) -> PlanRepository: ...
    @property
    def mappings(self) -> MappingRepository: ...
    @property
    def summaries(self) -> SummaryRepository: ...
    @property
    def contacts(self) -> ContactRepository: ...
    @property
    def recording(self) -> RecordingRepository: ...
    @property
    def observations(self) -> ObservationRepository: ...
    @property
    def audit(self) -> AuditLog: ...
    @property
    def drafts(self) -> DraftRepository: ...
    @property
    def reports(self) -> BurdenQueries: ...
    @property
    def caseload_facts(self) -> CaseloadReads: ...
    @property
    def diary(self) -> DiaryRepository: ...

    def repo(self, key: RepoKey[RepoT]) -> RepoT:
        """The repository registered against ``key`` (every record type added since the
        registry: see :class:`RepoKey`); the same one for the whole unit of work."""
        ...

    def __enter__(self) -> Self: ...
    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...
