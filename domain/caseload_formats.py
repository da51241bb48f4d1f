"""Readers for the council's own caseload files, each into :class:`ParsedFile` records.

- **Ofsted Annex A** (:func:`parse_annex_a`): the workbook's sheets as rows (the adapter in
  tui/caseload_files.py reads the .xlsx). Lists 6 (children in need), 7 (child protection) and 8
  (children looked after) are the caseload; the header row is found wherever it is, and columns
  are recognised by their words, so the small renamings between years do not matter.
- **SSDA903** (:func:`parse_ssda903`): the CSV files of the looked-after children return. The
  header file gives dates of birth, the episodes file the periods looked after with their legal
  status codes, and the social worker file (from 2023–24) the allocated worker's ID.
- **Children in Need census** (:func:`parse_cin_census`): the XML return. CIN episodes and child
  protection plans with their categories; no names, team or worker.

Each parser reports what it left out and why (``ignored``), what the format does not hold
(``lacks``), and what it could not read (``problems``; the import is then refused).
"""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from domain.caseload_records import (
    CellProblem,
    ChildRecord,
    Episode,
    ParsedFile,
    clean_cp_category,
    clean_date,
    clean_legal_status_code,
    clean_text,
    strip_choice_prefix,
)
from domain.families import LegalStatus

FORMATS = ("json", "annex-a", "ssda903", "cin")


@dataclass(frozen=True)
class Sheet:
    """One worksheet: its name and its rows of cell values (None for an empty cell)."""

    name: str
    rows: Sequence[Sequence[object]]


def _norm(header: object) -> str:
    text = clean_text(header) or ""
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


# --- Annex A --------------------------------------------------------------------------------

ANNEX_A_LISTS = {
    1: "contacts",
    2: "early help assessments",
    3: "referrals",
    4: "assessments",
    5: "section 47 enquiries and child protection conferences",
    6: "children in need",
    7: "children on a child protection plan",
    8: "children looked after",
    9: "care leavers",
    10: "adoption",
    11: "adopters",
}
CASELOAD_LISTS = (6, 7, 8)
#: A "Total: 42" or "Count" line under a list.
FOOTER_RE = re.compile(r"^(grand\s+)?(total|count|number of|end of)\b", re.IGNORECASE)


def _is_child_id(h: str) -> bool:
    return (
        ("child" in h and re.search(r"\bid\b|identifier|unique", h) is not None)
        or h in ("id", "unique id", "lachildid", "person id", "client id")
        or h.startswith("lachildid")
    ) and "worker" not in h


#: Column name -> test on the normalised header. The first match (left to right) is used.
ANNEX_A_COLUMNS: dict[str, Callable[[str], bool]] = {
    "child_id": _is_child_id,
    "name": lambda h: h in ("name", "child name", "child s name", "childs name", "full name"),
    "forename": lambda h: h in ("forename", "first name", "given name", "forenames"),
    "surname": lambda h: h in ("surname", "last name", "family name"),
    "dob": lambda h: "birth" in h or h == "dob",
    "team": lambda h: "team" in h,
    "worker": lambda h: "worker" in h and "id" not in h.split(),
    "worker_id": lambda h: "worker" in h and "id" in h.split(),
    "cin_start": lambda h: "cin" in h and "start" in h,
    "cin_closure": lambda h: "closure" in h and "date" in h,
    "closure_reason": lambda h: "reason" in h and "closure" in h,
    "cp_start": lambda h: "plan" in h and "start" in h,
    "cp_end": lambda h: "plan" in h and "end" in h,
    "cp_initial": lambda h: "initial" in h and "categor" in h,
    "cp_latest": lambda h: "latest" in h and "categor" in h,
    "la_start": lambda h: "started" in h and "looked after" in h,
    "ls_start": lambda h: "legal status" in h and "start" in h,
    "legal_status": lambda h: "legal status" in h and "start" not in h and "date" not in h,
    "la_end": lambda h: "ceased" in h and "date" in h,
    "la_end_reason": lambda h: "ceased" in h and "reason" in h,
}


