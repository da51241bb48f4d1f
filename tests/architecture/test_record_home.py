"""A record type on the repository registry has one home per layer (ARCHITECTURE.md "Adding a
record type"): the files every record shares never name it, so adding one edits none of them."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: What a record type registered by key must not need to edit.
SHARED = ("domain/ports.py", "storage/uow.py", "storage/tables.py", "tests/fakes.py")


def _names(module: Path) -> set[str]:
    """How the record's code could be named elsewhere: its module name, its classes (row,
    repository) and the model the row is named after."""
    names = {module.stem}
    for node in ast.parse(module.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ClassDef):
            names.add(node.name)
            if node.name.endswith("Row"):
                names.add(node.name.removesuffix("Row"))
    return names


def test_no_shared_file_names_a_registered_record() -> None:
    records = sorted(p for p in (ROOT / "storage" / "records").glob("*.py") if p.stem != "__init__")
    assert records, "storage/records/ holds no record (the network meeting should be there)"
    found = []
    for record in records:
        for shared in SHARED:
            text = (ROOT / shared).read_text(encoding="utf-8")
            found += [f"{shared} names {name}" for name in _names(record) if name in text]
    assert found == []
