"""Manual recording time: correct (on the day) and remove one's own entries, "My time", and the
CSV import of entries collected on paper (domain/services/manual_time.py)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from domain.audit import AuditAction
from domain.clock import as_utc
from domain.errors import AccessDenied, DomainError, NotFound, ValidationError
from domain.services.manual_time import (
    AlreadyImported,
    ManualImportError,
    correct_manual_entry,
    import_manual,
    manual_entry_families,
    my_time,
    parse_day,
    remove_manual_entry,
)
from domain.services.recording import add_manual_entry, record_session
from domain.timeuse import BaselineEntry, Contact, ContactKind, ManualKind, TimeCategory

NOW = as_utc(datetime(2025, 5, 6, 16, 0, 0))  # a Tuesday, 16:00 in London
TODAY = date(2025, 5, 6)
MONDAY = date(2025, 5, 5)


@pytest.fixture
def w(team_world):
    team_world.clock.at = NOW
    return team_world


# -- add, correct, remove ----------------------------------------------------------------------


def test_an_entry_added_today_can_be_corrected_today_and_the_change_is_audited(w):
    prac = w.ctx(w.prac)
    entry = add_manual_entry(prac, TODAY, 30, "legacy_system", "CP form", w.fam.id)
    assert entry.entered_at == NOW
    fixed = correct_manual_entry(
        prac, entry.id, on=TODAY - timedelta(days=1), minutes=45, kind="court_statement"
    )
    [stored] = w.factory.store.manual
    assert (stored.on, stored.minutes, stored.kind, stored.note, stored.family_id) == (
        date(2025, 5, 5),
        45,
        ManualKind.COURT_STATEMENT,
        "",
        None,
    )
    assert fixed == stored
    [event] = w.events(AuditAction.UPDATE)
    assert (event.entity, event.entity_id, event.user_id) == ("manual_entry", entry.id, w.prac.id)
    assert "minutes 30 -> 45" in event.detail
    assert "kind legacy_system -> court_statement" in event.detail


def test_an_entry_cannot_be_corrected_on_a_later_day_but_can_be_removed(w):
    prac = w.ctx(w.prac)
    entry = add_manual_entry(prac, TODAY, 30, "other")
    w.clock.advance(days=1)
    with pytest.raises(DomainError, match="only be corrected on the day it was entered"):
        correct_manual_entry(prac, entry.id, on=TODAY, minutes=60, kind="other")
    assert w.factory.store.manual[0].minutes == 30
    removed = remove_manual_entry(prac, entry.id)
    assert removed.minutes == 30
    assert w.factory.store.manual == []
    [event] = w.events(AuditAction.DISCARD)
    assert (event.entity, event.entity_id, event.detail) == (
        "manual_entry",
        entry.id,
        "removed: other, 30 min on 2025-05-06",
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"minutes": 0}, "minutes"),
        ({"minutes": 1441}, "minutes"),
        ({"on": date(2025, 5, 7)}, "on"),
        ({"kind": "gossip"}, "kind"),
        ({"note": "x" * 281}, "note"),
    ],
)
def test_a_bad_correction_names_its_field_and_changes_nothing(w, changes, field):
    prac = w.ctx(w.prac)
    entry = add_manual_entry(prac, TODAY, 30, "other")
    values = {"on": TODAY, "minutes": 30, "kind": "other"} | changes
    with pytest.raises(ValidationError) as err:
        correct_manual_entry(prac, entry.id, **values)
    assert err.value.field == field
    assert w.factory.store.manual[0].minutes == 30
    assert w.events(AuditAction.UPDATE) == []


@pytest.mark.parametrize("who", ["prac2", "manager", "admin", "staff"])
def test_nobody_else_may_correct_or_remove_an_entry(w, who):
    entry = add_manual_entry(w.ctx(w.prac), TODAY, 30, "other")
    other = w.ctx(getattr(w, who))
    with pytest.raises(AccessDenied):
        correct_manual_entry(other, entry.id, on=TODAY, minutes=1, kind="other")
    with pytest.raises(AccessDenied):
        remove_manual_entry(other, entry.id)
    assert [e.minutes for e in w.factory.store.manual] == [30]
    assert len(w.events(AuditAction.DENIED)) == 2


def test_a_correction_may_not_name_a_family_the_practitioner_cannot_see(w):
    entry = add_manual_entry(w.ctx(w.prac), TODAY, 30, "other")
    with pytest.raises(AccessDenied):
        correct_manual_entry(
            w.ctx(w.prac), entry.id, on=TODAY, minutes=30, kind="other", family_id=w.south_fam.id
        )
    assert w.factory.store.manual[0].family_id is None


def test_a_missing_entry_is_not_found(w):
    with pytest.raises(NotFound):
        remove_manual_entry(w.ctx(w.prac), 999)


def test_the_family_choices_are_the_practitioners_own_caseload(w):
    assert [(f.reference, f.name) for f in manual_entry_families(w.ctx(w.prac))] == [
        ("FAM-0001", "Smith")
    ]
    assert manual_entry_families(w.ctx(w.prac2)) == []


# -- My time -----------------------------------------------------------------------------------


def _contact(w, on: date, minutes: int) -> None:
    with w.factory() as uow:
        uow.contacts.add(
            Contact(
                w.fam.id,
                w.prac.id,
                on,
                datetime(2025, 1, 1, 10).time(),
                minutes,
                ContactKind.HOME_VISIT,
                "Visit",
            )
        )
        uow.commit()


def test_my_time_sets_my_recording_against_my_time_with_families_week_by_week(w):
    prac = w.ctx(w.prac)
    _contact(w, date(2025, 4, 22), 120)  # three weeks ago (week of 21 April)
    _contact(w, MONDAY, 90)
    record_session(
        prac, w.fam.id, "summary", datetime(2025, 5, 5, 9), datetime(2025, 5, 5, 10), 1800
    )
    add_manual_entry(prac, MONDAY, 15, "letters_email")
    add_manual_entry(prac, date(2025, 4, 23), 60, "court_statement")
    add_manual_entry(w.ctx(w.prac2), MONDAY, 500, "other")  # someone else's: never in mine
    with w.factory() as uow:
        uow.recording.add_baseline(
            [
                BaselineEntry(w.prac.id, date(2024, 11, 4), TimeCategory.DIRECT_WORK, 200),
                BaselineEntry(w.prac.id, date(2024, 11, 4), TimeCategory.RECORDING, 400),
                BaselineEntry(w.prac2.id, date(2024, 11, 4), TimeCategory.RECORDING, 999),
            ]
        )
        uow.commit()
    mine = my_time(prac)
    assert [wk.week_start for wk in mine.weeks] == [
        date(2025, 5, 5),
        date(2025, 4, 28),
        date(2025, 4, 21),
    ]
    this = mine.this_week.figures
    assert (this.direct_minutes, this.recording_minutes) == (90, 45.0)
    assert this.automatic_seconds["summary"] == 1800
    assert this.manual_minutes_by_kind["letters_email"] == 15
    assert this.ratio == 0.5
    empty = mine.weeks[1].figures
    assert (empty.direct_minutes, empty.recording_seconds) == (0, 0)
    assert mine.weeks[2].figures.manual_minutes_by_kind["court_statement"] == 60
    assert (mine.trial.direct_minutes, mine.trial.recording_minutes) == (210, 105.0)
    assert mine.baseline is not None
    assert (mine.baseline.direct_minutes, mine.baseline.recording_minutes) == (200, 400.0)
    # Exposure in practitioner-days: the diary covers one day, a fifth of a practitioner-week.
    assert mine.baseline.practitioner_days == 1
    assert mine.baseline.recording_per_practitioner_week == 2000.0
    assert [(e.on, e.minutes) for e in mine.entries] == [(MONDAY, 15), (date(2025, 4, 23), 60)]
    assert all(mine.may_correct(e) for e in mine.entries)
    [view] = w.events(AuditAction.VIEW)
    assert (view.entity, view.user_id, view.entity_id) == ("my_time", w.prac.id, w.prac.id)


def test_my_time_with_nothing_logged_shows_this_week_as_zeros_and_no_baseline(w):
    mine = my_time(w.ctx(w.prac2))
    assert [wk.week_start for wk in mine.weeks] == [MONDAY]
    assert mine.this_week.figures.recording_seconds == 0
    assert mine.baseline is None
    assert mine.entries == []


@pytest.mark.parametrize("who", ["staff", "admin", "manager", "lead"])
def test_only_a_practitioner_sees_my_time_and_the_refusal_is_audited(w, who):
    with pytest.raises(AccessDenied):
        my_time(w.ctx(getattr(w, who)))
    assert w.events(AuditAction.VIEW) == []
    [denied] = w.events(AuditAction.DENIED)
    assert denied.user_id == getattr(w, who).id


# -- import from CSV ---------------------------------------------------------------------------

GOOD = (
    "\ufeffPractitioner , Date,KIND,minutes,family\r\n"
    "prac, 05/05/2025 ,legacy_system, 30 ,FAM-0001\r\n"
    "prac,2025-05-02,Court statement,120,\r\n"
    "\r\n"
    "prac2,1/5/2025,letters-email,15\r\n"
)


def test_import_manual_stores_every_row_and_audits(w):
    result = import_manual(w.ctx(w.admin), GOOD)
    assert (result.rows, result.practitioners, result.first_date, result.last_date) == (
        3,
        2,
        date(2025, 5, 1),
        date(2025, 5, 5),
    )
    rows = sorted((e.user_id, e.on, e.kind, e.minutes, e.family_id) for e in w.factory.store.manual)
    assert rows == sorted(
        [
            (w.prac.id, date(2025, 5, 5), ManualKind.LEGACY_SYSTEM, 30, w.fam.id),
            (w.prac.id, date(2025, 5, 2), ManualKind.COURT_STATEMENT, 120, None),
            (w.prac2.id, date(2025, 5, 1), ManualKind.LETTERS_EMAIL, 15, None),
        ]
    )
    assert all(e.entered_at == NOW for e in w.factory.store.manual)
    [event] = w.events(AuditAction.IMPORT)
    assert (event.entity, event.user_id, event.detail) == (
        "manual_entries",
        w.admin.id,
        "3 rows for 2 practitioners, 2025-05-01 to 2025-05-05",
    )


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("prac,2025-05-05,other,abc", "Line 6: minutes must be a whole number (got 'abc')."),
        ("prac,2025-05-05,other,0", "Line 6: minutes must be more than 0 (got 0)."),
        ("prac,2025-05-05,other,1441", "Line 6: minutes cannot be more than 1440"),
        ("prac,5 May 2025,other,5", "Line 6: date must be written dd/mm/yyyy or yyyy-mm-dd"),
        ("prac,31/02/2025,other,5", "Line 6: date must be written dd/mm/yyyy or yyyy-mm-dd"),
        ("prac,07/05/2025,other,5", "Line 6: date cannot be in the future"),
        ("prac,2025-05-05,gossip,5", "Line 6: kind must be one of legacy_system,"),
        ("nobody,2025-05-05,other,5", "Line 6: there is no user called 'nobody'."),
        ("staff,2025-05-05,other,5", "Line 6: 'staff' is a project staff, who does not record."),
        (",2025-05-05,other,5", "Line 6: practitioner is empty."),
        ("prac,2025-05-05,other,5,FAM-9999", "Line 6: there is no family with reference"),
        ("prac,2025-05-05,other,5,FAM-0002", "Line 6: family FAM-0002 is neither allocated"),
        ("prac,2025-05-05,other,5,FAM-0001,extra", "Line 6: expected at most 5 values"),
        ("prac,05/05/2025,legacy_system,5", "Line 6: repeats line 2"),
    ],
)
def test_a_bad_row_is_reported_by_line_and_nothing_is_imported(w, row, message):
    with pytest.raises(ManualImportError) as err:
        import_manual(w.ctx(w.admin), GOOD + row + "\n")
    assert message in str(err.value)
    assert str(err.value).endswith("Nothing was imported.")
    assert w.factory.store.manual == []
    assert w.events(AuditAction.IMPORT) == []


def test_every_problem_is_listed(w):
    text = "practitioner,date,kind,minutes\nprac,x,other,5\nprac,2025-05-01,other,y\n"
    with pytest.raises(ManualImportError) as err:
        import_manual(w.ctx(w.admin), text)
    assert err.value.problems == [
        "Line 2: date must be written dd/mm/yyyy or yyyy-mm-dd (got 'x').",
        "Line 3: minutes must be a whole number (got 'y').",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Line 1: the file is empty"),
        ("practitioner,date,minutes\nprac,2025-05-01,5\n", "Line 1: the first line must be"),
        ("practitioner,date,kind,minutes,colour\n", "Line 1: the first line must be"),
        ("practitioner,date,kind,minutes\n\n", "Line 2: there are no rows to import"),
    ],
)
def test_a_bad_header_or_empty_file_is_refused(w, text, message):
    with pytest.raises(ManualImportError, match=message):
        import_manual(w.ctx(w.admin), text)


def test_a_file_already_imported_is_refused_with_its_lines(w):
    import_manual(w.ctx(w.admin), GOOD)
    add_manual_entry(w.ctx(w.prac), date(2025, 5, 3), 10, "other")  # not in the file: no clash
    again = GOOD + "prac,2025-05-03,legacy_system,5\n"
    with pytest.raises(AlreadyImported) as err:
        import_manual(w.ctx(w.admin), again)
    assert err.value.lines == [2, 3, 5]
    assert (
        "3 rows are already imported (same practitioner, date and kind as an entry imported or entered before): lines 2, 3, 5."
        in str(err.value)
    )
    assert "--replace" in str(err.value)
    assert len(w.factory.store.manual) == 4
    assert len(w.events(AuditAction.IMPORT)) == 1


def test_replace_replaces_that_practitioners_entries_of_that_kind_over_the_files_dates(w):
    import_manual(w.ctx(w.admin), GOOD)
    kept_other_kind = add_manual_entry(w.ctx(w.prac), date(2025, 5, 3), 10, "other")
    kept_outside = add_manual_entry(w.ctx(w.prac), date(2025, 4, 30), 20, "legacy_system")
    text = "practitioner,date,kind,minutes\nprac,2025-05-05,legacy_system,45\n" + (
        "prac,2025-05-01,court_statement,50\n"
    )
    result = import_manual(w.ctx(w.admin), text, replace_existing=True)
    assert result.replaced == 2  # prac's legacy_system of 5 May and court_statement of 2 May
    stored = sorted((e.user_id, e.on, e.kind.value, e.minutes) for e in w.factory.store.manual)
    assert stored == sorted(
        [
            (w.prac.id, date(2025, 5, 5), "legacy_system", 45),
            (w.prac.id, date(2025, 5, 1), "court_statement", 50),
            (w.prac.id, kept_other_kind.on, "other", 10),
            (w.prac.id, kept_outside.on, "legacy_system", 20),
            (w.prac2.id, date(2025, 5, 1), "letters_email", 15),
        ]
    )
    [discard] = w.events(AuditAction.DISCARD)
    assert "2 entries" in discard.detail and "2025-05-01 to 2025-05-05" in discard.detail
    assert w.events(AuditAction.IMPORT)[-1].detail.endswith("replaced 2 earlier entries")


@pytest.mark.parametrize("who", ["staff", "prac", "manager"])
def test_only_an_administrator_imports_manual_entries(w, who):
    with pytest.raises(AccessDenied):
        import_manual(w.ctx(getattr(w, who)), GOOD)
    assert w.factory.store.manual == []


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2025-05-01", date(2025, 5, 1)),
        ("01/05/2025", date(2025, 5, 1)),
        ("1.5.2025", date(2025, 5, 1)),
    ],
)
def test_parse_day_reads_iso_and_uk_dates(text, day):
    assert parse_day(text) == day
