"""Discarding a draft summary on a real database (SQLite and PostgreSQL): the summary's row, its
versions and its autosaved text go; every other row of every table stays; a stale or missing
summary is refused with nothing removed."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, text

from domain.audit import AuditAction
from domain.clock import FixedClock
from domain.errors import Conflict, NotFound
from domain.services.context import Context
from domain.services.drafts import autosave
from domain.services.recording import record_session
from domain.services.summaries import (
    discard_summary,
    draft_key,
    save_summary,
    start_summary,
    submit_summary,
)
from domain.summaries import SummarySection
from domain.timeuse import RecordingActivity
from storage.tables import metadata
from tests.integration.builders import NOW, build_world


def row_counts(engine) -> dict[str, int]:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return {
            table.name: conn.execute(select(func.count()).select_from(table)).scalar_one()
            for table in metadata.sorted_tables
        }


def test_discard_removes_the_draft_its_versions_and_drafts_and_nothing_else(
    uow_factory, engine
) -> None:  # type: ignore[no-untyped-def]
    world = build_world(uow_factory)
    clock = FixedClock(NOW)
    alex = Context(uow_factory, clock, world.practitioner)
    mo = Context(uow_factory, clock, world.manager)

    # A summary on the record (submitted), then a draft started by mistake and written in.
    kept = start_summary(alex, world.family.id, date(2024, 10, 1), date(2025, 1, 31))
    kept = save_summary(alex, kept.id, {SummarySection.ANALYSIS: "Safer now."}, kept.version)
    kept = submit_summary(alex, kept.id)
    mistake = start_summary(alex, world.family.id)
    mistake = save_summary(
        alex, mistake.id, {SummarySection.WHY_INVOLVED: "typed by mistake"}, mistake.version
    )
    record_session(
        alex,
        world.family.id,
        RecordingActivity.SUMMARY,
        NOW - timedelta(minutes=3),
        NOW,
        150,
    )
    autosave(alex, draft_key(mistake.id), "{}", mistake.version)
    autosave(mo, draft_key(mistake.id), "{}", mistake.version)
    autosave(alex, draft_key(kept.id), "{}", kept.version)
    before = row_counts(engine)

    discard_summary(alex, mistake.id, base_version=mistake.version)

    after = row_counts(engine)
    changed = {name: after[name] - before[name] for name in before if after[name] != before[name]}
    assert changed == {"summaries": -1, "summary_versions": -2, "drafts": -2, "audit_events": 1}
    with uow_factory() as uow:
        with pytest.raises(NotFound):
            uow.summaries.get(mistake.id)
        assert uow.summaries.versions(mistake.id) == []
        assert [s.id for s in uow.summaries.for_family(world.family.id)] == [kept.id]
        assert len(uow.summaries.versions(kept.id)) == 3
        assert uow.drafts.get(world.practitioner.id, draft_key(kept.id)) is not None
        [session] = uow.recording.sessions(family_id=world.family.id)
        assert (session.activity, session.active_seconds) == (RecordingActivity.SUMMARY, 150)
        last = uow.audit.list(family_id=world.family.id)[-1]
        assert (last.action, last.entity, last.entity_id, last.user_id) == (
            AuditAction.DISCARD,
            "summary",
            mistake.id,
            world.practitioner.id,
        )
    # The audit action reads back from the table as it was written.
    with engine.connect() as conn:
        actions = conn.execute(
            text(
                "SELECT action FROM audit_events WHERE entity = 'summary' AND entity_id = :id ORDER BY id"
            ),
            {"id": mistake.id},
        ).scalars()
        assert list(actions)[-1] == "discard"


def test_a_stale_or_missing_summary_is_not_deleted(uow_factory, engine) -> None:  # type: ignore[no-untyped-def]
    world = build_world(uow_factory)
    alex = Context(uow_factory, FixedClock(NOW), world.practitioner)
    draft = start_summary(alex, world.family.id)
    draft = save_summary(alex, draft.id, {SummarySection.ANALYSIS: "v2"}, draft.version)
    before = row_counts(engine)

    with uow_factory() as uow:
        with pytest.raises(Conflict) as err:
            uow.summaries.delete(draft.id, expected_version=1)
        assert err.value.current_revision == 2
        # The transaction is still usable after the refusal.
        assert uow.summaries.get(draft.id).version == 2
        with pytest.raises(NotFound):
            uow.summaries.delete(987654, expected_version=1)
        uow.commit()
    assert row_counts(engine) == before

    # Deleted but not committed: rolled back, nothing lost.
    with uow_factory() as uow:
        uow.summaries.delete(draft.id, expected_version=2)
        with pytest.raises(NotFound):
            uow.summaries.get(draft.id)
    assert row_counts(engine) == before
    with uow_factory() as uow:
        assert uow.summaries.get(draft.id).text_of(SummarySection.ANALYSIS) == "v2"


def test_a_discarded_drafts_id_is_never_given_to_another_summary(uow_factory) -> None:  # type: ignore[no-untyped-def]
    """The audit log names summaries by id: after a discard, the next summary gets a new one."""
    world = build_world(uow_factory)
    alex = Context(uow_factory, FixedClock(NOW), world.practitioner)
    mistake = start_summary(alex, world.family.id)
    discard_summary(alex, mistake.id, base_version=mistake.version)

    again = start_summary(alex, world.family.id)

    assert again.id > mistake.id
