"""Manual recording time and "My time" on a real database (SQLite and PostgreSQL), and the
``tandem import manual`` command."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from domain.audit import AuditAction
from domain.errors import AccessDenied, DomainError
from domain.services.manual_time import (
    AlreadyImported,
    correct_manual_entry,
    import_manual,
    my_time,
    remove_manual_entry,
)
from domain.services.recording import add_manual_entry
from domain.timeuse import ManualKind
from tests.report_fixtures import build_hand_data


def _audit(uow_factory, action: AuditAction, entity: str):  # type: ignore[no-untyped-def]
    with uow_factory() as uow:
        return [e for e in uow.audit.list() if e.action is action and e.entity == entity]


def test_add_correct_remove_round_trip(uow_factory) -> None:  # type: ignore[no-untyped-def]
    hand = build_hand_data(uow_factory)
    ann = hand.ctx(uow_factory, "ann")
    today = hand.clock.today()
    entry = add_manual_entry(ann, today, 30, "legacy_system", "Core assessment form")
    with uow_factory() as uow:
        stored = uow.recording.get_manual(entry.id)
    assert stored.entered_at == hand.clock.now() and stored.note == "Core assessment form"
    correct_manual_entry(ann, entry.id, on=today, minutes=40, kind="court_statement", note="C2")
    with uow_factory() as uow:
        stored = uow.recording.get_manual(entry.id)
    assert (stored.minutes, stored.kind, stored.note) == (40, ManualKind.COURT_STATEMENT, "C2")
    with pytest.raises(AccessDenied):
        remove_manual_entry(hand.ctx(uow_factory, "ben"), entry.id)
    hand.clock.advance(days=1)
    with pytest.raises(DomainError, match="on the day it was entered"):
        correct_manual_entry(ann, entry.id, on=today, minutes=50, kind="other")
    remove_manual_entry(ann, entry.id)
    with uow_factory() as uow:
        assert all(e.id != entry.id for e in uow.recording.manual_entries())
    assert len(_audit(uow_factory, AuditAction.UPDATE, "manual_entry")) == 1
    [removed] = _audit(uow_factory, AuditAction.DISCARD, "manual_entry")
    assert removed.detail == f"removed: court_statement, 40 min on {today.isoformat()}"


def test_my_time_adds_up_in_sql_only_my_own_figures(uow_factory) -> None:  # type: ignore[no-untyped-def]
    hand = build_hand_data(uow_factory)
    mine = my_time(hand.ctx(uow_factory, "ann"))
    # Thursday 20 March 2025: ann's weeks back to her first trial record (Sunday 2 March).
    assert [w.week_start for w in mine.weeks] == [
        date(2025, 3, 17),
        date(2025, 3, 10),
        date(2025, 3, 3),
        date(2025, 2, 24),
    ]
    this = mine.this_week.figures
    assert (this.direct_minutes, this.recording_seconds) == (999, 0)
    week = mine.weeks[1].figures  # 10-16 March
    assert (week.direct_minutes, week.recording_seconds) == (90, 2700 + 15 * 60)
    assert week.automatic_seconds["summary"] == 2700  # type: ignore[index]
    assert week.manual_minutes_by_kind["letters_email"] == 15  # type: ignore[index]
    assert (mine.trial.direct_minutes, mine.trial.recording_seconds) == (1149, 5900)
    assert mine.baseline is not None
    assert (mine.baseline.direct_minutes, mine.baseline.recording_minutes) == (150, 300)
    # Exposure in practitioner-days: two diary days are 2/5 of a practitioner-week.
    assert mine.baseline.practitioner_days == 2
    assert mine.baseline.recording_per_practitioner_week == 750
    assert [(e.on, e.minutes) for e in mine.entries] == [(date(2025, 3, 12), 15)]
    [view] = _audit(uow_factory, AuditAction.VIEW, "my_time")
    assert view.user_id == hand.users["ann"].id
    with pytest.raises(AccessDenied):
        my_time(hand.ctx(uow_factory, "staff"))


def test_import_refuses_a_repeat_and_replaces_on_request(uow_factory) -> None:  # type: ignore[no-untyped-def]
    hand = build_hand_data(uow_factory)
    admin = hand.ctx(uow_factory, "admin")
    text = (
        "\ufeffpractitioner,date,kind,minutes,family\n"
        "ann,10/03/2025,court_statement,90,FAM-0001\n"
        "ann,2025-03-12,letters_email,20,\n"
        "ben,11/03/2025,other,5\n"
    )
    with pytest.raises(AlreadyImported) as err:  # ann's letters of 12 March are in already
        import_manual(admin, text)
    assert err.value.lines == [3]
    with uow_factory() as uow:
        assert len(uow.recording.manual_entries()) == 2
    result = import_manual(admin, text, replace_existing=True)
    assert (result.rows, result.replaced) == (3, 1)
    with uow_factory() as uow:
        rows = sorted(
            (e.user_id, e.on, e.kind.value, e.minutes, e.family_id is not None)
            for e in uow.recording.manual_entries()
        )
    ann, ben = hand.users["ann"].id, hand.users["ben"].id
    assert rows == sorted(
        [
            (ann, date(2025, 3, 10), "court_statement", 90, True),
            (ann, date(2025, 3, 12), "letters_email", 20, False),
            (ben, date(2025, 3, 6), "legacy_system", 60, False),  # outside the file's kinds
            (ben, date(2025, 3, 11), "other", 5, False),
        ]
    )
    [imported] = _audit(uow_factory, AuditAction.IMPORT, "manual_entries")
    assert "replaced 1 earlier entries" in imported.detail
    assert len(_audit(uow_factory, AuditAction.DISCARD, "manual_entries")) == 1


# --- the command line (SQLite file; the CLI's clock is real, so the dates are in the past) ---


@pytest.fixture
def cli_db(sqlite_url, tmp_path):  # type: ignore[no-untyped-def]
    from storage.engine import make_engine
    from storage.migrate import upgrade_to_head
    from storage.uow import sql_uow_factory

    engine = make_engine(sqlite_url)
    upgrade_to_head(engine)
    build_hand_data(sql_uow_factory(engine))
    engine.dispose()
    return str(tmp_path / "tandem.db")


def cli(capsys, *args: str) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    from tui.cli import main

    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def _count(db: str) -> int:
    from storage.engine import make_engine, resolve_url
    from storage.uow import sql_uow_factory

    engine = make_engine(resolve_url(db))
    try:
        with sql_uow_factory(engine)() as uow:
            return len(uow.recording.manual_entries())
    finally:
        engine.dispose()


GOOD = (
    "\ufeff practitioner , date , kind , minutes , family \r\n"
    "ann , 03/02/2025 , legacy_system , 45 , FAM-0001 \r\n"
    "ben,2025-02-04,court_statement,120,\r\n"
)


def test_cli_imports_a_good_file(cli_db, capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "paper.csv"
    path.write_text(GOOD, encoding="utf-8")
    code, out, err = cli(capsys, "--db", cli_db, "import", "manual", str(path))
    assert code == 0, err
    assert out.strip() == (
        f"Imported 2 manual entries for 2 practitioners (2025-02-03 to 2025-02-04) from {path}."
    )
    assert _count(cli_db) == 4


def test_cli_bad_lines_are_numbered_and_nothing_is_imported(cli_db, capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "bad.csv"
    path.write_text(
        "practitioner,date,kind,minutes\n"
        "ann,2025-02-03,other,30\n"
        "ann,2025-02-04,other,lots\n"
        "zed,2025-02-04,other,5\n"
        "ann,31/02/2025,other,5\n",
        encoding="utf-8",
    )
    code, out, err = cli(capsys, "--db", cli_db, "import", "manual", str(path))
    assert code == 1 and out == "" and "Traceback" not in err
    assert "3 problems were found, so nothing was imported" in err
    assert "Line 3: minutes must be a whole number (got 'lots')." in err
    assert "Line 4: there is no user called 'zed'." in err
    assert "Line 5: date must be written dd/mm/yyyy or yyyy-mm-dd (got '31/02/2025')." in err
    assert _count(cli_db) == 2
    code, _, err = cli(capsys, "--db", cli_db, "import", "manual", str(tmp_path / "none.csv"))
    assert code == 2 and "no such file" in err and len(err.strip().splitlines()) == 1


def test_cli_refuses_a_file_imported_before_and_replaces_with_the_flag(
    cli_db, capsys, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "paper.csv"
    path.write_text(GOOD, encoding="utf-8")
    assert cli(capsys, "--db", cli_db, "import", "manual", str(path))[0] == 0
    code, out, err = cli(capsys, "--db", cli_db, "import", "manual", str(path))
    assert code == 1 and out == ""
    assert (
        "2 rows are already imported (same practitioner, date and kind as an entry imported or entered before): lines 2, 3."
        in err
    )
    assert "--replace" in err and len(err.strip().splitlines()) == 1
    assert _count(cli_db) == 4
    path.write_text(GOOD.replace(" 45 ", " 50 "), encoding="utf-8")
    code, out, err = cli(capsys, "--db", cli_db, "import", "manual", str(path), "--replace")
    assert code == 0, err
    assert "replaced 2 earlier entries" in out
    assert _count(cli_db) == 4
