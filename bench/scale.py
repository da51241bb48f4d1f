"""Scale and memory: the same actions on the demo database and on the large one, side by side.

    uv run python -m bench.generate --db bench/out/large.db     # once (a few minutes)
    uv run python -m bench.scale --db bench/out/large.db [--rounds 5]
    uv run python -m bench.scale --db postgresql://…/tandem_bench   # made by bench.generate too

Each round runs, in this process with the Textual Pilot, on the demo database and then on the
large one: sign in and see the caseload; open a family's workspace (overview loaded); open the
summaries tab, start or open a summary, type into it and save it. Figures are medians over the
rounds, as ratios large/demo (target <= 1.5: the cost of an action must not grow with the size of
the database). Memory is measured in a fresh process per database that browses the caseload and
every tab of ten families; its peak resident set size is compared (target <= 1.5).
The demo database is made on the same kind of database as the large one: a temporary SQLite
file, or on PostgreSQL a database named after the large one with ``_demo`` appended, on the same
server (created, or recreated if a benchmark made it: bench/dbs.py).
The last line printed is ``scale_worst_ratio: R``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO_USER = ("amara.osei", None)  # passphrase read from sample_data
LARGE_USER = ("p001", "bench-passphrase")


async def _until(pilot, check, timeout: float = 60.0) -> None:  # type: ignore[no-untyped-def]
    end = time.perf_counter() + timeout
    while not check():
        if time.perf_counter() > end:
            raise TimeoutError("the screen did not get there in time")
        await pilot.pause(0.005)


async def measure_actions(db: str, username: str, passphrase: str) -> dict[str, float]:
    from textual.widgets import DataTable, Input

    from tui.app import TandemApp
    from tui.bootstrap import open_runtime

    runtime = open_runtime(db)
    app = TandemApp(runtime)
    out: dict[str, float] = {}
    async with app.run_test(size=(140, 45)) as pilot:
        await _until(pilot, lambda: bool(app.screen.query("#username")))
        app.screen.query_one("#username", Input).value = username
        app.screen.query_one("#passphrase", Input).value = passphrase
        app.screen.query_one("#passphrase", Input).focus()
        t = time.perf_counter()
        await pilot.press("enter")
        await _until(
            pilot,
            lambda: (
                bool(app.screen.query("#caseload-table"))
                and app.screen.query_one("#caseload-table", DataTable).row_count > 0
            ),
        )
        out["sign_in_and_caseload"] = time.perf_counter() - t

        t = time.perf_counter()
        await pilot.press("enter")
        await _until(pilot, lambda: _overview_loaded(app))
        out["open_family"] = time.perf_counter() - t

        t = time.perf_counter()
        await save_a_summary(app, pilot)
        out["save_summary"] = time.perf_counter() - t
    runtime.engine.dispose()
    return out


def _overview_loaded(app) -> bool:  # type: ignore[no-untyped-def]
    tab = app.screen.query("#overview-tab")
    return bool(tab) and getattr(tab.first(), "loaded", False)


async def save_a_summary(app, pilot) -> None:  # type: ignore[no-untyped-def]
    """Summaries tab → new summary (or the one in progress) → type a line → ctrl+s → saved."""
    from tui.widgets.recording_editor import RecordingEditor

    await pilot.press("4")
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.press("n")
    await app.workers.wait_for_complete()
    await pilot.pause()
    if not isinstance(app.screen, RecordingEditor):  # a summary is already in progress: open it
        await pilot.press("e")
        await _until(pilot, lambda: isinstance(app.screen, RecordingEditor))
    editor = app.screen
    await app.workers.wait_for_complete()
    await pilot.pause()
    for name in ("draftoffer", "DraftOffer"):
        if type(app.screen).__name__.lower() == name.lower():
            await pilot.press("d")
    await pilot.press(*"Seen at home today; calm.")
    await pilot.press("ctrl+s")
    await _until(pilot, lambda: app.screen is not editor)
    await app.workers.wait_for_complete()


def browse_memory(db: str, username: str, passphrase: str) -> None:
    """Run in a child process: browse, then print the peak RSS in KiB as JSON."""
    from textual.widgets import DataTable, Input

    from tui.app import TandemApp
    from tui.bootstrap import open_runtime

    async def run() -> None:
        app = TandemApp(open_runtime(db))
        async with app.run_test(size=(140, 45)) as pilot:
            await _until(pilot, lambda: bool(app.screen.query("#username")))
            app.screen.query_one("#username", Input).value = username
            app.screen.query_one("#passphrase", Input).value = passphrase
            app.screen.query_one("#passphrase", Input).focus()
            await pilot.press("enter")
            await _until(
                pilot,
                lambda: (
                    bool(app.screen.query("#caseload-table"))
                    and app.screen.query_one("#caseload-table", DataTable).row_count > 0
                ),
            )
            table = app.screen.query_one("#caseload-table", DataTable)
            for row in range(min(10, table.row_count)):
                table.move_cursor(row=row)
                table.focus()
                await pilot.press("enter")
                for tab in "123456":
                    await pilot.press(tab)
                    await app.workers.wait_for_complete()
                    await pilot.pause()
                await pilot.press("escape")
                await app.workers.wait_for_complete()
                await pilot.pause()
                table = app.screen.query_one("#caseload-table", DataTable)

    asyncio.run(run())
    print(json.dumps({"peak_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))


def demo_database(folder: Path, large: str) -> str:
    """The demo data seeded into a new database of the same kind as ``large``."""
    from bench import dbs

    if dbs.is_postgres(large):
        from sqlalchemy.engine import make_url

        url = make_url(dbs.libpq_url(large))
        db = url.set(database=f"{url.database}_demo").render_as_string(hide_password=False)
        dbs.recreate_postgres_database(db)
    else:
        db = str(folder / "demo.db")
    subprocess.run(
        [sys.executable, "-m", "tui.cli", "--db", db, "seed"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return db


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--db",
        "--large",
        dest="large",
        required=True,
        help="database made by bench.generate (SQLite file or postgresql:// URL)",
    )
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--memory-child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child:
        browse_memory(*args.memory_child)
        return
    from tui.bootstrap import demo_passphrase

    with tempfile.TemporaryDirectory() as tmp:
        demo = demo_database(Path(tmp), args.large)
        users = {
            "demo": (demo, DEMO_USER[0], demo_passphrase()),
            "large": (args.large, *LARGE_USER),
        }
        timings: dict[str, dict[str, list[float]]] = {"demo": {}, "large": {}}
        for _ in range(args.rounds):
            for which, (db, user, pw) in users.items():
                for k, v in asyncio.run(measure_actions(db, user, pw)).items():
                    timings[which].setdefault(k, []).append(v)
        memory = {}
        for which, (db, user, pw) in users.items():
            out = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "bench.scale",
                    "--large",
                    args.large,
                    "--memory-child",
                    db,
                    user,
                    pw,
                ],
                cwd=ROOT,
                check=True,
                capture_output=True,
                text=True,
            )
            memory[which] = json.loads(out.stdout.strip().splitlines()[-1])["peak_rss_kib"]
    from bench import dbs

    print(f"database: {dbs.dialect(args.large)} ({dbs.shown(args.large)} against its demo)")
    ratios = {}
    for action in timings["demo"]:
        d, g = (
            statistics.median(timings["demo"][action]),
            statistics.median(timings["large"][action]),
        )
        ratios[action] = g / d
        print(f"{action}: demo {d * 1000:.0f} ms, large {g * 1000:.0f} ms, ratio {g / d:.2f}")
    ratios["peak_memory"] = memory["large"] / memory["demo"]
    print(
        f"peak_memory: demo {memory['demo'] / 1024:.0f} MiB, large {memory['large'] / 1024:.0f} MiB, ratio {ratios['peak_memory']:.2f}"
    )
    print(f"scale_worst_ratio: {max(ratios.values()):.2f}")


if __name__ == "__main__":
    main()