def _list_number(sheet: Sheet, headers: list[str]) -> int | None:
    m = re.search(r"list\s*_?(\d{1,2})", sheet.name, re.IGNORECASE)
    if m and int(m[1]) in ANNEX_A_LISTS:
        return int(m[1])
    joined = " | ".join(headers)
    if "legal status" in joined:
        return 8
    if "category of abuse" in joined:
        return 7
    if "cin start" in joined:
        return 6
    return None


def _header_row(rows: Sequence[Sequence[object]]) -> int | None:
    for i, row in enumerate(rows[:30]):
        if any(_is_child_id(_norm(cell)) for cell in row if cell is not None):
            return i
    return None


def _columns(headers: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for key, test in ANNEX_A_COLUMNS.items():
        for i, h in enumerate(headers):
            if h and test(h) and i not in found.values():
                found[key] = i
                break
    return found


def parse_annex_a(sheets: Sequence[Sheet], label: str) -> ParsedFile:
    """The children of lists 6, 7 and 8 of an Annex A workbook."""
    parsed = ParsedFile(format="annex-a", label=label)
    seen_lists: set[int] = set()
    names_seen = False
    for sheet in sheets:
        header_at = _header_row(sheet.rows)
        if header_at is None:
            if any(any(clean_text(c) for c in row) for row in sheet.rows):
                parsed.ignored.append(f"{label}, sheet {sheet.name!r}: no child ID column found.")
            continue
        headers = [_norm(c) for c in sheet.rows[header_at]]
        number = _list_number(sheet, headers)
        body = [
            (header_at + 2 + i, row)
            for i, row in enumerate(sheet.rows[header_at + 1 :])
            if any(clean_text(c) for c in row)
        ]
        where = f"{label}, {sheet.name!r}"
        if number not in CASELOAD_LISTS:
            what = ANNEX_A_LISTS.get(number or 0, "an unrecognised list")
            parsed.ignored.append(
                f"{where}: {len(body)} row{'' if len(body) == 1 else 's'} of {what}, "
                "not a caseload list "
                "(children open to the service are in lists 6, 7 and 8)."
            )
            continue
        seen_lists.add(number)
        cols = _columns(headers)
        names_seen = names_seen or "name" in cols or "surname" in cols
        for line, row in body:
            record = _annex_a_row(number, row, cols, f"{where} row {line}", parsed)
            if record is not None:
                parsed.children.append(record)
    if not seen_lists:
        parsed.problems.append(
            f"{label}: no Annex A list 6, 7 or 8 found (sheets: "
            f"{', '.join(repr(s.name) for s in sheets) or 'none'})."
        )
    if not names_seen:
        parsed.lacks.append("children's names (placeholders made from the child ID)")
    parsed.lacks.append("family grouping (siblings: use --map child ID -> family reference)")
    return parsed


def _cell(row: Sequence[object], cols: dict[str, int], key: str) -> object:
    i = cols.get(key)
    return row[i] if i is not None and i < len(row) else None


def _date_cell(
    row: Sequence[object],
    cols: dict[str, int],
    key: str,
    where: str,
    parsed: ParsedFile,
    *,
    required: bool,
    what: str,
) -> date | None:
    try:
        value = clean_date(_cell(row, cols, key))
    except CellProblem as e:
        if required:
            parsed.problems.append(f"{where}: {what}: {e}.")
        else:
            parsed.ignored.append(f"{where}: {what} left out: {e}.")
        return None
    if value is None and required:
        parsed.problems.append(f"{where}: {what} is missing.")
    return value


def _annex_a_row(
    number: int, row: Sequence[object], cols: dict[str, int], where: str, parsed: ParsedFile
) -> ChildRecord | None:
    child_id = clean_text(_cell(row, cols, "child_id"))
    if child_id is None:
        parsed.ignored.append(f"{where}: no child ID.")
        return None
    if FOOTER_RE.match(child_id):
        parsed.ignored.append(f"{where}: {child_id!r} is a footer line, not a child.")
        return None
    name = clean_text(_cell(row, cols, "name"))
    if name is None:
        parts = [clean_text(_cell(row, cols, k)) for k in ("forename", "surname")]
        name = " ".join(p for p in parts if p) or None
    dob = _date_cell(row, cols, "dob", where, parsed, required=False, what="date of birth")
    worker = clean_text(_cell(row, cols, "worker")) or clean_text(_cell(row, cols, "worker_id"))
    if worker and worker.lower() in ("unallocated", "not allocated", "none allocated"):
        worker = None
    team = clean_text(_cell(row, cols, "team"))
    record = ChildRecord(
        child_id=child_id,
        source=where,
        name=name,
        date_of_birth=dob,
        team=team,
        worker=worker,
    )
    count = len(parsed.problems)
    if number == 6:
        start = _date_cell(row, cols, "cin_start", where, parsed, required=True, what="CIN start")
        end = _date_cell(
            row, cols, "cin_closure", where, parsed, required=False, what="CIN closure date"
        )
        reason = clean_text(_cell(row, cols, "closure_reason")) or ""
        if start is not None:
            record.episodes.append(
                Episode(LegalStatus.CHILD_IN_NEED, start, end, end_reason=reason)
            )
    elif number == 7:
        start = _date_cell(
            row, cols, "cp_start", where, parsed, required=True, what="plan start date"
        )
        end = _date_cell(row, cols, "cp_end", where, parsed, required=False, what="plan end date")
        category = None
        for key in ("cp_latest", "cp_initial"):
            try:
                category = category or clean_cp_category(_cell(row, cols, key))
            except CellProblem as e:
                parsed.ignored.append(f"{where}: category left out: {e}.")
        if start is not None:
            record.episodes.append(
                Episode(LegalStatus.CHILD_PROTECTION, start, end, cp_category=category)
            )
    else:
        ls_start = _date_cell(
            row, cols, "ls_start", where, parsed, required=False, what="legal status start"
        )
        la_start = _date_cell(
            row, cols, "la_start", where, parsed, required=False, what="date started"
        )
        end = _date_cell(row, cols, "la_end", where, parsed, required=False, what="date ceased")
        try:
            code = clean_legal_status_code(_cell(row, cols, "legal_status")) or ""
        except CellProblem as e:
            parsed.ignored.append(f"{where}: legal status code left out: {e}.")
            code = ""
        reason = strip_choice_prefix(clean_text(_cell(row, cols, "la_end_reason")) or "")
        start = ls_start or la_start
        if start is None:
            parsed.problems.append(f"{where}: no date started to be looked after.")
        else:
            if la_start is not None and la_start < start:
                record.episodes.append(Episode(LegalStatus.CHILD_LOOKED_AFTER, la_start, start))
            record.episodes.append(
                Episode(LegalStatus.CHILD_LOOKED_AFTER, start, end, code=code, end_reason=reason)
            )
    if len(parsed.problems) > count:
        return None
    return record


# --- SSDA903 --------------------------------------------------------------------------------

SSDA903_KINDS = {
    "header": ("CHILD", "SEX", "DOB"),
    "episodes": ("CHILD", "DECOM", "LS"),
    "social_worker": ("CHILD", "SW_ID", "SW_DECOM"),
}


def _csv_reader(text: str) -> list[list[str]]:
    """Every row; the separator (comma, semicolon or tab) guessed from the start of the text."""
    text = text.lstrip("\ufeff")
    sample = text[:4096]
    delimiter = ","
    if sample.count(";") > sample.count(",") and sample.count(";") > sample.count("\t"):
        delimiter = ";"
    elif sample.count("\t") > sample.count(","):
        delimiter = "\t"
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def _csv_rows(text: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    rows = _csv_reader(text)
    if not rows:
        return [], []
    header = [(clean_text(h) or "").upper().replace(" ", "_") for h in rows[0]]
    body = []
    for i, row in enumerate(rows[1:], start=2):
        if not any(clean_text(c) for c in row):
            continue
        body.append((i, {h: row[j] if j < len(row) else "" for j, h in enumerate(header) if h}))
    return header, body


def ssda903_kind(text: str) -> str | None:
    """Which SSDA903 file this CSV is (header, episodes, social_worker), from its header row."""
    header, _ = _csv_rows(text.split("\n", 1)[0])
    cols = set(header)
    for kind in ("episodes", "social_worker", "header"):
        if all(c in cols for c in SSDA903_KINDS[kind]):
            if kind == "header" and "DECOM" in cols:
                continue
            return kind
    return None


def parse_ssda903(files: Sequence[tuple[str, str]]) -> ParsedFile:
    """Children looked after from the SSDA903 CSV files (given as (name, text) pairs)."""
    label = " + ".join(name for name, _ in files)
    parsed = ParsedFile(format="ssda903", label=label)
    dobs: dict[str, date] = {}
    workers: dict[str, tuple[date, str]] = {}
    episodes: dict[str, list[tuple[str, Episode]]] = {}
    kinds = set()
    for name, text in files:
        kind = ssda903_kind(text)
        if kind is None:
            parsed.ignored.append(
                f"{name}: not an SSDA903 header, episodes or social worker file "
                "(other SSDA903 files are not needed for the caseload)."
            )
            continue
        kinds.add(kind)
        _, body = _csv_rows(text)
        for line, row in body:
            where = f"{name} row {line}"
            child = clean_text(row.get("CHILD"))
            if child is None:
                parsed.ignored.append(f"{where}: no CHILD identifier.")
                continue
            try:
                if kind == "header":
                    dob = clean_date(row.get("DOB"))
                    if dob is not None:
                        dobs[child] = dob
                elif kind == "social_worker":
                    sw = clean_text(row.get("SW_ID"))
                    start = clean_date(row.get("SW_DECOM"))
                    end = clean_date(row.get("SW_DEC"))
                    if sw and start and end is None and start >= workers.get(child, (date.min,))[0]:
                        workers[child] = (start, sw)
                    sw_dob = clean_date(row.get("DOB"))
                    if child not in dobs and sw_dob is not None:
                        dobs[child] = sw_dob
                else:
                    start = clean_date(row.get("DECOM"))
                    if start is None:
                        parsed.problems.append(f"{where}: DECOM (date episode began) is missing.")
                        continue
                    end = clean_date(row.get("DEC"))
                    code = clean_legal_status_code(row.get("LS")) or ""
                    reason = clean_text(row.get("REC")) or ""
                    if end is not None and end < start:
                        parsed.problems.append(
                            f"{where}: the episode ends ({end}) before it begins ({start})."
                        )
                        continue
                    episodes.setdefault(child, []).append(
                        (
                            where,
                            Episode(
                                LegalStatus.CHILD_LOOKED_AFTER,
                                start,
                                end,
                                code=code,
                                end_reason=reason,
                            ),
                        )
                    )
            except CellProblem as e:
                parsed.problems.append(f"{where}: {e}.")
    if "episodes" not in kinds:
        parsed.problems.append(
            f"{label}: no SSDA903 episodes file (a CSV with CHILD, DECOM, LS ... columns)."
        )
    for child, found in episodes.items():
        worker = workers.get(child)
        parsed.children.append(
            ChildRecord(
                child_id=child,
                source=found[0][0],
                date_of_birth=dobs.get(child),
                worker=worker[1] if worker else None,
                episodes=[e for _, e in found],
            )
        )
    only_header = set(dobs) - set(episodes)
    if only_header:
        parsed.ignored.append(
            f"{len(only_header)} children in the header file have no episode: not imported."
        )
    parsed.lacks += [
        "children's names (placeholders made from the child ID)",
        "the allocated team (use --team, or the worker's team through --map)",
        "family grouping (siblings: use --map child ID -> family reference)",
    ]
    if "social_worker" not in kinds:
        parsed.lacks.append("the allocated worker (no social worker file given)")
    return parsed


# --- Children in Need census ----------------------------------------------------------------


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1]


def _find(element: ET.Element, *names: str) -> ET.Element | None:
    wanted = {n.lower() for n in names}
    for child in element.iter():
        if child is not element and _local(child.tag).lower() in wanted:
            return child
    return None


def _text_of(element: ET.Element | None, *names: str) -> str | None:
    if element is None:
        return None
    found = _find(element, *names)
    return clean_text(found.text) if found is not None else None


def _direct(element: ET.Element, name: str) -> list[ET.Element]:
    return [c for c in element if _local(c.tag).lower() == name.lower()]


def parse_cin_census(data: bytes | str, label: str) -> ParsedFile:
    """Children in need and on child protection plans from the CIN census XML."""
    parsed = ParsedFile(format="cin", label=label)
    if isinstance(data, str):
        data = data.lstrip("\ufeff").encode("utf-8")
        data = re.sub(rb"^(<\?xml[^>]*?)encoding=[\"'][^\"']*[\"']", rb"\1", data)
    try:
        root = ET.fromstring(data.lstrip(b"\xef\xbb\xbf").lstrip())
    except ET.ParseError as e:
        line, column = e.position
        parsed.problems.append(f"{label}: not well-formed XML at line {line}, column {column + 1}.")
        return parsed
    children = [el for el in root.iter() if _local(el.tag).lower() == "child"]
    if not children:
        parsed.problems.append(f"{label}: no <Child> elements: is this a CIN census file?")
        return parsed
    for n, child in enumerate(children, start=1):
        where = f"{label}, child {n}"
        found = _find(child, "ChildIdentifiers")
        identifiers = found if found is not None else child
        child_id = _text_of(identifiers, "LAchildID")
        if child_id is None:
            parsed.ignored.append(f"{where}: no LAchildID.")
            continue
        where = f"{label}, child {child_id}"
        record = ChildRecord(child_id=child_id, source=where)
        try:
            record.date_of_birth = clean_date(_text_of(identifiers, "PersonBirthDate", "DOB"))
        except CellProblem as e:
            parsed.ignored.append(f"{where}: date of birth left out: {e}.")
        for details in _direct(child, "CINdetails"):
            try:
                start = clean_date(_text_of(details, "CINreferralDate"))
                end = clean_date(_text_of(details, "CINclosureDate"))
            except CellProblem as e:
                parsed.problems.append(f"{where}: CIN episode: {e}.")
                continue
            if start is None:
                parsed.problems.append(f"{where}: a CIN episode has no CINreferralDate.")
                continue
            nfa = (_text_of(details, "ReferralNFA") or "").lower() in ("1", "true", "y", "yes")
            if nfa and end is None:
                end = start
            record.episodes.append(
                Episode(
                    LegalStatus.CHILD_IN_NEED,
                    start,
                    end,
                    end_reason=_text_of(details, "ReasonForClosure") or "",
                )
            )
            for plan in [e for e in details.iter() if _local(e.tag) == "ChildProtectionPlans"]:
                try:
                    cp_start = clean_date(_text_of(plan, "CPPstartDate"))
                    cp_end = clean_date(_text_of(plan, "CPPendDate"))
                    category = clean_cp_category(
                        _text_of(plan, "LatestCategoryOfAbuse")
                    ) or clean_cp_category(_text_of(plan, "InitialCategoryOfAbuse"))
                except CellProblem as e:
                    parsed.problems.append(f"{where}: child protection plan: {e}.")
                    continue
                if cp_start is None:
                    parsed.problems.append(f"{where}: a child protection plan has no CPPstartDate.")
                    continue
                record.episodes.append(
                    Episode(LegalStatus.CHILD_PROTECTION, cp_start, cp_end, cp_category=category)
                )
        parsed.children.append(record)
    parsed.lacks += [
        "children's names (placeholders made from the child ID)",
        "the allocated team and worker (use --team; allocate in Tandem, or --map)",
        "family grouping (siblings: use --map child ID -> family reference)",
    ]
    return parsed


# --- detection ------------------------------------------------------------------------------


def detect_format(name: str, head: bytes) -> str | None:
    """The format of a file from its name and first bytes (None: not recognised)."""
    lower = name.lower()
    start = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if head.startswith(b"PK") or lower.endswith((".xlsx", ".xlsm")):
        return "annex-a"
    if start.startswith(b"<") or lower.endswith(".xml"):
        return "cin"
    if start.startswith((b"[", b"{")) or lower.endswith(".json"):
        return "json"
    if lower.endswith((".csv", ".txt")):
        # The header may sit under a title line: look at the first few lines.
        for line in start.decode("utf-8", errors="replace").splitlines()[:10]:
            header, _ = _csv_rows(line)
            if "CHILD" in header:
                return "ssda903"
            if any(_is_child_id(_norm(h)) for h in header):
                return "annex-a"  # one Annex A list saved as CSV ("Child Unique ID", ...)
        return "ssda903"
    return None


def csv_sheet(name: str, text: str) -> Sheet:
    """One Annex A list saved as CSV, as a sheet named after the file ("List 6.csv")."""
    return Sheet(name=name.rsplit(".", 1)[0], rows=[tuple(row) for row in _csv_reader(text)])
