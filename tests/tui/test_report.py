"""The recording-burden report screen, driven as project staff and as a manager."""

from __future__ import annotations

import csv
from datetime import timedelta
from pathlib import Path

from textual.widgets import DataTable, Input, ProgressBar, Select, Static

from domain.audit import AuditAction
from domain.services.admin import set_report_min_group
from tests.tui.conftest import screen_text, sign_in
from tui.report.screen import BurdenReportScreen, ExportDialog

PRACTITIONER_NAMES = ("Amara", "Osei", "amara.osei", "Tom Gallagher", "Nadia", "Kwame")


async def wait_for_report(app, pilot) -> BurdenReportScreen:  # type: ignore[no-untyped-def]
    for _ in range(50):
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        if (
            isinstance(screen, BurdenReportScreen)
            and screen.report is not None
            and not screen.running
        ):
            return screen
    raise AssertionError("the report did not finish")


def family_names(runtime) -> list[str]:  # type: ignore[no-untyped-def]
    with runtime.uow_factory() as uow:
        families = uow.families.list(include_closed=True)
    names = [f.name for f in families]
    names += [m.name for f in families for m in f.members]
    return names


async def test_project_staff_land_on_the_report_and_see_only_pseudonyms(
    tandem_app, runtime
) -> None:  # type: ignore[no-untyped-def]
    app = tandem_app()
    async with app.run_test(size=(130, 45)) as pilot:
        await sign_in(pilot, "ellis.thornbury")
        screen = await wait_for_report(app, pilot)
        text = screen_text(app)
        assert "Minutes with families" in text and "Baseline" in text
        assert "practitioners shown as pseudonyms" in text
        assert "Report ready." in text
        # The new blocks: baseline dates, like with like, the change sentence, calibration and
        # the conventions.
        report = screen.report
        assert report is not None and report.baseline_first is not None
        assert f"{report.baseline_first:%d %b %Y} to {report.baseline_last:%d %b %Y}" in text
        assert "not measured in the trial" in text
        assert report.change is not None
        assert report.change.sentences()[0] in text
        assert "Calibration" in text and "idle gap" in text and "practitioner-days" in text
        assert screen.query_one("#report-progress", ProgressBar).progress == 4
        people = screen.query_one("#report-people", DataTable)
        labels = [str(people.get_row_at(i)[0]) for i in range(people.row_count)]
        assert len(labels) == 8 and all(label.startswith("P-") for label in labels)
        for name in PRACTITIONER_NAMES:
            assert name not in text
        for name in family_names(runtime):
            assert name not in text
        # The charts are drawn from the same report.
        await pilot.press("3")
        await pilot.pause()
        assert screen.query_one("#report-tabs").active == "people"


async def test_filtering_by_team_and_period_reruns_the_report(tandem_app, runtime) -> None:  # type: ignore[no-untyped-def]
    app = tandem_app()
    async with app.run_test(size=(130, 45)) as pilot:
        await sign_in(pilot, "ellis.thornbury")
        screen = await wait_for_report(app, pilot)
        everyone = screen.report.trial.direct_minutes  # type: ignore[union-attr]
        select = screen.query_one("#report-team", Select)
        teams = [str(v) for _label, v in select._options if v != "__all__"]  # type: ignore[attr-defined]
        assert len(teams) == 2
        select.value = teams[0]
        screen.query_one("#field-start", Input).focus()
        await pilot.press("-", "2", "8", "enter")  # from four weeks ago
        screen = await wait_for_report(app, pilot)
        report = screen.report
        assert report is not None and report.team == teams[0]
        assert report.start == runtime.clock.today() - timedelta(days=28)
        assert report.trial.direct_minutes < everyone
        assert len(report.by_practitioner) == 4
        with runtime.uow_factory() as uow:
            staff = uow.users.by_username("ellis.thornbury")
            events = [e for e in uow.audit.list(user_id=staff.id) if e.action is AuditAction.REPORT]
        # The first report, the one the team change ran, and the one the new date ran.
        assert len(events) == 3 and teams[0] in events[-1].detail


