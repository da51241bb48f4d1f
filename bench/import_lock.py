"""How long a caseload import makes everyone else's saves wait (issue 11: saves never stall).

    uv run python -m bench.import_lock [--families 4000] [--db PATH]

Makes a fresh SQLite database with one team and 20 practitioners, writes a caseload file of
``--families`` families (two adults and two children each, the children with a legal status), and
imports it through ``tandem import caseload`` (the service the command line and the screens use)
while another *process* saves a practitioner's draft every 20 ms (the autosave an editor makes,
through the same service and unit of work as the app). It prints the import's duration and the
save waits: how many saves ran while the import did, their median and the longest. Target: the
longest wait of a save during the import <= 1 s. The last line is
``import_lock_longest_save_wait_s: X``.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

PRACTITIONERS = 20
TEAM = "Bench Team"


def make_caseload(families: int) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    statuses = ["child_in_need", "child_protection", "early_help", "child_looked_after", None]
    for i in range(families):
        surname = f"Zoë-Ann\u200dMarie {i:05d}"
        out.append(
            {
                "reference": f"IMP-{i:06d}",
                "name": f"{surname} family",
                "team": TEAM,
                "practitioner": f"prac{i % PRACTITIONERS:02d}",
                "address": f"{i} Bench Street",
                "opened_on": "2025-01-15",
                "members": [
                    {"name": f"Parent A {surname}", "role": "parent"},
                    {"name": f"Parent B {surname}", "role": "carer"},
                    {
                        "name": f"Child A {surname}",
                        "role": "child",
                        "date_of_birth": "2016-05-01",
                        "legal_status": statuses[i % 5],
                    },
                    {
                        "name": f"Child B {surname}",
                        "role": "child",
                        "date_of_birth": "2019-02-11",
                        "legal_status": statuses[(i + 2) % 5],
                    },
                ],
            }
        )
    return out


def setup(db: str) -> None:
    from domain.services import admin
    from tui.bootstrap import open_runtime

    runtime = open_runtime(db)
    system = runtime.system_context()
    admin.create_team(system, TEAM)
    for n in range(PRACTITIONERS):
        admin.create_user(system, f"prac{n:02d}", f"Practitioner {n}", "practitioner", TEAM)
    runtime.engine.dispose()


def saver(db: str, ready, stop, results) -> None:  # type: ignore[no-untyped-def]
    """Autosave a draft every 20 ms until told to stop; send back (start, seconds) of each."""
    from domain.services import drafts
    from domain.services.admin import find_user
    from tui.bootstrap import open_runtime

    runtime = open_runtime(db)
    with runtime.uow_factory() as uow:
        user = find_user(uow, "prac00")
    ctx = runtime.context(user)
    timings: list[tuple[float, float, bool]] = []
    ready.set()
    n = 0
    while not stop.is_set():
        n += 1
        start = time.perf_counter()
        try:
            drafts.autosave(ctx, "bench:import-lock", f"typed text {n}")
            failed = False
        except Exception:  # noqa: BLE001 - "the database is busy": the save gave up
            failed = True
        timings.append((start, time.perf_counter() - start, failed))
        time.sleep(0.02)
    runtime.engine.dispose()
    results.put(timings)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", type=int, default=4000)
    parser.add_argument("--db", help="SQLite file to create (default: a temporary one)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or str(Path(tmp) / "import.db")
        setup(db)
        caseload = Path(tmp) / "caseload.json"
        caseload.write_text(json.dumps(make_caseload(args.families)), encoding="utf-8")

        ctx = mp.get_context("spawn")
        ready, stop, results = ctx.Event(), ctx.Event(), ctx.Queue()
        process = ctx.Process(target=saver, args=(db, ready, stop, results))
        process.start()
        ready.wait(60)
        time.sleep(0.3)  # a few saves before the import starts

        from domain.services.caseload_import import import_caseload_json
        from tui.bootstrap import open_runtime

        runtime = open_runtime(db)
        text = caseload.read_text(encoding="utf-8")
        began = time.perf_counter()
        result = import_caseload_json(runtime.system_context(), text)
        ended = time.perf_counter()
        time.sleep(0.3)
        stop.set()
        timings = results.get(timeout=60)
        process.join(60)
        runtime.engine.dispose()

    during = [s for start, s, _ in timings if start + s >= began and start <= ended]
    failures = sum(1 for start, s, failed in timings if failed and start <= ended)
    print(f"families imported:        {result.families:,} ({result.members:,} members)")
    print(f"import took:              {ended - began:.2f} s")
    print(f"saves during the import:  {len(during)} ({failures} gave up: database busy)")
    if during:
        print(f"save wait, median:        {statistics.median(during) * 1000:.0f} ms")
    longest = max(during) if during else 0.0
    print(f"save wait, longest:       {longest * 1000:.0f} ms (target <= 1000 ms)")
    print(f"run on {date.today().isoformat()}")
    print(f"import_lock_longest_save_wait_s: {longest:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
