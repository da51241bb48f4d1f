"""Charts read on a monochrome terminal and to a colour-blind reader (tui/chart_kit.py): each
series has its own marker or fill, the legend is under the plot, ticks are round, and bar values
are written in their labels. Drawn from the hand-computed report data (tests/report_fixtures.py)
in a bare app; the characters on screen are what is checked, not the colours."""

from __future__ import annotations

from datetime import date

from textual.app import App, ComposeResult

from domain.services.reports import burden_report
from tests.fakes import fake_uow_factory
from tests.report_fixtures import build_hand_data
from tui.chart_kit import legend, nice_ticks, tick_label
from tui.family.mapping_scaling import ScalingChart
from tui.report.charts import CompareChart, RatioChart, WeeklyChart


def test_ticks_are_round_and_legends_name_each_marker() -> None:
    assert nice_ticks(8778) == [0, 2000, 4000, 6000, 8000, 10000]
    assert nice_ticks(964.0) == [0, 200, 400, 600, 800, 1000]
    assert [tick_label(t) for t in nice_ticks(1.37)] == ["0", "0.5", "1", "1.5"]
    assert legend(["With families", "Recording"]) == "● With families   + Recording"


class Charts(App[None]):
    def compose(self) -> ComposeResult:
        yield WeeklyChart(id="weekly")
        yield RatioChart(id="ratio")
        yield CompareChart(id="compare")
        yield ScalingChart(id="scaling")


def _text(chart) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(line.text for line in chart.render_lines(chart.region.reset_offset))


async def test_every_chart_tells_its_series_apart_without_colour() -> None:
    factory = fake_uow_factory()
    data = build_hand_data(factory)
    report = burden_report(
        data.ctx(factory, "admin"), start=date(2025, 3, 3), end=date(2025, 3, 16)
    )
    app = Charts()
    async with app.run_test(size=(100, 120)) as pilot:
        for chart_id in ("weekly", "ratio", "compare"):
            app.query_one(f"#{chart_id}").styles.height = 24
        app.query_one("#scaling").styles.height = 24
        app.query_one(WeeklyChart).draw(report)
        app.query_one(RatioChart).draw(report)
        app.query_one(CompareChart).draw(report)
        app.query_one(ScalingChart).draw(
            {
                "Dana Reid": [(date(2025, 1, 5), 3), (date(2025, 2, 1), 5)],
                "Sam Jones": [(date(2025, 1, 5), 6), (date(2025, 2, 1), 4)],
            }
        )
        await pilot.pause()
        weekly = _text(app.query_one(WeeklyChart))
        assert "●" in weekly and "+" in weekly  # two line markers
        assert "● With families (last week" in weekly and "+ Recording (last week" in weekly
        assert "⢕" not in weekly  # no braille-only series
        ratio = _text(app.query_one(RatioChart))
        assert "0.60" in ratio  # ann's ratio 90/150 beside her bar
        compare = _text(app.query_one(CompareChart))
        assert "░" in compare and "█" in compare  # baseline light, trial solid
        assert "░ Baseline   █ Trial" in compare
        for text in (weekly, compare):
            y_ticks = [line.split("┤")[0].strip() for line in text.splitlines() if "┤" in line]
            assert y_ticks and all(t.replace(",", "").isdigit() for t in y_ticks), y_ticks
        chart = app.query_one(ScalingChart)
        scaling = _text(chart)
        assert "●" in scaling and "+" in scaling
        assert chart.legend == "Key: ● Dana Reid 5   + Sam Jones 4"
