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

A read -- what a screen shows -- uses :class:`SqlReadUnitOfWork` instead (``make_uow.read()``,
reached from the domain as ``ctx.read()``): one read transaction on a consistent snapshot that
never takes the write lock (SQLite ``BEGIN DEFERRED`` in WAL mode; PostgreSQL ``READ ONLY``,
``REPEATABLE READ``). The view's audit events are kept aside and ``commit()`` writes them in one
short write transaction of their own, after the read has ended; a service returns what it read
only after that commit, so nobody sees data whose viewing was not audited.

A unit of work belongs to one thread: open it inside the worker that uses it. On SQLite, opening
a second one in the same thread while the first is open raises RuntimeError at once (it could
only wait for the first one's lock).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar, cast

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from domain.audit import AuditEvent
from domain.cancel import raise_if_cancelled
from domain.errors import DomainError
from domain.ports import RepoKey
from storage.audit import SqlAuditLog
from storage.caseload_reads import SqlCaseloadReads
from storage.contacts import SqlContactRepository
from storage.diary import SqlDiaryRepository
from storage.drafts import SqlDraftRepository
from storage.engine import is_locked_error, snapshot_engine
from storage.families import SqlFamilyRepository
from storage.mappings import SqlMappingRepository
from storage.observations import SqlObservationRepository
from storage.people import SqlTeamRepository, SqlUserRepository
from storage.plans import SqlPlanRepository
from storage.recording import SqlRecordingRepository
from storage.repo_base import registered
from storage.reports import SqlBurdenQueries
from storage.summaries import SqlSummaryRepository

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

T = TypeVar("T")


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
        #: The registry's repositories made so far in this unit of work (``repo``), by key.
        self._repos: dict[RepoKey[Any], Any] = {}

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("The unit of work is not open: use it as 'with uow:'.")
        return self._session

    def repo(self, key: RepoKey[T]) -> T:
        """The repository registered against ``key`` (storage/records/), made on this unit of
        work's Session the first time it is asked for, then the same one."""
        made = self._repos.get(key)
        if made is None:
            made = self._repos[key] = registered(key)(self.session)
        return cast(T, made)  # made by the factory registered (and typed) for this key

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
        bind = snapshot_engine(self.engine) if self.read_only else self.engine
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
        self._repos = {}
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


class _AuditKeptAside(SqlAuditLog):
    """A read's audit log: reads as usual; events recorded are kept for the read's own short write
    (``SqlReadUnitOfWork.commit``), since the read transaction itself never writes."""

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self.pending: list[AuditEvent] = []

    def record(self, event: AuditEvent) -> None:
        self.pending.append(event)

    def record_many(self, events: Sequence[AuditEvent]) -> None:
        self.pending.extend(events)


class SqlReadUnitOfWork(SqlUnitOfWork):
    """One read transaction on a consistent snapshot, never holding the write lock; its audit
    events (the view, or a refusal) go in one short write transaction of their own at commit().

    ``commit()`` ends the read transaction and then writes the events recorded so far, all at
    once, in a write unit of work (SQLite: ``BEGIN IMMEDIATE``, taken for as long as one insert
    takes); if that write fails, commit() raises and the caller returns nothing it read. With
    nothing recorded, commit() only ends the read. Anything else written through it is refused
    (PostgreSQL) or risks "database is locked" (SQLite): use it for reads only.
    """

    audit: _AuditKeptAside

    def __init__(self, engine: Engine) -> None:
        super().__init__(engine, read_only=True)

    def __enter__(self) -> SqlReadUnitOfWork:
        super().__enter__()
        self.audit = _AuditKeptAside(self.session)
        return self

    def commit(self) -> None:
        events, self.audit.pending = self.audit.pending, []
        self.session.rollback()  # the read ends here: it wrote nothing to keep
        if not events:
            return
        with SqlUnitOfWork(self.engine) as write:
            for event in events:
                write.audit.record(event)
            write.commit()


class SqlUnitsOfWork:
    """What ``sql_uow_factory`` returns: call it for a (write) unit of work; ``read()`` for a
    read one (:class:`SqlReadUnitOfWork`); ``engine`` is the engine both use."""

    def __init__(self, engine: Engine, *, read_only: bool = False) -> None:
        self.engine = engine
        self.read_only = read_only

    def __call__(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.engine, read_only=self.read_only)

    def read(self) -> SqlReadUnitOfWork:
        return SqlReadUnitOfWork(self.engine)


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


def sql_uow_factory(engine: Engine, *, read_only: bool = False) -> SqlUnitsOfWork:
    """A zero-argument callable that opens a fresh :class:`SqlUnitOfWork` on ``engine``; its
    ``read()`` opens a :class:`SqlReadUnitOfWork` (what ``ctx.read()`` uses for a screen's read).

    ``read_only=True`` (lists, reports) makes its units of work read transactions (SQLite:
    DEFERRED, PostgreSQL: READ ONLY) so they never wait for, or hold up, a writer; use it only for
    work that does not write (not even audit).
    """
    return SqlUnitsOfWork(engine, read_only=read_only)
