"""Typing in the summary editor on a 20,000-word summary, with autosave and the recording clock
running: time from a key reaching the app until the screen update that shows it is composed.

The Pilot's own ``press`` waits for idle with fixed delays (about 60 ms per key even in a bare
app), so it cannot measure this; instead the app's event handler marks when each key arrives and
``App._display`` (called with each composed screen update, before it is written to the terminal)
marks when the next frame is ready. The same is measured for a bare Textual app holding only a
TextArea with the same text, in the same run, for comparison.

    uv run python -m bench.typing [--keys 400]

The summary is written (through the services) into a fresh demo database, the editor is opened
by keys as a practitioner would, and characters are typed at the end of the longest section. The
autosave (every 3 s: the whole summary serialised and written in a worker) and the 1 s clock tick
run as usual. The last line printed is ``typing_median_ms: X`` (target < 16.7, one 60 Hz frame).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORDS = 20_000


def long_text(words: int, seed: int = 1) -> str:
    rng = random.Random(seed)
    vocabulary = (
        "mum said the children were settled after school and Leo talked about his friends at "
        "football while Maya showed me her drawing of the house with the garden and the dog "
        "we agreed the next visit and the plan for the weekend with nan"
    ).split()
    lines, line = [], []
    for i in range(words):
        line.append(rng.choice(vocabulary))
        if len(line) >= 14:
            lines.append(" ".join(line) + ".")
            line = []
            if i % 140 == 0:
                lines.append("")
    lines.append(" ".join(line))
    return "\n".join(lines)


async def run(db: str, keys: int) -> list[float]:
    from textual.widgets import TextArea

    from domain.services import summaries
    from domain.summaries import SummarySection
    from tui.app import TandemApp
    from tui.bootstrap import open_runtime
    from tui.family.summary_editor import SummaryEditor

    runtime = open_runtime(db)
    with runtime.uow_factory() as uow:
        user = uow.users.by_username("amara.osei")
        family = uow.families.list(practitioner_id=user.id)[0]
    ctx = runtime.context(user)
    current = [s for s in summaries.list_summaries(ctx, family.id) if s.is_editable]
    summary = current[0] if current else summaries.start_summary(ctx, family.id)
    text = long_text(WORDS)
    summary = summaries.save_summary(
        ctx, summary.id, {SummarySection.ANALYSIS: text}, summary.version
    )

    app = TandemApp(runtime)
    timings: list[float] = []
    instrument(app, timings)
    async with app.run_test(size=(140, 45)) as pilot:
        app.user = user
        editor = SummaryEditor(summary)
        await app.push_screen(editor)
        await app.workers.wait_for_complete()
        await pilot.pause()
        area = editor.query_one("#field-analysis", TextArea)
        area.focus()
        area.move_cursor(area.document.end)
        await pilot.pause()
        assert len(area.text.split()) >= WORDS
        chars = "the child was seen alone and was happy to talk "
        started = time.perf_counter()
        timings.clear()
        for i in range(keys):
            ch = chars[i % len(chars)]
            await pilot.press("space" if ch == " " else ch)
        elapsed = time.perf_counter() - started
        assert area.text.endswith(chars[: keys % len(chars)]) or keys == 0
        drafts_written = editor._last_saved_state is not None
        print(f"typed {keys} keys in {elapsed:.1f} s; autosave wrote a draft: {drafts_written}")
    runtime.engine.dispose()
    return timings


def instrument(app, timings: list[float]) -> None:  # type: ignore[no-untyped-def]
    """Record, per key, the time from its arrival to the next composed screen update."""
    from textual import events

    pending: list[float] = []
    on_event, display = app.on_event, app._display

    gate = getattr(app, "key_gate", None)  # Tandem's (tui/keys.py) sees each key twice

    async def timed_on_event(event):  # type: ignore[no-untyped-def]
        first_arrival = gate is None or id(event) not in gate.released
        if isinstance(event, events.Key) and not event.is_forwarded and first_arrival:
            pending.append(time.perf_counter())
        await on_event(event)

    def timed_display(screen, renderable):  # type: ignore[no-untyped-def]
        if renderable is not None and pending:
            now = time.perf_counter()
            timings.extend(now - t for t in pending)
            pending.clear()
        display(screen, renderable)

    app.on_event = timed_on_event
    app._display = timed_display


async def run_bare(keys: int) -> list[float]:
    from textual.app import App, ComposeResult
    from textual.widgets import TextArea

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield TextArea(long_text(WORDS), id="area")

    app = Bare()
    timings: list[float] = []
    instrument(app, timings)
    async with app.run_test(size=(140, 45)) as pilot:
        area = app.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)
        await pilot.pause()
        timings.clear()
        for _ in range(keys):
            await pilot.press("a")
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keys", type=int, default=400)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "typing.db")
        subprocess.run(
            [sys.executable, "-m", "tui.cli", "--db", db, "seed"],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        timings = asyncio.run(run(db, args.keys))
    bare = sorted(t * 1000 for t in asyncio.run(run_bare(args.keys)))
    ms = sorted(t * 1000 for t in timings)
    print(f"keys measured: {len(ms)} (Tandem), {len(bare)} (bare TextArea)")
    print(
        f"bare Textual TextArea, same text: median {statistics.median(bare):.2f} ms, p90 {bare[int(len(bare) * 0.9)]:.2f} ms"
    )
    print(
        f"Tandem summary editor: median {statistics.median(ms):.2f} ms, p90 {ms[int(len(ms) * 0.9)]:.2f} ms, max {ms[-1]:.2f} ms"
    )
    print(f"typing_median_ms: {statistics.median(ms):.2f}")


if __name__ == "__main__":
    main()
