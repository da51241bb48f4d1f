"""Importing the council's files into families: grouping, allocation, --check, re-import updates.

The world (tests/unit/conftest.py): teams North and South; practitioners alex ("Alex
Practitioner", North) and cy ("Cy Southside", South); today is 10 March 2025.
"""

from __future__ import annotations

import copy
from datetime import date

import pytest

from domain.audit import AuditAction
from domain.caseload_formats import Sheet, parse_annex_a, parse_cin_census, parse_ssda903
from domain.caseload_grouping import CaseloadMap, MapFileError, parse_map
from domain.errors import AccessDenied
from domain.families import CpCategory, LegalStatus, StatusChange
from domain.services.caseload_import import CaseloadImportError, import_council_files

CIN, CP, CLA, NONE = (
    LegalStatus.CHILD_IN_NEED,
    LegalStatus.CHILD_PROTECTION,
    LegalStatus.CHILD_LOOKED_AFTER,
    LegalStatus.NONE,
)


def list6(*rows):
    header = ("Child Unique ID", "Date of Birth", "CIN Start Date", "CIN Closure Date",
              "Allocated Team", "Allocated Worker")  # fmt: skip
    return Sheet("List 6", [header, *rows])


def list7(*rows):
    header = ("Child Unique ID", "Child Protection Plan Start Date", "Latest Category of Abuse",
              "Child Protection Plan End Date", "Allocated Team", "Allocated Worker")  # fmt: skip
    return Sheet("List 7", [header, *rows])


def annex(*sheets):
    return [parse_annex_a(list(sheets), "annex-a.xlsx")]


def families_by_ref(world):
    return {f.reference: f for f in world.store.families.values()}


def run(world, parsed, **kw):
    return import_council_files(world.ctx(world.admin), parsed, **kw)


def test_each_child_becomes_a_one_child_family_allocated_through_the_worker(world):
    parsed = annex(
        list6(
            ("C1001", "01/06/2015", "10/01/2025", None, "Locality North", "Alex\u00a0Practitioner"),
            ("C1002", "#N/A", "01/02/2025", None, "Locality North", "Jo Unknown"),
            ("C1003", None, "01/02/2025", None, None, "Southside,\u00a0Cy"),
        )
    )
    result = run(world, parsed, default_team="South")
    assert (result.families, result.members) == (3, 3)
    fams = families_by_ref(world)
    first, second = fams["LA-C1001"], fams["LA-C1002"]
    assert (first.team_id, first.practitioner_id) == (world.team.id, world.practitioner.id)
    assert first.name == "Family of child C1001"
    child = first.members[0]
    assert child.name == "Child C1001 (no name in file)"
    assert (child.external_id, child.date_of_birth) == ("C1001", date(2015, 6, 1))
    assert child.status_history == [StatusChange(CIN, date(2025, 1, 10))]
    assert first.opened_on == date(2025, 1, 10)
    # The file's team is not a Tandem team and its worker is no user: --team receives it.
    assert (second.team_id, second.practitioner_id) == (world.other_team.id, None)
    assert any("worker 'Jo Unknown' is not a Tandem user" in i for i in result.ignored)
    third = fams["LA-C1003"]  # "Surname, Forename" as some systems export it
    assert (third.team_id, third.practitioner_id) == (
        world.other_team.id,
        world.other_practitioner.id,
    )
    events = world.events(AuditAction.IMPORT)
    assert {e.family_id for e in events} == {first.id, second.id, third.id}
    assert all(e.detail == "caseload import (annex-a)" for e in events)


def test_the_map_groups_siblings_names_workers_and_teams(world):
    parsed = annex(
        list6(
            ("C1", None, "01/01/2025", None, "Locality North", "SW-7"),
            ("C2", None, "01/01/2025", None, "Locality North", None),
        ),
        list7(("C2", "01/02/2025", "PHY", None, "Locality North", "SW-7")),
    )
    mapping = parse_map(
        "kind,from,to\nworker,SW-7,cy\nchild,C1,fam-0100\nchild,C2,FAM-0100\n"
        "team,Locality North,South\n",
        "map.csv",
    )
    result = run(world, parsed, mapping=mapping)
    assert result.references == ("FAM-0100",)
    fam = families_by_ref(world)["FAM-0100"]
    assert (fam.team_id, fam.practitioner_id) == (world.other_team.id, world.other_practitioner.id)
    assert [m.external_id for m in fam.members] == ["C1", "C2"]
    assert fam.members[1].status_history == [
        StatusChange(CIN, date(2025, 1, 1)),
        StatusChange(CP, date(2025, 2, 1), CpCategory.PHYSICAL_ABUSE),
    ]
    assert not any("family grouping" in lack for lack in result.lacks)


