"""The names shown beside summaries and their versions (domain/services/summary_listing.py)."""

from __future__ import annotations

import pytest

from domain.audit import AuditAction
from domain.errors import AccessDenied
from domain.services.summaries import return_summary, save_summary, start_summary, submit_summary
from domain.services.summary_listing import summary_listing, version_history
from domain.summaries import SummaryEvent, SummaryStatus


def test_listing_names_author_last_change_and_reviewer(world, ctx_of) -> None:
    alex, mo = ctx_of("practitioner"), ctx_of("manager")
    s = start_summary(alex, world.family.id)
    s = save_summary(alex, s.id, {"why_involved": "Because."}, s.version)
    submit_summary(alex, s.id)
    world.clock.advance(hours=2)
    return_summary(mo, s.id, "Add the children's words.")

    [item] = summary_listing(alex, world.family.id)
    assert item.summary.status is SummaryStatus.RETURNED
    assert item.author_name == "Alex Practitioner"
    assert item.reviewer_name == "Mo Manager"
    assert item.updated_by_name == "Mo Manager"
    assert item.updated_at == world.clock.now()
    assert world.events(AuditAction.VIEW, family_id=world.family.id, entity="summary")


def test_version_history_names_who_made_each_version(world, ctx_of) -> None:
    alex, mo = ctx_of("practitioner"), ctx_of("manager")
    s = start_summary(alex, world.family.id)
    s = save_summary(mo, s.id, {"analysis": "Manager's words."}, s.version)
    history = version_history(alex, s.id)
    assert [(i.version.event, i.by_name) for i in history] == [
        (SummaryEvent.SAVED, "Alex Practitioner"),
        (SummaryEvent.SAVED, "Mo Manager"),
    ]


def test_no_listing_without_access_to_the_family(world, ctx_of) -> None:
    s = start_summary(ctx_of("practitioner"), world.family.id)
    with pytest.raises(AccessDenied):
        summary_listing(ctx_of("other_practitioner"), world.family.id)
    with pytest.raises(AccessDenied):
        version_history(ctx_of("other_practitioner"), s.id)
