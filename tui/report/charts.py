"""The report screen's three charts (textual-plotext). Labels are pseudonyms or user names (never
free text); they still pass through ``sanitise`` since a chart is drawn from plain strings.

Each series has its own marker or fill as well as its own colour, the legend is under the plot,
ticks are round and bar values are written in the bar labels (tui/chart_kit.py)."""

from __future__ import annotations

from textual_plotext import PlotextPlot
from textual_plotext.plot import Plot

from domain.reports import BurdenReport
from tui.chart_kit import FILLS, legend, marker, nice_ticks, tick_label
from tui.text import sanitise


def _reset(plot: PlotextPlot, title: str) -> Plot:
    plt = plot.plt
    plt.clear_data()
    plt.clear_figure()
    plt.title(title)
    return plt


def _minutes(value: float) -> str:
    return f"{round(value):,}"


class WeeklyChart(PlotextPlot):
    """Minutes with families and minutes recording, week by week (trial)."""

    SERIES = ("With families", "Recording")

    def draw(self, report: BurdenReport | None) -> None:
        plt = _reset(self, "Trial, week by week: minutes with families and minutes recording")
        weeks = [w for w in (report.by_week if report else []) if w.figures is not None]
        if not weeks:
            plt.title("No weeks to show (no trial records, or every week withheld)")
            self.refresh()
            return
        xs: list[float] = list(range(1, len(weeks) + 1))
        direct = [w.figures.direct_minutes for w in weeks]  # type: ignore[union-attr]  # weeks without figures left out above
        recording = [round(w.figures.recording_minutes) for w in weeks]  # type: ignore[union-attr]  # weeks without figures left out above
        for i, ys in enumerate((direct, recording)):
            plt.plot(xs, ys, marker=marker(i))
        step = max(1, len(xs) // 8)
        plt.xticks(xs[::step], [f"{w.week_start:%d/%m/%y}" for w in weeks][::step])
        ticks = nice_ticks(max(direct + recording) or 1)
        plt.ylim(0, ticks[-1])
        plt.yticks(ticks, [tick_label(t) for t in ticks])
        plt.ylabel("minutes")
        last = weeks[-1].figures
        assert last is not None
        plt.xlabel(
            legend(
                [
                    f"{self.SERIES[0]} (last week {_minutes(last.direct_minutes)})",
                    f"{self.SERIES[1]} (last week {_minutes(last.recording_minutes)})",
                ]
            )
        )
        self.refresh()


class RatioChart(PlotextPlot):
    """Minutes recorded per minute with families, one bar per practitioner (its value beside the
    name)."""

    def draw(self, report: BurdenReport | None) -> None:
        plt = _reset(self, "Recording minutes per minute with families, by practitioner")
        rows = [
            (sanitise(p.practitioner, single_line=True), p.trial.ratio)
            for p in (report.by_practitioner if report else [])
            if p.trial is not None and p.trial.ratio is not None
        ]
        if not rows:
            plt.title("No practitioner has time with families in this period")
            self.refresh()
            return
        rows.sort(key=lambda r: r[1])
        plt.bar(
            [f"{name} {ratio:.2f}" for name, ratio in rows],
            [round(ratio, 2) for _, ratio in rows],
            orientation="horizontal",
            width=0.6,
            marker=FILLS[1],
        )
        ticks = nice_ticks(max(r for _, r in rows) or 1)
        plt.xlim(0, ticks[-1])
        plt.xticks(ticks, [tick_label(t) for t in ticks])
        spread = report.trial.spread if report else None
        if spread is not None:
            plt.title(
                "Recording minutes per minute with families, by practitioner — median "
                f"{spread.median:.2f}, quartiles {spread.q1:.2f}–{spread.q3:.2f}"
            )
        self.refresh()


class CompareChart(PlotextPlot):
    """Baseline and trial side by side, per practitioner-week: baseline bars light (░), trial
    bars solid (█), each group's values in its label."""

    def draw(self, report: BurdenReport | None) -> None:
        plt = _reset(self, "Minutes per practitioner-week: baseline and trial")
        if report is None:
            self.refresh()
            return
        trial = report.trial
        series = [
            [
                round(trial.direct_per_practitioner_week or 0),
                round(trial.recording_per_practitioner_week or 0),
            ]
        ]
        labels = ["Trial"]
        fills = [FILLS[1]]
        if report.baseline is not None:
            b = report.baseline
            series.insert(
                0,
                [
                    round(b.direct_per_practitioner_week or 0),
                    round(b.recording_per_practitioner_week or 0),
                ],
            )
            labels.insert(0, "Baseline")
            fills.insert(0, FILLS[0])
        else:
            plt.title("Minutes per practitioner-week: trial (no baseline to compare)")
        groups = ["With families", "Recording"]
        names = [
            group + ": " + " / ".join(f"{s[g]:,}" for s in series) for g, group in enumerate(groups)
        ]
        plt.multiple_bar(names, series, marker=fills)  # type: ignore[arg-type]  # one per series: plotext takes a list
        ticks = nice_ticks(max(max(s) for s in series) or 1)
        plt.ylim(0, ticks[-1])
        plt.yticks(ticks, [tick_label(t) for t in ticks])
        plt.xlabel(legend(labels, fills) + "   (values: " + " / ".join(labels).lower() + ")")
        self.refresh()
