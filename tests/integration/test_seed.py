"""Seeding the demo data into a real database (SQLite file; PostgreSQL when configured)."""

from __future__ import annotations

from datetime import datetime

import pytest

from domain.clock import FixedClock
from domain.errors import DomainError
from domain.families import LegalStatus
from domain.passwords import verify_passphrase
from domain.people import Role, Team
from domain.summaries import SummaryEvent, SummaryStatus
from storage.seed import seed_database
from tests.fakes import fake_uow_factory

CLOCK = FixedClock(datetime(2025, 3, 12, 9, 30))


def test_seed_loads_the_same_demo_into_the_database_as_into_the_fakes(uow_factory, backend):
    counts = seed_database(uow_factory, CLOCK)
    assert counts == seed_database(fake_uow_factory(), CLOCK)

    with uow_factory() as uow:
        families = uow.families.list(include_closed=True)
        assert len(families) == counts["families"]
        assert sum(len(f.members) for f in families) == counts["members"]

        hughes = uow.families.by_reference("FAM-0101")
        statuses = {m.name: m.current_status for m in hughes.children}
        assert statuses == {
            "Lily Hughes": LegalStatus.CHILD_PROTECTION,
            "Josh Hughes": LegalStatus.CHILD_IN_NEED,
        }
        assert len(hughes.children[0].status_history) == 3

        revisions = uow.plans.revisions(hughes.id)
        assert len(revisions) >= 2
        assert uow.plans.for_family(hughes.id).revision == revisions[-1].number
        goals = revisions[-1].content.goals
        assert {m.id for m in hughes.children} == set(goals[0].child_ids)

        mappings = uow.mappings.for_family(hughes.id)
        keys = {p.key for p in mappings[-1].current.pairs}
        assert goals[0].danger_key in keys
        ratings = uow.mappings.ratings(hughes.id)
        assert len({r.rated_on for r in ratings}) >= 4
        assert all(r.mapping_id in {m.id for m in mappings} for r in ratings)

        summaries = uow.summaries.for_family(hughes.id)
        latest = summaries[0]
        assert latest.status is SummaryStatus.SUBMITTED
        events = [v.event for v in uow.summaries.versions(latest.id)]
        assert SummaryEvent.RETURNED in events and events[-1] is SummaryEvent.RESUBMITTED
        assert {s.status for s in uow.summaries.with_status(SummaryStatus.RETURNED)} == {
            SummaryStatus.RETURNED
        }

        contacts = uow.contacts.for_family(hughes.id)
        assert contacts and all(len(c.note) <= 280 for c in contacts)
        assert len(uow.recording.sessions()) == counts["recording_sessions"]
        assert len(uow.recording.manual_entries()) == counts["manual_entries"]

        observations = uow.observations.list()
        assert len(observations) == counts["observations"]
        withdrawn = [o for o in observations if o.withdrawn]
        assert len(withdrawn) == 1 and withdrawn[0].visible_link is None
        assert uow.observations.feedback(withdrawn[0].id) is not None

        lead = next(u for u in uow.users.list() if u.role is Role.PRACTICE_LEAD)
        assert len(lead.supports) >= 3
        assert verify_passphrase("tandem-demo-pass", lead.passphrase_hash)


def test_seed_refuses_a_database_that_is_not_empty_and_adds_nothing(uow_factory):
    with uow_factory() as uow:
        uow.teams.add(Team(name="Existing team"))
        uow.commit()
    with pytest.raises(DomainError, match=r"not empty \(it has 1 team\)"):
        seed_database(uow_factory, CLOCK)
    with uow_factory() as uow:
        assert [t.name for t in uow.teams.list()] == ["Existing team"]
        assert uow.users.list() == []
        assert uow.families.list(include_closed=True) == []