def test_a_team_that_cannot_be_found_refuses_the_import(world):
    parsed = annex(list6(("C1", None, "01/01/2025", None, "Locality North", None)))
    before = copy.deepcopy(world.store.families)
    with pytest.raises(CaseloadImportError) as err:
        run(world, parsed)
    assert err.value.problems == [
        "Child C1: the file's team 'Locality North' is not a Tandem team and no --team was given "
        "(or map it: team,<file's team>,<Tandem team>)."
    ]
    assert world.store.families == before and not world.events(AuditAction.IMPORT)
    with pytest.raises(CaseloadImportError, match="there is no team called 'West'"):
        run(world, parsed, default_team="West")


def test_check_reports_and_writes_nothing(world):
    parsed = annex(
        list6(
            ("C1", None, "01/01/2025", None, None, None),
            ("C9", None, "01/01/2024", "01/02/2024", None, None),
        )
    )
    before = copy.deepcopy(world.store)
    result = run(world, parsed, default_team="North", check=True)
    assert result.checked_only and result.families == 1
    assert world.store.families == before.families
    assert world.store.audit == before.audit
    text = "\n".join(result.lines())
    assert text.startswith("Would import (annex-a): 1 new families with 1 members")
    assert "LA-C1 'Family of child C1': 1 member(s), team North, awaiting allocation" in text
    assert "Child C9: not added, every episode had ended (the last on 2024-02-01)" in text
    assert "The file does not hold:" in text and "children's names" in text
    assert text.endswith("Nothing was written (--check).")


def test_importing_again_updates_statuses_adds_children_and_closes(world):
    first = annex(
        list6(
            ("C1", None, "01/01/2025", None, None, None),
            ("C2", None, "05/01/2025", None, None, None),
        )
    )
    mapping = CaseloadMap(children={"C1": "FAM-0200", "C2": "FAM-0200"})
    run(world, first, mapping=mapping, default_team="North")
    assert run(world, first, mapping=mapping, default_team="North").unchanged == 1
    assert len(world.store.families) == 4  # three in the world + one

    world.clock.advance(days=20)
    later = annex(
        list6(
            ("C1", "02/02/2020", "01/01/2025", None, None, None),
            ("C2", None, "05/01/2025", None, None, None),
            ("C3", None, "20/03/2025", None, None, None),
        ),
        list7(("C1", "15/03/2025", "NEG", None, None, None)),
    )
    mapping.children["C3"] = "FAM-0200"
    result = run(world, later, mapping=mapping, default_team="North")
    assert (result.families, result.updated_families) == (0, 1)
    fam = families_by_ref(world)["FAM-0200"]
    c1, c2, c3 = fam.members
    assert c1.date_of_birth == date(2020, 2, 2)
    assert c1.status_history == [
        StatusChange(CIN, date(2025, 1, 1)),
        StatusChange(CP, date(2025, 3, 15), CpCategory.NEGLECT),
    ]
    assert c3.external_id == "C3" and c3.current_status is CIN
    assert any("FAM-0200: " in c and "C3" in c for c in result.changed)

    world.clock.advance(days=20)
    closing = annex(
        list6(
            ("C1", None, "01/01/2025", "25/03/2025", None, None),
            ("C2", None, "05/01/2025", "26/03/2025", None, None),
            ("C3", None, "20/03/2025", "27/03/2025", None, None),
        ),
        list7(("C1", "15/03/2025", "NEG", "25/03/2025", None, None)),
    )
    result = run(world, closing, mapping=mapping, default_team="North")
    fam = families_by_ref(world)["FAM-0200"]
    assert fam.closed_on == date(2025, 3, 27)
    assert [m.current_status for m in fam.members] == [NONE, NONE, NONE]
    assert result.closed and "FAM-0200" in result.closed[0]
    assert len(world.store.families) == 4, "never duplicated"


