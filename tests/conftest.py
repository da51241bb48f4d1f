"""Shared fixtures.

Database fixtures run each test that uses them twice: on a real SQLite file in the test's
tmp_path, and on PostgreSQL in a database created for that test alone (and dropped after). The
PostgreSQL run needs TANDEM_TEST_POSTGRES_URL (a role that may CREATE DATABASE); without it that
half is skipped with the reason shown. .ci/run starts a throwaway server and sets it.

    def test_something(uow_factory):        # migrated to head, empty
        with uow_factory() as uow: ...

Speed (the suite must stay within minutes on a 2-core machine): pyproject runs it on every core
with pytest-xdist; files that are slow to build (the migrated schema, the seeded demo database)
are built once per run by whichever worker needs them first (``build_once``) and copied per test.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import sys
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

# Compiled bytecode is a cache: this workplace (and CI) sets PYTHONDONTWRITEBYTECODE, which makes
# every Python process the suite starts (xdist workers, `tandem` subprocesses, server tabs)
# compile the whole app and its libraries from source again, about 2.5 s of CPU each. Write
# __pycache__ for the rest of this run and for the processes it starts.
if os.environ.pop("PYTHONDONTWRITEBYTECODE", None) is not None:
    sys.dont_write_bytecode = False

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from storage.uow import SqlUnitOfWork

POSTGRES_ENV = "TANDEM_TEST_POSTGRES_URL"


def _steady_hypothesis() -> None:
    """Property tests judge results, never speed: no per-example deadline and no "too slow"
    health check, either of which fails a correct test on a loaded machine. Tests that set
    their own ``@settings`` keep them; the number of examples is Hypothesis's default."""
    from hypothesis import HealthCheck, settings

    settings.register_profile("tandem", deadline=None, suppress_health_check=[HealthCheck.too_slow])
    settings.load_profile("tandem")


_steady_hypothesis()


