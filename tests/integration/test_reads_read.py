"""Reads read (issue 14): what a screen shows comes from ONE read transaction -- a consistent
snapshot that does not hold the write lock -- and its view is audited by ONE event, written in a
short write of its own after the read (storage/uow.py SqlReadUnitOfWork,
domain/services/one_read.py, domain/services/screens.py).

Transactions are counted with the engine's ``begin`` event (read: SQLite ``BEGIN DEFERRED`` /
PostgreSQL ``READ ONLY``; write: everything else), audit events by counting the table. Both
backends (tests/conftest.py ``uow_factory``)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date, time
from typing import Any

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.exc import DBAPIError

from domain import network_meetings
from domain.audit import AuditAction, AuditEvent, family_token
from domain.clock import FixedClock
from domain.families import Family
from domain.services import (
    caseload,
    contacts,
    dashboard,
    families,
    mappings,
    meeting_views,
    observation_views,
    observations,
    plans,
    screens,
    summaries,
    summary_listing,
)
from domain.services.context import Context
from domain.summaries import SummarySection
from storage.engine import is_read_transaction, make_engine
from storage.tables import AuditEventRow
from storage.uow import DatabaseBusy, sql_uow_factory
from tests.integration.builders import NOW, World, build_world, mapping_content, plan_content
from tui.family.mapping import load_mapping_data
from tui.family.plan_data import load_plan_bundle
from tui.oversight.review import load_review


class Transactions:
    """Every transaction begun on ``engine`` (any connection, any thread): 'read' or 'write'."""

    def __init__(self, engine: Any) -> None:
        self.engine = engine
        self.begun: list[str] = []
        event.listen(engine, "begin", self._begin)

    def _begin(self, connection: Any) -> None:
        options = connection.get_execution_options()
        self.begun.append("read" if is_read_transaction(options) else "write")

    def close(self) -> None:
        event.remove(self.engine, "begin", self._begin)


def audit_count(uow_factory: Any) -> int:
    with uow_factory.read() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(AuditEventRow)))


def last_event(uow_factory: Any) -> AuditEvent:
    with uow_factory.read() as uow:
        return uow.audit.list()[-1]  # type: ignore[no-any-return]


@pytest.fixture
def site(uow_factory: Any) -> Iterator[dict[str, Any]]:
    """A family with something on every tab: a plan, a mapping and a scaling, a contact, a
    submitted summary, two recorded observations (one with feedback, one waiting for it)."""
    world: World = build_world(uow_factory)
    clock = FixedClock(NOW)

    def ctx(user: Any) -> Context:
        return Context(uow_factory, clock, user)

    alex, mo, lee = ctx(world.practitioner), ctx(world.manager), ctx(world.lead)
    fid = world.family.id
    mappings.save_mapping(alex, fid, None, mapping_content(), None)
    first = plan_content()
    plans.save_plan(alex, fid, replace(first, goals=(replace(first.goals[0], child_ids=()),)), None)
    mappings.record_scaling(alex, fid, None, "Dana Reid", "Mum", 6, "Gran visits daily.")
    contacts.log_contact(alex, fid, NOW.date(), time(9, 0), 30, "phone", "Spoke to Dana.")
    network_meetings.record_meeting(alex, fid, NOW.date(), "Dana (Mum)", "Gran visits daily.")
    summary = summaries.start_summary(alex, fid)
    words = {section: f"{section.label} written." for section in SummarySection}
    summary = summaries.save_summary(alex, summary.id, words, summary.version)  # type: ignore[arg-type]
    summaries.submit_summary(alex, summary.id, summary.version)  # type: ignore[arg-type]
    consent = {"person": "Dana", "given_on": NOW.date(), "method": "written", "scope": "All"}
    for link in ("https://example.invalid/a.mp3", "https://example.invalid/b.mp3"):
        observation = observations.add_observation(alex, fid, NOW.date(), link, [consent])
    observations.save_feedback(lee, observation.id, {"empathy": 4})  # type: ignore[arg-type]
    yield {"world": world, "alex": alex, "mo": mo, "lee": lee, "family": fid, "summary": summary.id}


#: screen: (who looks, how the screen loads). The Plan tab, Mapping tab and review screen load
#: through the TUI's own worker functions; the others call one service (the one the screen calls).
SCREENS: dict[str, tuple[str, Callable[[Context, dict[str, Any]], object]]] = {
    "caseload": ("alex", lambda c, s: caseload.caseload(c)),
    "family header": ("alex", lambda c, s: families.view_family(c, s["family"])),
    "overview tab": ("alex", lambda c, s: meeting_views.overview_screen(c, s["family"])),
    "summary period": ("alex", lambda c, s: meeting_views.period_records(c, s["summary"])),
    "summary period typed": (
        "alex",
        lambda c, s: meeting_views.period_records_between(c, s["family"], NOW.date(), NOW.date()),
    ),
    "plan tab": ("alex", lambda c, s: load_plan_bundle(c, s["family"])),
    "mapping tab": ("alex", lambda c, s: load_mapping_data(c, s["family"])),
    "summaries tab": ("alex", lambda c, s: summary_listing.summary_listing(c, s["family"])),
    "contacts tab": ("alex", lambda c, s: contacts.list_contacts(c, s["family"])),
    "observations tab": (
        "alex",
        lambda c, s: observation_views.family_observation_rows(c, s["family"]),
    ),
    "my time": ("alex", lambda c, s: screens.my_time_screen(c)),
    "review queue": ("mo", lambda c, s: summaries.review_queue(c)),
    "review screen": ("mo", lambda c, s: load_review(c, s["summary"])),
    "dashboard": ("mo", lambda c, s: dashboard.team_dashboard(c)),
    "team caseload": ("mo", lambda c, s: screens.team_caseload_screen(c)),
    "practice lead's queues": ("lee", lambda c, s: screens.lead_screen(c)),
    "skill trend": ("lee", lambda c, s: observations.skill_trend(c, s["world"].practitioner.id)),
}


@pytest.mark.parametrize("screen", list(SCREENS))
def test_a_screen_loads_in_one_read_and_one_short_audit_write(
    site: dict[str, Any], uow_factory: Any, screen: str
) -> None:
    who, load = SCREENS[screen]
    before = audit_count(uow_factory)
    counted = Transactions(uow_factory.engine)
    try:
        shown = load(site[who], site)
    finally:
        counted.close()
    assert shown  # the screen had something to show
    assert counted.begun == ["read", "write"], screen  # in that order: audited after the read
    assert audit_count(uow_factory) == before + 1
    one = last_event(uow_factory)
    assert one.action in (AuditAction.VIEW, AuditAction.REPORT)
    if screen not in ("skill trend",):  # every other screen shows the family: the event says so
        fid = site["family"]
        assert one.family_id == fid or family_token(fid) in one.detail, one


def test_the_plan_tab_was_four_views_and_is_one_that_says_what_was_seen(
    site: dict[str, Any], uow_factory: Any
) -> None:
    bundle = load_plan_bundle(site["alex"], site["family"])
    assert bundle.plan is not None and bundle.plan.revision == 1
    assert bundle.saved_by == "Alex Smith" and bundle.dangers[0][0] == "k1"
    one = last_event(uow_factory)
    assert (one.entity, one.family_id) == ("plan", site["family"])
    assert one.detail == "plan tab: family; plan revision 1; mapping list; plan revision history"


def test_a_refused_screen_records_the_refusal_only_and_shows_nothing(
    site: dict[str, Any], uow_factory: Any
) -> None:
    from domain.errors import AccessDenied

    lee = site["lee"]  # a practice lead has no access to the family's plan
    before = audit_count(uow_factory)
    with pytest.raises(AccessDenied):
        load_plan_bundle(lee, site["family"])
    assert audit_count(uow_factory) == before + 1
    assert last_event(uow_factory).action is AuditAction.DENIED


def test_a_read_sees_one_snapshot_and_a_writer_commits_meanwhile(
    site: dict[str, Any], uow_factory: Any
) -> None:
    """While a read transaction is open (and has read), another connection writes and commits
    without waiting; the read goes on seeing the database as it was when it began."""
    world: World = site["world"]
    with uow_factory.read() as reader:
        seen = [f.reference for f in reader.families.list(team_id=world.team.id)]
        committed = threading.Event()

        def write() -> None:
            with uow_factory() as writer:  # a write unit of work: takes the write lock at once
                writer.families.add(
                    Family(
                        reference="fam-0002",
                        name="Okafor family",
                        team_id=world.team.id,
                        practitioner_id=None,
                        opened_on=date(2025, 1, 1),
                    )
                )
                writer.commit()
            committed.set()

        thread = threading.Thread(target=write)
        thread.start()
        thread.join()
        assert committed.is_set()  # the writer did not wait for the read to end
        again = [f.reference for f in reader.families.list(team_id=world.team.id)]
        assert again == seen == ["FAM-0001"]  # the snapshot the read began with
    with uow_factory.read() as later:
        assert len(later.families.list(team_id=world.team.id)) == 2


def test_a_read_transaction_refuses_to_write(site: dict[str, Any], uow_factory: Any) -> None:
    """PostgreSQL refuses a write in a READ ONLY transaction; a read unit of work keeps audit
    events aside for its own short write, so its commit() writes them."""
    world: World = site["world"]
    if uow_factory.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no read-only transactions (its read is BEGIN DEFERRED)")
    family = Family(
        reference="fam-0003",
        name="X",
        team_id=world.team.id,
        practitioner_id=None,
        opened_on=NOW.date(),
    )
    with uow_factory.read() as reader, pytest.raises(DBAPIError, match="read-only"):
        reader.families.add(family)
    mappings.record_scaling(site["alex"], site["family"], None, "Gran", "Gran", 7, "Better.")
    with uow_factory.read() as reader:
        reader.audit.record(replace(last_event(uow_factory), id=None, detail="kept aside"))
        reader.commit()
    assert last_event(uow_factory).detail == "kept aside"


def test_a_read_holds_no_write_lock_on_sqlite(sqlite_url: str) -> None:
    """The negative control first: a write unit of work holds SQLite's write lock from its start,
    so a second writer gives up (DatabaseBusy); a read transaction, even after reading, does not."""
    from storage.migrate import upgrade_to_head

    engine = make_engine(sqlite_url, busy_timeout_ms=50)
    upgrade_to_head(engine)
    make = sql_uow_factory(engine)
    try:
        result: list[object] = []

        def second_writer() -> None:
            try:
                with make() as writer:
                    writer.commit()
                result.append("committed")
            except DatabaseBusy as busy:
                result.append(busy)

        with make() as holder:
            holder.teams.list()
            thread = threading.Thread(target=second_writer)
            thread.start()
            thread.join()
        assert isinstance(result.pop(), DatabaseBusy)  # a write transaction does hold it
        with make.read() as reader:
            reader.teams.list()
            thread = threading.Thread(target=second_writer)
            thread.start()
            thread.join()
        assert result == ["committed"]  # a read transaction does not
    finally:
        engine.dispose()


def test_a_view_whose_audit_cannot_be_written_shows_nothing(sqlite_url: str) -> None:
    """Audit after the read, before returning: when the short write cannot be made (here
    another writer holds SQLite's lock throughout), the service raises and returns nothing, so
    no one sees data whose viewing was not recorded."""
    from storage.migrate import upgrade_to_head

    engine = make_engine(sqlite_url, busy_timeout_ms=50)
    upgrade_to_head(engine)
    make = sql_uow_factory(engine)
    try:
        world = build_world(make)
        alex = Context(make, FixedClock(NOW), world.practitioner)
        holding, release, done = threading.Event(), threading.Event(), threading.Event()

        def hold() -> None:
            with make():
                holding.set()
                release.wait()
            done.set()

        holder = threading.Thread(target=hold)
        holder.start()
        holding.wait()
        try:
            with pytest.raises(DatabaseBusy):
                families.view_family(alex, world.family.id)
        finally:
            release.set()
            holder.join()
        assert done.is_set()
        assert families.view_family(alex, world.family.id).reference == "FAM-0001"
    finally:
        engine.dispose()
