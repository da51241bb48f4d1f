"""``tandem serve`` in a real browser: Debian's Chromium, headless, driven by Playwright.

Playwright's wheel carries its driver; no browser is downloaded (``playwright install`` is never
run): it drives the system's Chromium through ``executable_path``. What the page shows is read
from the terminal's own text (xterm.js's buffer, via ``tandem.screenText()`` in
tui/web/static/tandem.js), never from a screenshot.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import build_once, seed_demo
from tests.integration.serve_helpers import (
    CHROMIUM_ARGS,
    PATIENCE,
    chromium_path,
    query,
    serving,
    wait_until,
)

playwright_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is in the dev group (uv sync)"
)

CHROMIUM = chromium_path()
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="Debian's chromium is not installed (.ci/run installs it: apt-get install chromium)",
)

PASSPHRASE = "tandem-demo-pass"


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo data dated from the real today (the served app reads the system clock), seeded
    once per run for every xdist worker (seeding is slow)."""
    return build_once(tmp_path_factory, "serve-demo.db", lambda path: seed_demo(path, now=None))


@pytest.fixture
def database(seeded_template: Path, tmp_path: Path) -> Path:
    target = tmp_path / "tandem.db"
    shutil.copyfile(seeded_template, target)
    return target


@pytest.fixture
def browser() -> Iterator[object]:
    """A fresh Chromium profile in a temporary folder."""
    with playwright_api.sync_playwright() as p, tempfile.TemporaryDirectory() as profile:
        context = p.chromium.launch_persistent_context(
            profile,
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
            accept_downloads=True,
            viewport={"width": 1280, "height": 860},
        )
        try:
            yield context
        finally:
            context.close()


# --- reading and typing ------------------------------------------------------------------------


def screen(page) -> str:  # type: ignore[no-untyped-def]
    return page.evaluate("() => window.tandem ? window.tandem.screenText() : ''")


def wait_for_text(page, *texts: str) -> str:  # type: ignore[no-untyped-def]
    """Wait until the terminal shows every one of ``texts``; return the screen."""

    def shown() -> str | None:
        text = screen(page)
        return text if all(t in text for t in texts) else None

    try:
        return wait_until(f"the page to show {texts!r}", shown)
    except AssertionError as error:
        raise AssertionError(f"{error}; the page shows:\n{screen(page)}") from None


def wait_for_gone(page, text: str) -> None:  # type: ignore[no-untyped-def]
    wait_until(f"{text!r} to leave the page", lambda: text not in screen(page))


def type_into(page, text: str) -> None:  # type: ignore[no-untyped-def]
    """Type ``text`` and wait until the screen shows it (keys reach the app in order)."""
    page.keyboard.type(text)
    wait_for_text(page, text)


# --- the tests ---------------------------------------------------------------------------------


