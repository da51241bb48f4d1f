"""bench/dbs.py: the benchmarks' PostgreSQL databases are only ever dropped if a benchmark made
them, and their hand-written SQL reaches psycopg in its own parameter style."""

from __future__ import annotations

import uuid

import psycopg
import pytest

from bench import dbs


def test_sql_with_named_parameters_is_spelled_for_each_driver() -> None:
    sql = "SELECT x % 4 FROM t WHERE d <= :end AND s < :end_at AND c = 'a:b'"
    assert dbs.portable(sql, "/tmp/x.db") == sql
    assert dbs.portable(sql, "postgresql://u@h/db") == (
        "SELECT x %% 4 FROM t WHERE d <= %(end)s AND s < %(end_at)s AND c = 'a:b'"
    )
    assert dbs.shown("postgresql://tandem:secret@h:5432/db") == "postgresql://tandem:***@h:5432/db"


@pytest.mark.postgres
def test_a_database_with_tables_not_made_by_a_benchmark_is_refused_unchanged(
    postgres_url: str,
) -> None:
    url = dbs.libpq_url(postgres_url.replace("+psycopg", ""))
    with psycopg.connect(url) as conn:
        conn.execute("CREATE TABLE precious (id integer)")
        conn.execute("INSERT INTO precious VALUES (1)")
    with pytest.raises(SystemExit, match="was not made by bench.generate"):
        dbs.recreate_postgres_database(url)
    with pytest.raises(SystemExit, match="was not made by a benchmark"):
        dbs.drop_postgres_database(url)
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT count(*) FROM precious").fetchone() == (1,)


@pytest.mark.postgres
def test_a_benchmark_database_is_created_marked_then_emptied_and_dropped(postgres_admin) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import drop_test_database

    name = f"tandem_test_{uuid.uuid4().hex[:16]}"
    url = postgres_admin.url.set(database=name).render_as_string(hide_password=False)
    url = dbs.libpq_url(url.replace("+psycopg", ""))
    try:
        dbs.recreate_postgres_database(url)  # missing: created
        with psycopg.connect(url) as conn:
            conn.execute("CREATE TABLE old_run (id integer)")
        dbs.recreate_postgres_database(url)  # marked: dropped and made again, empty
        with psycopg.connect(url) as conn:
            tables = conn.execute("SELECT count(*) FROM pg_tables WHERE tablename = 'old_run'")
            assert tables.fetchone() == (0,)
        dbs.drop_postgres_database(url)
        dbs.drop_postgres_database(url)  # already gone: nothing to do
        with psycopg.connect(dbs._split_database(url)[0]) as conn:
            found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
            assert found.fetchone() is None
    finally:
        drop_test_database(postgres_admin, name)
