"""Scale and memory: the same actions on the demo database and on the large one, side by side.

    uv run python -m bench.generate --db bench/out/large.db     # once (a few minutes)
    uv run python -m bench.scale --db bench/out/large.db [--rounds 5]
    uv run python -m bench.scale --db postgresql://…/tandem_bench   # made by bench.generate too

Each round runs, in this process with the Textual Pilot, on the demo database and then on the
large one: sign in and see the caseload; open a family's workspace (overview loaded); open the
summaries tab, start or open a summary, type into it and save it. Figures are medians over the
rounds, as ratios large/demo (target <= 1.5: the cost of an action must not grow with the size of
the database).
The demo database is made on the same kind of database as the large one: a temporary SQLite
file, or on PostgreSQL a database named after the large one with ``_demo`` appended, on the same
server (created, or recreated if a benchmark made it: bench/dbs.py).

Memory is measured in a fresh process per database that signs in, then browses the caseload and
every tab of ten families. The peak during sign-in (it includes the passphrase hash: scrypt
allocates 128 MiB for a moment) is reported on its own; then the peak is reset and the peak
resident size while browsing is the session's memory. It is compared between the databases
(target <= 1.5, part of the worst ratio) and against a bare Textual app (Header, a DataTable,
Footer) run in its own process under the same Pilot (``session_memory_vs_bare_textual``,
target <= 2.5). Both children load compiled bytecode (Tandem's modules are compiled first),
as on a user's machine. ``--memory-only`` skips the timed rounds.
The last line printed is ``scale_worst_ratio: R``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import sysconfig
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


def _proc_status_mib(field: str) -> float:
    """``VmRSS`` (resident now) or ``VmHWM`` (peak resident) of this process, in MiB."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    raise RuntimeError(f"{field} not in /proc/self/status")


def _reset_peak() -> None:
    """Start a new peak: Linux resets VmHWM to the current resident size on ``5``."""
    with open("/proc/self/clear_refs", "w") as fh:
        fh.write("5")


def browse_memory(db: str, username: str, passphrase: str) -> None:
    """Run in a child process: sign in, browse, then print what was resident as JSON (MiB).

    ``signin_peak``: the peak up to the caseload shown (the passphrase hash, scrypt with
    N=2^17, r=8, allocates 128 MiB for a moment). Then the peak is reset and the session browses
    the caseload and every tab of ten families: ``session_peak`` is the peak of that browsing
    (the steady memory of a signed-in session), ``session_end`` what is resident at its end."""
    from textual.widgets import DataTable, Input

    from tui.app import TandemApp
    from tui.bootstrap import open_runtime

    out: dict[str, float] = {}

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
            await app.workers.wait_for_complete()
            await pilot.pause()
            out["signin_peak"] = _proc_status_mib("VmHWM")
            _reset_peak()
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
            out["session_peak"] = _proc_status_mib("VmHWM")
            out["session_end"] = _proc_status_mib("VmRSS")

    asyncio.run(run())
    print(json.dumps(out))


def bare_memory() -> None:
    """Run in a child process: a bare Textual app (Header, a DataTable of 50 rows, Footer) under
    the same Pilot and size; print its peak resident size (MiB) as JSON."""
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable, Footer, Header

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Header()
            yield DataTable()
            yield Footer()

        def on_mount(self) -> None:
            table = self.query_one(DataTable)
            table.add_columns("family", "child", "next visit", "due", "status")
            for i in range(50):
                table.add_row(f"Family {i}", f"Child {i}", "2026-12-01", "in 3 days", "open")

    async def run() -> None:
        app = Bare()
        async with app.run_test(size=(140, 45)) as pilot:
            await pilot.pause()
            for _ in range(20):
                await pilot.press("down")
            await pilot.pause()

    asyncio.run(run())
    print(json.dumps({"bare_peak": _proc_status_mib("VmHWM")}))


def measure_memory(
    users: dict[str, tuple[str, str, str]], large: str
) -> dict[str, dict[str, float]]:
    """Each measure in a fresh child process, the bare app first then each database.

    Both load compiled bytecode, as on a user's machine: Tandem's own modules and the installed
    packages are compiled first, and the children may write bytecode (this workplace sets
    PYTHONDONTWRITEBYTECODE). Without this, a fresh checkout compiled every Tandem module in the
    measured process, and a fresh ``uv sync`` (uv does not compile at install) compiled Textual,
    SQLAlchemy and the rest in both processes: the compiler's garbage made the first run after
    an install read 2.28× where every later run reads 2.65×."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    packages = sysconfig.get_paths()["purelib"]
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", "-j", "0", packages],
        check=False,  # a package that does not compile (a test fixture of theirs) is not ours
        capture_output=True,
        env=env,
    )
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", "domain", "storage", "tui", "bench"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        env=env,
    )

    def child(*extra: str) -> dict[str, float]:
        out = subprocess.run(
            [sys.executable, "-m", "bench.scale", "--large", large, *extra],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
            env=env,
        )
        return json.loads(out.stdout.strip().splitlines()[-1])

    memory = {"bare": child("--bare-memory-child")}
    for which, (db, user, pw) in users.items():
        memory[which] = child("--memory-child", db, user, pw)
    return memory


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
    parser.add_argument(
        "--memory-only", action="store_true", help="only the memory measures (no timed rounds)"
    )
    parser.add_argument("--memory-child", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument("--bare-memory-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child:
        browse_memory(*args.memory_child)
        return
    if args.bare_memory_child:
        bare_memory()
        return
    from tui.bootstrap import demo_passphrase

    with tempfile.TemporaryDirectory() as tmp:
        demo = demo_database(Path(tmp), args.large)
        users = {
            "demo": (demo, DEMO_USER[0], demo_passphrase()),
            "large": (args.large, *LARGE_USER),
        }
        timings: dict[str, dict[str, list[float]]] = {"demo": {}, "large": {}}
        for _ in range(0 if args.memory_only else args.rounds):
            for which, (db, user, pw) in users.items():
                for k, v in asyncio.run(measure_actions(db, user, pw)).items():
                    timings[which].setdefault(k, []).append(v)
        memory = measure_memory(users, args.large)
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
    bare = memory["bare"]["bare_peak"]
    demo_m, large_m = memory["demo"], memory["large"]
    ratios["session_memory"] = large_m["session_peak"] / demo_m["session_peak"]
    print(
        f"signin_peak_memory: demo {demo_m['signin_peak']:.0f} MiB, "
        f"large {large_m['signin_peak']:.0f} MiB (includes the passphrase hash)"
    )
    print(
        f"session_memory: demo {demo_m['session_peak']:.0f} MiB, "
        f"large {large_m['session_peak']:.0f} MiB (peak browsing after sign-in; "
        f"{large_m['session_end']:.0f} MiB resident at the end), ratio {ratios['session_memory']:.2f}"
    )
    print(f"bare_textual_memory: {bare:.0f} MiB (Header, DataTable, Footer)")
    print(f"session_memory_vs_bare_textual: {large_m['session_peak'] / bare:.2f}")
    print(f"scale_worst_ratio: {max(ratios.values()):.2f}")


if __name__ == "__main__":
    main()