def test_sign_in_log_a_contact_download_the_family_copy_all_from_tandem_itself(
    database: Path, tmp_path: Path, browser
) -> None:  # type: ignore[no-untyped-def]
    with serving(database, tmp_path) as served:
        origin = urlsplit(served.url).netloc
        requests: list[str] = []
        sockets: list[str] = []
        policy_violations: list[str] = []
        downloads = []
        browser.on("request", lambda request: requests.append(request.url))
        page = browser.new_page()
        page.on("websocket", lambda ws: sockets.append(ws.url))
        page.on("download", lambda download: downloads.append(download))
        page.on(
            "console",
            lambda message: (
                policy_violations.append(message.text)
                if "Content Security Policy" in message.text
                else None
            ),
        )

        page.goto(served.url + "/")
        assert page.title() == "Tandem"

        # Sign-in is the gate: user name and passphrase, typed (no demo picker without --demo).
        signin = wait_for_text(page, "user name", "passphrase", "Sign in")
        assert "choose who to be" not in signin
        type_into(page, "amara.osei")
        page.keyboard.press("Enter")
        page.keyboard.type(PASSPHRASE)
        page.keyboard.press("Enter")
        caseload = wait_for_text(page, "Amara Osei", "FAM-0102", "Begum family")
        assert "passphrase" not in caseload

        # Open a family from the caseload search.
        page.keyboard.press("/")
        type_into(page, "Begum")
        page.keyboard.press("Enter")
        wait_for_text(page, "1 of 5 families")
        page.keyboard.press("Enter")
        wait_for_text(page, "1 Overview", "Begum family", "Sadia Khan")

        # Log a contact.
        page.keyboard.press("5")
        wait_for_text(page, "Log contact")
        page.keyboard.press("n")
        wait_for_text(page, "Log a contact", "recording time", "Minutes")
        # The form is ready (mounted, the kind focused) once its defaults are filled in: today's
        # date in the date field. Keys sent before that could land on the list behind it.
        wait_for_text(page, date.today().strftime("%d/%m/%Y"))
        page.keyboard.press("Tab")  # from the kind to the minutes
        type_into(page, "45")
        # To "Present": past "seen" and "alone" for each of the family's two children (Sadia and
        # Rayan; contacts record each child seen, migration 0014), then into the field.
        for _ in range(5):
            page.keyboard.press("Tab")
        type_into(page, "Mum, Sadia")
        page.keyboard.press("Tab")
        note = "Browser visit, all well"  # short enough for the list's column
        type_into(page, note)
        page.keyboard.press("Enter")  # enter in a field saves the contact
        wait_for_gone(page, "Log a contact")
        wait_for_text(page, "Mum, Sadia")  # the new row in the list (its note column is cut)
        wait_until(
            "the contact saved",
            lambda: query(database, "SELECT 1 FROM contacts WHERE note = ?", note) != [],
            sleep=lambda seconds: page.wait_for_timeout(seconds * 1000),
        )
        rows = query(database, "SELECT minutes, present FROM contacts WHERE note = ?", note)
        assert rows == [(45, "Mum, Sadia")]

        # The family copy downloads to the browser, not to the server's disk.
        page.keyboard.press("2")
        wait_for_text(page, "Family copy")
        page.keyboard.press("x")
        wait_for_text(page, "Family copy of the plan", "Your browser will download")
        page.keyboard.press("Enter")
        wait_until(
            "two downloads",
            lambda: len(downloads) >= 2,
            sleep=lambda seconds: page.wait_for_timeout(seconds * 1000),
        )
        wait_for_text(page, "downloaded by your browser")
        got = {d.suggested_filename: Path(d.path()).read_text(encoding="utf-8") for d in downloads}
        assert set(got) == {"FAM-0102-family-plan.md", "FAM-0102-family-plan.html"}
        assert got["FAM-0102-family-plan.md"].startswith("# Our plan together: Begum family")
        html = got["FAM-0102-family-plan.html"]
        assert html.startswith("<!DOCTYPE html>") and "Our plan together: Begum family" in html
        on_server = [p for p in served.home.rglob("*family-plan*")] + [
            p for p in tmp_path.glob("*family-plan*")
        ]
        assert on_server == []

        # A tab closed with an editor open: its process ends, and the session and text are kept.
        (before,) = query(database, "SELECT coalesce(max(id), 0) FROM recording_sessions")[0]
        page.keyboard.press("5")
        wait_for_text(page, "Log contact")
        page.keyboard.press("n")
        wait_for_text(page, "Log a contact", "recording time")
        wait_for_text(page, date.today().strftime("%d/%m/%Y"))  # ready: see above
        # To "What happened": minutes, seen and alone for each of the two children, present.
        for _ in range(7):
            page.keyboard.press("Tab")
        type_into(page, "Half-written note, tab closed")
        page.close()
        wait_until(
            "the closed tab's recording session",
            lambda: query(
                database,
                "SELECT s.id FROM recording_sessions s JOIN users u ON u.id = s.user_id "
                "WHERE s.id > ? AND u.username = 'amara.osei' AND s.activity = 'contact_log'",
                before,
            ),
        )
        drafts = wait_until(
            "the closed tab's draft",
            lambda: query(database, "SELECT content FROM drafts WHERE content LIKE '%tab closed%'"),
        )
        assert "Half-written note, tab closed" in drafts[0][0]
        wait_until("the tab's process to end", lambda: "tab closed; 0 open" in served.log_text())

    # Every request the page made went to the Tandem server itself.
    assert requests, "the page made no requests?"
    elsewhere = [u for u in requests + sockets if urlsplit(u).netloc != origin]
    assert elsewhere == []
    assert any(urlsplit(u).path == "/ws" for u in sockets)
    assert any(u.endswith(".ttf") for u in requests), "the terminal's font comes from Tandem"
    assert policy_violations == []


def test_one_tab_more_than_max_sessions_gets_the_busy_page(
    database: Path, tmp_path: Path, browser
) -> None:  # type: ignore[no-untyped-def]
    max_sessions = 2
    with serving(database, tmp_path, "--max-sessions", str(max_sessions)) as served:
        tabs = []
        for _ in range(max_sessions):
            tab = browser.new_page()
            tab.goto(served.url + "/")
            wait_for_text(tab, "user name", "passphrase")
            tabs.append(tab)

        extra = browser.new_page()
        response = extra.goto(served.url + "/")
        assert response is not None and response.status == 503
        assert extra.title() == "Tandem is busy"
        body = extra.inner_text("body")
        assert "The server is busy" in body
        assert f"all {max_sessions} Tandem windows" in body

        # A tab closed frees its place: the next one opens at the sign-in screen again.
        tabs.pop().close()
        wait_until(
            "the closed tab to free its place",
            lambda: f"tab closed; {max_sessions - 1} open" in served.log_text(),
            timeout=PATIENCE,
        )
        again = extra.goto(served.url + "/")
        assert again is not None and again.status == 200
        wait_for_text(extra, "user name", "passphrase")
