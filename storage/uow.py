"""The SQL unit of work: one Session, one transaction, every repository port on it.

    make_uow = sql_uow_factory(engine)
    with make_uow() as uow:
        family = uow.families.get(7)
        ...
        uow.commit()          # leaving the block without commit() rolls back

Entering the block begins the transaction at once; on SQLite that takes the write lock
(``BEGIN IMMEDIATE``, see storage/engine.py), so a unit of work never fails half-way through for
want of it. Units of work therefore take turns on SQLite (keep each one short); work that never
writes, not even an audit event, can opt out with ``read_only=True``. If the lock cannot be had
even after the bounded retry, :class:`DatabaseBusy` (a DomainError with a readable message) is
raised and nothing has been done.

A unit of work belongs to one thread: open it inside the worker that uses it. On SQLite, opening
a second one in the same thread while the first is open raises RuntimeError at once (it could
only wait for the first one's lock).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import TYPE_CHECKING

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from domain.cancel import raise_if_cancelled
from domain.errors import DomainError
from storage.caseload_reads import SqlCaseloadReads
from storage.diary import SqlDiaryRepository
from storage.engine import is_locked_error, read_only_engine
from storage.network_meetings import SqlNetworkMeetingRepository
from storage.reports import SqlBurdenQueries
from storage.repositories import (
    SqlAuditLog,
    SqlContactRepository,
    SqlDraftRepository,
    SqlFamilyRepository,
    SqlMappingRepository,
    SqlObservationRepository,
    SqlPlanRepository,
    SqlRecordingRepository,
    SqlSummaryRepository,
    SqlTeamRepository,
    SqlUserRepository,
)

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine


class DatabaseBusy(DomainError):
    """Another writer held the database for longer than Tandem waits; nothing was saved."""

    def __init__(self) -> None:
        super().__init__(
            "The database is busy with someone else's save and Tandem could not get its turn, "
            "so nothing was saved. Please try again in a moment."
        )


class SqlUnitOfWork:
    teams: SqlTeamRepository
    users: SqlUserRepository
    families: SqlFamilyRepository
    plans: SqlPlanRepository
    mappings: SqlMappingRepository
    summaries: SqlSummaryRepository
    contacts: SqlContactRepository
    network_meetings: SqlNetworkMeetingRepository
    recording: SqlRecordingRepository
    observations: SqlObservationRepository
    audit: SqlAuditLog
    drafts: SqlDraftRepository
    reports: SqlBurdenQueries
    caseload_facts: SqlCaseloadReads
    diary: SqlDiaryRepository

    def __init__(self, engine: Engine, *, read_only: bool = False) -> None:
        self.engine = engine
        self.read_only = read_only
        self._session: Session | None = None
        self._guarded = False

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("The unit of work is not open: use it as 'with uow:'.")
        return self._session

    def __enter__(self) -> SqlUnitOfWork:
        if self._session is not None:
            raise RuntimeError("This unit of work is already open.")
        self._guarded = not self.read_only and self.engine.dialect.name == "sqlite"
        if self._guarded and id(self.engine) in _sqlite_writers_in_this_thread():
            raise RuntimeError(
                "A unit of work is already open on this SQLite database in this thread; a second "
                "one would wait for the first one's write lock until it gave up. Finish the first "
                "one, or pass it along instead of opening another."
            )
        bind = read_only_engine(self.engine) if self.read_only else self.engine
        session = Session(bind, expire_on_commit=False)
        try:
            with _busy_as_domain_error():
                session.connection()  # begin now (SQLite: take the write lock now)
            if not self.read_only:
                raise_if_cancelled()  # the user stopped waiting for this save (domain/cancel.py)
        except BaseException:
            session.close()
            raise
        self._session = session
        if self._guarded:
            _sqlite_writers_in_this_thread().add(id(self.engine))
        self.teams = SqlTeamRepository(session)
        self.users = SqlUserRepository(session)
        self.families = SqlFamilyRepository(session)
        self.plans = SqlPlanRepository(session)
        self.mappings = SqlMappingRepository(session)
        self.summaries = SqlSummaryRepository(session)
        self.contacts = SqlContactRepository(session)
        self.network_meetings = SqlNetworkMeetingRepository(session)
        self.recording = SqlRecordingRepository(session)
        self.observations = SqlObservationRepository(session)
        self.audit = SqlAuditLog(session)
        self.drafts = SqlDraftRepository(session)
        self.reports = SqlBurdenQueries(session)
        self.caseload_facts = SqlCaseloadReads(session)
        self.diary = SqlDiaryRepository(session)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        session, self._session = self._session, None
        if session is not None and self._guarded:
            _sqlite_writers_in_this_thread().discard(id(self.engine))
        if session is not None:
            try:
                session.rollback()  # whatever was not committed
            finally:
                session.close()

    def commit(self) -> None:
        raise_if_cancelled()
        with _busy_as_domain_error():
            self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()


_thread_state = threading.local()


def _sqlite_writers_in_this_thread() -> set[int]:
    """ids of the SQLite engines this thread has a (write) unit of work open on."""
    engines = getattr(_thread_state, "engines", None)
    if engines is None:
        engines = _thread_state.engines = set()
    return engines


@contextmanager
def _busy_as_domain_error() -> Iterator[None]:
    try:
        yield
    except OperationalError as error:
        if is_locked_error(error):
            raise DatabaseBusy() from error
        raise


def sql_uow_factory(engine: Engine, *, read_only: bool = False) -> Callable[[], SqlUnitOfWork]:
    """A zero-argument callable that opens a fresh :class:`SqlUnitOfWork` on ``engine``.

    ``read_only=True`` (lists, reports) makes SQLite units of work begin DEFERRED so they never
    wait for, or hold up, a writer; use it only for work that does not write (not even audit).
    """

    def make() -> SqlUnitOfWork:
        return SqlUnitOfWork(engine, read_only=read_only)

    make.engine = engine  # type: ignore[attr-defined]
    return make
