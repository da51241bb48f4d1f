"""Recording time: sessions, manual entries, the baseline import and a user's own totals."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from domain.audit import AuditAction
from domain.clock import LOCAL_ZONE
from domain.errors import AccessDenied, ValidationError
from domain.observations import Consent, ConsentKind, ConsentMethod, Observation
from domain.services.recording import (
    BaselineImportError,
    add_manual_entry,
    import_baseline,
    my_recording_time,
    record_session,
)
from domain.timeuse import ManualKind, RecordingActivity, TimeCategory

NOW = datetime(2025, 5, 6, 16, 0, 0, tzinfo=LOCAL_ZONE)
TODAY = NOW.date()


@pytest.fixture
def w(team_world):
    """The shared ``team_world`` at ``NOW``, plus one observation of ``prac``'s on FAM-0001."""
    team_world.clock.at = NOW
    prac = team_world.prac
    with team_world.factory() as uow:
        uow.observations.add(
            Observation(
                team_world.fam.id,
                prac.id,
                date(2025, 5, 1),
                "https://example.org/rec/1",
                consents=[
                    Consent(
                        "Mum",
                        ConsentKind.CONSENT,
                        date(2025, 4, 28),
                        ConsentMethod.WRITTEN,
                        "feedback",
                        prac.id,
                    )
                ],
            )
        )
        uow.commit()
    return team_world


START = datetime(2025, 5, 6, 14, 0, 0)
END = datetime(2025, 5, 6, 14, 20, 0)


# -- sessions ----------------------------------------------------------------------------------


def test_record_session_stores_the_users_own_session_and_audits(w):
    s = record_session(w.ctx(w.prac), w.fam.id, "summary", START, END, 900)
    [stored] = w.factory.store.sessions
    assert (stored.user_id, stored.family_id, stored.activity, stored.active_seconds) == (
        w.prac.id,
        w.fam.id,
        RecordingActivity.SUMMARY,
        900,
    )
    assert stored.id == s.id
    [event] = w.events(AuditAction.CREATE)
    assert (event.entity, event.family_id, event.detail) == (
        "recording_session",
        w.fam.id,
        "summary, 900 s active",
    )


def test_a_session_without_a_family_is_fine(w):
    s = record_session(w.ctx(w.manager), None, RecordingActivity.REVIEW, START, END, 60)
    assert s.family_id is None


def test_a_session_longer_active_than_it_lasted_is_refused(w):
    with pytest.raises(ValidationError) as err:
        record_session(w.ctx(w.prac), w.fam.id, "plan", START, END, 1201 + 1)
    assert err.value.field == "active_seconds"
    with pytest.raises(ValidationError) as err:
        record_session(w.ctx(w.prac), w.fam.id, "plan", END, START, 0)
    assert err.value.field == "ended"
    with pytest.raises(ValidationError) as err:
        record_session(w.ctx(w.prac), w.fam.id, "knitting", START, END, 10)
    assert err.value.field == "activity"
    assert w.factory.store.sessions == []


def test_a_practice_lead_may_record_feedback_time_against_an_observed_family(w):
    s = record_session(w.ctx(w.lead), w.fam.id, "observation_feedback", START, END, 600)
    assert s.user_id == w.lead.id
    with pytest.raises(AccessDenied):
        record_session(w.ctx(w.other_lead), w.fam.id, "observation_feedback", START, END, 600)
    [denied] = w.events(AuditAction.DENIED)
    assert (denied.user_id, denied.family_id) == (w.other_lead.id, w.fam.id)


@pytest.mark.parametrize("who", ["prac2", "south_prac", "south_manager"])
def test_no_session_against_a_family_the_user_cannot_see(w, who):
    with pytest.raises(AccessDenied):
        record_session(w.ctx(getattr(w, who)), w.fam.id, "summary", START, END, 10)
    assert w.events(AuditAction.DENIED)[0].family_id == w.fam.id
    assert w.factory.store.sessions == []


@pytest.mark.parametrize("who", ["staff", "admin"])
def test_project_staff_and_admins_do_not_record_time(w, who):
    with pytest.raises(AccessDenied):
        record_session(w.ctx(getattr(w, who)), None, "summary", START, END, 10)
    with pytest.raises(AccessDenied):
        add_manual_entry(w.ctx(getattr(w, who)), TODAY, 30, "other")
    with pytest.raises(AccessDenied):
        my_recording_time(w.ctx(getattr(w, who)), TODAY, TODAY)
    assert len(w.events(AuditAction.DENIED)) == 3


# -- manual entries ----------------------------------------------------------------------------


