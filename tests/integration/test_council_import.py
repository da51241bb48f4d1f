"""The council's own caseload files imported for real: the service on SQLite and PostgreSQL, and
``tandem import caseload`` on an Annex A workbook (made with openpyxl), SSDA903 CSV files and a
CIN census XML file, messy ones included."""

from __future__ import annotations

import io
import json
import sys
from datetime import date, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from openpyxl import Workbook

from domain.caseload_formats import Sheet, parse_annex_a
from domain.caseload_grouping import CaseloadMap
from domain.clock import FixedClock
from domain.families import CpCategory, LegalStatus, StatusChange
from domain.people import Team
from domain.services.admin import system_context
from domain.services.caseload_import import import_council_files
from tests.integration.test_cli import one_clean_line
from tui.cli import main

# --- the service on a real database -------------------------------------------------------------


def test_import_and_reimport_round_trip_ids_and_codes(uow_factory) -> None:  # type: ignore[no-untyped-def]
    with uow_factory() as uow:
        uow.teams.add(Team(name="North"))
        uow.commit()
    clock = FixedClock(datetime(2025, 3, 10, 9, 0))
    ctx = system_context(uow_factory, clock)
    header = ("Child Unique ID", "Start date of current legal status", "Child's Legal Status",
              "Date Started to be Looked After", "Date Ceased to be Looked After")  # fmt: skip
    first = Sheet("List 8", [header, ("C1", "01/01/2025", "C1: ICO", "01/01/2025", None)])
    mapping = CaseloadMap(children={"C1": "FAM-0300"})
    result = import_council_files(
        ctx, [parse_annex_a([first], "a.xlsx")], mapping=mapping, default_team="North"
    )
    assert result.references == ("FAM-0300",)
    clock.advance(days=30)
    later = Sheet("List 8", [header, ("C1", "01/03/2025", "C2: FCO", "01/01/2025", None)])
    result = import_council_files(
        ctx, [parse_annex_a([later], "a.xlsx")], mapping=mapping, default_team="North"
    )
    assert (result.families, result.updated_families) == (0, 1)
    with uow_factory() as uow:
        family = uow.families.by_reference("FAM-0300")
        assert family is not None
        child = family.members[0]
        assert child.external_id == "C1"
        assert child.status_history == [
            StatusChange(LegalStatus.CHILD_LOOKED_AFTER, date(2025, 1, 1), code="C1"),
            StatusChange(LegalStatus.CHILD_LOOKED_AFTER, date(2025, 3, 1), code="C2"),
        ]
        assert uow.families.by_member_external_ids(["C1", "C404"]) == {"C1": family.id}
        details = [e.detail for e in uow.audit.list(family_id=family.id)]
    assert details[0] == "caseload import (annex-a)"
    assert details[1].startswith("caseload import (annex-a): C1: Child Looked After (C2 full care")


# --- the command line ------------------------------------------------------------------------------
# In-process (tui.cli.main), as the command would run: a fresh Python per call costs seconds on a
# loaded machine, and tests/integration/test_cli.py already covers the process boundary.


@pytest.fixture
def tandem(capsys, monkeypatch):  # type: ignore[no-untyped-def]
    def run(*args: str, db: str | None = None, stdin: str = "") -> SimpleNamespace:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        capsys.readouterr()
        code = main([*(["--db", db] if db else []), *args])
        out = capsys.readouterr()
        return SimpleNamespace(returncode=code, stdout=out.out, stderr=out.err)

    return run