async def test_a_bad_date_is_explained_next_to_the_form(tandem_app) -> None:  # type: ignore[no-untyped-def]
    app = tandem_app()
    async with app.run_test(size=(130, 45)) as pilot:
        await sign_in(pilot, "ellis.thornbury")
        screen = await wait_for_report(app, pilot)
        field = screen.query_one("#field-end", Input)
        field.focus()
        await pilot.press(*"31/02/2026", "enter")
        await pilot.pause()
        message = str(screen.query_one("#report-message", Static).render())
        assert "To must be a date" in message
        assert app.focused is field and field.value == "31/02/2026"


async def test_export_to_csv_from_the_screen(tandem_app, runtime, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    app = tandem_app()
    target = tmp_path / "burden.csv"
    async with app.run_test(size=(130, 45)) as pilot:
        await sign_in(pilot, "ellis.thornbury")
        screen = await wait_for_report(app, pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)
        app.screen.query_one("#field-path", Input).value = str(target)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is screen
    lines = target.read_text(encoding="utf-8").splitlines()
    # The conventions head the file as comment lines; the table follows.
    assert lines[0].startswith("# Recording burden") and any("idle gap" in x for x in lines)
    rows = list(csv.DictReader(x for x in lines if not x.startswith("#")))
    assert rows[0]["series"] == "trial" and rows[0]["level"] == "all"
    assert int(rows[0]["direct_minutes"]) == screen.report.trial.direct_minutes  # type: ignore[union-attr]
    people = [r for r in rows if r["level"] == "practitioner"]
    assert people and all(r["practitioner"].startswith("P-") and not r["name"] for r in people)
    text = target.read_text(encoding="utf-8")
    for name in PRACTITIONER_NAMES:
        assert name not in text
    with runtime.uow_factory() as uow:
        exports = [e for e in uow.audit.list() if e.action is AuditAction.EXPORT]
    assert exports and str(target) in exports[-1].detail


async def test_a_manager_sees_their_own_team_by_name(tandem_app) -> None:  # type: ignore[no-untyped-def]
    app = tandem_app()
    async with app.run_test(size=(130, 45)) as pilot:
        await sign_in(pilot, "fiona.macleod")
        home = app.screen
        await pilot.press("b")  # the manager's home: "Recording burden"
        screen = await wait_for_report(app, pilot)
        report = screen.report
        assert report is not None and report.identified
        assert report.team and report.team.startswith("Millbrook")
        text = screen_text(app)
        assert "Amara Osei" in text and "Nadia" not in text
        select = screen.query_one("#report-team", Select)
        assert select.disabled
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is home


async def test_a_team_too_small_to_show_is_explained_and_nothing_stale_stays(  # type: ignore[no-untyped-def]
    tandem_app, runtime
) -> None:
    # The administrator's site setting, not the viewer's: each demo team has 4 practitioners.
    set_report_min_group(runtime.system_context(), 5, reason="test")
    app = tandem_app()
    async with app.run_test(size=(130, 45)) as pilot:
        await sign_in(pilot, "ellis.thornbury")
        screen = await wait_for_report(app, pilot)
        assert screen.query_one("#report-people", DataTable).row_count == 8
        select = screen.query_one("#report-team", Select)
        select.value = next(v for _l, v in select._options if v != "__all__")  # type: ignore[attr-defined]
        for _ in range(50):  # changing the team runs the report again by itself
            await app.workers.wait_for_complete()
            await pilot.pause()
            if not screen.running:
                break
        message = str(screen.query_one("#report-message", Static).render())
        assert "Fewer than 5 practitioners" in message
        assert screen.report is None
        assert screen.query_one("#report-people", DataTable).row_count == 0
        assert "Minutes with families" not in screen_text(app)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, ExportDialog)  # nothing to export
