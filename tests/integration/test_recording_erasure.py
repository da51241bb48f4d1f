"""Withdrawal on a real database: the address is overwritten in the row (not only flagged), its
fingerprint kept; the audit log keeps only the fact; migration 0011 erases addresses of
recordings withdrawn before it."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import text

from domain.audit import AuditAction
from domain.clock import FixedClock
from domain.errors import ValidationError
from domain.observations import address_fingerprint
from domain.services import admin, families
from domain.services.context import Context
from domain.services.observations import (
    RecordingWithdrawn,
    add_observation,
    open_recording,
    withdraw_consent,
)

LINK = "https://recordings.example.org/private/visit-42.m4a"
NOW = datetime(2025, 5, 6, 16, 0)
CONSENT = {
    "person": "Jo Smith",
    "kind": "consent",
    "method": "written",
    "scope": "feedback",
    "given_on": date(2025, 4, 28),
}


def test_withdrawal_overwrites_the_address_and_keeps_only_its_fingerprint(uow_factory, engine):
    clock = FixedClock(NOW)
    system = admin.system_context(uow_factory, clock)
    admin.create_team(system, "North")
    prac = admin.create_user(system, "alex", "Alex", "practitioner", team_name="North")
    fam = families.create_family(
        system,
        "FAM-0001",
        "Reid family",
        team_id=1,
        practitioner="alex",
        opened_on=date(2025, 1, 1),
    )
    alex = Context(uow_factory, clock, prac)
    o = add_observation(alex, fam.id, date(2025, 5, 1), LINK, [CONSENT])
    assert open_recording(alex, o.id) == LINK
    withdraw_consent(alex, o.id, o.consents[0].id, date(2025, 5, 5))
    with pytest.raises(RecordingWithdrawn):
        open_recording(alex, o.id)
    with pytest.raises(ValidationError):
        add_observation(alex, fam.id, date(2025, 5, 1), LINK, [CONSENT])

    with engine.connect() as conn:
        row_link = conn.execute(text("SELECT link FROM observations")).scalar_one()
        erased = conn.execute(text("SELECT address_sha256 FROM erased_recordings")).all()
        withdrawn_by = conn.execute(text("SELECT withdrawn_by FROM observations")).scalar_one()
        details = [d for (d,) in conn.execute(text("SELECT detail FROM audit_events"))]
    assert row_link == "" and withdrawn_by == prac.id
    assert [e for (e,) in erased] == [address_fingerprint(LINK)]
    assert all("visit-42" not in d for d in details)
    with uow_factory() as uow:
        events = [(e.action, e.entity) for e in uow.audit.list() if e.entity == "recording"]
    assert events == [(AuditAction.VIEW, "recording"), (AuditAction.DENIED, "recording")]


def test_migration_erases_addresses_withdrawn_before_it(database_url):
    from alembic import command

    from storage.engine import make_engine
    from storage.migrate import alembic_config, migration_connection

    engine = make_engine(database_url)
    config = alembic_config()
    with migration_connection(engine) as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0003")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO teams (id, name, summary_rhythm_weeks, "
                          "visiting_standard_working_days, practitioners_see_team_families) "
                          "VALUES (1, 'North', 6, 10, false)"))  # fmt: skip
        conn.execute(text("INSERT INTO users (id, username, full_name, role, team_id, active) "
                          "VALUES (1, 'alex', 'Alex', 'practitioner', 1, true)"))  # fmt: skip
        conn.execute(text("INSERT INTO families (id, reference, name, team_id, practitioner_id, "
                          "opened_on, address, closure_reason) VALUES "
                          "(1, 'FAM-0001', 'Reid', 1, 1, '2025-01-01', '', '')"))  # fmt: skip
        for oid, link in ((1, LINK), (2, LINK + "-kept")):
            conn.execute(text("INSERT INTO observations (id, family_id, practitioner_id, "
                              "session_date, link) VALUES (:id, 1, 1, '2025-05-01', :link)"),
                         {"id": oid, "link": link})  # fmt: skip
            conn.execute(text("INSERT INTO consents (observation_id, person, kind, given_on, "
                              "method, scope, obtained_by, withdrawn_on) VALUES (:id, 'Jo Smith', "
                              "'consent', '2025-04-28', 'written', 's', 1, :w)"),
                         {"id": oid, "w": "2025-05-05" if oid == 1 else None})  # fmt: skip
    with migration_connection(engine) as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    with engine.connect() as conn:
        links = dict(conn.execute(text("SELECT id, link FROM observations")).all())
        erased = conn.execute(
            text("SELECT address_sha256, withdrawn_person FROM erased_recordings")
        ).all()
    engine.dispose()
    assert links == {1: "", 2: LINK + "-kept"}
    assert [tuple(r) for r in erased] == [(address_fingerprint(LINK), "Jo Smith")]
