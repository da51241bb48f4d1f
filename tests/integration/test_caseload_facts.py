"""The caseload's read model (storage/caseload_reads.py) on SQLite and PostgreSQL: the facts it
finds equal those worked out by hand from the records written (tests/integration/
caseload_scenario.py), in the same few statements however many families are asked for, and the
caseload, family overview and team dashboard built on them show what the records say."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from domain.caseload_facts import CaseloadFacts
from domain.clock import FixedClock
from domain.services.caseload import caseload, family_overview
from domain.services.context import Context
from domain.services.dashboard import team_dashboard
from domain.summaries import SummaryStatus
from tests.integration.builders import NOW
from tests.integration.caseload_scenario import (
    WINDOW_START,
    Scenario,
    build_scenario,
    expected_in_window,
)


@pytest.fixture
def scenario(uow_factory) -> Scenario:  # type: ignore[no-untyped-def]
    return build_scenario(uow_factory)


def test_facts_in_the_caseloads_window(uow_factory, scenario) -> None:  # type: ignore[no-untyped-def]
    s = scenario
    with uow_factory() as uow:
        found = uow.caseload_facts.for_families(
            [s.reid, s.empty, s.quiet], contacts_from=WINDOW_START
        )
    assert found == expected_in_window(s)


def test_a_long_list_is_read_in_chunks_with_the_same_facts(
    uow_factory, scenario, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    import storage.caseload_reads

    monkeypatch.setattr(storage.caseload_reads, "CHUNK", 2)
    s = scenario
    with uow_factory() as uow:
        found = uow.caseload_facts.for_families(
            [s.quiet, s.empty, s.reid], contacts_from=WINDOW_START
        )
    assert found == expected_in_window(s)


def test_contact_window_bounds_are_inclusive(uow_factory, scenario) -> None:  # type: ignore[no-untyped-def]
    s = scenario
    with uow_factory() as uow:
        to_31_jan = uow.caseload_facts.for_families(
            [s.reid, s.quiet], contacts_to=date(2025, 1, 31)
        )
        to_19_jan = uow.caseload_facts.for_families([s.reid], contacts_to=date(2025, 1, 19))
        from_20_jan = uow.caseload_facts.for_families([s.reid], contacts_from=date(2025, 1, 20))
        from_6_mar = uow.caseload_facts.for_families([s.reid], contacts_from=date(2025, 3, 6))
        unbounded = uow.caseload_facts.for_families([s.reid, s.quiet])
    reid = expected_in_window(s)[s.reid]
    quiet = expected_in_window(s)[s.quiet]
    amy = s.world.child.id
    with uow_factory() as uow:
        quiet_child = uow.families.get(s.quiet).children[0].id
    seen = {"last_contact": date(2025, 1, 20), "last_seen_on_visit": date(2025, 1, 20)}
    long_ago = date(2024, 6, 3)
    assert to_31_jan == {
        s.reid: replace(reid, **seen),
        s.quiet: replace(
            quiet,
            last_contact=long_ago,
            last_seen_on_visit=long_ago,
            last_seen_by_child={quiet_child: long_ago},
        ),
    }
    on_10_nov = {
        "last_contact": date(2024, 11, 10),
        "last_seen_on_visit": date(2024, 11, 10),
        "last_seen_by_child": {amy: date(2024, 11, 10)},
    }
    assert to_19_jan == {s.reid: replace(reid, **on_10_nov)}
    assert from_20_jan == {s.reid: reid}
    assert from_6_mar == {
        s.reid: replace(reid, last_contact=None, last_seen_on_visit=None, last_seen_by_child={})
    }
    assert unbounded[s.reid] == reid
    assert unbounded[s.quiet].last_seen_on_visit == long_ago
    assert unbounded[s.quiet].last_seen_by_child == {quiet_child: long_ago}


def test_every_family_asked_for_is_answered_and_no_other(uow_factory, scenario) -> None:  # type: ignore[no-untyped-def]
    s = scenario
    with uow_factory() as uow:
        assert uow.caseload_facts.for_families([]) == {}
        assert uow.caseload_facts.for_families([s.empty, s.empty]) == {
            s.empty: CaseloadFacts(family_id=s.empty)
        }
        assert uow.caseload_facts.for_families([987654]) == {
            987654: CaseloadFacts(family_id=987654)
        }
        other = uow.caseload_facts.for_families([s.other], contacts_from=WINDOW_START)[s.other]
    assert other.returned_comment == "Other."
    assert other.latest_summary_status is SummaryStatus.RETURNED
    assert [(d.rated_on, d.score) for d in other.overall_scores] == [
        (date(2025, 3, 8), 10),
        (date(2025, 3, 9), 0),
    ]


def test_a_fixed_number_of_statements_however_many_families(engine, uow_factory, scenario) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import event

    s = scenario
    statements: list[str] = []

    def count(conn, cursor, statement, *args) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    counts = []
    with uow_factory() as uow:
        event.listen(engine, "before_cursor_execute", count)
        try:
            for ids in ([s.reid], [s.reid, s.empty, s.quiet, s.other], []):
                statements.clear()
                uow.caseload_facts.for_families(ids, contacts_from=WINDOW_START)
                counts.append(len(statements))
        finally:
            event.remove(engine, "before_cursor_execute", count)
    # plans, summaries, contacts, children seen per child (migration 0014), scaling, mappings
    assert counts == [6, 6, 0]


def _ctx(uow_factory, user) -> Context:  # type: ignore[no-untyped-def]
    return Context(uow_factory, FixedClock(NOW), user)


def test_the_caseload_and_overview_rows_show_the_records(uow_factory, scenario) -> None:  # type: ignore[no-untyped-def]
    s = scenario
    ctx = _ctx(uow_factory, s.world.practitioner)
    rows = {r.family_id: r for r in caseload(ctx)}
    assert set(rows) == {s.reid, s.empty, s.quiet, s.other}
    reid = rows[s.reid]
    assert (reid.review_due, reid.review_overdue) == (date(2025, 4, 1), False)
    assert (reid.last_summary_end, reid.last_summary_status) == (
        date(2025, 2, 28),
        SummaryStatus.DRAFT,
    )
    # The team's rhythm is 8 weeks; the last written summary ended on 31 Jan (38 days ago).
    assert reid.summary_overdue is False
    assert reid.returned_comment == "Second."
    assert reid.last_contact == date(2025, 3, 5)
    # Amy is on CP; seen on a visit on 20 Jan, 35 working days before 10 Mar (standard: 10).
    assert reid.visit_overdue is True
    # Dana's overall scale (danger statements' scales do not count): 4 on 5 Jan, 5 on 1 Feb: up.
    assert (reid.latest_scaling, reid.scaling_trend) == (5.0, 1)
    assert reid.attention

    empty = rows[s.empty]
    assert (empty.review_due, empty.last_summary_end, empty.last_contact) == (None, None, None)
    assert (empty.returned_comment, empty.latest_scaling, empty.scaling_trend) == ("", None, 0)
    # Nothing written since it opened on 1 Oct 2024: 160 days, beyond 8 weeks.
    assert empty.summary_overdue is True and empty.visit_overdue is False

    quiet = rows[s.quiet]
    # Only danger statements were scaled: no family figure.
    assert (quiet.latest_scaling, quiet.scaling_trend) == (None, 0)
    assert quiet.last_contact is None and quiet.summary_overdue is False

    family, overview = family_overview(ctx, s.reid)
    assert family.id == s.reid
    assert overview == reid


def test_the_team_dashboard_reads_the_same_records(uow_factory, scenario) -> None:  # type: ignore[no-untyped-def]
    s = scenario
    board = team_dashboard(_ctx(uow_factory, s.world.manager))
    assert [(r.family.family_id, r.review_date) for r in board.plan_reviews] == [
        (s.empty, None),
        (s.quiet, None),
        (s.other, date(2025, 3, 20)),
    ]
    stale = [(r.family.family_id, r.period_end) for r in board.summaries if r.flag == "stale"]
    assert stale == [(s.empty, None)]
    waiting = {r.family.family_id for r in board.summaries if r.flag == "awaiting_review"}
    assert waiting == {s.reid, s.quiet}
    # Seen on a visit on 20 Jan (the phone call on 1 Mar does not count).
    assert [(r.child_name, r.last_seen) for r in board.unseen_children] == [
        ("Amy Reid", date(2025, 1, 20))
    ]
    # Dana's overall score rose at REID (4 to 5); at OTHER it fell from 10 to 0.
    assert [
        (r.family.family_id, [p.describe() for p in r.scaling.fallen], r.scaling.figure)
        for r in board.scaling_falls
    ] == [(s.other, ["Dana Reid 10→0"], 0.0)]
    assert {r.family.family_id for r in board.without_mapping} == {s.empty, s.quiet}
