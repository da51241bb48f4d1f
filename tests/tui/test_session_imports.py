"""A signed-in session imports only what its screens need (bench.scale measures the memory).

Signing in and seeing the caseload, in a fresh process (``sys.modules`` is per process), must
not load what a browsing session does not use: every country's holiday calendar (England's
bank holidays come from domain/bank_holidays_eng.py), SQLAlchemy's PostgreSQL dialect and
psycopg on a SQLite database, Alembic (the schema is already at the head), the spreadsheet
library, or the chart library (imported with the screen that draws a chart). Opening a family
then builds and imports its first tab only: no editor, no text area, no chart until a tab that
has one is shown."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

NOT_AT_THE_CASELOAD = (
    "holidays",
    "sqlalchemy.dialects.postgresql",
    "psycopg",
    "alembic",
    "openpyxl",
    "plotext",
    "textual_plotext",
)

SCRIPT = """
import asyncio, sys
from domain.clock import FixedClock
from tests.tui.conftest import TEST_NOW, sign_in
from tui.app import TandemApp
from tui.bootstrap import open_runtime

async def main(db):
    runtime = open_runtime(db, clock=FixedClock(TEST_NOW))
    runtime.demo = True
    app = TandemApp(runtime, demo=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, "amara.osei")
        for _ in range(200):
            await app.workers.wait_for_complete()
            await pilot.pause()
            table = app.screen.query("#caseload-table")
            if table and table.first().row_count > 0:
                break
        else:
            raise SystemExit("the caseload did not show")
        await app.workers.wait_for_complete()
        print("LOADED", " ".join(sorted(sys.modules)))
        await pilot.press("enter")  # the first family, on its overview
        for _ in range(200):
            await app.workers.wait_for_complete()
            await pilot.pause()
            if app.screen.query("#overview-tab") and app.screen.family is not None:
                break
        else:
            raise SystemExit("the family did not show")
        await app.workers.wait_for_complete()
        built = [p.id for p in app.screen.query("TabPane") if p.children]
        print("BUILT", " ".join(built))
        print("FAMILY", " ".join(sorted(sys.modules)))

asyncio.run(main(sys.argv[1]))
"""


@pytest.fixture(scope="module")
def loaded(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """One fresh process signs in, then opens a family: what each step had imported."""
    db = tmp_path_factory.mktemp("imports") / "demo.db"
    shutil.copy(demo_template, db)
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(db)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return {
        line.split()[0]: line.split()[1:]
        for line in out.splitlines()
        if line.split()[:1] in (["LOADED"], ["BUILT"], ["FAMILY"])
    }


def matching(modules: list[str], names: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules for name in names if m == name or m.startswith(name + "."))


def test_signing_in_and_seeing_the_caseload_loads_none_of_what_browsing_does_not_need(
    loaded: dict[str, list[str]],
) -> None:
    assert "tui.screens.caseload" in loaded["LOADED"]  # it did sign in and show the caseload
    assert matching(loaded["LOADED"], NOT_AT_THE_CASELOAD) == []


#: What a family's overview does not need: the other tabs, the editors and what they draw with.
NOT_ON_THE_OVERVIEW = (
    "tui.family.plan",
    "tui.family.mapping",
    "tui.family.summaries",
    "tui.family.contacts",
    "tui.family.observations",
    "tui.family.meetings",
    "tui.widgets.recording_editor",
    "textual.widgets._text_area",
    "plotext",
    "textual_plotext",
)


def test_opening_a_family_builds_and_imports_only_the_tab_shown(
    loaded: dict[str, list[str]],
) -> None:
    assert loaded["BUILT"] == ["overview"]
    assert "tui.family.overview" in loaded["FAMILY"]
    assert matching(loaded["FAMILY"], NOT_ON_THE_OVERVIEW + NOT_AT_THE_CASELOAD) == []
