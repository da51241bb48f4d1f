"""A practitioner's skill trend across their recorded sessions: the three group means as a chart
(with the 3.5 skilful line) and every rating in a table. Reachable by the practitioner (their
own) and by a practice lead (the practitioners they support)."""

from __future__ import annotations

from rich.text import Text
from textual import getters
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Static
from textual_plotext import PlotextPlot

from domain.observations import SKILFUL, SkillGroup
from domain.services.observations import TrendPoint
from tui.app import TandemApp
from tui.chart_kit import legend, marker
from tui.feedback.observation_render import SKILL_ORDER, mean_text, rating_text
from tui.styles import css
from tui.text import cell, join
from tui.widgets.footer import TandemFooter
from tui.widgets.header import TandemHeader
from tui.workers import run_db

SHORT = {
    "empathy": "Emp",
    "collaboration": "Collab",
    "autonomy": "Auton",
    "purposefulness": "Purp",
    "clarity": "Clarity",
    "child_focus": "Child",
    "evocation": "Evoc",
}


class SkillTrendScreen(Screen[None]):
    app = getters.app(TandemApp)

    CSS_PATH = css("observations")

    BINDINGS = [Binding("escape", "app.pop_screen", "Back", id="back")]

    def __init__(self, practitioner_id: int, name: str) -> None:
        super().__init__()
        self.practitioner_id = practitioner_id
        self.practitioner_name = name
        self.points: list[TrendPoint] = []

    def compose(self) -> ComposeResult:
        yield TandemHeader()
        yield Static(
            join(Text("Skill trend — ", style="bold"), cell(self.practitioner_name, "bold")),
            id="trend-title",
        )
        yield Static(Text("Loading…"), id="trend-note", classes="muted")
        yield PlotextPlot(id="trend-plot")
        yield DataTable(id="trend-table", cursor_type="row", zebra_stripes=True)
        yield TandemFooter()

    def on_mount(self) -> None:
        from domain.services.observations import skill_trend

        table = self.query_one("#trend-table", DataTable)
        table.add_columns(
            "Session",
            *(SHORT[s.value] for s in SKILL_ORDER),
            *(g.label for g in SkillGroup),
        )
        ctx = self.app.ctx
        run_db(
            self,
            lambda: skill_trend(ctx, self.practitioner_id),
            self.show,
            failed=self._failed,
            exclusive=True,
        )

    def _failed(self, error: BaseException) -> None:
        self.app.show_error(error)
        self.app.pop_screen()

    def show(self, points: list[TrendPoint]) -> None:
        self.points = points
        table = self.query_one("#trend-table", DataTable)
        table.clear()
        for p in points:
            table.add_row(
                Text(p.session_date.strftime("%d %b %Y")),
                *(Text(rating_text(p.ratings.get(s))) for s in SKILL_ORDER),
                *(Text(mean_text(p.ratings, g, p.group_means.get(g))) for g in SkillGroup),
            )
        note = self.query_one("#trend-note", Static)
        if not points:
            note.update(Text("No rated feedback yet: the trend appears after the first feedback."))
        else:
            note.update(
                Text(
                    f"{len(points)} recorded session(s) with feedback. Group means 1–5; the "
                    f"grey line at {SKILFUL} marks skilful practice; (2/3) marks a partial mean, "
                    "over only the skills rated."
                )
            )
        self.draw()

    def draw(self) -> None:
        plot = self.query_one("#trend-plot", PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        plt.title("Group means by session")
        plt.ylim(1, 5)
        plt.yticks([1, 2, 3, 3.5, 4, 5], ["1", "2", "3", "3.5", "4", "5"])
        if self.points:
            xs: list[float] = list(range(1, len(self.points) + 1))
            plt.xticks(xs, [p.session_date.strftime("%d/%m/%y") for p in self.points])
            plt.xlim(0.5, len(xs) + 0.5)
            plt.hline(SKILFUL, "gray")
            names: list[tuple[str, str]] = []
            for i, group in enumerate(SkillGroup):
                pairs = [
                    (x, mean)
                    for x, p in zip(xs, self.points, strict=True)
                    if (mean := p.group_means.get(group)) is not None
                ]
                if pairs:
                    # Own marker per group, legend under the plot (tui/chart_kit.py).
                    plt.plot([x for x, _ in pairs], [y for _, y in pairs], marker=marker(i))
                    names.append((marker(i), f"{group.label} {round(pairs[-1][1], 1):g}"))
            plt.xlabel(legend([n for _, n in names], [m for m, _ in names]))
        plot.refresh()