def test_add_manual_entry(w):
    e = add_manual_entry(
        w.ctx(w.prac), date(2025, 5, 5), 90, "court_statement", "Statement", w.fam.id
    )
    [stored] = w.factory.store.manual
    assert (stored.user_id, stored.on, stored.minutes, stored.kind, stored.family_id) == (
        w.prac.id,
        date(2025, 5, 5),
        90,
        ManualKind.COURT_STATEMENT,
        w.fam.id,
    )
    assert stored.id == e.id
    assert w.events(AuditAction.CREATE)[0].family_id == w.fam.id


@pytest.mark.parametrize(
    ("on", "minutes", "kind", "field"),
    [
        (date(2025, 5, 7), 30, "other", "on"),
        (TODAY, 0, "other", "minutes"),
        (TODAY, 1441, "other", "minutes"),
        (TODAY, 30, "fax", "kind"),
    ],
)
def test_bad_manual_entries_name_their_field(w, on, minutes, kind, field):
    with pytest.raises(ValidationError) as err:
        add_manual_entry(w.ctx(w.prac), on, minutes, kind)
    assert err.value.field == field
    assert w.factory.store.manual == []


def test_manual_entry_against_another_teams_family_is_denied(w):
    with pytest.raises(AccessDenied):
        add_manual_entry(w.ctx(w.prac), TODAY, 30, "other", family_id=w.south_fam.id)
    assert w.events(AuditAction.DENIED)[0].family_id == w.south_fam.id


# -- my totals ---------------------------------------------------------------------------------


def test_my_recording_time_totals_only_my_time_in_the_period(w):
    prac = w.ctx(w.prac)
    record_session(prac, w.fam.id, "summary", START, END, 600)
    record_session(prac, w.fam.id, "summary", START, END, 300)
    record_session(prac, w.fam.id, "plan", START, END, 120)
    record_session(
        prac, w.fam.id, "plan", datetime(2025, 4, 30, 9), datetime(2025, 4, 30, 10), 3000
    )
    record_session(w.ctx(w.manager), w.fam.id, "summary", START, END, 999)
    add_manual_entry(prac, TODAY, 45, "legacy_system")
    add_manual_entry(prac, date(2025, 5, 1), 15, "legacy_system")
    add_manual_entry(prac, date(2025, 5, 2), 30, "letters_email")
    add_manual_entry(prac, date(2025, 4, 30), 500, "letters_email")
    add_manual_entry(w.ctx(w.manager), TODAY, 60, "other")
    mine = my_recording_time(prac, date(2025, 5, 1), TODAY)
    assert mine.automatic_seconds == {RecordingActivity.SUMMARY: 900, RecordingActivity.PLAN: 120}
    assert mine.manual_minutes == {ManualKind.LEGACY_SYSTEM: 60, ManualKind.LETTERS_EMAIL: 30}
    assert mine.sessions == 3
    assert mine.automatic_minutes == 17.0
    assert mine.total_manual_minutes == 90
    assert mine.total_minutes == 107.0


def test_my_recording_time_with_nothing_recorded_is_zero(w):
    mine = my_recording_time(w.ctx(w.lead), TODAY, TODAY)
    assert (mine.total_minutes, mine.sessions, mine.automatic_seconds) == (0, 0, {})


def test_my_recording_time_end_before_start_is_refused(w):
    with pytest.raises(ValidationError) as err:
        my_recording_time(w.ctx(w.prac), TODAY, date(2025, 5, 1))
    assert err.value.field == "end"


# -- baseline import ---------------------------------------------------------------------------

GOOD = """practitioner,date,category,minutes
prac,2025-01-06,direct_work,120
prac,2025-01-06,recording,200
prac2,2025-01-07,travel,45
southprac,2025-01-08,supervision_reflection,0
"""


def test_import_baseline_stores_every_row_and_audits(w):
    result = import_baseline(w.ctx(w.staff), GOOD)
    assert (result.rows, result.practitioners, result.first_date, result.last_date) == (
        4,
        3,
        date(2025, 1, 6),
        date(2025, 1, 8),
    )
    rows = sorted((e.user_id, e.on, e.category, e.minutes) for e in w.factory.store.baseline)
    assert rows == sorted(
        [
            (w.prac.id, date(2025, 1, 6), TimeCategory.DIRECT_WORK, 120),
            (w.prac.id, date(2025, 1, 6), TimeCategory.RECORDING, 200),
            (w.prac2.id, date(2025, 1, 7), TimeCategory.TRAVEL, 45),
            (w.south_prac.id, date(2025, 1, 8), TimeCategory.SUPERVISION_REFLECTION, 0),
        ]
    )
    [event] = w.events(AuditAction.IMPORT)
    assert (event.entity, event.user_id, event.detail) == (
        "baseline",
        w.staff.id,
        "4 rows for 3 practitioners",
    )


