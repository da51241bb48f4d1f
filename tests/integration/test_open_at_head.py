"""Opening a database already at head does not load Alembic (memory of every session)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from storage.migrate import _head_from_files, head_revision

ROOT = Path(__file__).resolve().parents[2]


def test_the_head_read_from_the_files_is_alembics() -> None:
    assert _head_from_files() == head_revision()


def test_a_database_at_head_opens_without_importing_alembic(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    code = (
        "import sys; from tui.bootstrap import open_runtime; "
        f"rt = open_runtime({str(db)!r}); "  # creates and migrates (Alembic is needed here)
        "rt.engine.dispose(); "
        "print('alembic' in sys.modules)"
    )
    first = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert first.stdout.strip() == "True"
    again = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert again.stdout.strip() == "False"
