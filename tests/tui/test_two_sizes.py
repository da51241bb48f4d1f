"""Every screen at 80×24 (a laptop terminal) and at 160×50, as text snapshots — one app per role.

Each role signs in once through the demo picker and walks every case of
tests/tui/test_small_terminal.py (CASES) in turn: back to the role's home screen by escape, then
the case's keys. On each screen:

- at 80×24 the usability checks of test_small_terminal (widgets on screen and large enough, the
  main keys readable in the footer, no error shown);
- what the terminal shows, at 160×50 and at 80×24, is compared with the stored snapshot
  (tests/tui/__snapshots__/test_two_sizes.ambr): text, one line per terminal row, so a change
  reads as a diff of the screen itself.

After a deliberate change of a screen, update and READ the snapshots:

    uv run pytest tests/tui/test_two_sizes.py --snapshot-update
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.tui.conftest import shown, sign_in, until_still
from tests.tui.test_small_terminal import CASES, Case, problems_of
from tests.tui.test_snapshots import (
    ADMIN,
    LEAD,
    MANAGER,
    PRACTITIONER,
    PROJECT,
    deterministic,  # noqa: F401 - the fixture: fixed pseudonym secret and plot ticks
    screen_is,
    settle,
    still_cursors,
    wait_until,
)

BIG = (160, 50)
SMALL = (80, 24)

HOME = {
    PRACTITIONER: "CaseloadScreen",
    MANAGER: "ManagerHome",
    LEAD: "LeadHome",
    PROJECT: "BurdenReportScreen",
    ADMIN: "AdminHome",
}
#: Keys that put a home screen back as it first shows (its first tab).
RESET = {MANAGER: ("1",), PROJECT: ("1",), ADMIN: ("1",)}


#: A role's cases are walked in parts of at most this many, each its own test (signing in
#: afresh), so that the practitioner's long walk is shared between the suite's workers.
PART = 5


def walks() -> dict[str, list[str]]:
    """The cases by role, in parts (sign-in cases each on their own: they never sign in)."""
    by_role: dict[str, list[str]] = {}
    for name, spec in CASES.items():
        key = spec.user if spec.user is not None else name
        by_role.setdefault(key, []).append(name)
    out: dict[str, list[str]] = {}
    for key, names in by_role.items():
        parts = [names[i : i + PART] for i in range(0, len(names), PART)]
        for n, part in enumerate(parts, 1):
            out[key if len(parts) == 1 else f"{key}-{n}"] = part
    return out


WALKS = walks()


async def go_home(pilot, user: str) -> None:  # type: ignore[no-untyped-def]
    home = HOME[user]
    for _ in range(10):
        if screen_is(pilot, home) and len(pilot.app.screen_stack) <= 2:
            break
        await pilot.press("escape")
        await settle(pilot)
    assert screen_is(pilot, home), type(pilot.app.screen).__name__
    for key in RESET.get(user, ()):
        await pilot.press(key)
        await settle(pilot)


async def look(pilot, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    """Resize, then wait until the screen stops changing: a table refilled for the new width
    measures its columns when it is next idle, and a busy machine can paint the frame between
    (cells cut at their heading's width) after the workers are done."""
    if pilot.app.size != size:
        await pilot.resize_terminal(*size)
    await settle(pilot)
    await still_cursors(pilot)
    await until_still(pilot)


def words(text: str) -> str:
    """What the terminal shows, each run of spaces made one: the words, their order and their
    lines are compared; a table's column padding (set by when its width was first known, which
    varies with machine load) is not. Layout at 80x24 is checked by problems_of."""
    return "\n".join(re.sub(r" {2,}", "  ", line).rstrip() for line in text.splitlines())


@pytest.mark.every_frame  # every screen drawn frame by frame, as in a terminal (conftest.py)
@pytest.mark.parametrize("walk", list(WALKS))
async def test_every_screen_at_two_sizes(walk: str, tandem_app, snapshot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # The family copy's folder, the same on every machine (a HOME that does not exist here would
    # fall back to the current folder, which differs between checkouts).
    monkeypatch.setattr("tui.family.plan_export.default_directory", lambda: Path("/home/tandem"))
    monkeypatch.setenv("HOME", "/home/tandem")  # the report's CSV path, the same everywhere
    names = WALKS[walk]
    first: Case = CASES[names[0]]
    app = tandem_app(demo=first.demo)
    errors: list[str] = []
    notify: Callable[..., None] = app.notify

    def noting(message, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        if kwargs.get("severity") == "error":
            errors.append(f"{kwargs.get('title', '')}: {message}")
        notify(message, *args, **kwargs)

    app.notify = noting  # type: ignore[method-assign]
    async with app.run_test(size=BIG) as pilot:
        if first.user is None:
            selector = "#demo-users" if first.demo else "#username"
            await wait_until(pilot, lambda: bool(app.screen.query(selector)), "sign-in")
        else:
            await sign_in(pilot, first.user)
            await settle(pilot)
        for name in names:
            spec = CASES[name]
            if spec.user is not None:
                await look(pilot, BIG)
                await go_home(pilot, spec.user)
            for step in spec.steps:
                await step(pilot)
            await wait_until(pilot, lambda: screen_is(pilot, spec.screen), spec.screen)  # noqa: B023
            await look(pilot, BIG)
            assert words(shown(app)) == snapshot(name=f"{name}-160x50")
            await look(pilot, SMALL)
            assert problems_of(app, spec) == [], name
            assert words(shown(app)) == snapshot(name=f"{name}-80x24")
            assert errors == [], name