def test_a_child_found_by_its_id_is_updated_in_its_family_even_without_the_map(world):
    xml = """<Message><Children><Child><ChildIdentifiers><LAchildID>77</LAchildID>
      </ChildIdentifiers><CINdetails><CINreferralDate>2025-01-01</CINreferralDate>
      </CINdetails></Child></Children></Message>"""
    run(world, [parse_cin_census(xml, "cin.xml")], default_team="North")
    assert "LA-77" in families_by_ref(world)
    world.clock.advance(days=5)
    xml2 = xml.replace(
        "</CINdetails>",
        "<ChildProtectionPlans><CPPstartDate>2025-03-12</CPPstartDate>"
        "<LatestCategoryOfAbuse>EMO</LatestCategoryOfAbuse></ChildProtectionPlans></CINdetails>",
    )
    result = run(world, [parse_cin_census(xml2, "cin.xml")], default_team="North")
    fam = families_by_ref(world)["LA-77"]
    assert fam.members[0].status_history[-1] == StatusChange(
        CP, date(2025, 3, 12), CpCategory.EMOTIONAL_ABUSE
    )
    assert result.updated_families == 1 and result.families == 0


def test_ssda903_and_cin_files_together_are_merged_by_child_id(world):
    episodes = "CHILD,DECOM,LS,DEC\n88,01/02/2025,C1,\n"
    xml = """<Message><Children><Child><ChildIdentifiers><LAchildID>88</LAchildID>
      <PersonBirthDate>2019-01-01</PersonBirthDate></ChildIdentifiers><CINdetails>
      <CINreferralDate>2024-12-01</CINreferralDate></CINdetails></Child></Children></Message>"""
    result = run(
        world,
        [parse_ssda903([("episodes.csv", episodes)]), parse_cin_census(xml, "cin.xml")],
        default_team="South",
    )
    assert result.formats == ("ssda903", "cin")
    child = families_by_ref(world)["LA-88"].members[0]
    assert child.date_of_birth == date(2019, 1, 1)
    assert child.status_history == [
        StatusChange(CIN, date(2024, 12, 1)),
        StatusChange(CLA, date(2025, 2, 1), code="C1"),
    ]


def test_an_existing_allocation_is_kept_and_a_different_worker_reported(world):
    parsed = annex(list6(("C1", None, "01/01/2025", None, None, "Alex Practitioner")))
    run(world, parsed, default_team="North")
    parsed = annex(list6(("C1", None, "01/01/2025", None, None, "Bea Teammate")))
    result = run(world, parsed, default_team="North")
    assert families_by_ref(world)["LA-C1"].practitioner_id == world.practitioner.id
    assert any("allocates 'Bea Teammate'; Tandem's allocation is kept" in i for i in result.ignored)


def test_file_problems_refuse_the_whole_import(world):
    parsed = annex(
        list6(("C1", None, "01/01/2025", None, None, None)),
        list7(("C2", "not a date", "NEG", None, None, None)),
    )
    with pytest.raises(CaseloadImportError) as err:
        run(world, parsed, default_team="North")
    assert "plan start date: 'not a date' is not a date" in err.value.problems[0]
    assert "LA-C1" not in families_by_ref(world)


@pytest.mark.parametrize("role", ["practitioner", "manager", "lead", "staff"])
def test_only_administrators_import_council_files(world, role):
    parsed = annex(list6(("C1", None, "01/01/2025", None, None, None)))
    with pytest.raises(AccessDenied):
        import_council_files(world.ctx(getattr(world, role)), parsed, default_team="North")
    assert "LA-C1" not in families_by_ref(world)


# --- the map file ---------------------------------------------------------------------------------