def write_annex_a(path: Path, *, closed: bool = False) -> None:
    """An Annex A workbook as a council sends it: a title row, renamed columns, messy cells."""
    wb = Workbook()
    cover = wb.active
    cover.title = "Cover"
    cover["A1"] = "Ofsted Annex A — prepared by the performance team"
    l6 = wb.create_sheet("List 6 - CIN")
    l6.append(["Annex A List 6: Children in Need"])
    l6.append([])
    l6.append(["Child Unique ID", "Gender", "Date of Birth", "CIN Start Date", "CIN Closure Date",
               "Allocated Team", "Allocated Worker", "Local notes"])  # fmt: skip
    l6.append(["C1001", "b) Female", datetime(2015, 6, 1), "10/01/2025",
               "01/03/2025" if closed else "#N/A", "Locality North", "Sam\u00a0Jones", "x"])  # fmt: skip
    l6.append(["C1002", "a) Male", "03/02/2018", "2025-01-20", None, "Locality North",
               "Sam Jones", None])  # fmt: skip
    l7 = wb.create_sheet("List 7 - CP")
    l7.append(["Child Unique ID", "Child Protection Plan Start Date", "Initial Category of Abuse",
               "Latest Category of Abuse", "Child Protection Plan End Date", "Allocated Team",
               "Allocated Worker"])  # fmt: skip
    l7.append(["C1002", datetime(2025, 2, 1), "a) Neglect", "a) Neglect", None, "Locality North",
               "Sam Jones"])  # fmt: skip
    l3 = wb.create_sheet("List 3 - Referrals")
    l3.append(["Child Unique ID", "Date of referral"])
    l3.append(["C9999", "01/02/2025"])
    wb.save(path)


