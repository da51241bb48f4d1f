"""Scaling: the form for one person's 0–10 judgement, and the chart of everyone's over time."""

from __future__ import annotations

import json
from datetime import date

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Input, Label, Select, Static, TextArea
from textual_plotext import PlotextPlot

from domain.errors import Conflict, DomainError, ValidationError
from domain.mapping import DEFAULT_ANCHOR_TEN, DEFAULT_ANCHOR_ZERO, Mapping
from domain.timeuse import RecordingActivity
from tui.chart_kit import legend, marker
from tui.forms import fmt_date, parse_date, parse_int
from tui.styles import css
from tui.text import cell, safe, sanitise
from tui.widgets.recording_editor import RecordingEditor
from tui.workers import run_db

#: Fields with their own error line next to them (the error's field name → widget id part).
FIELDS_WITH_ERRORS = (
    "person",
    "person_role",
    "score",
    "reason",
    "anchor_zero",
    "anchor_ten",
    "danger_key",
    "rated_on",
)


def parse_score(text: str) -> int:
    """A scaling score as typed: a whole number (the domain's range check follows), or a message
    saying why not. Never another number made out of what was typed."""
    if not text.strip():
        raise ValidationError("score", "The score is needed: a whole number from 0 to 10.")
    try:
        return parse_int("score", "The score", text)
    except ValidationError:
        raise ValidationError(
            "score",
            f"The score must be a whole number from 0 to 10 (got {text.strip()!r}); "
            "scaling uses whole numbers only.",
        ) from None


def slug(field: str) -> str:
    return field.replace(".", "-").replace("_", "-")


class ScalingForm(RecordingEditor):
    """Record one person's scaling: score, reason, and the wording of both anchors."""

    family_id: int  # always a family's editor

    CSS_PATH = css("mapping")

    activity = RecordingActivity.MAPPING
    title_text = "Add a scaling (0–10)"

    def __init__(self, family_id: int, mapping: Mapping | None = None) -> None:
        super().__init__(family_id)
        self.mapping = mapping
        self.initial_state: str | None = None
        if mapping is not None:
            self.title_text = f"Add a scaling at the mapping of {mapping.current.held_on:%d %b %Y}"

    def _error_line(self, field: str) -> Static:
        line = Static(id=f"error-{slug(field)}", classes="field-error")
        line.display = False
        return line

    def compose_form(self) -> ComposeResult:
        pairs = self.mapping.current.pairs if self.mapping else ()
        options = [
            (cell(f"Danger statement {n}: {p.danger.worried_about}"), p.key)
            for n, p in enumerate(pairs, start=1)
        ]
        with VerticalScroll(id="scaling-form"):
            with Horizontal(classes="form-row"):
                yield Label("Person")
                yield Input(id="field-person", placeholder="e.g. Kerry Hughes")
                yield Label("Role")
                yield Input(id="field-person-role", placeholder="e.g. mum, school, social worker")
            yield self._error_line("person")
            yield self._error_line("person_role")
            with Horizontal(classes="form-row"):
                yield Label("Score 0–10")
                # Plain text, no restriction: "7.5" must reach the save and be refused with a
                # reason, never turned into 75 by dropping the point.
                yield Input(id="field-score", placeholder="0–10")
                yield self._error_line("score")
            yield Label("Reason — why this number and not lower?")
            yield TextArea(id="field-reason", soft_wrap=True, tab_behavior="focus")
            yield self._error_line("reason")
            with Horizontal(classes="form-row"):
                yield Label("0 means")
                yield Input(DEFAULT_ANCHOR_ZERO, id="field-anchor-zero")
            yield self._error_line("anchor_zero")
            with Horizontal(classes="form-row"):
                yield Label("10 means")
                yield Input(DEFAULT_ANCHOR_TEN, id="field-anchor-ten")
            yield self._error_line("anchor_ten")
            with Horizontal(classes="form-row"):
                yield Label("Scales")
                yield Select(
                    options,
                    prompt="Overall safety (no single danger statement)",
                    allow_blank=True,
                    id="field-danger-key",
                )
            yield self._error_line("danger_key")
            with Horizontal(classes="form-row"):
                yield Label("Date")
                yield Input(id="field-rated-on", placeholder="dd/mm/yyyy, today, -3")
            yield self._error_line("rated_on")
            yield Static(
                Text("ctrl+s saves · enter in a one-line field saves · escape closes", style="dim")
            )

    def on_mount(self) -> None:
        super().on_mount()
        today = self.app.runtime.clock.today()
        self.query_one("#field-rated-on", Input).value = fmt_date(today)
        self.query_one("#field-person", Input).focus()
        self.call_after_refresh(self._clean)

    def _clean(self) -> None:
        self.initial_state = self.draft_state()
        self.dirty = False

    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(Select.Changed)
    def _changed(self) -> None:
        if self.initial_state not in (None, self.draft_state()):
            self.mark_dirty()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()

    # --- drafts -----------------------------------------------------------------------------

    def draft_key(self) -> str:
        mapping = self.mapping.id if self.mapping else "none"
        return f"scaling:new:{self.family_id}:{mapping}"

    def _values(self) -> dict[str, object]:
        danger = self.query_one("#field-danger-key", Select).value
        return {
            "person": self.query_one("#field-person", Input).value,
            "person_role": self.query_one("#field-person-role", Input).value,
            "score": self.query_one("#field-score", Input).value,
            "reason": self.query_one("#field-reason", TextArea).text,
            "anchor_zero": self.query_one("#field-anchor-zero", Input).value,
            "anchor_ten": self.query_one("#field-anchor-ten", Input).value,
            "danger_key": danger if isinstance(danger, str) else "",
            "rated_on": self.query_one("#field-rated-on", Input).value,
        }

    def draft_state(self) -> str:
        return json.dumps(self._values())

    def apply_draft(self, content: str) -> None:
        data = json.loads(content)
        for name in ("person", "person_role", "score", "anchor_zero", "anchor_ten", "rated_on"):
            self.query_one(f"#field-{slug(name)}", Input).value = str(data.get(name, ""))
        self.query_one("#field-reason", TextArea).text = str(data.get("reason", ""))
        keys = {p.key for p in self.mapping.current.pairs} if self.mapping else set()
        if data.get("danger_key") in keys:
            self.query_one("#field-danger-key", Select).value = data["danger_key"]

    # --- save -------------------------------------------------------------------------------

    def clear_field_errors(self) -> None:
        for line in self.query(".field-error").results(Static):
            line.update("")
            line.display = False

    def save_failed(self, error: BaseException) -> None:
        """A field's error goes on the line next to that field; the typed text stays."""
        self.clear_field_errors()
        if isinstance(error, DomainError) and not isinstance(error, Conflict) and error.field:
            lines = self.query(f"#error-{slug(error.field)}").results(Static)
            line = next(iter(lines), None)
            if line is not None:
                line.update(safe(str(error)))
                line.display = True
                self.focus_field(error.field)
                return
        super().save_failed(error)

    def save(self) -> None:
        from domain.services.mappings import record_scaling

        self.clear_field_errors()
        v = self._values()
        today = self.app.runtime.clock.today()
        try:
            score = parse_score(str(v["score"]))
            rated_on = parse_date("rated_on", "The date of the scaling", str(v["rated_on"]), today)
        except DomainError as exc:
            self.save_failed(exc)
            return
        ctx = self.app.ctx
        family_id = self.family_id
        mapping_id = self.mapping.id if self.mapping else None
        run_db(
            self,
            lambda: record_scaling(
                ctx,
                family_id,
                mapping_id,
                str(v["person"]),
                str(v["person_role"]),
                score,
                str(v["reason"]),
                anchor_zero=str(v["anchor_zero"]),
                anchor_ten=str(v["anchor_ten"]),
                rated_on=rated_on,
                danger_key=str(v["danger_key"]) or None,
            ),
            self.saved,
            failed=self.save_failed,
            exclusive=True,
            group="save",
        )


