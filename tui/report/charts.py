"""The report screen's three charts (textual-plotext). Labels are pseudonyms or user names (never
free text); they still pass through ``sanitise`` since a chart is drawn from plain strings."""

from __future__ import annotations

from textual_plotext import PlotextPlot

from domain.reports import BurdenReport
from tui.text import sanitise


def _reset(plot: PlotextPlot, title: str) -> object:
    plt = plot.plt
    plt.clear_data()
    plt.clear_figure()
    plt.title(title)
    return plt


class WeeklyChart(PlotextPlot):
    """Minutes with families and minutes recording, week by week (trial)."""

    def draw(self, report: BurdenReport | None) -> None:
        plt = _reset(self, "Trial, week by week: minutes with families and minutes recording")
        weeks = [w for w in (report.by_week if report else []) if w.figures is not None]
        if not weeks:
            plt.title("No weeks to show (no trial records, or every week withheld)")  # type: ignore[attr-defined]
            self.refresh()
            return
        xs = list(range(1, len(weeks) + 1))
        direct = [w.figures.direct_minutes for w in weeks]  # type: ignore[union-attr]
        recording = [round(w.figures.recording_minutes) for w in weeks]  # type: ignore[union-attr]
        plt.plot(xs, direct, label="With families", marker="braille")  # type: ignore[attr-defined]
        plt.plot(xs, recording, label="Recording", marker="braille")  # type: ignore[attr-defined]
        step = max(1, len(xs) // 8)
        plt.xticks(xs[::step], [f"{w.week_start:%d/%m/%y}" for w in weeks][::step])  # type: ignore[attr-defined]
        plt.ylim(0, max(direct + recording) * 1.1 or 1)  # type: ignore[attr-defined]
        plt.ylabel("minutes")  # type: ignore[attr-defined]
        self.refresh()


class RatioChart(PlotextPlot):
    """Minutes recorded per minute with families, one bar per practitioner."""

    def draw(self, report: BurdenReport | None) -> None:
        plt = _reset(self, "Recording minutes per minute with families, by practitioner")
        rows = [
            (sanitise(p.practitioner, single_line=True), p.trial.ratio)
            for p in (report.by_practitioner if report else [])
            if p.trial is not None and p.trial.ratio is not None
        ]
        if not rows:
            plt.title("No practitioner has time with families in this period")  # type: ignore[attr-defined]
            self.refresh()
            return
        rows.sort(key=lambda r: r[1])  # type: ignore[arg-type, return-value]
        plt.bar(  # type: ignore[attr-defined]
            [r[0] for r in rows],
            [round(r[1], 2) for r in rows],
            orientation="horizontal",
            width=0.6,
        )
        spread = report.trial.spread if report else None
        if spread is not None:
            plt.title(  # type: ignore[attr-defined]
                "Recording minutes per minute with families, by practitioner — median "
                f"{spread.median:.2f}, quartiles {spread.q1:.2f}–{spread.q3:.2f}"
            )
        self.refresh()


class CompareChart(PlotextPlot):
    """Baseline and trial side by side, per practitioner-week."""

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
        else:
            plt.title("Minutes per practitioner-week: trial (no baseline to compare)")  # type: ignore[attr-defined]
        plt.multiple_bar(["With families", "Recording"], series, labels=labels)  # type: ignore[attr-defined]
        self.refresh()
