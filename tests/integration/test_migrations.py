"""Migrations: the schema they build is the one storage/tables.py describes, on both backends."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from domain.observations import Skill
from domain.people import Team
from storage.engine import make_engine
from storage.info import record_counts
from storage.migrate import current_revision, downgrade, head_revision, upgrade_to_head
from storage.tables import RATING_COLUMNS, metadata


def _diff(engine) -> list:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "render_as_batch": True}
        )
        return compare_metadata(context, metadata)


def test_models_and_migrations_agree(engine) -> None:  # type: ignore[no-untyped-def]
    assert _diff(engine) == []


def test_database_is_at_head_and_upgrading_again_changes_nothing(engine, uow_factory) -> None:  # type: ignore[no-untyped-def]
    head = head_revision()
    assert head is not None and current_revision(engine) == head
    with uow_factory() as uow:
        uow.teams.add(Team(name="Kept"))
        uow.commit()
    assert upgrade_to_head(engine) == head
    with uow_factory() as uow:
        assert [t.name for t in uow.teams.list()] == ["Kept"]


def test_downgrade_to_base_and_back(engine) -> None:  # type: ignore[no-untyped-def]
    downgrade(engine, "base")
    assert current_revision(engine) is None
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    upgrade_to_head(engine)
    assert current_revision(engine) == head_revision()
    assert _diff(engine) == []


def test_an_empty_database_is_created_on_first_open(database_url) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine(database_url)
    try:
        assert current_revision(engine) is None
        upgrade_to_head(engine)
        assert record_counts(engine) == {t.name: 0 for t in metadata.sorted_tables}
    finally:
        engine.dispose()


def test_every_constraint_and_index_is_named() -> None:
    """Batch mode on SQLite can only alter constraints it can name."""
    for table in metadata.tables.values():
        for constraint in table.constraints:
            assert constraint.name, f"unnamed constraint on {table.name}: {constraint}"
        for index in table.indexes:
            assert index.name, f"unnamed index on {table.name}"


def test_feedback_has_a_rating_column_for_every_skill() -> None:
    assert set(RATING_COLUMNS) == {s.value for s in Skill}
    columns = set(metadata.tables["feedback"].columns.keys())
    assert set(RATING_COLUMNS.values()) <= columns
