"""`import diary --phase baseline|trial`: never doubled, --replace audited, trial rows apart."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from domain.audit import AuditAction
from domain.diary import DiaryPhase
from domain.errors import ValidationError
from domain.services.diary import import_diary
from domain.services.recording import BaselineImportError, import_baseline

NOW = datetime(2025, 5, 6, 16, 0, 0)

FILE = """practitioner,date,category,minutes
prac,2025-01-06,direct_work,120
prac,2025-01-06,recording,200
prac2,2025-01-07,travel,45
"""


@pytest.fixture
def w(team_world):
    team_world.clock.at = NOW
    return team_world


def stored(w, phase: DiaryPhase):  # type: ignore[no-untyped-def]
    rows = w.factory.store.baseline if phase is DiaryPhase.BASELINE else w.factory.store.trial_diary
    return sorted((e.user_id, e.on, e.category.value, e.minutes) for e in rows)


def test_the_same_file_twice_is_refused_with_the_lines_and_nothing_imported(w) -> None:
    import_baseline(w.ctx(w.staff), FILE)
    before = stored(w, DiaryPhase.BASELINE)
    again = FILE + "prac2,2025-01-08,recording,30\n"
    with pytest.raises(BaselineImportError) as error:
        import_diary(w.ctx(w.staff), again, "baseline")
    message = str(error.value)
    assert "3 of the file's 4 rows are already imported" in message
    assert "lines 2, 3, 4" in message and "--replace" in message
    assert "Nothing was imported" in message
    assert stored(w, DiaryPhase.BASELINE) == before  # prac2's new 01-08 row was not added either


def test_replace_swaps_each_practitioners_rows_over_the_files_dates_and_is_audited(w) -> None:
    import_baseline(w.ctx(w.staff), FILE + "prac,2025-02-01,recording,10\n")
    fixed = "practitioner,date,category,minutes\nprac,2025-01-06,recording,150\n"
    result = import_diary(w.ctx(w.staff), fixed, DiaryPhase.BASELINE, replace=True)
    assert (result.rows, result.replaced) == (1, 2)  # prac's two rows of 2025-01-06
    assert stored(w, DiaryPhase.BASELINE) == sorted(
        [
            (w.prac.id, date(2025, 1, 6), "recording", 150),
            (w.prac2.id, date(2025, 1, 7), "travel", 45),  # another practitioner: kept
            (w.prac.id, date(2025, 2, 1), "recording", 10),  # outside the file's dates: kept
        ]
    )
    event = w.events(AuditAction.IMPORT)[-1]
    assert event.entity == "baseline"
    assert "replaced 2 earlier rows of prac from 2025-01-06 to 2025-01-06" in event.detail


def test_trial_phase_rows_go_apart_from_the_baseline(w) -> None:
    result = import_diary(w.ctx(w.admin), FILE, "trial")
    assert result.rows == 3
    assert stored(w, DiaryPhase.BASELINE) == []
    assert len(stored(w, DiaryPhase.TRIAL)) == 3
    # The same rows may be both a baseline and a trial-phase diary (a different phase).
    import_baseline(w.ctx(w.admin), FILE)
    with pytest.raises(BaselineImportError, match="already imported"):
        import_diary(w.ctx(w.admin), FILE, "trial")
    [*_, event] = w.events(AuditAction.IMPORT)
    assert event.entity == "baseline"
    assert w.events(AuditAction.IMPORT)[0].entity == "trial_diary"


def test_an_unknown_phase_is_a_clear_error(w) -> None:
    with pytest.raises(ValidationError, match="baseline or trial"):
        import_diary(w.ctx(w.admin), FILE, "during")


@pytest.mark.parametrize("who", ["prac", "manager"])
def test_only_administrators_and_project_staff_import_diaries(w, who) -> None:
    from domain.errors import AccessDenied

    with pytest.raises(AccessDenied):
        import_diary(w.ctx(getattr(w, who)), FILE, "trial")
    assert stored(w, DiaryPhase.TRIAL) == []
    assert [e.action for e in w.factory.store.audit] == [AuditAction.DENIED]
