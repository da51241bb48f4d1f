"""Reading the council's caseload files from disk for ``tandem import caseload``.

The domain parses rows, text and XML (domain/caseload_formats.py); this adapter only opens the
files: the Annex A workbook through openpyxl (kept out of the domain), CSV text in UTF-8 (with or
without a byte-order mark) or, failing that, Windows-1252 as Excel saves it, and XML as bytes.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Sequence

from domain.caseload_formats import (
    FORMATS,
    Sheet,
    csv_sheet,
    detect_format,
    parse_annex_a,
    parse_cin_census,
    parse_ssda903,
)
from domain.caseload_records import ParsedFile


class CaseloadFileError(Exception):
    """A file that cannot be read at all; the message names it and says why."""


def _read_bytes(path: str) -> bytes:
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except FileNotFoundError:
        raise CaseloadFileError(f"{path}: no such file.") from None
    except IsADirectoryError:
        raise CaseloadFileError(f"{path}: is a folder, not a file.") from None
    except OSError as exc:
        raise CaseloadFileError(f"{path}: cannot read it ({exc.strerror or exc}).") from None


def decode_text(data: bytes) -> str:
    """UTF-8 (a BOM is dropped), else Windows-1252 (Excel's "CSV" on Windows)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_workbook(path: str, data: bytes) -> list[Sheet]:
    """Every sheet of an .xlsx workbook as rows of values (formulas as their last saved value)."""
    import io

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise CaseloadFileError(
            f"{path}: an old Excel .xls workbook; open it in Excel and save it as .xlsx."
        )
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise CaseloadFileError(f"{path}: not a readable .xlsx workbook ({exc}).") from None
    try:
        return [
            Sheet(name=ws.title, rows=[tuple(row) for row in ws.iter_rows(values_only=True)])
            for ws in workbook.worksheets
        ]
    finally:
        workbook.close()


def _is_workbook(data: bytes) -> bool:
    """An .xlsx (a zip) or an old binary .xls (refused with advice by read_workbook)."""
    return data[:2] == b"PK" or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read_caseload_files(
    paths: Sequence[str], fmt: str | None
) -> tuple[str, list[ParsedFile] | str]:
    """Read ``paths`` as ``fmt`` (None: each file's format is detected).

    Returns ("json", the JSON text) or ("council", the parsed files)."""
    if fmt is not None and fmt not in FORMATS:
        raise CaseloadFileError(f"--format must be one of {', '.join(FORMATS)} (got {fmt!r}).")
    files = []
    for path in paths:
        data = _read_bytes(path)
        kind = fmt or detect_format(os.path.basename(path), data[:4096])
        if kind is None:
            raise CaseloadFileError(
                f"{path}: cannot tell what kind of file this is; give --format "
                f"({', '.join(FORMATS)})."
            )
        files.append((path, kind, data))
    kinds = {kind for _, kind, _ in files}
    if "json" in kinds:
        if len(files) > 1:
            raise CaseloadFileError(
                "a JSON caseload file is imported on its own (give one JSON file)."
            )
        return "json", decode_text(files[0][2])
    parsed: list[ParsedFile] = []
    annex_csv = []
    for path, kind, data in files:
        name = os.path.basename(path)
        if kind == "annex-a" and (_is_workbook(data) or name.lower().endswith((".xlsx", ".xlsm"))):
            parsed.append(parse_annex_a(read_workbook(path, data), name))
        elif kind == "annex-a":  # lists saved one per CSV file: read together as one workbook
            annex_csv.append(csv_sheet(name, decode_text(data)))
        elif kind == "cin":
            parsed.append(parse_cin_census(data, os.path.basename(path)))
    if annex_csv:
        parsed.append(parse_annex_a(annex_csv, " + ".join(f"{s.name}.csv" for s in annex_csv)))
    ssda903 = [(os.path.basename(p), decode_text(d)) for p, k, d in files if k == "ssda903"]
    if ssda903:
        parsed.append(parse_ssda903(ssda903))
    return "council", parsed
