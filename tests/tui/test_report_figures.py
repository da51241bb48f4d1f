"""The burden screen holds every figure the CSV does: the whole scope's rows on the Summary tab
(with recording by activity), each week's row under the weekly table, each practitioner's rows
under theirs, reached with the keys (2, 3, down)."""

from __future__ import annotations

from textual.widgets import DataTable, Static

from tests.tui.conftest import sign_in
from tests.tui.test_report import wait_for_report
from tui.report.export import activity_rows, csv_rows, figure_lines


def _static(screen, selector: str) -> str:  # type: ignore[no-untyped-def]
    return " ".join(str(screen.query_one(selector, Static).render()).split())


def _holds(shown: str, row: dict) -> None:  # type: ignore[type-arg]
    for label, value in figure_lines(row):
        assert f"{label}: {value}" in shown, (label, value)


async def test_every_csv_figure_is_on_the_screen(tandem_app) -> None:  # type: ignore[no-untyped-def]
    app = tandem_app()
    async with app.run_test(size=(130, 45)) as pilot:
        await sign_in(pilot, "ellis.thornbury")
        screen = await wait_for_report(app, pilot)
        report = screen.report
        rows = csv_rows(report)

        overall = _static(screen, "#report-all-figures")
        for row in (r for r in rows if r["level"] == "all"):
            _holds(overall, row)
        activity = screen.query_one("#report-activity", DataTable)
        shown = [tuple(str(c) for c in activity.get_row_at(i)) for i in range(activity.row_count)]
        assert shown == activity_rows(report) and shown  # recording by activity, with shares

        await pilot.press("2")
        await pilot.pause()
        assert screen.query_one("#report-tabs").active == "weekly"
        weeks = screen.query_one("#report-weeks", DataTable)
        assert weeks.row_count == len(report.by_week) and app.focused is weeks
        for i, week in enumerate(report.by_week):
            if i:
                await pilot.press("down")
                await pilot.pause()
            detail = _static(screen, "#report-week-detail")
            for row in rows:
                if row["level"] == "week" and row["week_start"] == week.week_start.isoformat():
                    _holds(detail, row)

        await pilot.press("3")
        await pilot.pause()
        assert screen.query_one("#report-tabs").active == "people"
        people = screen.query_one("#report-people", DataTable)
        assert app.focused is people
        for i, p in enumerate(report.by_practitioner):
            if i:
                await pilot.press("down")
                await pilot.pause()
            detail = _static(screen, "#report-person-detail")
            assert p.practitioner in detail
            for row in rows:
                if row["level"] == "practitioner" and row["practitioner"] == p.practitioner:
                    _holds(detail, row)