def test_map_from_csv_and_json():
    csv_map = parse_map(
        "\ufeffkind,from,to\n# a comment\nworker,\u00a0Sam  Jones ,sam.jones\n"
        "child,C1,fam-1\nteam,Locality North,North\n",
        "map.csv",
    )
    assert csv_map.workers == {"sam jones": "sam.jones"}
    assert csv_map.children == {"C1": "FAM-1"}
    assert csv_map.teams == {"locality north": "North"}
    json_map = parse_map('{"workers": {"SW1": "sam"}, "children": {"C2": "FAM-2"}}', "map.json")
    assert (json_map.workers, json_map.children) == ({"sw1": "sam"}, {"C2": "FAM-2"})


@pytest.mark.parametrize(
    "text,message",
    [
        ("kind,from,to\nnephew,C1,FAM-1\n", "map.csv line 2: kind must be worker, child or team"),
        ("worker,SW1\n", "map.csv line 1: expected kind,from,to"),
        ("child,C1,FAM 1!\n", "map.csv line 1: 'FAM 1!' is not a family reference"),
        ('{"workers": ', "map.csv: not valid JSON at line 1"),
    ],
)
def test_a_bad_map_line_is_named(text, message):
    with pytest.raises(MapFileError) as err:
        parse_map(text, "map.csv")
    assert message in err.value.message


def test_an_import_never_moves_a_child_between_families(world):
    parsed = annex(
        list6(
            ("C1", None, "01/01/2025", None, None, None),
            ("C2", None, "01/01/2025", None, None, None),
        )
    )
    run(world, parsed, default_team="North")
    mapping = CaseloadMap(children={"C1": "FAM-0500", "C2": "FAM-0500"})
    result = run(world, parsed, default_team="North", mapping=mapping)
    assert result.families == 0 and "FAM-0500" not in families_by_ref(world)
    assert [i for i in result.ignored if "an import does not move children" in i] == [
        "Family FAM-0500: child C1 is already in family LA-C1; an import does not move children "
        "between families.",
        "Family FAM-0500: child C2 is already in family LA-C2; an import does not move children "
        "between families.",
    ]
    assert not any("every episode had ended" in i for i in result.ignored)


def test_a_closed_family_reopens_only_when_the_file_opens_a_case_again(world):
    mapping = CaseloadMap(children={"C1": "FAM-0600", "C2": "FAM-0600"})
    opened = annex(
        list6(
            ("C1", None, "01/01/2025", None, None, None),
            ("C2", None, "01/01/2025", "01/02/2025", None, None),  # a closed sibling is kept
        )
    )
    run(world, opened, mapping=mapping, default_team="North")
    fam = families_by_ref(world)["FAM-0600"]
    assert [m.current_status for m in fam.members] == [CIN, NONE]
    closed = annex(list6(("C1", None, "01/01/2025", "01/03/2025", None, None)))
    run(world, closed, mapping=mapping, default_team="North")
    assert families_by_ref(world)["FAM-0600"].closed_on == date(2025, 3, 1)
    # A date of birth filled in does not reopen the family ...
    dob = annex(list6(("C1", "01/01/2019", "01/01/2025", "01/03/2025", None, None)))
    run(world, dob, mapping=mapping, default_team="North")
    assert families_by_ref(world)["FAM-0600"].closed_on == date(2025, 3, 1)
    # ... a new referral does.
    again = annex(
        list6(
            ("C1", None, "01/01/2025", "01/03/2025", None, None),
            ("C1", None, "05/03/2025", None, None, None),
        )
    )
    result = run(world, again, mapping=mapping, default_team="North")
    fam = families_by_ref(world)["FAM-0600"]
    assert fam.closed_on is None and fam.closure_reason == ""
    assert "reopened" in result.changed[0]
    assert fam.members[0].status_history[-1] == StatusChange(CIN, date(2025, 3, 5))


def test_a_map_naming_a_user_tandem_does_not_have_refuses_the_import(world):
    parsed = annex(list6(("C1", None, "01/01/2025", None, None, "SW-1")))
    mapping = CaseloadMap(workers={"sw-1": "alexx"})
    with pytest.raises(CaseloadImportError) as err:
        run(world, parsed, mapping=mapping, default_team="North")
    assert err.value.problems == [
        "--map: worker 'SW-1' is mapped to 'alexx', who is not a Tandem user."
    ]
