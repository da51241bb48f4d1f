"""Do writers waiting for SQLite's write lock each get their turn? (storage/engine.py)

    uv run python -m bench.write_lock [--writers 8] [--seconds 15]

``--writers`` processes write to one fresh SQLite database as fast as they can (each write: take
the write lock, insert a row, read, commit), first with SQLite's own busy handler (``BEGIN
IMMEDIATE`` under the 5 s busy timeout, retried as Tandem did before: it asks again only every
100 ms once it has waited a while), then with Tandem's ``take_write_lock`` (asks every few
milliseconds), in the same run. It prints each writer's longest wait for the lock, the writes
made and any refused. Tandem waits 25 s in all before saying the database is busy, so the
longest wait is what decides whether a save is refused on a loaded machine. The last line is
``write_lock_longest_wait_vs_sqlite: X`` (Tandem's longest wait over SQLite's; lower is fairer).
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Any


def _writer(db: str, tandem: bool, seconds: float, results: Any, ready: Any, start: Any) -> None:
    from sqlalchemy import Connection, text

    import storage.engine as engine_module

    if not tandem:

        def busy_handler(connection: Connection, _busy_timeout_ms: int) -> None:
            engine_module.retry_locked(lambda: connection.exec_driver_sql("BEGIN IMMEDIATE"))

        engine_module.take_write_lock = busy_handler  # type: ignore[assignment]  # the old way
    engine = engine_module.make_engine(db)
    waits: list[float] = []
    refused = 0
    ready.put(True)  # imported and connected
    start.wait()
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        asked = time.monotonic()
        try:
            with engine.begin() as connection:
                waits.append(time.monotonic() - asked)
                connection.execute(text("INSERT INTO t (v) VALUES (1)"))
                connection.execute(text("SELECT count(*) FROM t")).scalar()
        except Exception:  # noqa: BLE001 - a refused write is counted, as the figure
            refused += 1
    engine.dispose()
    results.put((len(waits), max(waits, default=0.0), refused))


def measure(
    folder: Path, tandem: bool, writers: int, seconds: float
) -> tuple[int, list[float], int]:
    db = folder / ("tandem.db" if tandem else "sqlite.db")
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)")
    ctx = mp.get_context("spawn")
    results, ready, start = ctx.Queue(), ctx.Queue(), ctx.Event()
    processes = [
        ctx.Process(target=_writer, args=(str(db), tandem, seconds, results, ready, start))
        for _ in range(writers)
    ]
    for p in processes:
        p.start()
    for _ in processes:  # every writer has imported and connected: all start together
        ready.get(timeout=120)
    start.set()
    got = [results.get(timeout=seconds + 120) for _ in processes]
    for p in processes:
        p.join()
    return sum(g[0] for g in got), sorted(g[1] for g in got), sum(g[2] for g in got)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=15)
    args = parser.parse_args()
    longest = {}
    with tempfile.TemporaryDirectory() as tmp:
        for tandem, name in ((False, "SQLite's busy handler"), (True, "Tandem's take_write_lock")):
            writes, waits, refused = measure(Path(tmp), tandem, args.writers, args.seconds)
            longest[tandem] = waits[-1]
            shown = ", ".join(f"{w:.2f}" for w in waits)
            print(
                f"{name}: {writes} writes, {refused} refused; each writer's longest wait (s): {shown}"
            )
    print(f"write_lock_longest_wait_vs_sqlite: {longest[True] / longest[False]:.2f}")


if __name__ == "__main__":
    main()