class ScalingChart(PlotextPlot):
    """Each person's overall scaling over time: one line per person, 0 to 10 upwards."""

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self.series: dict[str, list[tuple[date, int]]] = {}
        #: Which marker is whose line, with their latest score: shown under the chart (by the
        #: tab), where it wraps and covers no line.
        self.legend = ""

    def draw(self, series: dict[str, list[tuple[date, int]]]) -> None:
        self.series = {name: list(points) for name, points in series.items()}
        plt = self.plt
        plt.clear_figure()
        days = sorted({d for points in self.series.values() for d, _ in points})
        self.legend = ""
        if not days:
            plt.title("No scaling recorded yet")
        else:
            plt.title("Scaling over time (0 = cannot safely stay at home · 10 = safe to close)")
            first = days[0]
            names = []
            for i, (name, points) in enumerate(self.series.items()):
                # Each person has their own marker (not only a colour); the legend, with each
                # person's latest score, is under the plot where it covers no line.
                plt.plot(
                    [(d - first).days for d, _ in points],
                    [score for _, score in points],
                    marker=marker(i),
                )
                names.append(f"{sanitise(name, single_line=True)[:60]} {points[-1][1]}")
            ticks: list[float] = [(d - first).days for d in days]
            step = max(1, len(ticks) // 6)
            plt.xticks(ticks[::step], [f"{d:%d %b}" for d in days][::step])
            plt.xlim(ticks[0] - 1, ticks[-1] + 1)
            self.legend = "Key: " + legend(names)
        plt.ylim(0, 10)
        plt.yticks(list(range(0, 11, 2)))
        self.refresh()
