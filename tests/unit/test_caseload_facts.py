"""The in-memory caseload facts (tests/fakes.py FakeCaseloadReads) against the same hand-worked
scenario and expectations as the SQL read model (tests/integration/test_caseload_facts.py): the
fake the service unit tests rely on must mean what the database means.

The integration module's tests are collected here again with ``uow_factory`` bound to the fake;
only the statement count, which is about SQL, is left out.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.fakes import FakeUnitOfWork, fake_uow_factory
from tests.integration import test_caseload_facts as shared
from tests.integration.caseload_scenario import Scenario, build_scenario


@pytest.fixture
def uow_factory() -> Callable[[], FakeUnitOfWork]:
    return fake_uow_factory()


@pytest.fixture
def scenario(uow_factory) -> Scenario:  # type: ignore[no-untyped-def]
    return build_scenario(uow_factory)


test_facts_in_the_caseloads_window = shared.test_facts_in_the_caseloads_window
test_contact_window_bounds_are_inclusive = shared.test_contact_window_bounds_are_inclusive
test_every_family_asked_for_is_answered_and_no_other = (
    shared.test_every_family_asked_for_is_answered_and_no_other
)
test_the_caseload_and_overview_rows_show_the_records = (
    shared.test_the_caseload_and_overview_rows_show_the_records
)
test_the_team_dashboard_reads_the_same_records = (
    shared.test_the_team_dashboard_reads_the_same_records
)
