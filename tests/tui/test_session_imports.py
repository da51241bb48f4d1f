"""A signed-in session imports only what its screens need (bench.scale measures the memory).

Signing in and seeing the caseload, in a fresh process (``sys.modules`` is per process), must
not load what a browsing session does not use: every country's holiday calendar (England's
bank holidays come from domain/bank_holidays_eng.py), SQLAlchemy's PostgreSQL dialect and
psycopg on a SQLite database, Alembic (the schema is already at the head), the spreadsheet
library, or the chart library (imported with the screen that draws a chart)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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

asyncio.run(main(sys.argv[1]))
"""


def test_signing_in_and_seeing_the_caseload_loads_none_of_what_browsing_does_not_need(
    demo_db: Path,
) -> None:
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(demo_db)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    loaded = next(line for line in out.splitlines() if line.startswith("LOADED ")).split()[1:]
    assert "tui.screens.caseload" in loaded  # it did sign in and show the caseload
    unwanted = sorted(
        m for m in loaded for name in NOT_AT_THE_CASELOAD if m == name or m.startswith(name + ".")
    )
    assert unwanted == []
