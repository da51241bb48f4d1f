"""Tandem in a browser (``tandem serve`` + headless Chromium) against Tandem in a terminal, side
by side in one run, on copies of one demo database:

1. **start-up**: opening the page (browser) or starting the process (terminal) until the sign-in
   screen is shown *and takes keys* (a key typed into the user name field is on screen);
2. **keystroke to screen** in a summary editor: a character sent as the keyboard would send it
   (the browser: the page's websocket, exactly what xterm.js sends for a key; the terminal: the
   pseudo-terminal) until the screen that the user reads shows it (the browser: xterm.js's buffer;
   the terminal: a pyte screen fed with the app's output);
3. **memory per open tab**: resident memory of each tab's app process with a practitioner signed
   in and a summary editor open, against the terminal app in the same state, and the server's own.

    uv run python -m bench.web [--runs 5] [--lines 6] [--tabs 3]

Needs Debian's chromium (``apt-get install chromium``). Python keeps its compiled bytecode
between runs, as on a real server. The last line printed is ``browser_vs_terminal_typing: R``
(ratio of the keystroke-to-screen medians).
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import random
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from collections.abc import Callable
from pathlib import Path

from tests.integration.serve_helpers import CHROMIUM_ARGS, chromium_path, serving

ROOT = Path(__file__).resolve().parents[1]
PASSPHRASE = "tandem-demo-pass"
LETTERS = "bfhjkpquvwxyz"
LINE = 24  # characters per typed line; the first SUFFIX of each are not measured
SUFFIX = 6  # the last SUFFIX characters typed must be on screen: unique, so not there before
KEY_TIMEOUT = 10.0


def lines_to_type(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(LETTERS) for _ in range(LINE)) for _ in range(count)]


def rss_mib(pid: int) -> float:
    with open(f"/proc/{pid}/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii") as fh:
                ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def tab_processes(server_pid: int) -> list[int]:
    pids = []
    for pid in descendants(server_pid):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as fh:
                command = fh.read()
            if b"tui.web.tab" in command and not command.startswith(b"/bin/sh"):
                pids.append(pid)
        except OSError:
            continue
    return [p for p in pids if "python" in os.path.basename(os.readlink(f"/proc/{p}/exe"))]


# --- the terminal side -------------------------------------------------------------------------


class Terminal:
    """Tandem in a pseudo-terminal of the browser's size, its screen kept by pyte."""

    def __init__(self, db: str, cols: int, rows: int, env: dict[str, str]) -> None:
        import pyte

        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.lock = threading.Lock()
        self.changed = threading.Condition(self.lock)
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.started = self.arrived = time.perf_counter()
        self.want: bytes | None = None
        self.hit: float | None = None
        self.tail = b""
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tui.cli", "--db", db],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env={**env, "TERM": "xterm-256color", "COLUMNS": str(cols), "LINES": str(rows)},
            cwd=ROOT,
            close_fds=True,
            start_new_session=True,
        )
        os.close(slave)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        while True:
            try:
                data = os.read(self.master, 65536)
            except OSError:
                return
            if not data:
                return
            arrived = time.perf_counter()
            with self.changed:
                if self.want is not None:
                    # Typing: look for the echo in the raw output the moment it arrives (pyte's
                    # Python parsing would delay the reads after it and is not the app's cost).
                    window = self.tail + data
                    self.tail = window[-256:]
                    if self.want in window:
                        self.want = None
                        self.hit = arrived
                        self.changed.notify_all()
                    continue
                self.stream.feed(data)
                self.arrived = arrived
                self.changed.notify_all()

    def text(self) -> str:
        with self.lock:
            return "\n".join(self.screen.display)

    def wait(self, ok: Callable[[str], bool], timeout: float = 120.0) -> float:
        deadline = time.perf_counter() + timeout
        with self.changed:
            while not ok("\n".join(self.screen.display)):
                left = deadline - time.perf_counter()
                if left <= 0:
                    raise TimeoutError(
                        "the terminal never showed it:\n" + "\n".join(self.screen.display)
                    )
                self.changed.wait(left)
            # When the output that shows it reached the terminal: pyte's own (slow, Python)
            # parsing is the instrument's cost, not the app's.
            return self.arrived

    def send_and_wait_raw(self, key: str, want: str, timeout: float = KEY_TIMEOUT) -> float:
        """Send ``key``; return when output containing ``want`` arrived (seconds, perf_counter)."""
        with self.changed:
            self.want, self.hit, self.tail = want.encode("utf-8"), None, b""
            os.write(self.master, key.encode("utf-8"))
            if not self.changed.wait_for(lambda: self.hit is not None, timeout):
                raise TimeoutError(f"no echo of {key!r}")
            return self.hit  # type: ignore[return-value]

    def send(self, data: str) -> None:
        os.write(self.master, data.encode("utf-8"))

    def close(self) -> None:
        self.send("\x11")  # ctrl+q
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        os.close(self.master)


