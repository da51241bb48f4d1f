"""Mapping tab: the family's Signs of Safety mappings (three columns, danger statement ↔ safety goal
pairs, participants), the scaling given at each, and a chart of everyone's scaling over time."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import getters, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import DataTable, Select, Static

from domain.mapping import Category, Column, DangerPair, Mapping, ScalingRating
from domain.services.context import Context
from domain.services.screens import MappingData
from tui.app import TandemApp
from tui.family.mapping_editor import MappingEditor
from tui.family.mapping_scaling import ScalingChart, ScalingForm
from tui.family.tab_read import tab_read
from tui.text import cell, join, safe

if TYPE_CHECKING:
    from domain.services.context import Context


#: What sits under each column heading, in order.
COLUMN_CATEGORIES = {
    Column.WORRIED_ABOUT: (Category.HARM, Category.COMPLICATING_FACTORS),
    Column.WORKING_WELL: (Category.EXISTING_STRENGTHS, Category.EXISTING_SAFETY),
    Column.NEEDS_TO_HAPPEN: (Category.NEXT_STEPS,),
}
COLUMN_IDS = {
    Column.WORRIED_ABOUT: "col-worried",
    Column.WORKING_WELL: "col-working",
    Column.NEEDS_TO_HAPPEN: "col-needs",
}


def load_mapping_data(ctx: Context, family_id: int) -> MappingData:
    """Run in a worker: everything the tab shows, in one read (domain/services/screens.py)."""
    from domain.services.screens import mapping_screen

    return mapping_screen(ctx, family_id)


def column_text(mapping: Mapping, column: Column) -> Text:
    """The items of one column, each under its category heading."""
    parts: list[Text | str] = []
    for category in COLUMN_CATEGORIES[column]:
        parts.append(Text(category.label + "\n", style="bold underline"))
        items = mapping.current.items_in(category)
        if not items:
            parts.append(Text("  (none)\n", style="dim"))
        for item in items:
            parts += ["• ", safe(item.text), "\n"]
        parts.append("\n")
    n = len(mapping.current.pairs)
    if column is Column.WORRIED_ABOUT:
        parts.append(Text(f"Danger statements: {n} (below)", style="dim"))
    elif column is Column.NEEDS_TO_HAPPEN:
        parts.append(Text(f"Safety goals: {n} (below)", style="dim"))
    return join(*parts)


def danger_text(pair: DangerPair, number: int) -> Text:
    d = pair.danger
    return join(
        Text(f"Danger statement {number}\n", style="bold"),
        Text("Who is worried: ", style="bold"),
        safe(d.who_is_worried),
        "\n",
        Text("About what: ", style="bold"),
        safe(d.worried_about),
        "\n",
        Text("If nothing changes: ", style="bold"),
        safe(d.if_nothing_changes),
    )


def goal_text(pair: DangerPair, number: int) -> Text:
    g = pair.goal
    return join(
        Text(f"Safety goal {number}\n", style="bold"),
        Text("Parents will: ", style="bold"),
        safe(g.parents_will),
        "\n",
        Text("Child will experience: ", style="bold"),
        safe(g.child_will_experience),
        "\n",
        Text("Professionals will see: ", style="bold"),
        safe(g.professionals_will_see),
        "\n",
        Text("For how long: ", style="bold"),
        safe(g.for_how_long),
    )


def scales_label(rating: ScalingRating, pair_numbers: dict[str, int]) -> Text:
    if not rating.danger_key:
        return Text("Overall")
    n = pair_numbers.get(rating.danger_key)
    return Text(f"Danger statement {n}" if n else "A danger statement")


class MappingTab(Vertical):
    app = getters.app(TandemApp)

    BINDINGS = [
        Binding("n", "new_mapping", "New mapping", id="new-mapping"),
        Binding("e", "edit_mapping", "Edit mapping", id="edit-mapping"),
        Binding("s", "add_scaling", "Add scaling", id="add-scaling"),
        Binding("c", "toggle_chart", "Show/hide chart", id="toggle-chart"),
        Binding("left_square_bracket", "step(1)", "Earlier mapping", key_display="["),
        Binding("right_square_bracket", "step(-1)", "Later mapping", key_display="]"),
    ]

    def __init__(self, family_id: int) -> None:
        super().__init__(id="mapping-tab")
        self.family_id = family_id
        self.data = MappingData([], [])
        self.selected_id: int | None = None
        self.shown_ratings: list[ScalingRating] = []

    def compose(self) -> ComposeResult:
        with Horizontal(id="mapping-bar"):
            yield Select[int]([], prompt="No mapping yet", id="mapping-select")
            yield Static(
                Text(
                    "n new · e edit · s add scaling · c chart · [ ] earlier/later mapping",
                    style="dim",
                ),
                id="mapping-keys",
            )
        with VerticalScroll(id="mapping-body"):
            yield Static(Text("Loading…"), id="mapping-heading")
            with Horizontal(id="mapping-columns"):
                for column in Column:
                    box = Static(id=COLUMN_IDS[column], classes="mapping-column")
                    box.border_title = column.label
                    yield box
            yield Vertical(id="mapping-pairs")
            yield Static(id="mapping-participants")
            yield Static(Text("Scaling at this mapping", style="bold"), classes="mapping-section")
            yield DataTable(id="scaling-table", cursor_type="row", zebra_stripes=True)
            yield Static(id="scaling-detail")
            chart = ScalingChart(id="scaling-chart")
            chart.border_title = "Each person's scaling over time"
            yield chart
            yield Static(id="scaling-legend")

    def on_mount(self) -> None:
        table = self.query_one("#scaling-table", DataTable)
        table.add_column("Date", key="date")
        table.add_column("Person", key="person")
        table.add_column("Role", key="role")
        table.add_column("Score", key="score")
        table.add_column("Scales", key="scales")
        table.add_column("Reason", key="reason", width=44)
        table.add_column("0 means", key="zero", width=28)
        table.add_column("10 means", key="ten", width=28)

    # --- loading ----------------------------------------------------------------------------

    def reload(self) -> None:
        """Loaded when the tab is shown (the workspace calls this), not on mounting as well."""
        family_id = self.family_id
        tab_read(
            self,
            lambda c: load_mapping_data(c, family_id),
            self._loaded,
            exclusive=True,
            group="mapping",
        )

    def _loaded(self, data: MappingData) -> None:
        self.data = data
        ids = [m.id for m in data.mappings]
        if self.selected_id not in ids:
            self.selected_id = ids[0] if ids else None
        select = self.query_one("#mapping-select", Select)
        with self.prevent(Select.Changed):
            select.set_options(
                (Text(f"{m.current.held_on:%d %b %Y} · revision {m.revision}"), m.id)
                for m in data.mappings
            )
            if self.selected_id is not None:
                select.value = self.selected_id
        chart = self.query_one("#scaling-chart", ScalingChart)
        chart.draw(data.series)
        self.query_one("#scaling-legend", Static).update(Text(chart.legend))
        self.show_selected()

    @property
    def selected(self) -> Mapping | None:
        return next((m for m in self.data.mappings if m.id == self.selected_id), None)

    @property
    def latest(self) -> Mapping | None:
        return self.data.mappings[0] if self.data.mappings else None

    # --- showing ----------------------------------------------------------------------------

    def show_selected(self) -> None:
        mapping = self.selected
        heading = self.query_one("#mapping-heading", Static)
        pairs_box = self.query_one("#mapping-pairs", Vertical)
        pairs_box.remove_children()
        if mapping is None:
            heading.update(Text("This family has no mapping yet. Press n to write the first one."))
            for column in Column:
                self.query_one(f"#{COLUMN_IDS[column]}", Static).update("")
            self.query_one("#mapping-participants", Static).update("")
            self.show_ratings([r for r in self.data.ratings if r.mapping_id is None], {})
            return
        position = self.data.mappings.index(mapping)
        heading.update(
            Text(
                f"Mapping held {mapping.current.held_on:%d %B %Y} · revision {mapping.revision}"
                f" · {position + 1} of {len(self.data.mappings)} (newest first)",
                style="bold",
            )
        )
        for column in Column:
            self.query_one(f"#{COLUMN_IDS[column]}", Static).update(column_text(mapping, column))
        rows: list[Widget] = []
        for n, pair in enumerate(mapping.current.pairs, start=1):
            rows.append(
                Horizontal(
                    Static(danger_text(pair, n), classes="pair-danger"),
                    Static(Text("↔"), classes="pair-arrow"),
                    Static(goal_text(pair, n), classes="pair-goal"),
                    classes="pair-row",
                )
            )
        if not rows:
            rows.append(Static(Text("No danger statements or safety goals yet.", style="dim")))
        pairs_box.mount_all(rows)
        people = mapping.current.participants
        self.query_one("#mapping-participants", Static).update(
            join(
                Text("Participants: ", style="bold"),
                safe(", ".join(people)) if people else Text("(none recorded)", style="dim"),
            )
        )
        numbers = {p.key: n for n, p in enumerate(mapping.current.pairs, start=1)}
        self.show_ratings([r for r in self.data.ratings if r.mapping_id == mapping.id], numbers)

    def show_ratings(self, ratings: list[ScalingRating], numbers: dict[str, int]) -> None:
        table = self.query_one("#scaling-table", DataTable)
        table.clear()
        self.shown_ratings = ratings
        for i, r in enumerate(ratings):
            table.add_row(
                Text(f"{r.rated_on:%d %b %Y}"),
                cell(r.person),
                cell(r.person_role),
                Text(f"{r.score}/10", style="bold"),
                scales_label(r, numbers),
                cell(r.reason),
                cell(r.anchor_zero),
                cell(r.anchor_ten),
                key=str(i),
            )
        if not ratings:
            self.query_one("#scaling-detail", Static).update(
                Text("No scaling recorded at this mapping. Press s to add one.", style="dim")
            )
        else:
            self.show_detail(0)

    def show_detail(self, index: int) -> None:
        if not 0 <= index < len(self.shown_ratings):
            return
        r = self.shown_ratings[index]
        self.query_one("#scaling-detail", Static).update(
            join(
                cell(r.person, "bold"),
                Text(f" gave {r.score}/10 on {r.rated_on:%d %b %Y}: "),
                safe(r.reason),
                "\n",
                Text("0 = ", style="bold"),
                safe(r.anchor_zero),
                Text("   10 = ", style="bold"),
                safe(r.anchor_ten),
            )
        )

    @on(DataTable.RowHighlighted, "#scaling-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_detail(event.cursor_row)

    @on(Select.Changed, "#mapping-select")
    def _chosen(self, event: Select.Changed) -> None:
        if isinstance(event.value, int) and event.value != self.selected_id:
            self.selected_id = event.value
            self.show_selected()

    # --- actions ----------------------------------------------------------------------------

    def action_step(self, delta: int) -> None:
        ids = [m.id for m in self.data.mappings]
        if self.selected_id not in ids:
            return
        index = ids.index(self.selected_id) + delta
        if not 0 <= index < len(ids):
            self.app.notify(
                "There is no earlier mapping." if delta > 0 else "This is the latest mapping.",
                markup=False,
            )
            return
        self.selected_id = ids[index]
        with self.prevent(Select.Changed):
            self.query_one("#mapping-select", Select).value = self.selected_id
        self.show_selected()

    def action_toggle_chart(self) -> None:
        chart = self.query_one("#scaling-chart", ScalingChart)
        chart.display = not chart.display
        self.query_one("#scaling-legend", Static).display = chart.display
        if chart.display:
            self.query_one("#mapping-body", VerticalScroll).scroll_to_widget(chart)

    def action_new_mapping(self) -> None:
        self.app.push_screen(MappingEditor(self.family_id, None, self.latest), self._after_save)

    def action_edit_mapping(self) -> None:
        if self.selected is None:
            self.app.notify("There is no mapping to edit yet; press n for a new one.", markup=False)
            return
        self.app.push_screen(MappingEditor(self.family_id, self.selected), self._after_save)

    def action_add_scaling(self) -> None:
        self.app.push_screen(ScalingForm(self.family_id, self.selected), self._after_scaling)

    def _after_save(self, result: object) -> None:
        if isinstance(result, Mapping):
            self.selected_id = result.id
            self.app.notify("Mapping saved.", markup=False)
        self.reload()

    def _after_scaling(self, result: object) -> None:
        if result is not None:
            self.app.notify("Scaling saved.", markup=False)
        self.reload()
