"""Start-up: process start to the first screen painted and accepting keys, Tandem against a bare
Textual app (Header, DataTable, Footer), measured alternately in one run under a pseudo-terminal.

    uv run python -m bench.startup [--runs 15]

Tandem is started as ``tandem --db FILE`` on an existing database (a real user's start); its first
screen is the sign-in screen, painted before the database is opened (that happens in a worker).
The last line printed is ``startup_vs_bare_textual: R`` (ratio of medians; target <= 1.25).
"""

from __future__ import annotations

import argparse
import os
import pty
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

BARE_APP = """
import os, sys, time
from textual.app import App
from textual.widgets import DataTable, Footer, Header

class Bare(App):
    def compose(self):
        yield Header()
        yield DataTable()
        yield Footer()

    def on_mount(self):
        self.call_after_refresh(self.ready)

    def ready(self):
        with open(os.environ["TANDEM_BENCH_READY_FILE"], "w") as fh:
            fh.write(repr(time.monotonic()))  # CLOCK_MONOTONIC: one clock for every process
        self.exit()

Bare().run()
"""


def run_once(cmd: list[str], env: dict[str, str]) -> float:
    fd, ready = tempfile.mkstemp(prefix="tandem-ready-")
    os.close(fd)
    os.unlink(ready)
    master, slave = pty.openpty()
    env = {
        **env,
        "TANDEM_BENCH_READY_FILE": ready,
        "TERM": "xterm-256color",
        "COLUMNS": "120",
        "LINES": "40",
    }
    started = time.monotonic()  # a duration across processes: the system-wide monotonic clock
    proc = subprocess.Popen(
        cmd, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=ROOT, close_fds=True
    )
    os.close(slave)
    try:
        while proc.poll() is None:
            try:
                os.read(master, 65536)  # keep the terminal drained
            except OSError:
                break
        proc.wait(timeout=60)
    finally:
        os.close(master)
    with open(ready, encoding="utf-8") as fh:
        painted = float(fh.read())
    os.unlink(ready)
    return painted - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    # As on a user's machine, Python keeps compiled bytecode between runs (this workplace sets
    # PYTHONDONTWRITEBYTECODE, which would make both programs recompile every module each time).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "startup.db")
        subprocess.run(
            [sys.executable, "-m", "tui.cli", "--db", db, "seed"],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        tandem_cmd = [sys.executable, "-m", "tui.cli", "--db", db]
        bare_cmd = [sys.executable, "-c", BARE_APP]
        run_once(tandem_cmd, env), run_once(bare_cmd, env)  # warm the file and bytecode caches
        tandem, bare = [], []
        for _ in range(args.runs):
            tandem.append(run_once(tandem_cmd, env))
            bare.append(run_once(bare_cmd, env))
    t, b = statistics.median(tandem), statistics.median(bare)
    print(f"tandem start-up median {t * 1000:.0f} ms over {args.runs} runs")
    print(f"bare Textual start-up median {b * 1000:.0f} ms over {args.runs} runs")
    print(f"startup_vs_bare_textual: {t / b:.2f}")


if __name__ == "__main__":
    main()