def terminal_startup(db: str, cols: int, rows: int, env: dict[str, str]) -> float:
    term = Terminal(db, cols, rows, env)
    try:
        term.wait(lambda s: "user name" in s and "passphrase" in s)
        term.send("x")
        done = term.wait(lambda s: "user name" not in s)
        return done - term.started
    finally:
        term.close()


#: Amara's families with no summary draft yet (one per browser tab; the terminal uses the first).
FAMILIES = ["Begum", "Hughes", "Campbell"]


def open_summary_editor_keys(
    send: Callable[[str], None], wait: Callable[[str], None], family: str = FAMILIES[0]
) -> None:
    """Sign in as amara.osei, open a family, start a summary: the same keys both sides."""
    wait("user name")
    send("amara.osei")
    wait("amara.osei")
    send("\r")
    send(PASSPHRASE + "\r")
    wait("5 of 5 families")
    send("/")
    send(family)
    wait("1 of 5 families")
    send("\r")
    send("\r")
    wait("1 Overview")
    send("4")
    wait("New summary")
    send("n")
    wait("recording time")


def terminal_typing(db: str, cols: int, rows: int, env: dict[str, str], lines: list[str]):  # type: ignore[no-untyped-def]
    term = Terminal(db, cols, rows, env)
    try:

        def wait(text: str) -> None:
            term.wait(lambda s: text in s)

        open_summary_editor_keys(term.send, wait)
        time.sleep(1.0)
        memory = rss_mib(term.process.pid)
        times = []
        for line in lines:  # as measure_typing, on the raw output (see Terminal._read)
            for i, ch in enumerate(line):
                want = line[i + 1 - SUFFIX : i + 1] if i >= SUFFIX - 1 else ch
                start = time.perf_counter()
                shown = term.send_and_wait_raw(ch, want)
                if i >= SUFFIX - 1:
                    times.append(shown - start)
                time.sleep(0.05)
            term.send("\r")
            time.sleep(0.3)
        return times, memory
    finally:
        term.close()


# --- the browser side -------------------------------------------------------------------------

TYPE_IN_PAGE = """
async ([lines, suffix, timeout]) => {
  const session = window.textualSession;
  const term = session.terminal;
  const times = [];
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  for (const line of lines) {
    for (let i = 0; i < line.length; i++) {
      const want = i >= suffix - 1 ? line.slice(i + 1 - suffix, i + 1) : line[0];
      const start = performance.now();
      await new Promise((resolve, reject) => {
        const timer = setTimeout(() => { sub.dispose(); reject(new Error("no echo")); }, timeout);
        const sub = term.onWriteParsed(() => {
          if (window.tandem.screenText().includes(want)) {
            clearTimeout(timer); sub.dispose(); resolve();
          }
        });
        session.socket.send(JSON.stringify(["stdin", line[i]]));
      });
      if (i >= suffix - 1) times.push(performance.now() - start);
      await sleep(50);
    }
    session.socket.send(JSON.stringify(["stdin", "\\r"]));
    await sleep(300);
  }
  return times;
}
"""


def page_text(page) -> str:  # type: ignore[no-untyped-def]
    return page.evaluate("() => window.tandem ? window.tandem.screenText() : ''")


def page_wait(page, ok: Callable[[str], bool], timeout: float = 120.0) -> float:  # type: ignore[no-untyped-def]
    deadline = time.perf_counter() + timeout
    while True:
        if ok(page_text(page)):
            return time.perf_counter()
        if time.perf_counter() > deadline:
            raise TimeoutError("the page never showed it:\n" + page_text(page))
        time.sleep(0.002)