@pytest.fixture(autouse=True)
def _unsaved_copies_in_tmp(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Local copies of unsaved text (storage/local_copies.py) go to a private temporary
    directory, never the real user data directory."""
    monkeypatch.setenv("TANDEM_UNSAVED_DIR", str(tmp_path_factory.mktemp("unsaved")))
    # Remembered folders (storage/preferences.py) too.
    monkeypatch.setenv("TANDEM_PREFERENCES_DIR", str(tmp_path_factory.mktemp("preferences")))


#: Started first, so that no worker begins one of them as the others run out of work: the
#: longest single tests (mypy over three packages takes a minute or more without its cache, as
#: on a fresh CI checkout), the checks that start a process of their own, and the integration
#: files whose tests run 30-60 s mostly waiting (on writer processes, a killed child, a browser,
#: `tandem` subprocesses, migrations) and the every-screen walks, so that none of them starts
#: last. (Measured: no change in the whole run's time, 8 min 40 s against 8 min 37 s; with three
#: workers per core the machine is busy throughout either way.)
_FIRST = (
    "tests/unit/test_types.py::test_mypy_strict_passes",
    "tests/architecture/",
    "tests/integration/test_concurrency.py",
    "tests/integration/test_crash.py",
    "tests/integration/test_migrations_data.py",
    "tests/integration/test_serve_browser.py",
    "tests/integration/test_cli.py",
    "tests/integration/test_backup.py",
    "tests/integration/test_seed.py",
    "tests/unit/test_sample_data.py",  # one worker, 18 tests (its module fixtures seed)
    "tests/tui/test_two_sizes.py",  # the longest Pilot tests (every screen, frame by frame)
)
#: Then the Pilot tests (seconds each), the integration tests, and last the many quick unit tests
#: that fill in the end of the run evenly on every worker.
_THEN = ("tests/tui/", "tests/integration/")


def _start_order(item: pytest.Item) -> int:
    for rank, prefix in enumerate(_FIRST + _THEN):
        if item.nodeid.startswith(prefix):
            return 0 if rank < len(_FIRST) else rank
    return len(_FIRST) + len(_THEN)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Longest first (a stable sort: each file keeps its own order). pytest-xdist hands tests
    out in this order (``--dist loadgroup``), so a long test started last would make the run's
    tail: the one worker still busy while the other has nothing left."""
    items.sort(key=_start_order)


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """``-n auto``: three workers per core. A Pilot test is mostly waiting, not computing: Textual's
    Pilot waits for the app to go idle after every key in sleeps of 20 ms, and the app waits on
    its database workers; the integration tests wait on subprocesses and servers. With one worker
    per core the run used about half of the machine (12 min 47 s of CPU in 14 min 26 s on two
    cores); with two per core about 70% (14 min 42 s of CPU in 10 min 54 s); with three, 82%
    (14 min 8 s of CPU in 8 min 33 s, quiet, the same machine)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return 3 * (cores or 1)


def shared_tmp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory shared by every xdist worker of this run (pytest's base temporary directory
    when the run is not distributed)."""
    base = tmp_path_factory.getbasetemp()
    root = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    shared = root / "shared"
    shared.mkdir(exist_ok=True)
    return shared


def build_once(
    tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], None]
) -> Path:
    """The file ``name``, built by ``build(path)`` once per test run and shared by every xdist
    worker: the first worker to ask builds it under a file lock, the others wait for it. Treat it
    as read-only: copy it for a test."""
    shared = shared_tmp(tmp_path_factory)
    target = shared / name
    with open(shared / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not target.exists():
            scratch = shared / f"{name}.building"
            shutil.rmtree(scratch, ignore_errors=True)
            scratch.mkdir()
            build(scratch / name)
            leftovers = [p.name for p in scratch.iterdir() if p.name != name]
            assert not leftovers, f"building {name} left {leftovers} (an engine not disposed?)"
            (scratch / name).rename(target)
            scratch.rmdir()
    return target


#: The demo data's "now": a Friday morning. The sample data is dated relative to the clock's today.
TEST_NOW = datetime(2026, 11, 20, 10, 0, 0)


def seed_demo(path: Path, now: datetime | None = TEST_NOW) -> None:
    """Seed the demo data (sample_data/) into a new database at ``path``, dated as if today were
    ``now``'s day (None: the real today, for a served app that reads the system clock)."""
    from domain.clock import FixedClock
    from storage.seed import seed_database
    from tui.bootstrap import open_runtime

    runtime = open_runtime(str(path), clock=FixedClock(now) if now is not None else None)
    try:
        seed_database(runtime.uow_factory, runtime.clock)
    finally:
        runtime.engine.dispose()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo database (sample_data/) seeded at TEST_NOW, once per run for every xdist worker,
    for every test that needs a seeded database and is not about seeding (seeding takes seconds
    of CPU; the seed itself is tested in test_seed.py, test_sample_data.py and test_cli.py).
    Copy it for a test."""
    return build_once(tmp_path_factory, "demo.db", seed_demo)


@pytest.fixture
def demo_db(demo_template: Path, tmp_path: Path) -> Path:
    """A private copy of the seeded demo database."""
    target = tmp_path / "demo.db"
    shutil.copyfile(demo_template, target)
    return target


def _build_migrated_sqlite(path: Path) -> None:
    from storage.engine import make_engine, resolve_url
    from storage.migrate import upgrade_to_head

    engine = make_engine(resolve_url(str(path)))
    try:
        upgrade_to_head(engine)
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def migrated_sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty SQLite database at the newest schema, migrated once per run (copy it)."""
    return build_once(tmp_path_factory, "migrated.db", _build_migrated_sqlite)


def _admin_engine() -> Engine:
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    from storage.engine import resolve_url

    return create_engine(
        resolve_url(os.environ[POSTGRES_ENV]), isolation_level="AUTOCOMMIT", poolclass=NullPool
    )


@pytest.fixture(scope="session")
def postgres_admin() -> Iterator[Engine]:
    """An AUTOCOMMIT engine on the server in $TANDEM_TEST_POSTGRES_URL (skips if unset)."""
    if not os.environ.get(POSTGRES_ENV):
        pytest.skip(f"PostgreSQL tests need {POSTGRES_ENV} (run .ci/run to start a server)")
    engine = _admin_engine()
    yield engine
    engine.dispose()


def drop_test_database(admin: Engine, name: str) -> None:
    """Drop a test database, first ending this role's own sessions still connected to it.

    Not ``DROP DATABASE ... WITH (FORCE)``: that also tries to signal an autovacuum worker that
    happens to be vacuuming the database, which an ordinary (non-superuser) role may not do, and
    fails with "must be a member of the role whose process is being terminated". A plain DROP
    asks autovacuum to stop by itself and waits for it; sessions of our own role (a test that left
    a connection open) we may end. Retried briefly, since a session takes a moment to exit.
    """
    import time

    from sqlalchemy import text
    from sqlalchemy.exc import OperationalError

    for attempt in range(20):
        with admin.connect() as conn:
            conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :name AND pid <> pg_backend_pid() "
                    "AND usename = current_user"
                ),
                {"name": name},
            )
            try:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
                return
            except OperationalError as exc:  # "is being accessed by other users"
                if attempt == 19 or getattr(exc.orig, "sqlstate", None) != "55006":
                    raise
        time.sleep(0.25)


@pytest.fixture(scope="session")
def postgres_dropper(postgres_admin: Engine) -> Iterator[Callable[[str], None]]:
    """Drops test databases in a background thread while the next tests run (a DROP DATABASE
    waits on the server's checkpoint: seconds on a busy machine, spent for nothing in the test).
    Every drop has finished when the session ends; one that failed fails the session there."""
    from concurrent.futures import Future, ThreadPoolExecutor

    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="drop-test-db")
    pending: list[Future[None]] = []
    yield lambda name: pending.append(pool.submit(drop_test_database, postgres_admin, name))
    pool.shutdown(wait=True)
    errors = [f.exception() for f in pending if f.exception() is not None]
    if errors:
        raise RuntimeError(f"{len(errors)} test database(s) could not be dropped") from errors[0]


