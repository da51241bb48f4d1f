"""The app as ``tandem serve`` runs it in each browser tab, driven with Pilot.

A browser tab is simulated by making ``App.is_web`` true and capturing ``App.deliver_text`` /
``App.open_url`` (what Textual's web driver turns into a download or a new browser tab); the real
browser path is covered by tests/integration/test_serve_browser.py.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from textual.widgets import Input

from domain.audit import AuditAction
from tests.tui.conftest import settle, sign_in
from tests.tui.test_plan import open_plan_tab
from tests.tui.test_recording_clock import open_contact_form, sessions_of
from tests.tui.test_report import wait_for_report
from tui.app import TandemApp
from tui.web.tab import make_app


@pytest.fixture
def in_browser(monkeypatch):  # type: ignore[no-untyped-def]
    """Run the app as if in a browser tab; returns what it delivered and opened."""
    delivered: list[dict[str, object]] = []
    opened: list[str] = []

    def deliver_text(self, path_or_file, **kwargs):  # type: ignore[no-untyped-def]
        assert isinstance(path_or_file, io.StringIO)
        delivered.append({"text": path_or_file.getvalue(), **kwargs})
        return "key"

    monkeypatch.setattr(TandemApp, "is_web", property(lambda self: True))
    monkeypatch.setattr(TandemApp, "deliver_text", deliver_text)
    monkeypatch.setattr(TandemApp, "open_url", lambda self, url, new_tab=True: opened.append(url))
    return delivered, opened


async def until(pilot, condition) -> None:  # type: ignore[no-untyped-def]
    for _ in range(100):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if condition():
            return
    raise AssertionError("the screen never got there")


@pytest.mark.parametrize("demo", [False, True])
async def test_a_tab_starts_at_the_sign_in_screen_and_only_demo_offers_the_picker(
    demo_db: Path, demo: bool
) -> None:
    env = {"TANDEM_DATABASE_URL": str(demo_db), "TANDEM_SERVE_DEMO": "1" if demo else ""}
    app = make_app(env)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: app.screen.query("#username") or app.screen.query("#demo-users"))
        assert app.user is None
        assert bool(app.screen.query("#demo-users")) is demo
        assert bool(app.screen.query("#passphrase")) is not demo


async def test_quitting_with_an_editor_open_keeps_the_text_and_records_the_session(
    tandem_app, runtime, clock
) -> None:  # type: ignore[no-untyped-def]
    """A closed browser tab, SIGTERM, SIGHUP and ctrl+q all end the app this way."""
    from domain.services.drafts import get_draft

    app = tandem_app()
    async with app.run_test(size=(130, 40)) as pilot:
        editor = await open_contact_form(app, pilot)
        before = len(sessions_of(runtime, "amara.osei"))
        app.set_focus(editor.query_one("#field-note", Input))
        for key in "Tab closed mid-note":
            clock.advance(seconds=2)
            await pilot.press("space" if key == " " else key)
        key, user = editor.draft_key(), app.user
        app.exit()
    sessions = sessions_of(runtime, "amara.osei")
    # The session was stored when the editor opened (crash-safe) and is updated in place.
    assert len(sessions) == before
    assert sessions[-1].active_seconds == 2 * len("Tab closed mid-note")
    draft = get_draft(runtime.context(user), key)
    assert draft is not None and "Tab closed mid-note" in draft.content


async def test_in_a_browser_the_family_copy_is_downloaded_not_written_on_the_server(
    tandem_app, in_browser, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from tui.family.plan_export import ExportDialog

    delivered, _ = in_browser
    monkeypatch.setenv("HOME", str(tmp_path))
    app = tandem_app()
    async with app.run_test(size=(140, 45)) as pilot:
        await sign_in(pilot, "amara.osei")
        await open_plan_tab(pilot, "FAM-0101")
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, ExportDialog)
        assert not app.screen.query("#field-directory")  # no server folder to choose
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, ExportDialog)
    names = {d["save_filename"]: d for d in delivered}
    assert set(names) == {"FAM-0101-family-plan.md", "FAM-0101-family-plan.html"}
    assert names["FAM-0101-family-plan.md"]["mime_type"] == "text/markdown"
    assert names["FAM-0101-family-plan.html"]["mime_type"] == "text/html"
    assert str(names["FAM-0101-family-plan.md"]["text"]).startswith("# Our plan together")
    assert list(tmp_path.rglob("*family-plan*")) == []


async def test_in_a_browser_the_burden_report_csv_is_downloaded_and_audited(
    tandem_app, runtime, in_browser
) -> None:  # type: ignore[no-untyped-def]
    from tui.report.screen import ExportDialog

    delivered, _ = in_browser
    app = tandem_app()
    async with app.run_test(size=(130, 45)) as pilot:
        await sign_in(pilot, "ellis.thornbury")
        screen = await wait_for_report(app, pilot)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: delivered)
        assert not isinstance(app.screen, ExportDialog)  # no path to ask for
    (csv_file,) = delivered
    name = str(csv_file["save_filename"])
    assert name.startswith("tandem-burden-") and name.endswith(".csv")
    assert csv_file["mime_type"] == "text/csv"
    lines = io.StringIO(str(csv_file["text"]))
    rows = list(csv.DictReader(line for line in lines if not line.startswith("#")))
    assert int(rows[0]["direct_minutes"]) == screen.report.trial.direct_minutes  # type: ignore[union-attr]
    with runtime.uow_factory() as uow:
        exports = [e for e in uow.audit.list() if e.action is AuditAction.EXPORT]
    assert exports and f"CSV download {name}" in exports[-1].detail


def test_in_a_browser_a_web_link_opens_in_a_new_tab_and_a_server_file_does_not() -> None:
    from tui.widgets.recordings import open_in_browser

    opened: list[str] = []

    class FakeApp:
        def open_url(self, url: str, new_tab: bool = True) -> None:
            assert new_tab
            opened.append(url)

    app = FakeApp()
    assert open_in_browser(app, " https://recordings.example.org/s/42 ") is None
    assert opened == ["https://recordings.example.org/s/42"]
    for link in ("/srv/recordings/visit.m4a", "file:///srv/recordings/visit.m4a"):
        message = open_in_browser(app, link)
        assert message is not None and "file on the server's disk" in message
    assert "javascript" not in " ".join(opened)
    assert open_in_browser(app, "javascript:alert(1)") is not None
    assert len(opened) == 1
