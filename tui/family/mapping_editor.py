"""The mapping editor: date, participants, the items of each column (one per line) and the
danger statement ↔ safety goal pairs. Saving stores a new revision, checked for conflicts."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Input, Label, Static, TextArea

from domain.errors import DomainError, ValidationError
from domain.mapping import (
    ITEM_CATEGORIES,
    Category,
    Column,
    DangerPair,
    DangerStatement,
    Mapping,
    MappingContent,
    MappingItem,
    SafetyGoal,
)
from domain.timeuse import RecordingActivity
from tui.forms import fmt_date, parse_date
from tui.styles import css
from tui.text import join
from tui.widgets.confirm import ConfirmDelete
from tui.widgets.recording_editor import RecordingEditor, focus_without_selecting
from tui.workers import run_db

#: (field, label, multi-line) of a danger statement, then of its safety goal.
DANGER_FIELDS = (
    ("who_is_worried", "Who is worried?", False),
    ("worried_about", "What are they worried about?", True),
    ("if_nothing_changes", "What will happen if nothing changes?", True),
)
GOAL_FIELDS = (
    ("parents_will", "The parents will…", True),
    ("child_will_experience", "The child will experience…", True),
    ("professionals_will_see", "Professionals will see…", True),
    ("for_how_long", "For how long?", False),
)
PAIR_FIELDS = DANGER_FIELDS + GOAL_FIELDS

CATEGORY_HINTS = {
    Category.HARM: "what has already happened to the child",
    Category.COMPLICATING_FACTORS: "what makes the worries harder to deal with",
    Category.EXISTING_STRENGTHS: "what is good in the family and network",
    Category.EXISTING_SAFETY: "what people have done to keep the child safe",
    Category.NEXT_STEPS: "small concrete steps, who and when",
}


def slug(field: str) -> str:
    return field.replace(".", "-").replace("_", "-")


def pair_values(pair: DangerPair) -> dict[str, str]:
    d, g = pair.danger, pair.goal
    return {
        "key": pair.key,
        "who_is_worried": d.who_is_worried,
        "worried_about": d.worried_about,
        "if_nothing_changes": d.if_nothing_changes,
        "parents_will": g.parents_will,
        "child_will_experience": g.child_will_experience,
        "professionals_will_see": g.professionals_will_see,
        "for_how_long": g.for_how_long,
    }


def split_participants(text: str) -> list[str]:
    """One name per line; a single line is read as a comma-separated list."""
    raw = text.strip()
    if not raw:
        return []
    parts = raw.splitlines() if "\n" in raw else raw.split(",")
    return [p.strip() for p in parts if p.strip()]


def item_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def append_text(existing: str, lines: Iterable[str]) -> str:
    """``existing`` with ``lines`` added after it (lines already present are not repeated)."""
    have = {line.strip() for line in existing.splitlines() if line.strip()}
    new = [line for line in lines if line.strip() and line.strip() not in have]
    if not new:
        return existing
    head = existing.rstrip("\n")
    return (head + "\n" if head else "") + "\n".join(new)


class PairEditor(Vertical):
    """One danger statement (left) and its safety goal (right)."""

    def __init__(self, serial: int, values: dict[str, str] | None = None) -> None:
        super().__init__(classes="pair-editor")
        self.serial = serial
        self.initial = values or {}
        self.key = self.initial.get("key", "")
        self.border_title = "Danger statement ↔ safety goal"

    def field_id(self, name: str) -> str:
        return f"field-pair-{self.serial}-{slug(name)}"

    def _field(self, name: str, label: str, multi: bool) -> ComposeResult:
        yield Label(label)
        value = self.initial.get(name, "")
        if multi:
            yield TextArea(value, id=self.field_id(name), soft_wrap=True, tab_behavior="focus")
        else:
            yield Input(value, id=self.field_id(name))

    def compose(self) -> ComposeResult:
        with Horizontal(classes="pair-sides"):
            with Vertical(classes="pair-side"):
                yield Static(Text("Danger statement", style="bold"))
                for name, label, multi in DANGER_FIELDS:
                    yield from self._field(name, label, multi)
            with Vertical(classes="pair-side"):
                yield Static(Text("Safety goal", style="bold"))
                for name, label, multi in GOAL_FIELDS:
                    yield from self._field(name, label, multi)

    def values(self) -> dict[str, str]:
        out = {"key": self.key}
        for name, _label, multi in PAIR_FIELDS:
            widget = self.query_one(f"#{self.field_id(name)}")
            out[name] = widget.text if multi else widget.value  # type: ignore[attr-defined]  # a TextArea or an Input (_field)
        return out

    def is_blank(self) -> bool:
        return not any(v.strip() for k, v in self.values().items() if k != "key")

    def to_pair(self, position: int) -> DangerPair:
        v = self.values()
        try:
            danger = DangerStatement(
                v["who_is_worried"], v["worried_about"], v["if_nothing_changes"]
            )
            goal = SafetyGoal(
                v["parents_will"],
                v["child_will_experience"],
                v["professionals_will_see"],
                v["for_how_long"],
            )
        except ValidationError as exc:
            name = (exc.field or "").split(".")[-1]
            raise ValidationError(
                f"pair.{self.serial}.{name}", f"Danger statement {position}: {exc}"
            ) from None
        return DangerPair(danger, goal, key=self.key)


class MappingEditor(RecordingEditor):
    """Write a new mapping or revise one. ``latest`` (for a new mapping) can be copied in."""

    family_id: int  # always a family's editor

    CSS_PATH = css("mapping")

    activity = RecordingActivity.MAPPING
    title_text = "New mapping"

    BINDINGS = [
        Binding("ctrl+n", "add_pair", "Add danger/goal pair", id="add-pair"),
        Binding("ctrl+r", "remove_pair", "Remove this pair", id="remove-pair"),
        Binding("ctrl+l", "copy_latest", "Copy latest mapping in", id="copy-latest"),
    ]

    def __init__(
        self, family_id: int, mapping: Mapping | None = None, latest: Mapping | None = None
    ) -> None:
        super().__init__(family_id)
        self.mapping = mapping
        self.latest = latest if mapping is None else None
        self._serial = 0
        self.initial_state: str | None = None
        #: The revision the form's text was started from (a save is made against it).
        self.base: int | None = mapping.revision if mapping else None
        #: The other person's revision merged into the form (recorded with the save).
        self.merged_with: int | None = None
        if mapping is not None:
            self.title_text = f"Edit the mapping of {mapping.current.held_on:%d %b %Y}"

    # --- form -------------------------------------------------------------------------------

    def next_serial(self) -> int:
        self._serial += 1
        return self._serial

    def compose_form(self) -> ComposeResult:
        content = self.mapping.current if self.mapping else None
        with VerticalScroll(id="mapping-form"):
            with Horizontal(classes="form-row"):
                yield Label("Date held")
                yield Input(
                    fmt_date(content.held_on) if content else "",
                    id="field-held-on",
                    placeholder="dd/mm/yyyy, today, -3",
                )
                yield Static(self._copy_hint(), id="copy-hint", classes="muted")
            yield Label("Participants — one per line (or one line separated by commas)")
            yield TextArea(
                "\n".join(content.participants) if content else "",
                id="field-participants",
                soft_wrap=True,
                tab_behavior="focus",
            )
            yield Static(
                Text("Write one item per line. Enter starts the next item.", style="dim"),
            )
            with Horizontal(id="mapping-edit-columns"):
                for column in Column:
                    with Vertical(classes="mapping-edit-column"):
                        yield Static(Text(column.label, style="bold"))
                        for category in ITEM_CATEGORIES:
                            if category.column is not column:
                                continue
                            yield Label(
                                join(
                                    Text(category.label, style="bold"),
                                    Text(f" — {CATEGORY_HINTS[category]}", style="dim"),
                                )
                            )
                            lines = [i.text for i in content.items_in(category)] if content else []
                            yield TextArea(
                                "\n".join(lines),
                                id=f"field-{slug(category.value)}",
                                soft_wrap=True,
                                tab_behavior="focus",
                            )
            yield Static(
                Text(
                    "Danger statements ↔ safety goals (ctrl+n adds a pair, ctrl+r removes the "
                    "pair you are in; an empty pair is ignored)",
                    style="bold",
                ),
                id="pairs-heading",
            )
            with Vertical(id="pairs"):
                for pair in content.pairs if content else ():
                    yield PairEditor(self.next_serial(), pair_values(pair))

    def _copy_hint(self) -> Text:
        if self.latest is None:
            return Text("")
        return Text(
            f"ctrl+l copies in the mapping of {self.latest.current.held_on:%d %b %Y} "
            "(re-mapping usually updates the last map)"
        )

    def on_mount(self) -> None:
        super().on_mount()
        if self.mapping is None:
            self.query_one("#field-held-on", Input).value = fmt_date(self.app.runtime.clock.today())
        focus_without_selecting(self.query_one("#field-held-on", Input))
        self.call_after_refresh(self._remember_initial)

    def _remember_initial(self) -> None:
        self.initial_state = self.draft_state()

    @on(Input.Changed)
    @on(TextArea.Changed)
    def _changed(self) -> None:
        if self.initial_state is not None and self.draft_state() != self.initial_state:
            self.mark_dirty()

    # --- pairs ------------------------------------------------------------------------------

    def pair_editors(self) -> list[PairEditor]:
        return list(self.query(PairEditor))

    def add_pair(self, values: dict[str, str] | None = None) -> PairEditor:
        editor = PairEditor(self.next_serial(), values)
        self.query_one("#pairs", Vertical).mount(editor)
        self.mark_dirty()
        return editor

    async def action_add_pair(self) -> None:
        editor = PairEditor(self.next_serial())
        await self.query_one("#pairs", Vertical).mount(editor)
        self.mark_dirty()
        self.query_one(f"#{editor.field_id('who_is_worried')}").focus()

    def action_remove_pair(self) -> None:
        node: Widget | None = self.focused
        while node is not None and not isinstance(node, PairEditor):
            node = node.parent if isinstance(node.parent, Widget) else None
        if node is None:
            self.show_error("Move into a danger statement or safety goal to remove that pair.")
            return
        pair = node
        if pair.is_blank():
            self.remove_pair(pair)
            return

        def answered(remove: bool | None) -> None:
            if remove:
                self.remove_pair(pair)

        self.app.push_screen(
            ConfirmDelete(
                "Remove this danger statement and its safety goal from the mapping?",
                pair.values().get("worried_about", ""),
            ),
            answered,
        )

    def remove_pair(self, pair: PairEditor) -> None:
        pair.remove()
        self.mark_dirty()
        self.query_one("#field-held-on", Input).focus()

    def action_copy_latest(self) -> None:
        if self.latest is None:
            self.show_error("There is no earlier mapping to copy from.")
            return
        self.merge(self.latest.current)

    def merge(self, content: MappingContent) -> None:
        """Add the items, participants and pairs of ``content`` to what is in the form."""
        people = self.query_one("#field-participants", TextArea)
        current = split_participants(people.text)
        people.text = "\n".join(current + [p for p in content.participants if p not in current])
        for category in ITEM_CATEGORIES:
            area = self.query_one(f"#field-{slug(category.value)}", TextArea)
            area.text = append_text(area.text, [i.text for i in content.items_in(category)])
        have = {e.key for e in self.pair_editors() if e.key}
        for pair in content.pairs:
            if pair.key not in have:
                self.add_pair(pair_values(pair))
        self.mark_dirty()

    # --- drafts -----------------------------------------------------------------------------

    def draft_key(self) -> str:
        if self.mapping is not None:
            return f"mapping:{self.mapping.id}"
        return f"mapping:new:{self.family_id}"

    def base_revision(self) -> int | None:
        return self.base

    def draft_state(self) -> str:
        return json.dumps(
            {
                "held_on": self.query_one("#field-held-on", Input).value,
                "participants": self.query_one("#field-participants", TextArea).text,
                "items": {
                    c.value: self.query_one(f"#field-{slug(c.value)}", TextArea).text
                    for c in ITEM_CATEGORIES
                },
                "pairs": [e.values() for e in self.pair_editors()],
            }
        )

    def apply_draft(self, content: str) -> None:
        started_from = self.restored_base
        if self.mapping is not None and started_from is not None and started_from != self.base:
            # A draft of an older revision: saving it merges with the newer one (never
            # replaces it).
            self.base = started_from
            self.show_error(
                f"This draft was started from revision {started_from}; the mapping is now at "
                f"revision {self.mapping.revision}. Saving merges the two part by part; you "
                "decide anything you both changed, and nothing of either is overwritten."
            )
        data = json.loads(content)
        self.query_one("#field-held-on", Input).value = str(data.get("held_on", ""))
        self.query_one("#field-participants", TextArea).text = str(data.get("participants", ""))
        items = data.get("items", {})
        for category in ITEM_CATEGORIES:
            self.query_one(f"#field-{slug(category.value)}", TextArea).text = str(
                items.get(category.value, "")
            )
        for editor in self.pair_editors():
            editor.remove()
        for values in data.get("pairs", []):
            self.add_pair({k: str(v) for k, v in values.items()})

    # --- save -------------------------------------------------------------------------------

    def content(self) -> MappingContent:
        """What the form holds, as a mapping; ValidationError names the field to correct."""
        today = self.app.runtime.clock.today()
        held_on = parse_date(
            "held_on",
            "The date of the mapping",
            self.query_one("#field-held-on", Input).value,
            today,
        )
        items: list[MappingItem] = []
        for category in ITEM_CATEGORIES:
            text = self.query_one(f"#field-{slug(category.value)}", TextArea).text
            for n, line in enumerate(item_lines(text), start=1):
                try:
                    items.append(MappingItem(category, line))
                except ValidationError as exc:
                    raise ValidationError(
                        category.value, f"{category.label}, line {n}: {exc}"
                    ) from None
        editors = [e for e in self.pair_editors() if not e.is_blank()]
        pairs = [e.to_pair(n) for n, e in enumerate(editors, start=1)]
        participants = split_participants(self.query_one("#field-participants", TextArea).text)
        return MappingContent(
            held_on=held_on,
            participants=tuple(participants),
            items=tuple(items),
            pairs=tuple(pairs),
        )

    def save(self) -> None:
        from domain.services.mappings import save_mapping

        try:
            content = self.content()
        except DomainError as exc:
            self.save_failed(exc)
            return
        ctx = self.app.ctx
        family_id = self.family_id
        mapping_id = self.mapping.id if self.mapping else None
        base, merged_with = self.base_revision(), self.merged_with
        run_db(
            self,
            lambda: save_mapping(
                ctx, family_id, mapping_id, content, base, merged_with=merged_with
            ),
            self.saved,
            failed=self.save_failed,
            exclusive=True,
            group="save",
        )

    # --- merging with a revision saved meanwhile --------------------------------------------------

    def save_failed(self, error: BaseException) -> None:
        from domain.errors import Conflict

        if not isinstance(error, Conflict) or self.mapping is None or self.base is None:
            super().save_failed(error)
            return
        from domain.services.mappings import merge_mapping

        try:
            mine = self.content()
        except DomainError:
            super().save_failed(error)
            return
        self.dirty = True
        self._last_saved_state = None
        self.autosave()
        self.show_error(f"{error} Merging the two revisions…")
        ctx = self.app.ctx
        family_id, mapping_id, base = self.family_id, self.mapping.saved_id, self.base
        run_db(
            self,
            lambda: merge_mapping(ctx, family_id, mapping_id, base, mine),
            lambda result: self.offer_merge(str(error), result),
            failed=super().save_failed,
            group="merge",
        )

    def offer_merge(self, told: str, result: Any) -> None:
        from domain.mapping import (
            combine_mapping_parts,
            mapping_from_parts,
            mapping_part_label,
            show_mapping_part,
        )
        from domain.merge import resolve
        from tui.widgets.merge import MergeScreen

        def answered(choices: dict[Any, Any] | None) -> None:
            if choices is None:
                self.show_error(
                    f"{told} Not merged yet: your mapping is still here. ctrl+s merges again "
                    "(nothing is ever saved over the other revision)."
                )
                return
            try:
                merged = mapping_from_parts(resolve(result.merge, choices, combine_mapping_parts))
            except DomainError as exc:
                self.show_error(f"The merged mapping cannot be saved as it is: {exc}")
                return
            self.base = result.current_revision
            self.merged_with = result.current_revision
            self.show_error("")
            self.call_later(self.load_and_save, merged)

        self.app.push_screen(
            MergeScreen(result.merge, mapping_part_label, result.their_names, show_mapping_part),
            answered,
        )

    async def load_and_save(self, content: MappingContent) -> None:
        """Show the merged mapping in the form, then save it."""
        self.query_one("#field-held-on", Input).value = fmt_date(content.held_on)
        self.query_one("#field-participants", TextArea).text = "\n".join(content.participants)
        for category in ITEM_CATEGORIES:
            self.query_one(f"#field-{slug(category.value)}", TextArea).text = "\n".join(
                i.text for i in content.items_in(category)
            )
        for editor in self.pair_editors():
            await editor.remove()
        box = self.query_one("#pairs", Vertical)
        for pair in content.pairs:
            await box.mount(PairEditor(self.next_serial(), pair_values(pair)))
        self.mark_dirty()
        self.save()
