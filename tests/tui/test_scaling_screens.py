"""Scaling on screen, driven by keys: the caseload and the family overview show the same figure
(domain.scaling's one definition), and a new summary's "Latest scaling" starts filled in from
the recorded scaling, editable, and ctrl+l fills it in again."""

from __future__ import annotations

from textual.widgets import DataTable, TextArea

from domain.services.mappings import family_scaling_of, scaling_summary_text
from domain.services.summaries import list_summaries
from domain.summaries import SummarySection
from tests.tui.conftest import screen_text, settle, sign_in

SIZE = (130, 40)


async def test_caseload_overview_and_a_new_summary_show_the_same_scaling(tandem_app) -> None:
    app = tandem_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "amara.osei")
        await settle(pilot)
        table = app.screen.query_one("#caseload-table", DataTable)
        row = next(
            " | ".join(str(c) for c in table.get_row_at(i))
            for i in range(table.row_count)
            if str(table.get_row_at(i)[0]) == "FAM-0102"
        )
        await pilot.press("slash", *"FAM-0102", "enter", "enter")
        await settle(pilot)
        family_id = app.screen.family_id  # type: ignore[attr-defined]
        scaling = family_scaling_of(app.ctx, family_id)
        assert scaling.figure is not None
        assert scaling.figure_text() in row  # the caseload's column
        overview = screen_text(app)
        assert f"{scaling.figure_text()} " in overview  # the overview's "Latest scaling"
        assert "mean of each person's latest" in overview
        assert scaling.people[0].describe() in overview

        # n on the Summaries tab: the new summary's scaling section is already written.
        before = {s.id for s in list_summaries(app.ctx, family_id)}
        await pilot.press("4")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        area = app.screen.query_one("#field-latest-scaling", TextArea)
        expected = scaling_summary_text(app.ctx, family_id)
        assert area.text == expected and expected.startswith(
            f"Family scaling {scaling.figure_text()}"
        )
        # The author edits it; ctrl+l puts the recorded scaling back; ctrl+z undoes that.
        area.focus()
        await pilot.press(*"Mum scaled 4. ")
        assert area.text == "Mum scaled 4. " + expected
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert area.text == expected
        await pilot.press("ctrl+z")
        assert area.text == "Mum scaled 4. " + expected
        await pilot.press("ctrl+s")
        await settle(pilot)
        new = next(s for s in list_summaries(app.ctx, family_id) if s.id not in before)
        assert new.text_of(SummarySection.LATEST_SCALING) == "Mum scaled 4. " + expected
