"""Every list that shows a family's name or reference records, in one event per list, the ids of
the families it showed, so ``tandem audit --family REF`` (``list_audit(family=REF)``) finds who
saw the family in a list: the caseload, the team caseload, the review and feedback queues, the
feedback given, the dashboard, the families offered for recording time, and "My time"."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from domain.audit import AuditAction
from domain.services import (
    caseload,
    dashboard,
    families,
    manual_time,
    observation_views,
    observations,
    recording,
    summaries,
)
from domain.services.audit_log import list_audit
from domain.summaries import SummaryStatus
from tests.unit.conftest import World
from tests.unit.test_access_matrix import _observation, _summary


def _with_feedback(w: World) -> None:
    oid = _observation(w, w.family)
    observations.save_feedback(w.ctx(w.lead), oid, {"empathy": 4})


def _with_manual_entry(w: World) -> None:
    recording.add_manual_entry(
        w.ctx(w.practitioner), w.today, 20, "letters_email", "Letter to school", w.family.id
    )


LISTS: dict[str, tuple[str, Callable[[World], Any], Callable[[Any], Any]]] = {
    # list: (who looks, what must exist first, the call)
    "caseload": ("practitioner", lambda w: None, families.list_caseload),
    "team caseload": ("manager", lambda w: None, caseload.caseload),
    "review queue": (
        "manager",
        lambda w: _summary(w, w.family, SummaryStatus.SUBMITTED),
        summaries.review_queue,
    ),
    "feedback queue": ("lead", lambda w: _observation(w, w.family), observations.feedback_queue),
    "feedback given": ("lead", _with_feedback, observation_views.feedback_given),
    "dashboard": ("manager", lambda w: None, dashboard.team_dashboard),
    "recording-time families": ("practitioner", lambda w: None, manual_time.manual_entry_families),
    "my time": ("practitioner", _with_manual_entry, manual_time.my_time),
}


@pytest.mark.parametrize("name", list(LISTS))
def test_a_list_showing_a_family_is_one_event_found_by_the_family(world: World, name: str) -> None:
    attr, before, call = LISTS[name]
    who = getattr(world, attr)
    before(world)
    start = len(world.store.audit)
    call(world.ctx(who))
    mine = [e for e in world.store.audit[start:] if e.user_id == who.id]
    assert len(mine) == 1, "one event per list, not one per row"
    [event] = mine
    assert event.action in (AuditAction.VIEW, AuditAction.REPORT)
    found = list_audit(world.system(), family="FAM-0001")
    assert [e.id for e in found if e.id == event.id] == [event.id], (
        f"{name}: not found by the family it showed ({event.detail!r})"
    )
    other = list_audit(world.system(), family="FAM-0003")  # South's family: in no list here
    assert not [e for e in other if e.user_id == who.id]
