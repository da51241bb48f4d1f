"""The council's caseload formats read into child records: Annex A rows, SSDA903 CSV, CIN XML.

Each test builds the file's content as a council's export would hold it, messy values included.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from domain.caseload_formats import (
    Sheet,
    csv_sheet,
    detect_format,
    parse_annex_a,
    parse_cin_census,
    parse_ssda903,
    ssda903_kind,
)
from domain.caseload_records import (
    CellProblem,
    Episode,
    clean_cp_category,
    clean_date,
    clean_legal_status_code,
    clean_text,
    history_from_episodes,
    merge_children,
    placeholder_name,
    reference_for,
)
from domain.families import CpCategory, LegalStatus, StatusChange

CIN, CP, CLA, NONE = (
    LegalStatus.CHILD_IN_NEED,
    LegalStatus.CHILD_PROTECTION,
    LegalStatus.CHILD_LOOKED_AFTER,
    LegalStatus.NONE,
)


# --- cleaning values ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value,expected",
    [
        ("05/03/2024", date(2024, 3, 5)),
        ("5/3/24", date(2024, 3, 5)),
        ("2024-03-05", date(2024, 3, 5)),
        ("2024-03-05T00:00:00", date(2024, 3, 5)),
        ("05/03/2024 00:00:00", date(2024, 3, 5)),
        ("5 Mar 2024", date(2024, 3, 5)),
        ("5th March 2024", date(2024, 3, 5)),
        ("05-03-2024", date(2024, 3, 5)),
        (" 05.03.2024\u00a0", date(2024, 3, 5)),
        (datetime(2024, 3, 5, 0, 0), date(2024, 3, 5)),
        (45356, date(2024, 3, 5)),  # a spreadsheet serial number
        ("#N/A", None),
        ("NULL", None),
        ("", None),
        (None, None),
    ],
)
def test_dates_in_the_forms_exports_use(value, expected):
    assert clean_date(value) == expected


@pytest.mark.parametrize("value", ["31/02/2024", "soon", "2024/13/01", "unborn"])
def test_a_date_that_is_not_one_is_a_problem_naming_it(value):
    with pytest.raises(CellProblem, match="not a"):
        clean_date(value)


def test_text_spaces_of_every_kind_collapse_and_blanks_are_none():
    assert clean_text("\u00a0Sam\u00a0\u00a0Jones \t") == "Sam Jones"
    assert clean_text("\ufeffC1001") == "C1001"
    assert clean_text(1001.0) == "1001"
    assert [clean_text(v) for v in ("#N/A", "n/a", "-", "  ")] == [None, None, None, None]


@pytest.mark.parametrize(
    "value,expected",
    [
        ("NEG", CpCategory.NEGLECT),
        ("  phy ", CpCategory.PHYSICAL_ABUSE),
        ("a) Neglect", CpCategory.NEGLECT),
        ("c) Sexual abuse", CpCategory.SEXUAL_ABUSE),
        ("d) Emotional abuse", CpCategory.EMOTIONAL_ABUSE),
        ("e) Multiple/not recommended", CpCategory.MULTIPLE),
        ("Emotional Abuse", CpCategory.EMOTIONAL_ABUSE),
        ("#N/A", None),
    ],
)
def test_categories_of_abuse(value, expected):
    assert clean_cp_category(value) == expected


@pytest.mark.parametrize(
    "value,expected",
    [
        ("C2", "C2"),
        ("c1", "C1"),
        ("C2: FCO", "C2"),
        ("E1: Placement order", "E1"),
        ("b) V2 - Single period under S20", "V2"),
        ("Full care order", "C2"),
        ("Section 20", "V2"),
        (None, None),
    ],
)
def test_legal_status_codes(value, expected):
    assert clean_legal_status_code(value) == expected


def test_an_unknown_legal_status_is_a_problem():
    with pytest.raises(CellProblem, match="legal status code"):
        clean_legal_status_code("Z9 something")


def test_placeholders_are_plainly_not_names_and_references_are_valid():
    assert placeholder_name("C1001") == "Child C1001 (no name in file)"
    assert reference_for("abc/12 3") == "LA-ABC-12-3"
    assert reference_for("x" * 60) == "LA-" + "X" * 27


# --- history from episodes -----------------------------------------------------------------------


def test_history_takes_the_strongest_open_episode_and_closes_when_none_is_open():
    episodes = [
        Episode(CIN, date(2024, 1, 10), date(2024, 12, 1)),
        Episode(CP, date(2024, 3, 1), date(2024, 9, 1), cp_category=CpCategory.NEGLECT),
        Episode(CLA, date(2024, 6, 1), date(2024, 7, 1), code="C1"),
        Episode(CLA, date(2024, 7, 1), date(2024, 8, 1), code="C2"),
    ]
    assert history_from_episodes(episodes) == [
        StatusChange(CIN, date(2024, 1, 10)),
        StatusChange(CP, date(2024, 3, 1), CpCategory.NEGLECT),
        StatusChange(CLA, date(2024, 6, 1), code="C1"),
        StatusChange(CLA, date(2024, 7, 1), code="C2"),
        StatusChange(CP, date(2024, 8, 1), CpCategory.NEGLECT),
        StatusChange(CIN, date(2024, 9, 1)),
        StatusChange(NONE, date(2024, 12, 1)),
    ]


def test_consecutive_episodes_under_the_same_code_are_one_status():
    episodes = [
        Episode(CLA, date(2024, 1, 1), date(2024, 2, 1), code="C2"),
        Episode(CLA, date(2024, 2, 1), None, code="C2"),  # a placement change, same order
    ]
    assert history_from_episodes(episodes) == [StatusChange(CLA, date(2024, 1, 1), code="C2")]


# --- Annex A --------------------------------------------------------------------------------------


def annex_a_sheets() -> list[Sheet]:
    """Lists as councils fill them in: a title above the header, renamed columns, messy cells."""
    list6 = Sheet(
        "List 6 - Children in need",
        [
            ("Annex A – List 6: Children in need", None, None),
            (None,),
            (
                "Child Unique ID",
                "Gender",
                "Date of Birth",
                "CIN Start Date",
                "CIN Closure Date",
                "Reason for Closure",
                "Case Status",
                "Allocated Team",
                "Allocated Worker",
                "Extra council column",
            ),
            (
                "C1001",
                "b) Female",
                "01/06/2015",
                "10/01/2024",
                None,
                None,
                "c) Child in need plan",
                "Locality\u00a0North",
                "Sam\u00a0 Jones",
                "x",
            ),
            (
                "C1002 ",
                "a) Male",
                datetime(2018, 2, 3),
                "2024-02-01",
                "#N/A",
                "#N/A",
                "b) CP",
                "Locality North",
                "Sam Jones",
                None,
            ),
            (
                "C1003",
                "a) Male",
                "#N/A",
                "01/02/2023",
                "05/03/2024",
                "RC7",
                "e) Closed",
                "Locality North",
                "Unallocated",
                None,
            ),
            (None, None, None, None, None, None, None, None, None, None),
            ("Total: 3",),
        ],
    )
    list7 = Sheet(
        "List 7",
        [
            (
                "Child Unique ID",
                "Gender",
                "Date of birth",
                "Child Protection Plan Start Date",
                "Initial Category of Abuse",
                "Latest Category of Abuse",
                "Child Protection Plan End Date",
                "Allocated Team",
                "Allocated Worker",
            ),
            (
                "C1002",
                "a) Male",
                "03/02/2018",
                "15/03/2024",
                "a) Neglect",
                "d) Emotional abuse",
                None,
                "Locality North",
                "Sam Jones",
            ),
        ],
    )
    list8 = Sheet(
        "List 8 Children in care",
        [
            (
                "Child Unique ID",
                "Date of Birth",
                "Date Started to be Looked After",
                "Start date of current legal status",
                "Child's Legal Status",
                "Date Ceased to be Looked After",
                "Reason Ceased to be Looked After",
                "Allocated Team",
                "Allocated Worker",
            ),
            (
                "C2001",
                "2010-09-09",
                "01/04/2023",
                "01/07/2023",
                "C2: FCO",
                None,
                None,
                "Children in Care",
                "Kim Lee",
            ),
        ],
    )
    list3 = Sheet("List 3", [("Child Unique ID", "Date of referral"), ("C9", "01/01/2024")])
    notes = Sheet("Notes", [("Prepared by the performance team",)])
    return [notes, list3, list6, list7, list8]


def test_annex_a_reads_lists_6_7_and_8_with_their_teams_workers_and_statuses():
    parsed = parse_annex_a(annex_a_sheets(), "annex-a.xlsx")
    assert parsed.problems == []
    merged = merge_children(parsed.children)
    assert sorted(merged) == ["C1001", "C1002", "C1003", "C2001"]
    amy = merged["C1001"]
    assert (amy.date_of_birth, amy.team, amy.worker) == (
        date(2015, 6, 1),
        "Locality North",
        "Sam Jones",
    )
    assert history_from_episodes(amy.episodes) == [StatusChange(CIN, date(2024, 1, 10))]
    ben = merged["C1002"]
    assert ben.date_of_birth == date(2018, 2, 3)
    assert history_from_episodes(ben.episodes) == [
        StatusChange(CIN, date(2024, 2, 1)),
        StatusChange(CP, date(2024, 3, 15), CpCategory.EMOTIONAL_ABUSE),  # the latest category
    ]
    closed = merged["C1003"]
    assert closed.worker is None and closed.date_of_birth is None
    assert history_from_episodes(closed.episodes)[-1] == StatusChange(NONE, date(2024, 3, 5))
    looked_after = merged["C2001"]
    assert history_from_episodes(looked_after.episodes) == [
        StatusChange(CLA, date(2023, 4, 1)),
        StatusChange(CLA, date(2023, 7, 1), code="C2"),
    ]
    assert looked_after.team == "Children in Care"


def test_annex_a_says_what_it_left_out_and_what_the_format_lacks():
    parsed = parse_annex_a(annex_a_sheets(), "annex-a.xlsx")
    ignored = "\n".join(parsed.ignored)
    assert "'List 3': 1 row of referrals, not a caseload list" in ignored
    assert "sheet 'Notes': no child ID column found" in ignored
    assert "row 8: 'Total: 3' is a footer line, not a child" in ignored
    assert any(lack.startswith("children's names") for lack in parsed.lacks)
    assert any(lack.startswith("family grouping") for lack in parsed.lacks)


def test_annex_a_with_names_uses_them():
    sheet = Sheet(
        "List 6",
        [
            ("Child ID", "Forename", "Surname", "CIN Start Date"),
            ("C1", "Amy\u00a0", "Reid", "01/01/2024"),
        ],
    )
    parsed = parse_annex_a([sheet], "a.xlsx")
    assert parsed.children[0].name == "Amy Reid"
    assert not any(lack.startswith("children's names") for lack in parsed.lacks)


def test_annex_a_bad_required_dates_are_problems_with_their_row():
    sheet = Sheet(
        "List 7",
        [
            ("Child Unique ID", "Child Protection Plan Start Date", "Latest Category of Abuse"),
            ("C1", "yesterday", "NEG"),
            ("C2", None, "NEG"),
        ],
    )
    parsed = parse_annex_a([sheet], "a.xlsx")
    assert parsed.problems == [
        "a.xlsx, 'List 7' row 2: plan start date: 'yesterday' is not a date "
        "(expected dd/mm/yyyy or yyyy-mm-dd).",
        "a.xlsx, 'List 7' row 3: plan start date is missing.",
    ]


def test_a_workbook_without_caseload_lists_is_a_problem():
    parsed = parse_annex_a([Sheet("Sheet1", [("a", "b")])], "budget.xlsx")
    assert parsed.problems == ["budget.xlsx: no Annex A list 6, 7 or 8 found (sheets: 'Sheet1')."]


# --- SSDA903 ----------------------------------------------------------------------------------------

HEADER = "\ufeffCHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\r\n101,1,01/02/2012,WBRI,,,\r\n102,2,15/06/2014,WBRI,,,\r\n103,2,01/01/2010,WBRI,,,\r\n"
EPISODES = (
    "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN,EXTRA\n"
    "101,01/04/2023,S,C1,N1,U1,PR1,01/09/2023,X1,CHANGE,,,,\n"
    "101,01/09/2023,L,C2,N1,U1,PR1,,,,,,,\n"
    " 102 ,10/10/2023,S,V2,N4,U4,PR0,20/12/2023,E4A,,,,,\n"
    "\n"
)
SOCIAL_WORKERS = (
    "CHILD,DOB,SW_ID,SW_DECOM,SW_DEC,SW_REASON\n"
    "101,01/02/2012,SW0007,01/04/2023,01/06/2023,MANAGE\n"
    "101,01/02/2012,SW0042,01/06/2023,,\n"
)


def test_ssda903_files_are_recognised_by_their_columns():
    assert ssda903_kind(HEADER) == "header"
    assert ssda903_kind(EPISODES) == "episodes"
    assert ssda903_kind(SOCIAL_WORKERS) == "social_worker"
    assert ssda903_kind("CHILD,DOB,REVIEW,REVIEW_CODE\n") is None


def test_ssda903_episodes_give_legal_status_history_and_closure():
    parsed = parse_ssda903(
        [
            ("header.csv", HEADER),
            ("episodes.csv", EPISODES),
            ("sw.csv", SOCIAL_WORKERS),
            ("reviews.csv", "CHILD,DOB,REVIEW,REVIEW_CODE\n101,01/02/2012,01/05/2023,PN1\n"),
        ]
    )
    assert parsed.problems == []
    children = {c.child_id: c for c in parsed.children}
    assert sorted(children) == ["101", "102"]
    first = children["101"]
    assert (first.date_of_birth, first.worker, first.team) == (date(2012, 2, 1), "SW0042", None)
    assert history_from_episodes(first.episodes) == [
        StatusChange(CLA, date(2023, 4, 1), code="C1"),
        StatusChange(CLA, date(2023, 9, 1), code="C2"),
    ]
    assert history_from_episodes(children["102"].episodes) == [
        StatusChange(CLA, date(2023, 10, 10), code="V2"),
        StatusChange(NONE, date(2023, 12, 20)),
    ]
    assert any("reviews.csv: not an SSDA903 header" in i for i in parsed.ignored)
    assert any("1 children in the header file have no episode" in i for i in parsed.ignored)
    assert any(lack.startswith("the allocated team") for lack in parsed.lacks)


def test_ssda903_bad_cells_and_a_missing_episodes_file_are_problems():
    bad = (
        "CHILD,DECOM,LS,DEC\n201,31/02/2024,C2,\n202,01/03/2024,ZZ,\n203,01/03/2024,C2,01/01/2024\n"
    )
    parsed = parse_ssda903([("episodes.csv", bad)])
    assert parsed.problems == [
        "episodes.csv row 2: '31/02/2024' is not a real date.",
        "episodes.csv row 3: 'ZZ' is not an SSDA903 legal status code (C1, C2, E1, V2 ...).",
        "episodes.csv row 4: the episode ends (2024-01-01) before it begins (2024-03-01).",
    ]
    assert parse_ssda903([("header.csv", HEADER)]).problems == [
        "header.csv: no SSDA903 episodes file (a CSV with CHILD, DECOM, LS ... columns)."
    ]


def test_ssda903_semicolon_csv_is_read():
    parsed = parse_ssda903([("e.csv", "CHILD;DECOM;LS;DEC\n301;01/03/2024;E1;\n")])
    assert history_from_episodes(parsed.children[0].episodes) == [
        StatusChange(CLA, date(2024, 3, 1), code="E1")
    ]


# --- CIN census ------------------------------------------------------------------------------------

CIN_XML = """\ufeff<?xml version="1.0" encoding="utf-8"?>
<Message xmlns="http://www.example.org/cin">
  <Header><CollectionDetails><Collection>CIN</Collection><Year>2024</Year></CollectionDetails></Header>
  <Children>
    stray text a system left here
    <Child>
      <ChildIdentifiers>
        <LAchildID> 5001 </LAchildID>
        <UPN>A123456789012</UPN>
        <PersonBirthDate>2016-04-01</PersonBirthDate>
        <GenderCurrent>1</GenderCurrent>
      </ChildIdentifiers>
      <ChildCharacteristics><Ethnicity>WBRI</Ethnicity></ChildCharacteristics>
      <CINdetails>
        <CINreferralDate>2023-05-01</CINreferralDate>
        <ReferralSource>1A</ReferralSource>
        <PrimaryNeedCode>N1</PrimaryNeedCode>
        <ReferralNFA>false</ReferralNFA>
        <Assessments><AssessmentActualStartDate>2023-05-02</AssessmentActualStartDate></Assessments>
        <ChildProtectionPlans>
          <CPPstartDate>2023-07-01</CPPstartDate>
          <CPPendDate>2024-01-15</CPPendDate>
          <InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse>
          <LatestCategoryOfAbuse>MUL</LatestCategoryOfAbuse>
        </ChildProtectionPlans>
      </CINdetails>
    </Child>
    <Child>
      <ChildIdentifiers><LAchildID>5002</LAchildID><PersonBirthDate>#N/A</PersonBirthDate></ChildIdentifiers>
      <CINdetails>
        <CINreferralDate>01/02/2024</CINreferralDate>
        <CINclosureDate>2024-03-01</CINclosureDate>
        <ReasonForClosure>RC8</ReasonForClosure>
      </CINdetails>
    </Child>
    <Child><ChildIdentifiers><UPN>X</UPN></ChildIdentifiers></Child>
  </Children>