def browser_startup(context, url: str) -> float:  # type: ignore[no-untyped-def]
    page = context.new_page()
    try:
        start = time.perf_counter()
        page.goto(url, wait_until="commit")
        page_wait(page, lambda s: "user name" in s and "passphrase" in s)
        page.keyboard.type("x")
        return page_wait(page, lambda s: "user name" not in s) - start
    finally:
        page.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="start-ups measured each side")
    parser.add_argument("--lines", type=int, default=6, help=f"lines of {LINE} keys typed")
    parser.add_argument(
        "--tabs",
        type=int,
        default=3,
        choices=range(1, len(FAMILIES) + 1),
        metavar="1-3",
        help="tabs open for the memory figure",
    )
    args = parser.parse_args()
    chromium = chromium_path()
    if chromium is None:
        raise SystemExit("bench.web needs Debian's chromium: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)  # the server (and its tabs) keep bytecode too
    lines = lines_to_type(args.lines, seed=7)

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        template = tmp / "template.db"
        subprocess.run(
            [sys.executable, "-m", "tui.cli", "--db", str(template), "seed"],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )

        def copy(name: str) -> str:
            target = tmp / name
            shutil.copyfile(template, target)
            return str(target)

        served_db = Path(copy("served.db"))
        (tmp / "server").mkdir()
        with (
            serving(served_db, tmp / "server", "--max-sessions", str(args.tabs + 2)) as served,
            sync_playwright() as p,
        ):
            context = p.chromium.launch_persistent_context(
                str(tmp / "profile"),
                executable_path=chromium,
                headless=True,
                args=CHROMIUM_ARGS,
                viewport={"width": 1280, "height": 860},
            )
            probe = context.new_page()
            probe.goto(served.url + "/")
            page_wait(probe, lambda s: "user name" in s)
            cols, rows = probe.evaluate(
                "() => [window.textualSession.terminal.cols, window.textualSession.terminal.rows]"
            )
            probe.close()
            print(f"screen: {cols}x{rows} cells, both sides")

            # 1. start-up, alternating.
            browser_starts, terminal_starts = [], []
            startup_db = copy("startup.db")
            browser_startup(context, served.url + "/")  # warm both (bytecode, file cache)
            terminal_startup(startup_db, cols, rows, env)
            for _ in range(args.runs):
                browser_starts.append(browser_startup(context, served.url + "/"))
                terminal_starts.append(terminal_startup(startup_db, cols, rows, env))

            # 2. typing, terminal then browser (each on its own fresh summary).
            term_times, term_mib = terminal_typing(copy("typing.db"), cols, rows, env, lines)
            tabs = []
            for family in FAMILIES[: args.tabs]:
                page = context.new_page()
                page.goto(served.url + "/")

                def send(text: str, page=page) -> None:  # type: ignore[no-untyped-def]
                    page.evaluate(
                        "(t) => window.textualSession.socket.send(JSON.stringify(['stdin', t]))",
                        text,
                    )

                def wait(text: str, page=page) -> None:  # type: ignore[no-untyped-def]
                    page_wait(page, lambda s: text in s)

                open_summary_editor_keys(send, wait, family)
                tabs.append(page)
            time.sleep(1.0)
            tab_mib = [rss_mib(pid) for pid in tab_processes(served.process.pid)]
            server_mib = rss_mib(served.process.pid)
            browser_times = [
                t / 1000
                for t in tabs[0].evaluate(TYPE_IN_PAGE, [lines, SUFFIX, KEY_TIMEOUT * 1000])
            ]
            context.close()

    def ms(values: list[float], q: float) -> float:
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

    b_start, t_start = statistics.median(browser_starts), statistics.median(terminal_starts)
    print(
        f"start-up to the sign-in screen taking keys, median of {args.runs}: browser "
        f"{b_start * 1000:.0f} ms (page opened), terminal {t_start * 1000:.0f} ms "
        f"(process started): {b_start / t_start:.2f}x"
    )
    b_med, t_med = statistics.median(browser_times), statistics.median(term_times)
    print(
        f"keystroke to screen in a summary editor, {len(browser_times)} keys: browser median "
        f"{b_med * 1000:.1f} ms (p90 {ms(browser_times, 0.9):.1f}), terminal median "
        f"{t_med * 1000:.1f} ms (p90 {ms(term_times, 0.9):.1f})"
    )
    per_tab = statistics.mean(tab_mib) if tab_mib else float("nan")
    print(
        f"memory: {len(tab_mib)} tabs with a summary editor open, {per_tab:.0f} MiB each "
        f"(max {max(tab_mib, default=0):.0f}); the terminal app in the same state "
        f"{term_mib:.0f} MiB; the server itself {server_mib:.0f} MiB"
    )
    print(f"browser_vs_terminal_typing: {b_med / t_med:.2f}")


if __name__ == "__main__":
    main()
