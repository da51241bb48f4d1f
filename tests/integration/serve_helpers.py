"""Running ``tandem serve`` in a child process for the web tests (and bench/web.py).

Every wait here is on a condition (the server answering, a file appearing, a row being written),
polled with a generous deadline: the suite runs on a loaded 2-core machine.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

#: Seconds to wait for anything the server or a tab does (start, sign in, save, exit).
PATIENCE = float(os.environ.get("TANDEM_TEST_WEB_TIMEOUT", "120"))

#: Flags for the system's Chromium: headless, and nothing that calls out to Google's servers.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    """Debian's chromium (``.ci/run`` installs it), or $TANDEM_TEST_CHROMIUM."""
    explicit = os.environ.get("TANDEM_TEST_CHROMIUM")
    if explicit:
        return explicit if os.path.exists(explicit) else None
    for candidate in (
        "/usr/bin/chromium",
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
    ):
        if candidate and os.path.exists(candidate):
            return candidate
    return None


def wait_until(
    what: str,
    probe: Callable[[], T | None],
    timeout: float = PATIENCE,
    sleep: Callable[[float], object] = time.sleep,
) -> T:
    """Poll ``probe`` until it returns something truthy; fail saying ``what`` was awaited.

    With Playwright's synchronous API pass ``sleep=lambda s: page.wait_for_timeout(s * 1000)``:
    its events (downloads, console) are only delivered while Playwright has control."""
    deadline = time.monotonic() + timeout
    delay = 0.05
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        sleep(delay)
        delay = min(delay * 1.5, 0.5)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def http_get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - 127.0.0.1 only
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


@dataclass
class Served:
    url: str
    process: subprocess.Popen[bytes]
    log: Path
    home: Path

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


@contextlib.contextmanager
def serving(db: Path, workdir: Path, *extra: str) -> Iterator[Served]:
    """``tandem --db DB serve --port P *extra`` until the block ends (then SIGTERM, and wait)."""
    port = free_port()
    home = workdir / "server-home"
    home.mkdir(exist_ok=True)
    log = workdir / "serve.log"
    env = dict(os.environ, HOME=str(home), PYTHONUNBUFFERED="1")
    env.pop("TANDEM_DATABASE_URL", None)
    # Each tab is a new Python process: let them share compiled bytecode, as on a real server
    # (this workplace sets PYTHONDONTWRITEBYTECODE, which makes every tab recompile everything).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    command = [sys.executable, "-m", "tui.cli", "--db", str(db), "serve", "--port", str(port)]
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [*command, *extra], stdout=out, stderr=subprocess.STDOUT, env=env, cwd=workdir
        )
    served = Served(f"http://127.0.0.1:{port}", process, log, home)
    try:

        def answering() -> bool:
            if process.poll() is not None:
                raise AssertionError(f"tandem serve exited early:\n{served.log_text()}")
            try:
                return http_get(served.url + "/static/favicon.svg")[0] == 200
            except OSError:
                return False

        wait_until("tandem serve to answer", answering)
        yield served
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=PATIENCE)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def query(db: Path, sql: str, *params: object) -> list[tuple]:
    """Read the served database directly (a test's own connection)."""
    with contextlib.closing(sqlite3.connect(db, timeout=30)) as conn:
        return conn.execute(sql, params).fetchall()