def test_an_administrator_may_import_too_and_columns_may_come_in_any_order(w):
    text = "Minutes, Category ,practitioner,DATE\r\n30,training,PRAC,2025-02-03\r\n"
    assert import_baseline(w.ctx(w.admin), "\ufeff" + text).rows == 1
    [entry] = w.factory.store.baseline
    assert (entry.user_id, entry.category, entry.minutes) == (
        w.prac.id,
        TimeCategory.TRAINING,
        30,
    )


def test_blank_lines_are_skipped_and_quoted_values_are_read(w):
    text = 'practitioner,date,category,minutes\n\n"prac","2025-01-06","admin_it","15"\n\n'
    assert import_baseline(w.ctx(w.staff), text).rows == 1


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("prac,2025-01-06,recording,abc", "Line 7: minutes must be a whole number (got 'abc')."),
        ("prac,2025-01-06,recording,2.5", "Line 7: minutes must be a whole number (got '2.5')."),
        ("prac,2025-01-06,recording,-5", "Line 7: minutes cannot be negative (got -5)."),
        ("prac,2025-01-06,recording,1500", "Line 7: minutes cannot be more than 1440"),
        (
            "prac,06/01/2025,recording,5",
            "Line 7: date must be written YYYY-MM-DD (got '06/01/2025').",
        ),
        ("prac,2025-05-07,recording,5", "Line 7: date cannot be in the future"),
        ("prac,2025-01-06,gossip,5", "Line 7: category must be one of direct_work, recording,"),
        ("nobody,2025-01-06,recording,5", "Line 7: there is no user called 'nobody'."),
        (
            "manager,2025-01-06,recording,5",
            "Line 7: 'manager' is a team manager, not a practitioner.",
        ),
        (",2025-01-06,recording,5", "Line 7: practitioner is empty."),
        ("prac,2025-01-06,recording", "Line 7: expected 4 values"),
        ("prac,2025-01-06,recording,5,extra", "Line 7: expected 4 values"),
        ("prac,2025-01-06,direct_work,5", "Line 7: repeats line 2"),
    ],
)
def test_a_malformed_row_is_reported_by_line_and_nothing_is_imported(w, row, message):
    text = GOOD + "prac2,2025-01-09,training,60\n" + row + "\n"  # the row is line 7
    with pytest.raises(BaselineImportError) as err:
        import_baseline(w.ctx(w.staff), text)
    assert message in str(err.value)
    assert str(err.value).endswith("Nothing was imported.")
    assert err.value.field == "csv"
    assert len(err.value.problems) == 1
    assert w.factory.store.baseline == []
    assert w.events(AuditAction.IMPORT) == []


def test_several_problems_are_all_reported(w):
    text = "practitioner,date,category,minutes\nprac,x,recording,5\nprac,2025-01-06,recording,y\n"
    with pytest.raises(BaselineImportError) as err:
        import_baseline(w.ctx(w.staff), text)
    assert err.value.problems == [
        "Line 2: date must be written YYYY-MM-DD (got 'x').",
        "Line 3: minutes must be a whole number (got 'y').",
    ]
    assert str(err.value).startswith("2 problems were found, so nothing was imported:")
    assert w.factory.store.baseline == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the file is empty"),
        ("\n\n", "the file is empty"),
        ("prac,2025-01-06,recording,5\n", "Line 1: the first line must be the header"),
        ("practitioner,date,category\n", "Line 1: the first line must be the header"),
        ("practitioner,date,category,minutes\n", "there are no rows to import"),
    ],
)
def test_a_header_and_rows_are_required(w, text, message):
    with pytest.raises(ValidationError, match=message):
        import_baseline(w.ctx(w.staff), text)
    assert w.factory.store.baseline == []


def test_line_numbers_count_quoted_line_breaks(w):
    text = 'practitioner,date,category,minutes\nprac,2025-01-06,"recording\nmore",5\n'
    with pytest.raises(BaselineImportError) as err:
        import_baseline(w.ctx(w.staff), text)
    assert err.value.problems[0].startswith("Line 3: category must be one of")


@pytest.mark.parametrize("who", ["prac", "manager", "lead"])
def test_only_admins_and_project_staff_may_import(w, who):
    with pytest.raises(AccessDenied):
        import_baseline(w.ctx(getattr(w, who)), GOOD)
    [denied] = w.events(AuditAction.DENIED)
    assert denied.user_id == getattr(w, who).id
    assert w.factory.store.baseline == []