</Message>
"""


def test_cin_census_children_episodes_and_plans():
    parsed = parse_cin_census(CIN_XML, "cin.xml")
    assert parsed.problems == []
    children = {c.child_id: c for c in parsed.children}
    assert sorted(children) == ["5001", "5002"]
    first = children["5001"]
    assert first.date_of_birth == date(2016, 4, 1) and first.name is None and first.worker is None
    assert history_from_episodes(first.episodes) == [
        StatusChange(CIN, date(2023, 5, 1)),
        StatusChange(CP, date(2023, 7, 1), CpCategory.MULTIPLE),
        StatusChange(CIN, date(2024, 1, 15)),
    ]
    assert history_from_episodes(children["5002"].episodes) == [
        StatusChange(CIN, date(2024, 2, 1)),
        StatusChange(NONE, date(2024, 3, 1)),
    ]
    assert parsed.ignored == ["cin.xml, child 3: no LAchildID."]
    assert any("names" in lack for lack in parsed.lacks)
    assert any("team and worker" in lack for lack in parsed.lacks)


def test_cin_census_as_bytes_with_a_declared_encoding():
    parsed = parse_cin_census(CIN_XML.encode("utf-8"), "cin.xml")
    assert len(parsed.children) == 2


def test_broken_xml_is_one_problem_with_its_position():
    parsed = parse_cin_census("<Message><Children><Child></Children>", "cin.xml")
    assert parsed.problems[0].startswith("cin.xml: not well-formed XML at line 1, column")


@pytest.mark.parametrize(
    "name,head,expected",
    [
        ("annex a 2024.xlsx", b"PK\x03\x04", "annex-a"),
        ("export", b"PK\x03\x04", "annex-a"),
        ("cin.xml", b"\xef\xbb\xbf<?xml", "cin"),
        ("caseload.json", b"[", "json"),
        ("episodes.csv", b"CHILD,DECOM", "ssda903"),
        ("notes.doc", b"\xd0\xcf", None),
    ],
)
def test_formats_are_detected_from_name_and_content(name, head, expected):
    assert detect_format(name, head) == expected


def test_an_annex_a_list_saved_as_csv_is_recognised_and_read():
    text = "\ufeffChild Unique ID,Date of Birth,CIN Start Date,Allocated Team\r\nC5,#N/A,01/01/2025,North\r\n"
    assert detect_format("List 6.csv", text.encode()) == "annex-a"
    assert detect_format("episodes.csv", b"CHILD,DECOM,LS\n") == "ssda903"
    parsed = parse_annex_a([csv_sheet("List 6.csv", text)], "List 6.csv")
    assert parsed.problems == []
    assert [(c.child_id, c.team) for c in parsed.children] == [("C5", "North")]