#: Names this run's migrated PostgreSQL template database (below); set by the first pytest
#: process and inherited by its xdist workers.
RUN_ID_ENV = "TANDEM_TEST_RUN_ID"


def pytest_configure(config: pytest.Config) -> None:
    os.environ.setdefault(RUN_ID_ENV, uuid.uuid4().hex[:12])


def _postgres_template_name() -> str:
    return f"tandem_template_{os.environ[RUN_ID_ENV]}"


def pytest_sessionfinish(session: pytest.Session) -> None:
    """The run's PostgreSQL template goes when the whole run ends (in the controller, once every
    xdist worker has finished copying it)."""
    if os.environ.get("PYTEST_XDIST_WORKER") or not os.environ.get(POSTGRES_ENV):
        return
    admin = _admin_engine()
    try:
        drop_test_database(admin, _postgres_template_name())
    except Exception as exc:  # a leftover template is no test's failure: say so and go on
        print(f"\ncould not drop {_postgres_template_name()}: {exc}", file=sys.stderr)
    finally:
        admin.dispose()


@pytest.fixture(scope="session")
def migrated_postgres_template(
    tmp_path_factory: pytest.TempPathFactory, postgres_admin: Engine
) -> str:
    """Name of a PostgreSQL database at the newest schema, migrated once per run for every xdist
    worker. A test that needs a migrated database gets a copy (``CREATE DATABASE ... TEMPLATE``,
    a fraction of a second) instead of running every migration again (seconds each); the
    migrations themselves are tested in test_migrations*.py on empty databases. Nobody connects
    to the template after it is built (PostgreSQL copies only a database nobody is using)."""
    from sqlalchemy import text

    from storage.engine import make_engine
    from storage.migrate import upgrade_to_head

    name = _postgres_template_name()

    def build(path: Path) -> None:
        with postgres_admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        engine = make_engine(
            postgres_admin.url.set(database=name).render_as_string(hide_password=False)
        )
        try:
            upgrade_to_head(engine)
        finally:
            engine.dispose()
        path.write_text(name)

    return build_once(tmp_path_factory, "postgres-template.name", build).read_text()


@pytest.fixture
def postgres_url(
    postgres_admin: Engine,
    postgres_dropper: Callable[[str], None],
    request: pytest.FixtureRequest,
) -> Iterator[str]:
    """URL of a fresh PostgreSQL database, dropped after the test (in the background): empty,
    or, for a test that uses the migrated ``engine``, a copy of the run's migrated template
    (the same schema ``engine`` would migrate it to, without running every migration)."""
    from sqlalchemy import text

    name = f"tandem_test_{uuid.uuid4().hex[:16]}"
    template = ""
    if "engine" in request.fixturenames:
        template = f' TEMPLATE "{request.getfixturevalue("migrated_postgres_template")}"'
    with postgres_admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"{template}'))
    url = postgres_admin.url.set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        postgres_dropper(name)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """URL of a new SQLite file in the test's temporary directory."""
    from storage.engine import resolve_url

    return resolve_url(str(tmp_path / "tandem.db"))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest) -> str:
    """An empty database of each kind: a SQLite file, then a PostgreSQL database of its own."""
    return request.getfixturevalue(f"{request.param}_url")


@pytest.fixture
def backend(database_url: str) -> str:
    """'sqlite' or 'postgresql': which database this run of the test is on."""
    return "sqlite" if database_url.startswith("sqlite") else "postgresql"


@pytest.fixture
def engine(database_url: str, request: pytest.FixtureRequest) -> Iterator[Engine]:
    """An engine on ``database_url``, migrated to the newest schema.

    A new SQLite file starts as a copy of the schema migrated once per run, a PostgreSQL
    database as a copy of the migrated template (``postgres_url``; the migrations themselves are
    tested in test_migrations*.py); upgrade_to_head then finds it at head."""
    from storage.engine import make_engine, sqlite_path
    from storage.migrate import upgrade_to_head

    path = sqlite_path(database_url)
    if path is not None and not path.exists():
        shutil.copyfile(request.getfixturevalue("migrated_sqlite_template"), path)
    engine = make_engine(database_url)
    upgrade_to_head(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def uow_factory(engine: Engine) -> Callable[[], SqlUnitOfWork]:
    """Opens a SqlUnitOfWork on the migrated test database."""
    from storage.uow import sql_uow_factory

    return sql_uow_factory(engine)


@pytest.fixture(autouse=True)
def _cheap_passphrase_hashing(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch):
    """The test suite (only) hashes new passphrases at the older scrypt cost (2**14, 16 MiB), as
    it did before the cost was raised, so the many users the tests create and sign in do not
    each take seconds; demo seeds (at LEGACY_N) are then not upgraded either. Tests marked
    ``real_hash_cost`` run at the real cost."""
    if request.node.get_closest_marker("real_hash_cost") is None:
        from domain import passwords

        monkeypatch.setattr(passwords, "N", passwords.LEGACY_N)