def set_up_site(tandem, db: str, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    assert tandem("teams", "add", "Millbrook FST", db=db).returncode == 0
    added = tandem(
        "users", "add", "sam.jones", "--name", "Sam Jones", "--role", "practitioner",
        "--team", "Millbrook FST", "--passphrase-stdin", db=db, stdin="a long enough passphrase\n",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    mapping = tmp_path / "map.csv"
    mapping.write_text("kind,from,to\nchild,C1001,FAM-1000\nchild,C1002,FAM-1000\n")
    return mapping


def counts(tandem, db: str) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return json.loads(tandem("info", "--json", db=db).stdout)["counts"]


def test_annex_a_check_then_import_then_update(tandem, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = str(tmp_path / "site.db")
    mapping = set_up_site(tandem, db, tmp_path)
    workbook = tmp_path / "annex-a.xlsx"
    write_annex_a(workbook)
    before = counts(tandem, db)

    check = tandem("import", "caseload", str(workbook), "--map", str(mapping), "--check", db=db)
    assert check.returncode == 0, check.stderr
    assert "Would import (annex-a): 1 new families with 2 members" in check.stdout
    assert "FAM-1000 'Family FAM-1000': 2 member(s), allocated to sam.jones" in check.stdout
    assert "'List 3 - Referrals': 1 row of referrals, not a caseload list" in check.stdout
    assert "children's names" in check.stdout
    assert "Nothing was written (--check)." in check.stdout
    assert counts(tandem, db) == before, "--check writes nothing, not even an audit event"

    done = tandem("import", "caseload", str(workbook), "--map", str(mapping), db=db)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Imported (annex-a): 1 new families with 2 members")
    after = counts(tandem, db)
    assert (after["families"], after["members"]) == (before["families"] + 1, 2)

    again = tandem("import", "caseload", str(workbook), "--map", str(mapping), db=db)
    assert "0 new families with 0 members; 0 families updated; 1 unchanged" in again.stdout
    write_annex_a(workbook, closed=True)
    closing = tandem("import", "caseload", str(workbook), "--map", str(mapping), db=db)
    assert "C1001: closed from 2025-03-01" in closing.stdout
    assert counts(tandem, db)["families"] == after["families"]


def test_ssda903_and_cin_files_with_team_and_worker_map(tandem, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = str(tmp_path / "site.db")
    set_up_site(tandem, db, tmp_path)
    header = tmp_path / "header.csv"
    header.write_bytes(
        "\ufeffCHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\r\n701,1,01/02/2012,WBRI,,,\r\n".encode()
    )
    episodes = tmp_path / "episodes.csv"
    episodes.write_text("CHILD,DECOM,RNE,LS,CIN,PLACE,DEC,REC\n701,01/01/2025,S,V2,N1,U1,,\n")
    workers = tmp_path / "sw.csv"
    workers.write_text(
        "CHILD,DOB,SW_ID,SW_DECOM,SW_DEC,SW_REASON\n701,01/02/2012,SW9,01/01/2025,,\n"
    )
    cin = tmp_path / "cin.xml"
    cin.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><Message><Children>\n  junk\n<Child>'
        "<ChildIdentifiers><LAchildID>702</LAchildID><PersonBirthDate>2020-05-05"
        "</PersonBirthDate></ChildIdentifiers><CINdetails><CINreferralDate>2025-02-01"
        "</CINreferralDate><ChildProtectionPlans><CPPstartDate>2025-02-20</CPPstartDate>"
        "<InitialCategoryOfAbuse>SAB</InitialCategoryOfAbuse></ChildProtectionPlans>"
        "</CINdetails></Child></Children></Message>"
    )
    mapping = tmp_path / "map.json"
    mapping.write_text(json.dumps({"workers": {"SW9": "sam.jones"}}))
    files = [str(p) for p in (header, episodes, workers, cin)]
    done = tandem(
        "import", "caseload", *files, "--map", str(mapping), "--team", "Millbrook FST", db=db
    )
    assert done.returncode == 0, done.stderr
    assert "Imported (cin, ssda903): 2 new families with 2 members" in done.stdout
    assert "LA-701 'Family of child 701': 1 member(s), allocated to sam.jones" in done.stdout
    assert "Child Looked After (V2 single period" in done.stdout
    assert "LA-702 'Family of child 702': 1 member(s), team Millbrook FST, awaiting" in done.stdout
    assert f"({CpCategory.SEXUAL_ABUSE.value.replace('_', ' ')})" in done.stdout


def test_unreadable_council_files_are_one_clear_line(tandem, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = str(tmp_path / "site.db")
    fake = tmp_path / "annex.xlsx"
    fake.write_text("not a workbook")
    assert "annex.xlsx: not a readable .xlsx workbook" in one_clean_line(
        tandem("import", "caseload", str(fake), db=db)
    )
    notes = tmp_path / "notes.docx"
    notes.write_text("?")
    assert "give --format" in one_clean_line(tandem("import", "caseload", str(notes), db=db))
    cin = tmp_path / "cin.xml"
    cin.write_text("<Message><Children><Child></Message>")
    line = one_clean_line(tandem("import", "caseload", str(cin), db=db))
    assert "Nothing was imported. cin.xml: not well-formed XML at line 1" in line
    no_team = tmp_path / "e.csv"
    no_team.write_text("CHILD,DECOM,LS,DEC\n9,01/01/2025,C2,\n")
    line = one_clean_line(tandem("import", "caseload", str(no_team), db=db))
    assert "the file does not say which team; give --team NAME" in line


SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "council"


def test_the_sample_council_files_import_into_the_demo_teams(uow_factory) -> None:  # type: ignore[no-untyped-def]
    """sample_data/council/ (the README's example) imports cleanly, messy cells and all."""
    from domain.caseload_grouping import parse_map
    from domain.people import Role, User
    from tui.caseload_files import read_caseload_files

    with uow_factory() as uow:
        millbrook = uow.teams.add(Team(name="Millbrook Family Safeguarding Team"))
        eastgate = uow.teams.add(Team(name="Eastgate Family Safeguarding Team"))
        for username, name, team in (
            ("amara.osei", "Amara Osei", millbrook),
            ("tom.gallagher", "Tom Gallagher", millbrook),
            ("nadia.rahman", "Nadia Rahman", eastgate),
        ):
            uow.users.add(User(username, name, Role.PRACTITIONER, team_id=team.id))
        uow.commit()
    files = [
        str(SAMPLE / name)
        for name in (
            "annex_a_list6.csv",
            "annex_a_list7.csv",
            "annex_a_list8.csv",
            "ssda903_header.csv",
            "ssda903_episodes.csv",
            "ssda903_social_workers.csv",
            "cin_census.xml",
        )
    ]
    kind, parsed = read_caseload_files(files, None)
    assert kind == "council" and isinstance(parsed, list)
    mapping = parse_map((SAMPLE / "map.csv").read_text(), "map.csv")
    ctx = system_context(uow_factory, FixedClock(datetime(2026, 12, 1, 9, 0)))
    result = import_council_files(
        ctx, parsed, mapping=mapping, default_team="Millbrook Family Safeguarding Team"
    )
    assert sorted(result.references) == [
        "CNC-0001", "CNC-0002", "LA-3001", "LA-DEMO-1004", "LA-DEMO-2001",
    ]  # fmt: skip
    assert not any("different workers" in i for i in result.ignored)
    with uow_factory() as uow:
        family = uow.families.by_reference("CNC-0001")
        assert family is not None
        amara = uow.users.by_username("amara.osei")
        assert amara is not None and family.practitioner_id == amara.id
        assert [m.external_id for m in family.members] == ["DEMO-1001", "DEMO-1002"]
